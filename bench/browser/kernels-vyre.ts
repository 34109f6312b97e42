/**
 * The vyre-web contender of the kernels suite: its public API as an app uses it from the
 * main thread (`createRuntime`, the runtime's worker through Comlink), with the kernels of
 * `vyre-web/kernels` (matmul; the element-wise ones in their vec4 forms, reluF32x4 and
 * saxpyX4, since the workloads' lengths are multiples of 4) and, for the 100-op chain, an
 * IR program built with the builder (`mapKernel` over `vec4<f32>`: one pass, the value kept
 * in a local). GPU time comes
 * from the runtime's own timestamp queries (`dispatch(…, { timing: true })`).
 */
import { createRuntime, ResidentBuffer, type DispatchInputs, type DispatchPolicy, type Program, type Runtime } from '../../src/index.ts';
import { mapKernel, matmul, matmulOptions, reluF32x4, saxpyX4, type LaunchOptions } from '../../src/kernels/index.ts';
import type { Contender } from './kernels-contender.ts';
import { CHAIN_OPS, type Workload } from './kernels-workloads.ts';

/** The 100-op chain as an IR program: `y[i] = CHAIN_OPS applied to x[i]`, one statement per op. */
export const chainProgram = mapKernel('chain-100', 'vec4<f32>', (b, x) => {
  const v = b.let('v', x);
  for (const { op, constant } of CHAIN_OPS) v.set(op === 'mul' ? v.mul(constant) : op === 'add' ? v.add(constant) : v.max(constant));
  return v;
});

/** Which program, inputs and options run a workload, and which output holds the result. */
export interface VyrePlan {
  readonly program: Program;
  /** The workload's arrays: sent with every end-to-end run, made resident once for GPU timing. */
  readonly arrays: Readonly<Record<string, Float32Array<ArrayBuffer>>>;
  /** Plain values (a WGSL uniform struct), sent with every run. */
  readonly values?: DispatchInputs;
  readonly options: LaunchOptions;
  readonly output: string;
  /** The compile's policy: the kernels suite runs the library both exact (default) and fast. */
  readonly policy?: DispatchPolicy;
}

function vyrePlan(workload: Workload): VyrePlan {
  switch (workload.kind) {
    case 'matmul':
      return { program: matmul, arrays: { a: workload.a, b: workload.b }, options: matmulOptions(workload.M, workload.N, workload.K), output: 'c' };
    case 'relu':
      return { program: reluF32x4, arrays: { x: workload.x }, options: {}, output: 'y' };
    case 'saxpy':
      return { program: saxpyX4, arrays: { x: workload.x, y: workload.y }, options: { params: { alpha: workload.alpha } }, output: 'y' };
    case 'chain':
      return { program: chainProgram, arrays: { x: workload.x }, options: {}, output: 'y' };
  }
}

/** A runtime in its own worker, as an app's main thread gets it; no persistent cache. */
export function createVyreRuntime(): Promise<Runtime> {
  return createRuntime({ persistent: false });
}

/** Sets up the vyre-web contender for `workload` on `runtime`: the library's kernels, compiled with `floats`. */
export function createVyreContender(runtime: Runtime, workload: Workload, floats: NonNullable<DispatchPolicy['floats']> = 'exact'): Promise<Contender> {
  return createPlannedContender(runtime, { ...vyrePlan(workload), policy: { floats } });
}

/**
 * The same kernels (exact) with the inputs in `SharedArrayBuffer`s, as a cross-origin
 * isolated app can keep them: they reach the worker without a copy (README, "Large
 * inputs"). Its GPU time is the plain contender's (same pipeline, same resident inputs), so
 * it reports none. `null` when the page is not cross-origin isolated.
 */
export async function createSharedInputContender(runtime: Runtime, workload: Workload): Promise<Contender | null> {
  if (!self.crossOriginIsolated) return null;
  const plan = vyrePlan(workload);
  const arrays = Object.fromEntries(Object.entries(plan.arrays).map(([name, data]) => [name, sharedCopy(data)]));
  const contender = await createPlannedContender(runtime, { ...plan, arrays: arrays as VyrePlan['arrays'] });
  return { run: () => contender.run(), gpuTime: async () => null, dispose: () => contender.dispose() };
}

function sharedCopy(data: Float32Array): Float32Array {
  const shared = new Float32Array(new SharedArrayBuffer(data.byteLength));
  shared.set(data);
  return shared;
}

/** A contender that runs `plan` through `runtime`, as an app would. */
export async function createPlannedContender(runtime: Runtime, plan: VyrePlan): Promise<Contender> {
  const { pipeline } = await runtime.compile(plan.program, plan.policy);
  const inputs: DispatchInputs = { ...plan.arrays, ...plan.values };
  // For GPU timing: the arrays made resident once, so a timed dispatch moves no data.
  const resident: Record<string, ResidentBuffer> = {};
  for (const [name, data] of Object.entries(plan.arrays)) resident[name] = await runtime.createBuffer(data);
  const timedInputs: DispatchInputs = { ...resident, ...plan.values };
  const timedOptions = { ...plan.options, timing: true, keep: [plan.output] } as const;
  return {
    async run() {
      const outputs = await pipeline.dispatch(inputs, plan.options);
      const result = outputs[plan.output];
      if (!(result instanceof Float32Array)) throw new Error(`kernels bench: vyre-web returned no f32 "${plan.output}"`);
      return result;
    },
    async gpuTime() {
      const { outputs, timing } = await pipeline.dispatch(timedInputs, timedOptions);
      const kept = outputs[plan.output];
      // A kept output is a new buffer unless it was a resident input written in place (saxpy's y).
      if (kept instanceof ResidentBuffer && kept !== resident[plan.output]) await kept.destroy();
      return timing.gpuMs;
    },
    async dispose() {
      for (const buffer of Object.values(resident)) await buffer.destroy();
    },
  };
}
