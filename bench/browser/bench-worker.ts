/**
 * The dispatch benchmarks inside a worker: raw WebGPU beside vyre-web's engine in
 * same-thread mode, in the same worker and in turns. Same-thread mode in a worker runs
 * the code the library's own worker runs for a call, without the Comlink hop, so this is
 * the engine's in-worker cost against raw WebGPU with the same thread kind and device path.
 */
import * as vyre from '../../test/support/vyre-all.ts';
import { chainWays, interleaved, rawRig, scaleInPlace, smallInputs } from './dispatch-bench.ts';

type Request = { suite: 'small' | 'chain'; repetitions: number };

async function small(repetitions: number): Promise<Record<string, number[]>> {
  const device = await (await navigator.gpu.requestAdapter())?.requestDevice();
  if (!device) throw new Error('no WebGPU device in the worker');
  const { x, y } = smallInputs();
  const raw = await rawRig(device, x.length);
  const runtime = await vyre.createRuntime({ persistent: false, worker: false });
  const { pipeline } = await runtime.compile(scaleInPlace);
  const samples = await interleaved({
    'raw WebGPU inside a worker (baseline)': () => raw.roundTrip(x, y),
    'vyre-web engine inside a worker': () => pipeline.dispatch({ x, y }),
  }, repetitions);
  raw.destroy();
  device.destroy();
  await runtime.dispose();
  return samples;
}

async function chain(repetitions: number, length = 1000): Promise<Record<string, number[]>> {
  const device = await (await navigator.gpu.requestAdapter())?.requestDevice();
  if (!device) throw new Error('no WebGPU device in the worker');
  const { ways, release } = await chainWays(device, await vyre.createRuntime({ persistent: false, worker: false }), { raw: 'inside a worker', vyre: 'inside a worker (engine, same-thread mode)' }, length);
  const samples = await interleaved(ways, repetitions, 1);
  await release();
  device.destroy();
  return samples;
}

self.onmessage = async (event: MessageEvent<Request>) => {
  try {
    const { suite, repetitions } = event.data;
    self.postMessage({ result: suite === 'small' ? await small(repetitions) : await chain(repetitions) });
  } catch (error) {
    self.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
};
