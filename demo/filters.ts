/**
 * The image-filter demo: a canvas animation filtered every frame through vyre-web (the
 * canvas goes in, an ImageData comes out), with the per-frame time and the tier each
 * pipeline came from at start-up (compiled on the first visit, persistent after a reload);
 * beside it a still picture (an `<img>` of filters-still.png, a procedural PNG drawn for
 * this page) filtered once at start-up and again whenever the filter or radius changes.
 * The shaders are the browser tests' corpus (test/browser/image-corpus/shaders.ts).
 */
import { createRuntime, wgsl, type Runtime } from '../src/index.ts';
import { BOX_BLUR, SOBEL } from '../test/browser/image-corpus/shaders.ts';
import { byTestId } from './dom.ts';

type FilterName = 'blur' | 'edges';
type Pipeline = Awaited<ReturnType<Runtime['compile']>>['pipeline'];

const source = byTestId('source') as HTMLCanvasElement;
const output = byTestId('output') as HTMLCanvasElement;
const stillSource = byTestId('still-source') as HTMLImageElement;
const stillOutput = byTestId('still-output') as HTMLCanvasElement;
const frameTimes: number[] = [];
let running = true;
let frames = 0;
let stillRuns = 0;

/** A few soft circles orbiting over a gradient: something with edges that moves. */
function drawSource(context: CanvasRenderingContext2D, t: number): void {
  const { width, height } = context.canvas;
  const gradient = context.createLinearGradient(0, 0, width, height);
  gradient.addColorStop(0, '#1d3557');
  gradient.addColorStop(1, '#a8dadc');
  context.fillStyle = gradient;
  context.fillRect(0, 0, width, height);
  for (let i = 0; i < 5; i++) {
    const angle = t / 900 + (i * Math.PI * 2) / 5;
    context.fillStyle = `hsl(${(i * 72 + t / 20) % 360} 80% 55%)`;
    context.beginPath();
    context.arc(width / 2 + Math.cos(angle) * width * 0.3, height / 2 + Math.sin(angle * 1.3) * height * 0.3, 28 + 10 * i, 0, Math.PI * 2);
    context.fill();
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** The filter the controls choose, and its uniform. */
function chosenFilter(): { filter: FilterName; params: Readonly<Record<string, number>> } {
  const filter = (byTestId('filter') as HTMLSelectElement).value as FilterName;
  const radius = Number((byTestId('radius') as HTMLInputElement).value);
  return { filter, params: filter === 'blur' ? { radius, _pad0: 0, _pad1: 0, _pad2: 0 } : { scale: 1, _pad0: 0, _pad1: 0, _pad2: 0 } };
}

async function frame(pipelines: Record<FilterName, Pipeline>, context: CanvasRenderingContext2D, out: CanvasRenderingContext2D): Promise<void> {
  drawSource(context, performance.now());
  const { filter, params } = chosenFilter();
  const started = performance.now();
  const result = (await pipelines[filter].dispatch({ src: source, params } as never)) as unknown as Record<string, ImageData>;
  frameTimes.push(performance.now() - started);
  if (frameTimes.length > 30) frameTimes.shift();
  const image = result['dst'];
  if (image !== undefined) out.putImageData(image, 0, 0);
  frames++;
  byTestId('frame-ms').textContent = median(frameTimes).toFixed(1);
  byTestId('frames').textContent = String(frames);
}

/** Filters the still picture once (the `<img>` in, an ImageData out) and shows how long it took. */
async function filterStill(pipelines: Record<FilterName, Pipeline>, out: CanvasRenderingContext2D): Promise<void> {
  const { filter, params } = chosenFilter();
  const started = performance.now();
  const result = (await pipelines[filter].dispatch({ src: stillSource, params } as never)) as unknown as Record<string, ImageData>;
  const ms = performance.now() - started;
  const image = result['dst'];
  if (image !== undefined) out.putImageData(image, 0, 0);
  stillRuns++;
  stillOutput.dataset['filter'] = filter;
  byTestId('still-ms').textContent = ms.toFixed(1);
  byTestId('still-runs').textContent = String(stillRuns);
}

/**
 * `run` whenever the returned function is called; calls made while it runs fold into one
 * more run, so dragging the radius slider queues at most one refilter, with the last value.
 */
function coalesced(run: () => Promise<void>): () => void {
  let busy = false;
  let again = false;
  const drain = async (): Promise<void> => {
    busy = true;
    try {
      do {
        again = false;
        await run();
      } while (again);
    } finally {
      busy = false;
    }
  };
  return () => {
    if (busy) again = true;
    else drain().catch(fail);
  };
}

/** Shows a start-up or filtering failure on the page. */
function fail(error: unknown): void {
  byTestId('status').textContent = `failed: ${error instanceof Error ? error.message : String(error)}`;
  document.body.dataset['state'] = 'failed';
}

async function start(): Promise<void> {
  const context = source.getContext('2d', { willReadFrequently: true });
  const out = output.getContext('2d');
  const stillOut = stillOutput.getContext('2d');
  if (context === null || out === null || stillOut === null) throw new Error('no 2D canvas');
  const runtime = await createRuntime();
  const blur = await runtime.compile(wgsl({ code: BOX_BLUR }));
  const edges = await runtime.compile(wgsl({ code: SOBEL }));
  const tiers = byTestId('tiers');
  tiers.textContent = `blur: ${blur.tier}, edges: ${edges.tier} (storage: ${runtime.storage.mode})`;
  tiers.dataset['blur'] = blur.tier;
  tiers.dataset['edges'] = edges.tier;
  byTestId('status').textContent = 'running';
  document.body.dataset['state'] = 'running';
  const toggle = byTestId('toggle') as HTMLButtonElement;
  toggle.addEventListener('click', () => {
    running = !running;
    toggle.textContent = running ? 'Pause' : 'Resume';
  });
  const pipelines = { blur: blur.pipeline, edges: edges.pipeline };
  const loop = async (): Promise<void> => {
    if (running) await frame(pipelines, context, out);
    requestAnimationFrame(() => void loop());
  };
  void loop();
  await stillSource.decode();
  const refilterStill = coalesced(() => filterStill(pipelines, stillOut));
  byTestId('filter').addEventListener('change', refilterStill);
  byTestId('radius').addEventListener('input', refilterStill);
  refilterStill();
}

start().catch(fail);
