/**
 * Dispatch costs, each beside a hand-written raw WebGPU baseline doing the same work in
 * the same thread and run, measured in turns (see {@link interleaved}):
 * - latency of one small dispatch (4 KiB in, 4 KiB read back): inside the worker, in
 *   same-thread mode, and from the main thread through Comlink;
 * - throughput of 1,000 chained dispatches over resident buffers;
 * - bandwidth of an element-wise kernel over 64 MiB (read 64 MiB, write 64 MiB).
 */
import { wrap } from 'comlink';
import * as vyre from '../../test/support/vyre-all.ts';
import { lowerProgram } from '../../src/lower/lower-program.ts';
import { mapForReading, type MapWait } from '../../src/gpu/map-read.ts';
import { turnOrders } from '../turns.ts';

export type Samples = Record<string, number[]>;
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
    async roundTrip(input: Float32Array<ArrayBuffer>, yInput: Float32Array<ArrayBuffer>, wait: MapWait = 'plain'): Promise<Float32Array> {
      device.queue.writeBuffer(x, 0, input);
      device.queue.writeBuffer(y, 0, yInput);
      const encoder = device.createCommandEncoder();
      encodePass(encoder);
      encoder.copyBufferToBuffer(y, 0, staging, 0, bytes);
      device.queue.submit([encoder.finish()]);
      const [mapped] = await mapForReading(device, [[staging]], wait);
      if (mapped?.status === 'rejected') throw mapped.reason;
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

/** The small dispatch's inputs: 4 KiB each. */
export function smallInputs(): { x: Float32Array<ArrayBuffer>; y: Float32Array<ArrayBuffer> } {
  return { x: Float32Array.from({ length: 1024 }, (_, i) => i / 8), y: new Float32Array(1024) };
}

/**
 * Runs each named way in turns, in an order shuffled every round (see {@link turnOrders}) so
 * that each way follows each other way about equally often, and records milliseconds per
 * call after `warmup` rounds. A turn is `block` calls in a row: 1 measures calls that each
 * follow another way's; larger blocks measure back-to-back calls of one way (which a GPU
 * stack may serve faster).
 */
export async function interleaved(ways: Record<string, () => Promise<unknown>>, rounds: number, warmup = 20, block = 1): Promise<Samples> {
  const samples: Samples = {};
  const names = Object.keys(ways);
  const order = turnOrders(names.length);
  for (let round = 0; round < rounds + warmup; round++) {
    for (const index of order(round)) {
      const name = names[index] as string;
      for (let call = 0; call < block; call++) {
        const started = performance.now();
        await ways[name]?.();
        if (round >= warmup) push(samples, name, performance.now() - started);
      }
    }
  }
  return samples;
}

/**
 * One small dispatch with readback (4 KiB in, 4 KiB back), `repetitions` times:
 * on the main thread (raw, the library's worker through Comlink, same-thread mode, a bare
 * postMessage round trip with the same bytes: the floor of any worker design, and a
 * Comlink call with the same bytes: the floor of any design through Comlink), then
 * inside a worker (raw beside the engine in same-thread mode, which is the code the
 * library's worker runs, minus the Comlink hop).
 */
export async function smallDispatch(repetitions: number): Promise<Samples> {
  const { x, y } = smallInputs();
  const device = await (await navigator.gpu.requestAdapter())?.requestDevice();
  if (!device) throw new Error('no WebGPU device');
  const raw = await rawRig(device, x.length);
  const worker = await vyre.createRuntime({ persistent: false });
  const local = await vyre.createRuntime({ persistent: false, worker: false });
  const inWorker = (await worker.compile(scaleInPlace)).pipeline;
  const sameThread = (await local.compile(scaleInPlace)).pipeline;
  const echo = echoWorker();
  const comlinkWorker = new Worker(new URL('./comlink-echo-worker.ts', import.meta.url), { type: 'module' });
  const comlinkEcho = { worker: comlinkWorker, remote: wrap<{ echo(inputs: { x: Float32Array; y: Float32Array }): { y: Float32Array } }>(comlinkWorker) };
  const samples = await interleaved({
    'raw WebGPU on the main thread (baseline)': () => raw.roundTrip(x, y),
    // What a careful hand-written read-back does in Firefox (src/gpu/map-read.ts); the same as the baseline elsewhere.
    'raw WebGPU, map nudged with empty submits': () => raw.roundTrip(x, y, 'nudge'),
    'vyre-web from the main thread (its worker, through Comlink)': () => inWorker.dispatch({ x, y }),
    'vyre-web same-thread mode on the main thread': () => sameThread.dispatch({ x, y }),
    'postMessage round trip to a worker, same bytes, no GPU (floor of any worker design)': () => echo.roundTrip({ x, y }),
    'Comlink call to a worker, same bytes, no GPU (floor of any design through Comlink)': async () => {
      if ((await comlinkEcho.remote.echo({ x, y })).y.length !== 1024) throw new Error('comlink echo: wrong reply');
    },
  }, repetitions);
  echo.terminate();
  comlinkEcho.worker.terminate();
  raw.destroy();
  device.destroy();
  await worker.dispose();
  await local.dispose();
  return { ...samples, ...(await inBenchWorker<Samples>({ suite: 'small', repetitions })) };
}

/**
 * A worker that sends back a 4 KiB array for every message: postMessage cost alone. Both
 * ends read what they receive: Chrome deserializes a message only when its data is first
 * read, and any real worker design reads its inputs and its caller reads the reply.
 */
function echoWorker(): { roundTrip(message: unknown): Promise<void>; terminate(): void } {
  const source = 'const reply = new Float32Array(1024); onmessage = (event) => { if (event.data.x.length > 0) postMessage({ y: reply }); };';
  const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
  return {
    roundTrip: (message) => new Promise((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<{ y: Float32Array }>) => (event.data.y.length === 1024 ? resolve() : reject(new Error('echo: wrong reply')));
      worker.postMessage(message);
    }),
    terminate: () => worker.terminate(),
  };
}

/** Runs a suite of bench/browser/bench-worker.ts in a fresh worker and returns its result. */
export function inBenchWorker<T>(request: { suite: 'small' | 'chain'; repetitions: number }): Promise<T> {
  const worker = new Worker(new URL('./bench-worker.ts', import.meta.url), { type: 'module' });
  return new Promise<T>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<{ result?: T; error?: string }>) => {
      worker.terminate();
      if (event.data.result !== undefined) resolve(event.data.result);
      else reject(new Error(event.data.error ?? 'bench worker failed'));
    };
    worker.onerror = (event) => reject(new Error(event.message));
    worker.postMessage(request);
  });
}

/** Milliseconds per run of `chain` dispatches → dispatches per second, under a "[dispatches/s]" name. */
export function asRates(samples: Samples, chain: number): Samples {
  return Object.fromEntries(Object.entries(samples).map(([name, values]) => [`${name} [dispatches/s]`, values.map((ms) => chain / (ms / 1000))]));
}

/**
 * The chained-dispatch ways of one thread: raw WebGPU (one encoder, one pass per dispatch,
 * one submit, then a tiny readback to wait for the queue) and vyre-web's dispatchBatch
 * over resident buffers followed by a read of the same tiny kind.
 */
export async function chainWays(device: GPUDevice, runtime: vyre.Runtime, where: { raw: string; vyre: string }, chain: number): Promise<{ ways: Record<string, () => Promise<unknown>>; release(): Promise<void> }> {
  const elements = 1024;
  const x0 = Float32Array.from({ length: elements }, () => 0.5);
  const raw = await rawRig(device, elements);
  raw.upload(x0);
  const { pipeline } = await runtime.compile(scaleInPlace);
  const x = await runtime.createBuffer(x0);
  const y = await runtime.createBuffer({ type: 'f32', length: elements });
  const marker = await runtime.createBuffer({ type: 'f32', length: 1 });
  const batch = Array.from({ length: chain }, () => ({ x, y }));
  return {
    ways: {
      [`raw WebGPU ${where.raw}, one encoder (baseline)`]: async () => {
        raw.submitOnly(chain);
        await raw.drain();
      },
      [`vyre-web dispatchBatch ${where.vyre}`]: async () => {
        await pipeline.dispatchBatch(batch, { keep: ['y'] });
        await runtime.read(marker);
      },
    },
    async release() {
      raw.destroy();
      await runtime.dispose();
    },
  };
}

/** 1,000 chained dispatches over resident buffers, then one tiny readback; `repetitions` times. */
export async function chainedResident(repetitions: number, chain = 1000): Promise<Samples> {
  const device = await (await navigator.gpu.requestAdapter())?.requestDevice();
  if (!device) throw new Error('no WebGPU device');
  const { ways, release } = await chainWays(device, await vyre.createRuntime({ persistent: false }), { raw: 'on the main thread', vyre: 'from the main thread (its worker)' }, chain);
  const awaited = await vyre.createRuntime({ persistent: false });
  const { pipeline } = await awaited.compile(scaleInPlace);
  const x = await awaited.createBuffer(Float32Array.from({ length: 1024 }, () => 0.5));
  const y = await awaited.createBuffer({ type: 'f32', length: 1024 });
  const samples = await interleaved({
    ...ways,
    'vyre-web, each dispatch awaited from the main thread (a round trip each)': async () => {
      for (let n = 0; n < chain; n++) await pipeline.dispatch({ x, y }, { keep: ['y'] });
    },
  }, repetitions, 1);
  await release();
  await awaited.dispose();
  device.destroy();
  return { ...asRates(samples, chain), ...asRates(await inBenchWorker<Samples>({ suite: 'chain', repetitions }), chain) };
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
