/**
 * The warmup suite's floor for a worker-owned device: hand-written raw WebGPU in a dedicated
 * module worker, no vyre-web. Its first statement asks for the adapter (as vyre-web's boot
 * does); the page's one message says what to compile and dispatch (raw-worker-protocol.ts).
 * Then, as an app whose worker knows its shaders: device, the first shader, one dispatch and
 * its read-back, the other shaders. Each step is posted to the page as it is done.
 *
 * Beside the adapter it opens an IndexedDB database of its own, as vyre-web's worker must before
 * `createRuntime()` resolves; nothing waits for it. When it opened goes to the page with the
 * last message: the floor of "device and database ready" (issue #14's `createRuntime` row).
 *
 * It imports nothing at run time: its script is as small as a worker's can be.
 */
import type { RawWorkerJob, RawWorkerMessage } from './raw-worker-protocol.ts';

const now = (): number => performance.timeOrigin + performance.now();
const adapterAskedAt = now();
const pendingAdapter = navigator.gpu.requestAdapter();
const databaseOpenAt = openDatabase();
const job = new Promise<RawWorkerJob>((resolve) => {
  self.onmessage = (event: MessageEvent<RawWorkerJob>) => resolve(event.data);
});
const post = (message: RawWorkerMessage, transfer: Transferable[] = []): void => self.postMessage(message, { transfer });

run().catch((error: unknown) => post({ kind: 'failed', message: error instanceof Error ? error.message : String(error) }));

async function run(): Promise<void> {
  const adapter = await pendingAdapter;
  if (adapter === null) throw new Error('no WebGPU adapter in the worker');
  const adapterAt = now();
  const device = await adapter.requestDevice();
  const info = adapter.info;
  post({ kind: 'device', createdAt: performance.timeOrigin, adapterAskedAt, adapterAt, deviceAt: now(), adapter: [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' / ') });
  const { shaders, first } = await job;
  const compileMs: number[] = [];
  for (const [index, shader] of shaders.entries()) {
    const started = performance.now();
    const module = device.createShaderModule({ label: shader.name, code: shader.code });
    const pipeline = await device.createComputePipelineAsync({ label: shader.name, layout: 'auto', compute: { module, entryPoint: shader.entryPoint } });
    compileMs.push(performance.now() - started);
    if (index === 0) {
      const output = await dispatchOnce(device, pipeline, first);
      post({ kind: 'first-result', compileMs: compileMs[0] ?? Number.NaN, output }, [output]);
    }
  }
  post({ kind: 'all-compiled', compileMs, databaseAt: await databaseOpenAt });
  device.destroy();
}

/** One dispatch with the job's buffers at bindings 0…, and the read-back of one of them. */
async function dispatchOnce(device: GPUDevice, pipeline: GPUComputePipeline, first: RawWorkerJob['first']): Promise<ArrayBuffer> {
  const buffers = first.buffers.map(({ data, uniform }, binding) => {
    const usage = uniform ? GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST : GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;
    const buffer = device.createBuffer({ label: `binding ${binding}`, size: typeof data === 'number' ? data : data.byteLength, usage });
    if (typeof data !== 'number') device.queue.writeBuffer(buffer, 0, data);
    return buffer;
  });
  const source = buffers[first.readBack];
  if (source === undefined) throw new Error(`the job reads back buffer ${first.readBack}, which it does not have`);
  const readback = device.createBuffer({ label: 'read-back', size: source.size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const bindGroup = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })) });
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(first.workgroups);
  pass.end();
  encoder.copyBufferToBuffer(source, 0, readback, 0, source.size);
  device.queue.submit([encoder.finish()]);
  await readback.mapAsync(GPUMapMode.READ);
  const output = readback.getMappedRange().slice(0);
  readback.unmap();
  for (const buffer of [...buffers, readback]) buffer.destroy();
  return output;
}

/** Opens (creating on a fresh profile) the floor's own database; resolves with when it opened, NaN if it failed. */
function openDatabase(): Promise<number> {
  return new Promise((resolve) => {
    const request = indexedDB.open('raw-worker-floor', 1);
    request.onupgradeneeded = () => request.result.createObjectStore('artifacts');
    request.onsuccess = () => {
      request.result.close();
      resolve(now());
    };
    request.onerror = () => resolve(Number.NaN);
    request.onblocked = () => resolve(Number.NaN);
  });
}
