/**
 * The WGSL suite inside a worker, where vyre-web's engine runs:
 * - `reflection`: one block of {@link measureReflection} (the page asks for blocks in
 *   turn with its own, so both threads are measured through the same stretches);
 * - `uniform-dispatch`: {@link AFFINE_WGSL} with its params as a plain object, through the
 *   engine in same-thread mode (`createRuntime({ worker: false })`, the code the library's
 *   worker runs for a call, without the Comlink hop), beside the hand-written raw WebGPU
 *   of `wgsl-raw-rig.ts` on its own device in this worker, in shuffled turns. Every call's
 *   output is kept and compared afterwards: the two must agree bit for bit, and with the
 *   f64 reference within f32 rounding, or the run fails. The dispatch suite's array-only
 *   kernel (`y = 2x + y`, no uniform) takes the same turns, engine and raw, so the run
 *   also says what the uniform struct adds over the path that suite measures.
 */
import * as vyre from '../../test/support/vyre-all.ts';
import { interleaved, rawRig, scaleInPlace, smallInputs } from './dispatch-bench.ts';
import { measureReflection, type ReflectionBlock } from './wgsl-costs.ts';
import { rawAffineRig } from './wgsl-raw-rig.ts';
import { AFFINE_WGSL, affineInputs, affineReference } from './wgsl-shaders.ts';

/** What the page asks of this worker. */
export type WgslWorkerRequest =
  | { readonly suite: 'reflection'; readonly rounds: number; readonly warmup: number; readonly seed: number }
  | { readonly suite: 'uniform-dispatch'; readonly rounds: number };

/** The outputs check of the uniform dispatch: what was compared and how it came out. */
export interface OutputCheck {
  readonly calls: { readonly raw: number; readonly vyre: number };
  readonly elements: number;
  /** Every vyre-web output equal bit for bit to the raw output of the same round (else the run throws). */
  readonly identical: true;
  /** Largest |output − f64 reference| over every call of both ways. */
  readonly maxAbsErrorVsReference: number;
  /** The first elements of one output, to print. */
  readonly sample: readonly number[];
}

export interface UniformDispatchResult {
  readonly ways: { readonly raw: string; readonly vyre: string; readonly arraysRaw: string; readonly arraysVyre: string };
  readonly samples: Record<string, number[]>;
  readonly check: OutputCheck;
}

const RAW_WAY = 'raw WebGPU inside a worker: own uniform buffer written per call (baseline)';
const VYRE_WAY = 'vyre-web engine inside a worker: dispatch({ params: { n, scale, offset }, x, y })';
const ARRAYS_RAW_WAY = 'reference: raw WebGPU, the dispatch suite\'s array-only kernel (y = 2x + y)';
const ARRAYS_VYRE_WAY = 'reference: vyre-web engine, the dispatch suite\'s array-only kernel';

async function uniformDispatch(rounds: number): Promise<UniformDispatchResult> {
  const device = await (await navigator.gpu.requestAdapter())?.requestDevice();
  if (!device) throw new Error('no WebGPU device in the worker');
  const inputs = affineInputs();
  const raw = await rawAffineRig(device, inputs.x.length);
  const runtime = await vyre.createRuntime({ persistent: false, worker: false });
  const { pipeline } = await runtime.compile(vyre.wgsl({ code: AFFINE_WGSL }));
  const arrays = smallInputs();
  const arraysRaw = await rawRig(device, arrays.x.length);
  const arraysPipeline = (await runtime.compile(scaleInPlace)).pipeline;
  const outputs = { raw: [] as Float32Array[], vyre: [] as Float32Array[] };
  const samples = await interleaved({
    [RAW_WAY]: async () => outputs.raw.push(await raw.roundTrip(inputs)),
    [VYRE_WAY]: async () => {
      const { y } = await pipeline.dispatch(inputs);
      if (!(y instanceof Float32Array)) throw new Error('wgsl bench: vyre-web returned no Float32Array y');
      outputs.vyre.push(y);
    },
    [ARRAYS_RAW_WAY]: () => arraysRaw.roundTrip(arrays.x, arrays.y),
    [ARRAYS_VYRE_WAY]: () => arraysPipeline.dispatch(arrays),
  }, rounds);
  raw.destroy();
  arraysRaw.destroy();
  device.destroy();
  await runtime.dispose();
  return { ways: { raw: RAW_WAY, vyre: VYRE_WAY, arraysRaw: ARRAYS_RAW_WAY, arraysVyre: ARRAYS_VYRE_WAY }, samples, check: checkOutputs(outputs, affineReference(inputs)) };
}

/** Compares every call's output; throws when the two ways disagree or miss the reference. */
function checkOutputs(outputs: { raw: Float32Array[]; vyre: Float32Array[] }, reference: Float64Array): OutputCheck {
  let maxAbsErrorVsReference = 0;
  for (const output of [...outputs.raw, ...outputs.vyre]) {
    if (output.length !== reference.length) throw new Error(`wgsl bench: an output has ${output.length} elements, not ${reference.length}`);
    output.forEach((value, i) => {
      maxAbsErrorVsReference = Math.max(maxAbsErrorVsReference, Math.abs(value - (reference[i] ?? Number.NaN)));
    });
  }
  if (outputs.raw.length !== outputs.vyre.length) throw new Error(`wgsl bench: ${outputs.raw.length} raw outputs, ${outputs.vyre.length} from vyre-web`);
  for (let round = 0; round < outputs.raw.length; round++) {
    const a = new Uint32Array((outputs.raw[round] as Float32Array).buffer);
    const b = new Uint32Array((outputs.vyre[round] as Float32Array).buffer, (outputs.vyre[round] as Float32Array).byteOffset, a.length);
    const at = a.findIndex((bits, i) => bits !== b[i]);
    if (at >= 0) throw new Error(`wgsl bench: call ${round} differs at element ${at}: raw ${outputs.raw[round]?.[at]}, vyre-web ${outputs.vyre[round]?.[at]}`);
  }
  // y stays below 200 here: two f32 roundings are within 3e-5; anything larger is a wrong result.
  if (!(maxAbsErrorVsReference <= 1e-4)) throw new Error(`wgsl bench: outputs miss the f64 reference by ${maxAbsErrorVsReference}`);
  return {
    calls: { raw: outputs.raw.length, vyre: outputs.vyre.length },
    elements: reference.length,
    identical: true,
    maxAbsErrorVsReference,
    sample: [...(outputs.vyre[0] ?? []).slice(0, 4), ...(outputs.vyre[0] ?? []).slice(998, 1002)],
  };
}

self.onmessage = async (event: MessageEvent<WgslWorkerRequest>) => {
  try {
    const request = event.data;
    const result: ReflectionBlock | UniformDispatchResult = request.suite === 'reflection'
      ? measureReflection(request.rounds, request.warmup, request.seed)
      : await uniformDispatch(request.rounds);
    self.postMessage({ result });
  } catch (error) {
    self.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
};
