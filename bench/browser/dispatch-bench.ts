/**
 * Dispatch costs, each beside a hand-written raw WebGPU baseline doing the same work in
 * the same page and run:
 * - latency of one small dispatch (4 KiB in, 4 KiB read back): inside the worker, in
 *   same-thread mode, and from the main thread through Comlink;
 * - throughput of 1,000 chained dispatches over resident buffers;
 * - bandwidth of an element-wise kernel over 64 MiB (read 64 MiB, write 64 MiB).
 */
import * as vyre from '../../src/index.ts';
import { lowerProgram } from '../../src/lower/lower-program.ts';

type Samples = Record<string, number[]>;
const push = (samples: Samples, key: string, value: number): void => void (samples[key] ??= []).push(value);

/** y = 2·x + y over f32, both buffers bound in place: the chained and bandwidth kernel. */
export const scaleInPlace = vyre.program({ name: 'scale-in-place', workgroupSize: 256 }, (b) => {
  const x = b.buffer('x', 'f32', 'read');
  const y = b.buffer('y', 'f32', 'read-write');
  const i = b.let('i', b.linearIndex());
  b.if(i.lt(y.length()), () => y.store(i, x.load(i).mul(2).add(y.load(i))));
});

/** A raw WebGPU rig for the same kernel: buffers, bind group and pipeline created once. */
export async function rawRig(device: GPUDevice, elements: number) {
  const artifact = lowerProgram(scaleInPlace, scaleInPlace.workgroupSize);
  const module = device.createShaderModule({ code: artifact.code });
  const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: artifact.entryPoint } });
  const bytes = elements * 4;
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;
  const x = device.createBuffer({ size: bytes, usage });
  const y = device.createBuffer({ size: bytes, usage });
  const staging = device.createBuffer({ size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const bindGroup = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: x } }, { binding: 1, resource: { buffer: y } }] });
  const workgroups = Math.ceil(elements / 256);
  // Fold past 65,535 workgroups the way a careful hand-written kernel would: even rows.
  const rows = Math.ceil(workgroups / 65535);
  const columns = Math.ceil(workgroups / rows);
  const encodePass = (encoder: GPUCommandEncoder): void => {
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(columns, rows, 1);
    pass.end();
  };
  return {
    /** Upload, dispatch, read back: what one vyre-web dispatch with arrays does. */
    async roundTrip(input: Float32Array<ArrayBuffer>, yInput: Float32Array<ArrayBuffer>): Promise<Float32Array> {
      device.queue.writeBuffer(x, 0, input);
      device.queue.writeBuffer(y, 0, yInput);
      const encoder = device.createCommandEncoder();
      encodePass(encoder);
      encoder.copyBufferToBuffer(y, 0, staging, 0, bytes);
      device.queue.submit([encoder.finish()]);
      await staging.mapAsync(GPUMapMode.READ);
      const out = new Float32Array(staging.getMappedRange().slice(0));
      staging.unmap();
      return out;
    },
    /** `passes` dispatches recorded into one encoder, one submit, no readback. */
    submitOnly(passes = 1): void {
      const encoder = device.createCommandEncoder();
      for (let n = 0; n < passes; n++) encodePass(encoder);
      device.queue.submit([encoder.finish()]);
    },
    /** Waits for the queue the way vyre-web does: map a small staging copy submitted after the work. */
    async drain(): Promise<void> {
      const encoder = device.createCommandEncoder();
      encoder.copyBufferToBuffer(y, 0, staging, 0, 4);
      device.queue.submit([encoder.finish()]);
      await staging.mapAsync(GPUMapMode.READ, 0, 4);
      staging.unmap();
    },
    upload(input: Float32Array<ArrayBuffer>): void {
      device.queue.writeBuffer(x, 0, input);
      device.queue.writeBuffer(y, 0, input);
    },
    destroy(): void {
      x.destroy();
      y.destroy();
      staging.destroy();
    },
  };
}

/** One small dispatch with readback, `repetitions` times, four ways. */
export async function smallDispatch(repetitions: number): Promise<Samples> {
  const samples: Samples = {};
  const elements = 1024; // 4 KiB
  const x = Float32Array.from({ length: elements }, (_, i) => i / 8);
  const y = new Float32Array(elements);
  const device = await (await navigator.gpu.requestAdapter())?.requestDevice();
  if (!device) throw new Error('no WebGPU device');
  const raw = await rawRig(device, elements);
  const worker = await vyre.createRuntime({ persistent: false });
  const local = await vyre.createRuntime({ persistent: false, worker: false });
  const inWorker = (await worker.compile(scaleInPlace)).pipeline;
  const sameThread = (await local.compile(scaleInPlace)).pipeline;
  for (let r = 0; r < repetitions + 20; r++) {
    const warm = r < 20;
    let t = performance.now();
    await raw.roundTrip(x, y);
    if (!warm) push(samples, 'raw WebGPU (baseline)', performance.now() - t);
    t = performance.now();
    const timed = await inWorker.dispatch({ x, y }, { timing: true });
    if (!warm) push(samples, 'vyre-web from the main thread (Comlink)', performance.now() - t);
    if (!warm) push(samples, 'vyre-web inside the worker', timed.timing.wallMs);
    t = performance.now();
    await sameThread.dispatch({ x, y });
    if (!warm) push(samples, 'vyre-web same-thread mode', performance.now() - t);
  }
  raw.destroy();
  device.destroy();
  await worker.dispose();
  await local.dispose();
  samples['raw WebGPU inside a worker (baseline for the in-worker figure)'] = await rawInWorker(repetitions);
  return samples;
}

function rawInWorker(repetitions: number): Promise<number[]> {
  const worker = new Worker(new URL('./raw-dispatch-worker.ts', import.meta.url), { type: 'module' });
  return new Promise((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<{ samples?: number[]; error?: string }>) => {
      worker.terminate();
      if (event.data.samples) resolve(event.data.samples);
      else reject(new Error(event.data.error ?? 'raw worker failed'));
    };
    worker.onerror = (event) => reject(new Error(event.message));
    worker.postMessage({ repetitions });
  });
}

/** 1,000 chained dispatches over resident buffers, then one readback; `repetitions` times. */
export async function chainedResident(repetitions: number, chain = 1000): Promise<Samples> {
  const samples: Samples = {};
  const elements = 1024;
  const x0 = Float32Array.from({ length: elements }, () => 0.5);
  const device = await (await navigator.gpu.requestAdapter())?.requestDevice();
  if (!device) throw new Error('no WebGPU device');
  const raw = await rawRig(device, elements);
  const runtime = await vyre.createRuntime({ persistent: false });
  const { pipeline } = await runtime.compile(scaleInPlace);
  const x = await runtime.createBuffer(x0);
  const y = await runtime.createBuffer({ type: 'f32', length: elements });
  const batch = Array.from({ length: chain }, () => ({ x, y }));
  for (let r = 0; r < repetitions + 1; r++) {
    let t = performance.now();
    raw.upload(x0);
    raw.submitOnly(chain);
    await raw.drain();
    if (r > 0) push(samples, 'raw WebGPU, one encoder (baseline) [dispatches/s]', chain / ((performance.now() - t) / 1000));
    t = performance.now();
    await pipeline.dispatchBatch(batch, { keep: ['y'] });
    await runtime.read(y);
    if (r > 0) push(samples, 'vyre-web dispatchBatch over resident buffers [dispatches/s]', chain / ((performance.now() - t) / 1000));
    t = performance.now();
    for (let n = 0; n < chain; n++) await pipeline.dispatch({ x, y }, { keep: ['y'] });
    await runtime.read(y);
    if (r > 0) push(samples, 'vyre-web, each dispatch awaited (a round trip each) [dispatches/s]', chain / ((performance.now() - t) / 1000));
  }
  raw.destroy();
  device.destroy();
  await runtime.dispose();
  return samples;
}

/** GB/s of the element-wise kernel over 64 MiB (128 MiB moved per dispatch). */
export async function bandwidth(repetitions: number, mebibytes = 64): Promise<Samples> {
  const samples: Samples = {};
  const elements = (mebibytes * 1024 * 1024) / 4;
  const bytesMoved = elements * 4 * 3; // read x, read y, write y
  const data = new Float32Array(elements).fill(1);
  const device = await (await navigator.gpu.requestAdapter())?.requestDevice({ requiredLimits: { maxStorageBufferBindingSize: elements * 4, maxBufferSize: elements * 4 } });
  if (!device) throw new Error('no WebGPU device');
  const raw = await rawRig(device, elements);
  raw.upload(data);
  const runtime = await vyre.createRuntime({ persistent: false });
  const { pipeline } = await runtime.compile(scaleInPlace);
  const x = await runtime.createBuffer(data);
  const y = await runtime.createBuffer(data);
  const marker = await runtime.createBuffer({ type: 'f32', length: 1 });
  for (let r = 0; r < repetitions + 1; r++) {
    let t = performance.now();
    raw.submitOnly();
    await raw.drain();
    if (r > 0) push(samples, 'raw WebGPU (baseline) [GB/s]', bytesMoved / ((performance.now() - t) / 1000) / 1e9);
    t = performance.now();
    await pipeline.dispatch({ x, y }, { keep: ['y'] });
    // A tiny readback after the dispatch: it completes only once the queue has run the dispatch.
    await runtime.read(marker);
    if (r > 0) push(samples, 'vyre-web, resident buffers [GB/s]', bytesMoved / ((performance.now() - t) / 1000) / 1e9);
  }
  raw.destroy();
  device.destroy();
  await runtime.dispose();
  return samples;
}
