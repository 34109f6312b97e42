/**
 * The main-thread path on a real GPU: vyre-web's worker API in a Node worker thread
 * (bench/gpu/engine-thread.ts), called through Comlink from the main thread. Beside it,
 * in turns: the raw Dawn round trip timed inside that thread (what a hand-written app
 * pays with the device on its own thread), a bare postMessage round trip to another
 * worker thread carrying the same bytes, and a Comlink call with the same bytes into the
 * engine's thread that does no GPU work (the floor of any design through Comlink). Worker threads stand in for Web Workers (the
 * same Comlink protocol and structured clone) on a fast host with a real GPU, where this
 * VM has SwiftShader and a slow postMessage. Built into .gpu/thread-bench.mjs; run:
 * bash .gpu/run.sh .gpu/thread-bench.mjs
 */
import { Worker } from 'node:worker_threads';
import { wrap, type Remote } from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { installErrorTransfer } from '../../src/protocol/error-transfer.ts';
import type { ResidentBufferRef } from '../../src/protocol/resident.ts';
import type { WorkerApi } from '../../src/protocol/worker-api.ts';
import { scaleInPlace, smallInputs } from '../browser/dispatch-bench.ts';
import { summarize } from '../summary.ts';
import { turnOrders } from '../turns.ts';

interface RawInThread {
  init(elements: number, upload: Float32Array<ArrayBuffer>): Promise<void>;
  roundTrip(x: Float32Array<ArrayBuffer>, y: Float32Array<ArrayBuffer>): Promise<number>;
  chain(passes: number): Promise<number>;
}

installErrorTransfer();
const thread = new Worker(new URL('./engine-thread.mjs', import.meta.url));
const remote = wrap<{ api: WorkerApi; raw: RawInThread; echo(inputs: { x: Float32Array; y: Float32Array }): { y: Float32Array } }>(nodeEndpoint(thread));
// Comlink types nested members as promises; they are proxies that forward calls.
const api = remote.api as unknown as Remote<WorkerApi>;
const raw = remote.raw as unknown as Remote<RawInThread>;
await api.init({ persistent: false, prewarmOnStart: false, calledAt: performance.timeOrigin + performance.now(), runtimeId: 'thread-bench' });
const { pipelineId } = await api.compile(scaleInPlace);
const { x, y } = smallInputs();
await raw.init(x.length, x);
const echo = new Worker(
  "const { parentPort } = require('node:worker_threads'); parentPort.on('message', () => parentPort.postMessage({ y: new Float32Array(1024) }));",
  { eval: true },
);
const echoRoundTrip = (message: unknown): Promise<void> => new Promise((resolve) => {
  echo.once('message', () => resolve());
  echo.postMessage(message);
});

type Samples = Record<string, number[]>;
const push = (samples: Samples, name: string, value: number): void => void (samples[name] ??= []).push(value);

/** Runs the four ways in turns, `block` calls each, in a shuffled order (bench/turns.ts). */
async function smallDispatch(rounds: number, warmup: number, block: number): Promise<Samples> {
  const samples: Samples = {};
  const ways: (() => Promise<void>)[] = [
    async () => push(samples, 'raw Dawn, timed inside its thread', await raw.roundTrip(x, y)),
    async () => {
      const started = performance.now();
      await api.dispatch(pipelineId, [{ x, y }]);
      push(samples, 'vyre-web from the main thread (worker thread, Comlink)', performance.now() - started);
    },
    async () => {
      const started = performance.now();
      await echoRoundTrip({ x, y });
      push(samples, 'postMessage round trip to a worker thread, same bytes, no GPU', performance.now() - started);
    },
    async () => {
      const started = performance.now();
      if ((await remote.echo({ x, y })).y.length !== 1024) throw new Error('echo: wrong reply');
      push(samples, 'Comlink call into the engine thread, same bytes, no GPU', performance.now() - started);
    },
  ];
  const order = turnOrders(ways.length);
  for (let round = 0; round < rounds + warmup; round++) {
    if (round === warmup) for (const key of Object.keys(samples)) delete samples[key];
    for (const index of order(round)) for (let call = 0; call < block; call++) await ways[index]?.();
  }
  return samples;
}

const report = (title: string, samples: Samples, unit: (ms: number) => string): Record<string, number> => {
  console.log(`\n${title}\n| way | n | median | p95 |\n|---|---:|---:|---:|`);
  const medians: Record<string, number> = {};
  for (const [name, values] of Object.entries(samples)) {
    const s = summarize(values);
    medians[name] = s.median;
    console.log(`| ${name} | ${s.n} | ${unit(s.median)} | ${unit(s.p95)} |`);
  }
  return medians;
};
const micro = (ms: number): string => `${(ms * 1000).toFixed(1)} µs`;
for (const [block, rounds, warmup] of [[1, 1000, 50], [50, 20, 1]] as const) {
  const m = report(`One dispatch, 4 KiB in + read back, block ${block}`, await smallDispatch(rounds, warmup, block), micro);
  const extra = (m['vyre-web from the main thread (worker thread, Comlink)'] ?? Number.NaN) - (m['raw Dawn, timed inside its thread'] ?? Number.NaN);
  console.log(`from the main thread − raw: +${micro(extra)} (issue #5 goal: ≤ +150 µs)`);
}

const CHAIN = 1000;
const xs = await api.createBuffer(x);
const ys = await api.createBuffer({ type: 'f32', length: x.length });
const tiny = await api.createBuffer({ type: 'f32', length: 1 });
const chain: { x: ResidentBufferRef; y: ResidentBufferRef }[] = Array.from({ length: CHAIN }, () => ({ x: xs, y: ys }));
const chained: Samples = {};
for (let round = 0; round < 22; round++) {
  const rawMs = await raw.chain(CHAIN);
  const started = performance.now();
  await api.dispatch(pipelineId, chain, { keep: ['y'] });
  await api.readBuffer(tiny);
  const vyreMs = performance.now() - started;
  if (round < 2) continue;
  push(chained, 'raw Dawn, one encoder, timed inside its thread [dispatches/s]', CHAIN / (rawMs / 1000));
  push(chained, 'vyre-web dispatchBatch from the main thread [dispatches/s]', CHAIN / (vyreMs / 1000));
}
const c = report('1,000 chained dispatches over resident buffers', chained, (v) => `${Math.round(v)} /s`);
console.log(`chain throughput, vyre-web from the main thread / raw in its thread: ${((c['vyre-web dispatchBatch from the main thread [dispatches/s]'] ?? Number.NaN) / (c['raw Dawn, one encoder, timed inside its thread [dispatches/s]'] ?? Number.NaN)).toFixed(2)}×`);
await api.dispose();
await thread.terminate();
await echo.terminate();
