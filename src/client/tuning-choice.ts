/** The pure parts of the tuner: the mark a choice is stored under, and the choice itself. */
import { VyreError } from '../errors.ts';
import type { TunableKernel, TuningShape, TuningTrial } from '../protocol/tuning.ts';

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;
const MAX_VARIANTS = 16;

/**
 * `family@shape/variant|variant|…`, e.g. `matmul-f32-x4@K512.M512.N512/tiled|direct`: the
 * policy mark (`DispatchPolicy.tuned`) of the chosen variant. Another shape, another set
 * of variants or a renamed one gives another mark, so a stale choice is never read back.
 * @throws VyreError `invalid-input` for a kernel without variants, a bad or repeated name,
 *   or a shape that is not positive integers.
 */
export function tuningMark<Shape extends TuningShape>(kernel: TunableKernel<Shape>, shape: Shape, runnable: readonly string[] = variantNames(kernel)): string {
  const fix = 'build the kernel like those of vyre-web/kernels: a family and 1–16 variants named with letters, digits, _ . -';
  if (typeof kernel !== 'object' || kernel === null || typeof kernel.family !== 'string' || !NAME.test(kernel.family)) {
    throw new VyreError('invalid-input', 'A tunable kernel needs a family name of letters, digits, _ . - (at most 64).', fix, { field: 'family' });
  }
  const variants = Array.isArray(kernel.variants) ? kernel.variants : [];
  if (variants.length === 0 || variants.length > MAX_VARIANTS) {
    throw new VyreError('invalid-input', `The tunable kernel ${kernel.family} has ${variants.length} variants; it needs 1 to ${MAX_VARIANTS}.`, fix, { field: 'variants' });
  }
  const names = variants.map((variant) => (typeof variant?.name === 'string' ? variant.name : ''));
  const bad = names.find((name, i) => !NAME.test(name) || names.indexOf(name) !== i);
  if (bad !== undefined) {
    throw new VyreError('invalid-input', `The tunable kernel ${kernel.family} has a missing, malformed or repeated variant name ("${bad}").`, fix, { field: 'variants' });
  }
  return `${kernel.family}@${shapeKey(shape)}/${names.filter((name) => runnable.includes(name)).join('|')}`;
}

function variantNames<Shape extends TuningShape>(kernel: TunableKernel<Shape>): string[] {
  return Array.isArray(kernel?.variants) ? kernel.variants.map((variant) => variant?.name) : [];
}

/**
 * The variants a device with `features` can run.
 * @throws VyreError `invalid-input` when it can run none.
 */
export function runnableVariants<Shape extends TuningShape>(kernel: TunableKernel<Shape>, features: readonly string[]): TunableKernel<Shape>['variants'] {
  const runnable = kernel.variants.filter((variant) => (variant.requires ?? []).every((feature) => features.includes(feature)));
  if (runnable.length > 0) return runnable;
  const needs = [...new Set(kernel.variants.flatMap((variant) => variant.requires ?? []))].join(', ');
  throw new VyreError('invalid-input', `No variant of ${kernel.family} runs on this device: each needs a feature it lacks (${needs}).`, 'add a variant that needs no optional feature, or check runtime.device.features first.', { field: 'variants', family: kernel.family });
}

/** `K512.M512.N512`: the shape's fields in name order. */
function shapeKey(shape: TuningShape): string {
  const fields = typeof shape === 'object' && shape !== null ? Object.keys(shape).sort() : [];
  const ok = fields.length > 0 && fields.every((field) => /^[A-Za-z]\w{0,15}$/.test(field) && Number.isSafeInteger(shape[field]) && shape[field]! > 0);
  if (!ok) {
    throw new VyreError('invalid-input', `The tuning shape ${JSON.stringify(shape)} is not a record of positive integers.`, 'pass a shape like { M: 512, N: 512, K: 512 }.', { field: 'shape' });
  }
  return fields.map((field) => `${field}${shape[field]}`).join('.');
}

/**
 * The index of the fastest trial, judged round by round: in each round every variant's time
 * is divided by that round's fastest, and the variant with the smallest median of those
 * ratios wins (a tie goes to the earlier, preferred variant). The variants of one round run
 * back to back, so a device that changes speed between rounds (a GPU changing clock state:
 * docs/benchmarks.md, "Autotuning") moves them together and the ratios hold; medians of the
 * raw times would not.
 */
export function chooseFastest(trials: readonly TuningTrial[]): number {
  const scores = roundRatios(trials.map((trial) => trial.samples)).map(median);
  let best = 0;
  scores.forEach((score, i) => {
    if (score < scores[best]!) best = i;
  });
  return best;
}

/** Per variant, per round: its time over the round's fastest (rounds all variants ran). */
function roundRatios(samples: readonly (readonly number[])[]): number[][] {
  const rounds = Math.min(...samples.map((list) => list.length));
  const fastest = Array.from({ length: rounds }, (_, r) => Math.min(...samples.map((list) => list[r]!)));
  return samples.map((list) => fastest.map((min, r) => list[r]! / min));
}

/** The median of `values` (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** How much slower than the winner, in every round, every other variant must be for the tuner to stop early. */
export const CLEAR_MARGIN = 1.5;

/**
 * True when, over at least two rounds, one variant was the fastest in every round by at
 * least {@link CLEAR_MARGIN}× over each other variant of the same round: more rounds would
 * not change the choice, so the tuner stops (a slow device pays less for an obvious answer).
 */
export function clearWinner(samples: readonly (readonly number[])[]): boolean {
  if (samples.length < 2 || samples.some((list) => list.length < 2)) return false;
  const ratios = roundRatios(samples);
  const best = ratios.findIndex((list) => list.every((ratio) => ratio === 1));
  return best >= 0 && ratios.every((list, i) => i === best || list.every((ratio) => ratio >= CLEAR_MARGIN));
}
