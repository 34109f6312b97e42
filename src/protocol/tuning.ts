/**
 * Autotuning: a kernel that comes in a few variants (tile shapes, workgroup sizes) of one
 * job, the tuner that times them on this device at first use, and what it reports.
 * `runtime.compileTuned` runs it; `vyre-web/kernels` has tunable kernels.
 */
import type { LaunchOptions } from './dispatch.ts';
import type { ElementArray } from './elements.ts';
import type { FloatPolicy, Program } from './program.ts';

/** The size of a kernel's workload, by name (e.g. `{ M: 512, N: 512, K: 512 }`): positive integers. */
export type TuningShape = Readonly<Record<string, number>>;

/** One way to do a tunable kernel's job: its program and the dispatch options it needs for a shape. */
export interface TunableVariant<Shape extends TuningShape> {
  /** Unique within the kernel; letters, digits, `_`, `.`, `-`. */
  readonly name: string;
  readonly program: Program;
  readonly options: (shape: Shape) => LaunchOptions;
  /** Device features the variant needs (e.g. `['subgroups']`); a device without them skips it. */
  readonly requires?: readonly string[];
}

/**
 * A kernel whose best variant depends on the device. Every variant takes the same inputs
 * and gives the same outputs (the same bits, for the library's exact kernels).
 */
export interface TunableKernel<Shape extends TuningShape> {
  /** Names the job in the tuner's mark; letters, digits, `_`, `.`, `-`. */
  readonly family: string;
  /** In order of preference: a tie goes to the earlier one. */
  readonly variants: readonly TunableVariant<Shape>[];
  /** The workload the variants are timed on, unless `compileTuned` is given another. */
  readonly trialShape: Shape;
  /** Inputs of a trial dispatch of `shape` (any values of the right sizes). */
  readonly trialInputs: (shape: Shape) => Readonly<Record<string, ElementArray>>;
}

/** Options of `runtime.compileTuned`. */
export interface TuneOptions<Shape extends TuningShape> {
  /** The float policy of every variant (default `'exact'`); tuned and stored per policy. */
  readonly floats?: FloatPolicy;
  /** Tune on this workload instead of the kernel's `trialShape` (e.g. the app's own size); stored per shape. */
  readonly shape?: Shape;
  /**
   * Timed rounds per variant after one warm-up (1–20, default 3); each round times every
   * variant once, in a rotating order. The tuner stops after two rounds when one variant
   * was the fastest of every round by ≥ 1.5× over each other one.
   */
  readonly rounds?: number;
}

/** One variant's timing in a tuning run. */
export interface TuningTrial {
  readonly variant: string;
  /** Median over the rounds of the time per dispatch, ms. */
  readonly medianMs: number;
  /** Per round run, the time per dispatch, ms (fewer than asked when the tuner stopped early). */
  readonly samples: readonly number[];
}

/** How `compileTuned` chose its variant. */
export interface TuningReport {
  readonly family: string;
  /** The variant whose pipeline this is. */
  readonly chosen: string;
  /**
   * `'tuned'`: the variants were timed now and the choice stored with the chosen artifact;
   * `'stored'`: an earlier tuning's choice was found in the memory or persistent tier, and
   * nothing was timed (the build's `tier` says which); `'only'`: one variant runs on this
   * device, so there was nothing to time.
   */
  readonly source: 'tuned' | 'stored' | 'only';
  /** The policy mark the choice is stored under: `family@shape/variant|variant|…`, the variants this device can run. */
  readonly mark: string;
  /** `'gpu'`: timestamp queries; `'wall'`: main-thread time of each batch; `null` when nothing was timed. */
  readonly timer: 'gpu' | 'wall' | null;
  /** Dispatches per timed batch (grown until the fastest batch takes ≥ 2 ms, at most 64). */
  readonly repeat: number;
  /** Per variant this device can run, in the kernel's order; empty unless `source` is `'tuned'`. */
  readonly trials: readonly TuningTrial[];
  /** Main-thread time of the whole `compileTuned`, ms. */
  readonly totalMs: number;
}
