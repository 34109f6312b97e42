/**
 * vyre-web's worker API in a Node worker thread, exposed through Comlink as `api`: the
 * stand-in for the library's Web Worker in bench/gpu/thread-bench.ts. Beside it, `raw`:
 * the hand-written raw Dawn baseline, run and timed inside this thread (Dawn cannot be
 * loaded on two threads of one process here, so the baseline lives where the engine
 * does), and `echo`: a Comlink call with the same bytes and no GPU work. Built into
 * .gpu/engine-thread.mjs.
 */
import { parentPort } from 'node:worker_threads';
import { expose, transfer } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { create, globals } from 'webgpu';
import { installErrorTransfer } from '../../src/protocol/error-transfer.ts';
import { createWorkerApi } from '../../src/worker/api.ts';
import { rawRig } from '../browser/dispatch-bench.ts';

if (parentPort === null) throw new Error('engine-thread runs as a worker thread');
Object.assign(globalThis, globals);
installErrorTransfer();
const gpu = create([]) as unknown as GPU;
const navigator = { gpu, userAgent: `Node.js/${process.version}` } as unknown as WorkerNavigator;
let rig: Awaited<ReturnType<typeof rawRig>> | undefined;

const raw = {
  async init(elements: number, upload: Float32Array<ArrayBuffer>): Promise<void> {
    const device = await (await gpu.requestAdapter())?.requestDevice();
    if (!device) throw new Error('no device in the engine thread');
    rig = await rawRig(device, elements);
    rig.upload(upload);
  },
  /** One raw round trip; returns its duration in this thread, ms. */
  async roundTrip(x: Float32Array<ArrayBuffer>, y: Float32Array<ArrayBuffer>): Promise<number> {
    const started = performance.now();
    await rig?.roundTrip(x, y);
    return performance.now() - started;
  },
  /** `passes` dispatches in one encoder, then a tiny read; returns its duration in this thread, ms. */
  async chain(passes: number): Promise<number> {
    const started = performance.now();
    rig?.submitOnly(passes);
    await rig?.drain();
    return performance.now() - started;
  },
};

/** The Comlink floor: the same bytes in, a transferred 4 KiB array back, no GPU work. */
const echo = (inputs: { x: Float32Array }): { y: Float32Array } => {
  if (inputs.x.length === 0) throw new Error('echo: empty input');
  const y = new Float32Array(1024);
  return transfer({ y }, [y.buffer]);
};

expose({ api: createWorkerApi({ navigator }), raw, echo }, nodeEndpoint(parentPort));
