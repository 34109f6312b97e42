/**
 * Where the small dispatch's time goes on a real GPU (Node + Dawn): raw Dawn, the engine,
 * the dispatcher alone on a pre-planned dispatch, and both on a device configured like the
 * engine's, in shuffled turns (bench/turns.ts); run with `node --cpu-prof` to
 * see the JavaScript cost by function. Built into .gpu/dispatch-profile.mjs.
 */
import { compilePipeline } from '../../src/gpu/compile-pipeline.ts';
import { acquireDevice } from '../../src/gpu/device.ts';
import { Dispatcher } from '../../src/gpu/dispatcher.ts';
import { createGpuStats } from '../../src/gpu/gpu-stats.ts';
import { ResidentRegistry } from '../../src/gpu/resident-registry.ts';
import { lowerProgram } from '../../src/lower/lower-program.ts';
import { planDispatch } from '../../src/dispatch/dispatch-plan.ts';
import { interleaved, rawRig, scaleInPlace, smallInputs } from '../browser/dispatch-bench.ts';
import { summarize } from '../summary.ts';
import { createNodeEngine } from './node-engine.ts';

const rounds = Number(process.argv[2] ?? 2000);
const { gpu, engine } = await createNodeEngine('profile');
const { pipelineId } = await engine.compile(scaleInPlace);
const { x, y } = smallInputs();

const rawDevice = await (await gpu.requestAdapter())?.requestDevice();
const dispatcherDevice = await (await gpu.requestAdapter())?.requestDevice();
if (!rawDevice || !dispatcherDevice) throw new Error('no device');
const raw = await rawRig(rawDevice, x.length);
const artifact = lowerProgram(scaleInPlace, scaleInPlace.workgroupSize);
const target = { pipelineId: 'p', gpu: await compilePipeline(dispatcherDevice, artifact, 'profile'), label: 'profile' };
const dispatcher = new Dispatcher(dispatcherDevice, new ResidentRegistry('profile', dispatcherDevice, createGpuStats()), createGpuStats());
const plan = planDispatch(artifact, { x, y }, undefined, dispatcherDevice.limits);
// A device configured as the engine's (the adapter's full limits, optional features), to
// tell the device's configuration apart from the engine's own work.
const engineLike = (await acquireDevice(gpu)).device;
const engineLikeTarget = { pipelineId: 'p', gpu: await compilePipeline(engineLike, artifact, 'profile'), label: 'profile' };
const engineLikeDispatcher = new Dispatcher(engineLike, new ResidentRegistry('profile', engineLike, createGpuStats()), createGpuStats());
const engineLikeRaw = await rawRig(engineLike, x.length);
console.log(`engine-like device features: ${[...engineLike.features].join(' ')}`);

const ways: Record<string, () => Promise<unknown>> = {
  'raw Dawn': () => raw.roundTrip(x, y),
  'engine.dispatch (plan + dispatcher)': () => engine.dispatch(pipelineId, [{ x, y }]),
  'dispatcher.run, plan made once': () => dispatcher.run(target, [plan]),
  'dispatcher.run, plan made once, engine-like device': () => engineLikeDispatcher.run(engineLikeTarget, [plan]),
  'raw Dawn, engine-like device': () => engineLikeRaw.roundTrip(x, y),
};
// CPU time per call (this process: JavaScript, Dawn's client side and the driver's
// submission work), 1,000 calls of each way in a row, three times.
{
  const cpu: Record<string, number[]> = {};
  for (let pass = 0; pass < 3; pass++) {
    for (const [name, way] of Object.entries(ways)) {
      const before = process.cpuUsage();
      for (let n = 0; n < 1000; n++) await way();
      const used = process.cpuUsage(before);
      (cpu[name] ??= []).push((used.user + used.system) / 1000 / 1000);
    }
  }
  report('CPU time of this process per call (1,000 calls in a row, 3 passes)', cpu);
}

// The JavaScript (and Dawn call) cost of each way: the synchronous part of a call, from
// the call to its first real wait (the map request), without the GPU's latency.
{
  const sync: Record<string, number[]> = {};
  for (let round = 0; round < rounds; round++) {
    for (const [name, way] of Object.entries(ways)) {
      const started = performance.now();
      const pending = way();
      const elapsed = performance.now() - started;
      await pending;
      if (round >= 50) (sync[name] ??= []).push(elapsed);
    }
  }
  const planStarted = performance.now();
  for (let n = 0; n < 100_000; n++) planDispatch(artifact, { x, y }, undefined, dispatcherDevice.limits);
  console.log(`planDispatch alone: ${(((performance.now() - planStarted) / 100_000) * 1000).toFixed(2)} µs per call`);
  report('synchronous part of a call', sync);
}

// Each call after another way's (block 1), then 50 calls of one way in a row (block 50):
// Dawn serves back-to-back calls on one device faster, so the two tell different stories.
for (const block of [1, 50]) {
  report(`block ${block}`, await interleaved(ways, block === 1 ? rounds : Math.ceil(rounds / block), block === 1 ? 50 : 1, block));
}

function report(title: string, samples: Record<string, number[]>): void {
  console.log(`\n${title}\n| way | n | median µs | p10 µs | p95 µs |\n|---|---:|---:|---:|---:|`);
  for (const [name, values] of Object.entries(samples)) {
    const s = summarize(values);
    const sorted = [...values].sort((a, b) => a - b);
    const p10 = sorted[Math.floor(sorted.length * 0.1)] ?? Number.NaN;
    console.log(`| ${name} | ${s.n} | ${(s.median * 1000).toFixed(1)} | ${(p10 * 1000).toFixed(1)} | ${(s.p95 * 1000).toFixed(1)} |`);
  }
}

raw.destroy();
engineLikeRaw.destroy();
engineLike.destroy();
engine.dispose();
rawDevice.destroy();
dispatcherDevice.destroy();
