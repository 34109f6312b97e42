/**
 * The tuner behind `runtime.compileTuned`: find an earlier choice for this kernel, shape
 * and float policy in the tiers; otherwise compile every variant, time them on a trial
 * workload, and compile the fastest under a policy mark, so that the choice is stored with
 * its artifact (memory and persistent tier) and the next load reads it instead of timing.
 *
 * It runs on the main thread because a variant's dispatch options are a function; every
 * compile, buffer and dispatch still happens in the worker.
 */
import { VyreError } from '../errors.ts';
import type { DispatchPolicy, Program } from '../protocol/program.ts';
import type { ElementArray } from '../protocol/elements.ts';
import type { LaunchOptions } from '../protocol/dispatch.ts';
import type { ResidentBuffer } from './resident-buffer.ts';
import type { CompiledPipeline, CompiledPipelineBuild, TunedBuild } from './runtime-types.ts';
import type { TunableKernel, TunableVariant, TuneOptions, TuningReport, TuningShape, TuningTrial } from '../protocol/tuning.ts';
import { chooseFastest, clearWinner, median, runnableVariants, tuningMark } from './tuning-choice.ts';

/** What the tuner needs of a runtime. */
export interface TunerRuntime {
  /** The device's features, which decide the variants it can run. */
  readonly features: readonly string[];
  compile(program: Program, policy: DispatchPolicy): Promise<CompiledPipelineBuild>;
  /** A compile only from a tier that holds the program with this policy; `null` otherwise. */
  compileStored(program: Program, policy: DispatchPolicy): Promise<CompiledPipelineBuild | null>;
  createBuffer(source: ElementArray): Promise<ResidentBuffer>;
}

/** A timed batch shorter than this (ms) is grown, so a timer's resolution does not decide. */
const MIN_BATCH_MS = 2;
const MAX_REPEAT = 64;
const DEFAULT_ROUNDS = 3;

/**
 * @throws VyreError `invalid-input` for a malformed kernel, shape or rounds, and whatever a
 *   compile or dispatch of a variant throws.
 */
export async function compileTuned<Shape extends TuningShape>(runtime: TunerRuntime, kernel: TunableKernel<Shape>, options: TuneOptions<Shape> = {}): Promise<TunedBuild<Shape>> {
  const started = performance.now();
  const shape = options.shape ?? kernel.trialShape;
  tuningMark(kernel, shape); // checks the kernel and shape before anything else reads them
  const variants = runnableVariants(kernel, runtime.features);
  const mark = tuningMark(kernel, shape, variants.map((variant) => variant.name));
  const rounds = checkRounds(options.rounds);
  const base: DispatchPolicy = options.floats === undefined ? {} : { floats: options.floats };
  const policy: DispatchPolicy = { ...base, tuned: mark };
  const report = (variant: TunableVariant<Shape>, rest: Omit<TuningReport, 'family' | 'chosen' | 'mark' | 'totalMs'>): TuningReport =>
    ({ family: kernel.family, chosen: variant.name, mark, ...rest, totalMs: performance.now() - started });

  for (const variant of variants) {
    const stored = await runtime.compileStored(variant.program, policy);
    if (stored !== null) return tuned(stored, variant, report(variant, { source: 'stored', timer: null, repeat: 0, trials: [] }));
  }
  if (variants.length === 1) {
    const only = variants[0]!;
    return tuned(await runtime.compile(only.program, policy), only, report(only, { source: 'only', timer: null, repeat: 0, trials: [] }));
  }
  const timed = await timeVariants(runtime, { ...kernel, variants }, shape, base, rounds);
  const chosen = variants[chooseFastest(timed.trials)]!;
  const build = await runtime.compile(chosen.program, policy);
  return tuned(build, chosen, report(chosen, { source: 'tuned', timer: timed.timer, repeat: timed.repeat, trials: timed.trials }));
}

function tuned<Shape extends TuningShape>(build: CompiledPipelineBuild, variant: TunableVariant<Shape>, tuning: TuningReport): TunedBuild<Shape> {
  return { ...build, variant, options: variant.options, tuning };
}

function checkRounds(rounds: unknown): number {
  if (rounds === undefined) return DEFAULT_ROUNDS;
  if (Number.isInteger(rounds) && (rounds as number) >= 1 && (rounds as number) <= 20) return rounds as number;
  throw new VyreError('invalid-input', `rounds is ${String(rounds)}, not an integer in 1…20.`, 'pass { rounds: 3 } or leave it out.', { field: 'rounds' });
}

interface Timed {
  readonly timer: 'gpu' | 'wall';
  readonly repeat: number;
  readonly trials: readonly TuningTrial[];
}

/** Compiles every variant, uploads the trial inputs once, sizes the batch, then times the rounds. */
async function timeVariants<Shape extends TuningShape>(runtime: TunerRuntime, kernel: TunableKernel<Shape>, shape: Shape, policy: DispatchPolicy, rounds: number): Promise<Timed> {
  const runs: VariantRun[] = [];
  for (const variant of kernel.variants) {
    const { pipeline } = await runtime.compile(variant.program, policy);
    runs.push({ pipeline, options: variant.options(shape) });
  }
  const resident: ResidentBuffer[] = [];
  try {
    const inputs: Record<string, ResidentBuffer> = {};
    for (const [name, array] of Object.entries(kernel.trialInputs(shape))) {
      const buffer = await runtime.createBuffer(array);
      resident.push(buffer);
      inputs[name] = buffer;
    }
    const { timer, repeat } = await sizeBatch(runs, inputs);
    const samples: number[][] = runs.map(() => []);
    for (let round = 0; round < rounds; round++) {
      // A rotating order: each variant runs first in some round, beside the same load.
      for (let turn = 0; turn < runs.length; turn++) {
        const index = (round + turn) % runs.length;
        samples[index]!.push((await timeBatch(runs[index]!, inputs, repeat))[timer]! / repeat);
      }
      if (clearWinner(samples)) break;
    }
    const trials = kernel.variants.map((variant, i) => ({ variant: variant.name, medianMs: median(samples[i]!), samples: samples[i]! }));
    return { timer, repeat, trials };
  } finally {
    await Promise.all(resident.map((buffer) => buffer.destroy().catch(() => undefined)));
  }
}

interface VariantRun {
  readonly pipeline: CompiledPipeline;
  readonly options: LaunchOptions;
}

/**
 * The warm-up: every variant once per size; GPU time when every item of every batch has
 * it, else main-thread wall time; the batch grows (×4) until the fastest takes 2 ms.
 */
async function sizeBatch(runs: readonly VariantRun[], inputs: Readonly<Record<string, ResidentBuffer>>): Promise<{ timer: 'gpu' | 'wall'; repeat: number }> {
  for (let repeat = 1; ; repeat = Math.min(MAX_REPEAT, repeat * 4)) {
    const warm = [];
    for (const run of runs) warm.push(await timeBatch(run, inputs, repeat));
    const timer = warm.every((time) => time.gpu !== null && time.gpu > 0) ? 'gpu' : 'wall';
    const fastest = Math.min(...warm.map((time) => time[timer] ?? Infinity));
    if (fastest >= MIN_BATCH_MS || repeat === MAX_REPEAT) return { timer, repeat };
  }
}

/** One batch of `repeat` dispatches in one submit: its GPU time (sum over items, or null) and its wall time. */
async function timeBatch(run: VariantRun, inputs: Readonly<Record<string, ResidentBuffer>>, repeat: number): Promise<{ gpu: number | null; wall: number }> {
  const started = performance.now();
  const { timing } = await run.pipeline.dispatchBatch(new Array<typeof inputs>(repeat).fill(inputs), { ...run.options, timing: true });
  const wall = performance.now() - started;
  const gpu = timing.gpuMs.every((ms): ms is number => ms !== null) ? timing.gpuMs.reduce((sum, ms) => sum + (ms ?? 0), 0) : null;
  return { gpu, wall };
}

