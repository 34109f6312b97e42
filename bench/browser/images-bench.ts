/**
 * Issue #17's benchmark: a box blur of a 1920×1080 picture per frame, through vyre-web from
 * the main thread (ImageData in, ImageData out) and with resident textures (a chain of
 * blurs kept on the GPU, one read-back at the end: dispatch by dispatch over kept textures,
 * and in one dispatchBatch with previousOutput), beside hand-written raw WebGPU doing
 * the same on the main thread of the same page, in turns.
 */
import * as vyre from '../../test/support/vyre-all.ts';
import { BOX_BLUR } from '../../test/browser/image-corpus/shaders.ts';
import { mapForReading, mapWaitFor } from '../../src/gpu/map-read.ts';
import { parseUserAgent } from '../../src/worker/browser-facts.ts';
import { interleaved, type Samples } from './dispatch-bench.ts';

const WIDTH = 1920;
const HEIGHT = 1080;
/** Blurs per resident chain: the per-frame figure is the chain's time over this. */
const CHAIN = 8;
const PARAMS = { radius: 1, _pad0: 0, _pad1: 0, _pad2: 0 };

/** The raw rig: the same shader, textures, sampler and bind groups, written by hand. */
async function rawBlur(device: GPUDevice) {
  const module = device.createShaderModule({ code: BOX_BLUR });
  const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  const texture = (usage: number) => device.createTexture({ size: [WIDTH, HEIGHT], format: 'rgba8unorm', usage });
  const usage = GPUTextureUsage.TEXTURE_BINDING | GPUTextureUsage.STORAGE_BINDING | GPUTextureUsage.COPY_DST | GPUTextureUsage.COPY_SRC;
  const sampled = [texture(usage), texture(usage)];
  const sampler = device.createSampler({ magFilter: 'linear', minFilter: 'linear' });
  const uniform = device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(uniform, 0, new Int32Array([PARAMS.radius, 0, 0, 0]));
  const paddedRow = Math.ceil((WIDTH * 4) / 256) * 256;
  const staging = device.createBuffer({ size: paddedRow * HEIGHT, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const groups = [0, 1].map((from) => [
    device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: sampler }, { binding: 1, resource: (sampled[from] as GPUTexture).createView() }] }),
    device.createBindGroup({ layout: pipeline.getBindGroupLayout(1), entries: [{ binding: 0, resource: (sampled[1 - from] as GPUTexture).createView() }, { binding: 1, resource: { buffer: uniform } }] }),
  ]);
  const wait = mapWaitFor(parseUserAgent(navigator.userAgent));
  const blurs = (encoder: GPUCommandEncoder, count: number) => {
    for (let n = 0; n < count; n++) {
      const pass = encoder.beginComputePass();
      pass.setPipeline(pipeline);
      for (const [index, group] of (groups[n % 2] as GPUBindGroup[]).entries()) pass.setBindGroup(index, group);
      pass.dispatchWorkgroups(Math.ceil(WIDTH / 8), Math.ceil(HEIGHT / 8));
      pass.end();
    }
  };
  const readBack = async (encoder: GPUCommandEncoder, from: GPUTexture): Promise<ImageData> => {
    encoder.copyTextureToBuffer({ texture: from }, { buffer: staging, bytesPerRow: paddedRow }, [WIDTH, HEIGHT]);
    device.queue.submit([encoder.finish()]);
    const [mapped] = await mapForReading(device, [[staging]], wait);
    if (mapped?.status === 'rejected') throw mapped.reason;
    const rows = new Uint8Array(staging.getMappedRange());
    const out = new Uint8ClampedArray(WIDTH * HEIGHT * 4);
    for (let y = 0; y < HEIGHT; y++) out.set(rows.subarray(y * paddedRow, y * paddedRow + WIDTH * 4), y * WIDTH * 4);
    staging.unmap();
    return new ImageData(out, WIDTH, HEIGHT);
  };
  return {
    /** ImageData in, one blur, ImageData out. */
    async frame(image: ImageData): Promise<ImageData> {
      device.queue.writeTexture({ texture: sampled[0] as GPUTexture }, image.data, { bytesPerRow: WIDTH * 4 }, [WIDTH, HEIGHT]);
      const encoder = device.createCommandEncoder();
      blurs(encoder, 1);
      return readBack(encoder, sampled[1] as GPUTexture);
    },
    /** CHAIN blurs ping-ponging on the GPU (the input already there), one read-back. */
    async chain(): Promise<ImageData> {
      const encoder = device.createCommandEncoder();
      blurs(encoder, CHAIN);
      return readBack(encoder, sampled[CHAIN % 2] as GPUTexture);
    },
    destroy(): void {
      for (const t of sampled) t.destroy();
      staging.destroy();
      uniform.destroy();
    },
  };
}

/** The picture: a gradient with noise, the same for every frame. */
function picture(): ImageData {
  const data = new Uint8ClampedArray(WIDTH * HEIGHT * 4);
  for (let i = 0; i < data.length; i += 4) {
    const pixel = i / 4;
    data[i] = pixel % WIDTH;
    data[i + 1] = (pixel / WIDTH) & 255;
    data[i + 2] = (pixel * 2654435761) >>> 24;
    data[i + 3] = 255;
  }
  return new ImageData(data, WIDTH, HEIGHT);
}

/** `image`'s pixels as raw pixels over a `SharedArrayBuffer`. */
function sharedPixels(image: ImageData): { data: Uint8Array; width: number; height: number } {
  const data = new Uint8Array(new SharedArrayBuffer(image.data.byteLength));
  data.set(image.data);
  return { data, width: image.width, height: image.height };
}

/**
 * Per-frame times in ms (the chains' per blur), and whether every way gave the same pixels.
 */
export async function imageBlur(rounds: number): Promise<{ samples: Samples; agree: boolean }> {
  const device = await (await navigator.gpu.requestAdapter())?.requestDevice();
  if (!device) throw new Error('no WebGPU device');
  const raw = await rawBlur(device);
  const runtime = await vyre.createRuntime({ persistent: false });
  const { pipeline } = await runtime.compile(vyre.wgsl({ code: BOX_BLUR }));
  // The default decides by core count (inputBands 'auto'); these two take each way in the same page.
  const whole = await vyre.createRuntime({ persistent: false, inputBands: 'never' });
  const wholePipeline = (await whole.compile(vyre.wgsl({ code: BOX_BLUR }))).pipeline;
  const banded = await vyre.createRuntime({ persistent: false, inputBands: 'always' });
  const bandedPipeline = (await banded.compile(vyre.wgsl({ code: BOX_BLUR }))).pipeline;
  // The same runtime in this thread: what the worker hop (clone in, transfer out) costs.
  const local = await vyre.createRuntime({ persistent: false, worker: false });
  const localPipeline = (await local.compile(vyre.wgsl({ code: BOX_BLUR }))).pipeline;
  const image = picture();
  // Frames an app would produce anyway (a fresh ImageData per frame from getImageData), made
  // before the clock so the transfer row times the hand-over, not the allocation.
  const fresh = Array.from({ length: rounds + 2 }, () => new ImageData(new Uint8ClampedArray(image.data), WIDTH, HEIGHT));
  // The same pixels in shared memory (cross-origin isolated pages): they cross with no copy.
  const shared = self.crossOriginIsolated ? sharedPixels(image) : null;
  const results: Record<string, string> = {};
  const remember = (name: string, out: ImageData | undefined) => {
    results[name] ??= out === undefined ? 'none' : `${out.width}x${out.height}:${out.data.slice(0, 4096).join()}`;
  };
  // The chain's input is already on the GPU, as the raw rig's is: the kept output of a first blur.
  const start = (await pipeline.dispatch({ src: image, params: PARAMS } as never, { keep: ['dst'] })) as unknown as Record<string, { destroy(): Promise<void> }>;
  const samples = await interleaved({
    'raw WebGPU, ImageData in and out (baseline)': async () => remember('raw frame', await raw.frame(image)),
    'vyre-web from the main thread, ImageData in and out': async () => remember('vyre frame', ((await pipeline.dispatch({ src: image, params: PARAMS } as never)) as unknown as Record<string, ImageData>)['dst']),
    'vyre-web from the main thread, ImageData in and out, sent whole (inputBands: never)': async () => remember('vyre frame', ((await wholePipeline.dispatch({ src: image, params: PARAMS } as never)) as unknown as Record<string, ImageData>)['dst']),
    'vyre-web from the main thread, ImageData in and out, in bands (inputBands: always)': async () => remember('vyre frame', ((await bandedPipeline.dispatch({ src: image, params: PARAMS } as never)) as unknown as Record<string, ImageData>)['dst']),
    'vyre-web from the main thread, transfer: true (a fresh ImageData per frame, moved)': async () => {
      const frame = fresh.pop() ?? new ImageData(new Uint8ClampedArray(image.data), WIDTH, HEIGHT);
      remember('vyre frame', ((await pipeline.dispatch({ src: frame, params: PARAMS } as never, { transfer: true })) as unknown as Record<string, ImageData>)['dst']);
    },
    ...(shared === null ? {} : {
      'vyre-web from the main thread, pixels in a SharedArrayBuffer': async () => remember('vyre frame', ((await pipeline.dispatch({ src: shared, params: PARAMS } as never)) as unknown as Record<string, ImageData>)['dst']),
    }),
    'vyre-web same-thread mode, ImageData in and out': async () => remember('vyre frame', ((await localPipeline.dispatch({ src: image, params: PARAMS } as never)) as unknown as Record<string, ImageData>)['dst']),
    [`raw WebGPU, ${CHAIN} blurs on the GPU, one read-back (baseline)`]: async () => void (await raw.chain()),
    [`vyre-web, ${CHAIN} blurs in one dispatchBatch (previousOutput), one read-back`]: async () => {
      const steps = Array.from({ length: CHAIN - 1 }, () => ({ src: vyre.previousOutput('dst'), params: PARAMS }));
      await pipeline.dispatchBatch([{ src: start['dst'], params: PARAMS }, ...steps] as never);
    },
    [`vyre-web, ${CHAIN} blurs over kept textures, one read-back`]: async () => {
      let current: unknown = start['dst'];
      const kept: { destroy(): Promise<void> }[] = [];
      for (let n = 0; n < CHAIN - 1; n++) {
        current = ((await pipeline.dispatch({ src: current, params: PARAMS } as never, { keep: ['dst'] })) as unknown as Record<string, { destroy(): Promise<void> }>)['dst'];
        kept.push(current as { destroy(): Promise<void> });
      }
      await pipeline.dispatch({ src: current, params: PARAMS } as never);
      await Promise.all(kept.map((texture) => texture.destroy()));
    },
  }, rounds, 2);
  await start['dst']?.destroy();
  raw.destroy();
  device.destroy();
  await Promise.all([runtime.dispose(), whole.dispose(), banded.dispose(), local.dispose()]);
  return { samples, agree: results['raw frame'] === results['vyre frame'] };
}
