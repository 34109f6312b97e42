/**
 * The WGSL suite's page side (issue #13), loaded by `bench/wgsl.html`:
 * - {@link wgslReflection}: the cost of reflecting and digesting the 300-line shader, and
 *   its parts (`wgsl-costs.ts`), in a worker and on the main thread, in blocks that take
 *   turns between the two threads; then a check that the shader is real: Chrome compiles
 *   both entry points, raw and through vyre-web.
 * - {@link uniformDispatch}: the uniform-struct dispatch, engine against raw WebGPU, run
 *   entirely inside a worker (`wgsl-bench-worker.ts`).
 */
import * as vyre from '../../test/support/vyre-all.ts';
import { measureReflection, REFLECTION_WAYS, type ReflectionBlock } from './wgsl-costs.ts';
import type { UniformDispatchResult, WgslWorkerRequest } from './wgsl-bench-worker.ts';
import { PARTICLE_STEP_WGSL } from './wgsl-shaders.ts';

type Samples = Record<string, number[]>;

/** One thread's reflection figures over all its blocks. */
export interface ReflectionThread {
  readonly samples: Samples;
  readonly first: ReflectionBlock['first'];
  readonly crossOriginIsolated: boolean;
  readonly digest: string;
}

/** Whether the benchmarked shader is a real one: what Chrome and vyre-web said compiling it. */
export interface CompileCheck {
  readonly lines: number;
  readonly entryPoints: readonly string[];
  /** Chrome's compilation messages (errors and warnings) for the module. */
  readonly messages: readonly string[];
  /** Validation errors of `createComputePipelineAsync` per entry point, raw. */
  readonly rawErrors: readonly string[];
  /** The tier vyre-web reported compiling each entry point (`compiled` for a fresh runtime). */
  readonly vyreTiers: readonly string[];
}

const ENTRY_POINTS = ['simulate', 'gather_stats'] as const;

/** A worker of `wgsl-bench-worker.ts` answering one request at a time. */
function wgslWorker(): { ask<T>(request: WgslWorkerRequest): Promise<T>; terminate(): void } {
  const worker = new Worker(new URL('./wgsl-bench-worker.ts', import.meta.url), { type: 'module' });
  return {
    ask: <T>(request: WgslWorkerRequest) => new Promise<T>((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<{ result?: T; error?: string }>) => {
        if (event.data.result !== undefined) resolve(event.data.result);
        else reject(new Error(event.data.error ?? 'wgsl bench worker failed'));
      };
      worker.onerror = (event) => reject(new Error(event.message));
      worker.postMessage(request);
    }),
    terminate: () => worker.terminate(),
  };
}

function merge(into: { samples: Samples; first: ReflectionBlock['first'] }, block: ReflectionBlock): void {
  for (const [name, values] of Object.entries(block.samples)) (into.samples[name] ??= []).push(...values);
  into.first ??= block.first;
}

/**
 * `rounds` rounds of every reflection way on each thread, in blocks of `block` rounds that
 * alternate between the main thread and a worker (which goes first alternates too), so a
 * slow stretch of this shared machine falls on both threads alike. `warmup` uncounted
 * rounds open each thread's first block; the first call of each thread is kept apart.
 */
export async function wgslReflection(rounds: number, block = 25, warmup = 20): Promise<{ ways: typeof REFLECTION_WAYS; main: ReflectionThread; worker: ReflectionThread; compile: CompileCheck }> {
  const worker = wgslWorker();
  const main = { samples: {} as Samples, first: undefined as ReflectionBlock['first'] };
  const inWorker = { samples: {} as Samples, first: undefined as ReflectionBlock['first'] };
  let mainLast: ReflectionBlock | undefined;
  let workerLast: ReflectionBlock | undefined;
  try {
    for (let index = 0, done = 0; done < rounds; index++, done += block) {
      const size = Math.min(block, rounds - done);
      const opening = index === 0 ? warmup : 0;
      const onMain = (): void => {
        mainLast = measureReflection(size, opening, 0x5eed + index);
        merge(main, mainLast);
      };
      const onWorker = async (): Promise<void> => {
        workerLast = await worker.ask<ReflectionBlock>({ suite: 'reflection', rounds: size, warmup: opening, seed: 0x5eed + index });
        merge(inWorker, workerLast);
      };
      if (index % 2 === 0) {
        onMain();
        await onWorker();
      } else {
        await onWorker();
        onMain();
      }
    }
  } finally {
    worker.terminate();
  }
  if (!mainLast || !workerLast || mainLast.digest !== workerLast.digest) throw new Error('wgsl bench: the threads computed different digests');
  const thread = (sums: typeof main, last: ReflectionBlock): ReflectionThread => ({ ...sums, crossOriginIsolated: last.crossOriginIsolated, digest: last.digest });
  return { ways: REFLECTION_WAYS, main: thread(main, mainLast), worker: thread(inWorker, workerLast), compile: await compileCheck() };
}

/** Compiles both entry points of the shader raw and through vyre-web: the benchmark's input must be a valid shader. */
async function compileCheck(): Promise<CompileCheck> {
  const device = await (await navigator.gpu.requestAdapter())?.requestDevice();
  if (!device) throw new Error('no WebGPU device');
  const module = device.createShaderModule({ label: 'particle step', code: PARTICLE_STEP_WGSL });
  const info = await module.getCompilationInfo();
  const rawErrors: string[] = [];
  for (const entryPoint of ENTRY_POINTS) {
    device.pushErrorScope('validation');
    await device.createComputePipelineAsync({ label: `particle step ${entryPoint}`, layout: 'auto', compute: { module, entryPoint } }).catch((error: unknown) => {
      rawErrors.push(`${entryPoint}: ${error instanceof Error ? error.message : String(error)}`);
    });
    const error = await device.popErrorScope();
    if (error) rawErrors.push(`${entryPoint}: ${error.message}`);
  }
  device.destroy();
  const runtime = await vyre.createRuntime({ persistent: false });
  const vyreTiers: string[] = [];
  try {
    for (const entryPoint of ENTRY_POINTS) vyreTiers.push((await runtime.compile(vyre.wgsl({ code: PARTICLE_STEP_WGSL, entryPoint }))).tier);
  } finally {
    await runtime.dispose();
  }
  return {
    lines: PARTICLE_STEP_WGSL.trim().split('\n').length,
    entryPoints: ENTRY_POINTS,
    messages: info.messages.map((message) => `${message.type} at ${message.lineNum}:${message.linePos}: ${message.message}`),
    rawErrors,
    vyreTiers,
  };
}

/** The uniform-struct dispatch, `rounds` shuffled rounds after 20 warm-up rounds, in a fresh worker. */
export async function uniformDispatch(rounds: number): Promise<UniformDispatchResult> {
  const worker = wgslWorker();
  try {
    return await worker.ask<UniformDispatchResult>({ suite: 'uniform-dispatch', rounds });
  } finally {
    worker.terminate();
  }
}
