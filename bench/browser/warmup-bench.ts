/**
 * Cache-warmup scenarios, one page load (one browser start) at a time; `bench/warmup.mjs`
 * drives them through Playwright and restarts the browser between them.
 *
 * Every scenario follows the same app: start (createRuntime, or requestAdapter +
 * requestDevice for raw WebGPU), compile the first kernel of the library, dispatch it once
 * and read the result back (time to first result), then compile the other 12 kernels one
 * after another (time to all compiled). Times are main-thread wall clock from the start.
 * The raw baseline runs the very WGSL vyre-web generates, lowered before the clock starts.
 */
import * as vyre from '../../test/support/vyre-all.ts';
import { lowerProgram } from '../../src/lower/lower-program.ts';
import type { ShaderArtifact } from '../../src/lower/artifact.ts';
import { KERNEL_PROGRAMS } from './kernel-programs.ts';

/** One kernel's compile, seen from the main thread (and from the worker, for vyre-web). */
export interface PipelineSample {
  readonly name: string;
  /** Main-thread wall time of `runtime.compile` (or of createShaderModule + createComputePipelineAsync). */
  readonly ms: number;
  /** vyre-web only: the tier that served it, its cache-hit flag and the worker's own timings. */
  readonly tier?: vyre.CompileTier;
  readonly cacheHit?: vyre.CacheHit;
  readonly inWorker?: number;
  readonly gpuCompile?: number;
}

export interface ScenarioRun {
  /** createRuntime (or requestAdapter + requestDevice) until it resolved; 0 when the runtime already existed. */
  readonly startup: number;
  /** From the start until the first kernel's first dispatch came back. */
  readonly firstResult: number;
  /** From the start until all 13 kernels were compiled (includes that one dispatch). */
  readonly allCompiled: number;
  readonly pipelines: readonly PipelineSample[];
  /** The first result matched y = 2x + y exactly. */
  readonly resultOk: boolean;
  /** Kernels whose tier was not what the scenario expects (empty when all were). */
  readonly unexpectedTiers: readonly string[];
  /** The adapter, as `runtime.deviceFingerprint.readable` (vyre-web) or `adapter.info` (raw). */
  readonly device: string;
  readonly cacheSnapshot?: vyre.CacheSnapshot;
  readonly storage?: vyre.StorageStatus;
}

const N = 4096;
const ALPHA = 2;
const inputs = (): { x: Float32Array<ArrayBuffer>; y: Float32Array<ArrayBuffer> } => ({
  x: Float32Array.from({ length: N }, (_, i) => i),
  y: new Float32Array(N).fill(1),
});
const resultOk = (y: Float32Array | undefined): boolean => y !== undefined && y.length === N && y.every((v, i) => v === ALPHA * i + 1);

const FIRST = KERNEL_PROGRAMS[0];
if (FIRST === undefined || FIRST.name !== 'saxpy') throw new Error('the warmup bench dispatches saxpy first');
/** The first kernel an app of these scenarios compiles and dispatches. */
const FIRST_PROGRAM: vyre.IrProgram = FIRST.program;

/** What the scenarios use of the library: src/ by default, or a built bundle. */
interface Library {
  readonly createRuntime: typeof vyre.createRuntime;
}
let library: Library = vyre;

/**
 * Picks the library the scenarios run: `url` of a built bundle's entry, or `null` for
 * src/ through the dev server. Call it before the clock starts (an app loads its script first).
 */
export async function useLibrary(url: string | null): Promise<void> {
  library = url === null ? vyre : ((await import(/* @vite-ignore */ url)) as Library);
}

/** Runtime kept between scenarios of one page load (cold, then warm). */
let current: vyre.Runtime | undefined;

/** Busy main thread for `ms`: the app's own start-up work (script evaluation, first render). */
function appWork(ms: number): void {
  const until = performance.now() + ms;
  let x = 0;
  while (performance.now() < until) x = (x * 31 + 7) % 1_000_003;
  if (x < 0) console.log(x);
}

async function compileAll(runtime: vyre.Runtime, t0: number, expected: readonly vyre.CompileTier[]): Promise<Omit<ScenarioRun, 'startup' | 'device'>> {
  const pipelines: PipelineSample[] = [];
  const unexpectedTiers: string[] = [];
  let firstResult = Number.NaN;
  let ok = false;
  for (const { name, program } of KERNEL_PROGRAMS) {
    const started = performance.now();
    const build = await runtime.compile(program);
    pipelines.push({ name, ms: performance.now() - started, tier: build.tier, cacheHit: build.cacheHit, inWorker: build.timings.total, gpuCompile: build.timings.gpuCompile });
    if (!expected.includes(build.tier)) unexpectedTiers.push(`${name}: ${build.tier}`);
    if (program === FIRST_PROGRAM) {
      const { y } = await build.pipeline.dispatch(inputs(), { params: { alpha: ALPHA } });
      firstResult = performance.now() - t0;
      ok = resultOk(y as Float32Array | undefined);
    }
  }
  return { firstResult, allCompiled: performance.now() - t0, pipelines, resultOk: ok, unexpectedTiers };
}

/**
 * A new runtime on `dbName`, then the app: first result, all compiled. The runtime stays
 * open for {@link warmInPage}.
 * @param expected - the tiers this start should see: `compiled` on a fresh profile,
 *   `persistent` after a restart, `memory`/`persistent` with startup prewarm.
 * @param appWorkMs - main-thread work between calling createRuntime and awaiting it.
 */
export async function startRuntime(options: { dbName: string; prewarmOnStart: boolean; appWorkMs: number; expected: vyre.CompileTier[] }): Promise<ScenarioRun> {
  if (current !== undefined) throw new Error('a runtime is already open in this page');
  const t0 = performance.now();
  const pending = library.createRuntime({ persistent: { dbName: options.dbName }, prewarmOnStart: options.prewarmOnStart });
  if (options.appWorkMs > 0) appWork(options.appWorkMs);
  const runtime = await pending;
  const startup = performance.now() - t0;
  current = runtime;
  const run = await compileAll(runtime, t0, options.expected);
  return { startup, ...run, device: runtime.deviceFingerprint.readable, storage: runtime.storage, cacheSnapshot: await runtime.cacheSnapshot() };
}

/** The runtime of {@link startRuntime}, compiling everything again: the memory tier. */
export async function warmInPage(): Promise<ScenarioRun> {
  if (current === undefined) throw new Error('warmInPage needs startRuntime first');
  const t0 = performance.now();
  const run = await compileAll(current, t0, ['memory']);
  return { startup: 0, ...run, device: current.deviceFingerprint.readable };
}

/**
 * Where the first kernel stands in the stored working set (0 = most recently used, the
 * first one startup prewarm replays), and how many records there are. Call it last:
 * reading manifests does not change the order, but it costs a round trip.
 */
export async function workingSetPosition(): Promise<{ position: number; of: number }> {
  if (current === undefined) throw new Error('workingSetPosition needs startRuntime first');
  const first = await current.compile(FIRST_PROGRAM);
  const manifests = await current.manifests();
  return { position: manifests.findIndex((m) => m.pipelineId === first.pipeline.id), of: manifests.length };
}

export async function closeRuntime(): Promise<void> {
  await current?.dispose();
  current = undefined;
}

/** The WGSL vyre-web generates for every kernel, lowered outside the clock. */
const ARTIFACTS: readonly { name: string; artifact: ShaderArtifact }[] = KERNEL_PROGRAMS.map(({ name, program }) => ({ name, artifact: lowerProgram(program, program.workgroupSize) }));

/**
 * Hand-written raw WebGPU on the main thread, no vyre-web: the same WGSL, the same order
 * (first kernel, one dispatch with its buffers, then the other 12), a fresh device.
 */
export async function rawWebGpu(options: { appWorkMs: number }): Promise<ScenarioRun> {
  const t0 = performance.now();
  const pendingAdapter = navigator.gpu.requestAdapter();
  if (options.appWorkMs > 0) appWork(options.appWorkMs);
  const adapter = await pendingAdapter;
  if (adapter === null) throw new Error('no WebGPU adapter');
  const device = await adapter.requestDevice();
  const startup = performance.now() - t0;
  const pipelines: PipelineSample[] = [];
  let firstResult = Number.NaN;
  let ok = false;
  for (const { name, artifact } of ARTIFACTS) {
    const started = performance.now();
    const module = device.createShaderModule({ code: artifact.code });
    const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: artifact.entryPoint } });
    pipelines.push({ name, ms: performance.now() - started });
    if (name === 'saxpy') {
      ok = resultOk(await saxpyOnce(device, pipeline));
      firstResult = performance.now() - t0;
    }
  }
  const allCompiled = performance.now() - t0;
  const info = adapter.info;
  device.destroy();
  return { startup, firstResult, allCompiled, pipelines, resultOk: ok, unexpectedTiers: [], device: [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' / ') };
}

/** saxpy's bindings as vyre-web lowered it: x at 0, y at 1, the params uniform at 2. */
async function saxpyOnce(device: GPUDevice, pipeline: GPUComputePipeline): Promise<Float32Array> {
  const { x, y } = inputs();
  const bytes = N * 4;
  const xBuffer = device.createBuffer({ size: bytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
  const yBuffer = device.createBuffer({ size: bytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC });
  const params = device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  const readback = device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(xBuffer, 0, x);
  device.queue.writeBuffer(yBuffer, 0, y);
  device.queue.writeBuffer(params, 0, Float32Array.of(ALPHA, 0, 0, 0));
  const bindGroup = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [
      { binding: 0, resource: { buffer: xBuffer } },
      { binding: 1, resource: { buffer: yBuffer } },
      { binding: 2, resource: { buffer: params } },
    ],
  });
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(Math.ceil(N / 64));
  pass.end();
  encoder.copyBufferToBuffer(yBuffer, 0, readback, 0, bytes);
  device.queue.submit([encoder.finish()]);
  await readback.mapAsync(GPUMapMode.READ);
  const out = new Float32Array(readback.getMappedRange().slice(0));
  readback.unmap();
  for (const buffer of [xBuffer, yBuffer, params, readback]) buffer.destroy();
  return out;
}

/** The browser as the page sees it, for naming the machine (the full version: the user agent string is reduced). */
export async function browserFacts(): Promise<{ browser: string; userAgent: string; crossOriginIsolated: boolean; cores: number }> {
  const data = (navigator as { userAgentData?: { getHighEntropyValues(hints: string[]): Promise<{ fullVersionList?: { brand: string; version: string }[] }> } }).userAgentData;
  const brands = (await data?.getHighEntropyValues(['fullVersionList']).catch(() => undefined))?.fullVersionList ?? [];
  const brand = brands.find((b) => b.brand === 'Google Chrome') ?? brands.find((b) => b.brand === 'Chromium');
  const browser = brand === undefined ? navigator.userAgent : `${brand.brand} ${brand.version}`;
  return { browser, userAgent: navigator.userAgent, crossOriginIsolated: self.crossOriginIsolated, cores: navigator.hardwareConcurrency };
}
