/**
 * Bitonic sort of u32, one compare-exchange step per dispatch; the host runs the
 * schedule of steps from {@link bitonicSchedule}.
 */
import { VyreError } from '../errors.ts';
import { program } from '../program/builder.ts';

/**
 * One step `(k, j)` of a bitonic sort: invocation `i` with partner `p = i ^ j > i`
 * (and `p < data.length`) orders `data[i]`, `data[p]` ascending when `i & k == 0`,
 * descending otherwise.
 *
 * - Inputs: `data` (`read-write`, u32): the values to sort, a power of two of them.
 * - Outputs: `data`, after this step.
 * - Params: `k`, `j` (u32), one step of {@link bitonicSchedule}.
 * - Dispatch options: `{ params: { k, j } }`; the default grid covers `data`.
 * - Exact.
 *
 * Running every step of `bitonicSchedule(n)` in order, each on the previous step's
 * `data`, sorts it ascending. To sort a length that is not a power of two, pad it to the
 * next one with `0xffffffff` and drop the padding afterwards.
 */
export const bitonicStep = program({ name: 'bitonic-step-u32', workgroupSize: 64 }, (b) => {
  const data = b.buffer('data', 'u32', 'read-write');
  const k = b.param('k', 'u32');
  const j = b.param('j', 'u32');
  const i = b.let('i', b.linearIndex());
  const partner = b.let('partner', i.bitXor(j));
  b.if(partner.gt(i).and(partner.lt(data.length())), () => {
    const mine = b.let('mine', data.load(i));
    const theirs = b.let('theirs', data.load(partner));
    const ascending = b.let('ascending', i.bitAnd(k).eq(0));
    const outOfOrder = b.select(ascending, mine.gt(theirs), mine.lt(theirs));
    b.if(outOfOrder, () => {
      data.store(i, theirs);
      data.store(partner, mine);
    });
  });
  return { data };
});

/** One step of a bitonic sort: the params of one {@link bitonicStep} dispatch. */
export interface BitonicStepParams {
  readonly k: number;
  readonly j: number;
}

/**
 * The steps of a bitonic sort of `n` elements, in dispatch order:
 * `k = 2, 4, …, n`, and for each `k`, `j = k/2, k/4, …, 1`
 * (`log₂n · (log₂n + 1) / 2` steps; none for `n ≤ 1`).
 * @param n - a power of two (or 0).
 * @throws VyreError `invalid-input` when `n` is not 0 or a power of two below 2³².
 */
export function bitonicSchedule(n: number): BitonicStepParams[] {
  if (!Number.isSafeInteger(n) || n < 0 || n > 2 ** 31 || (n !== 0 && (n & (n - 1)) !== 0)) {
    throw new VyreError('invalid-input', `bitonicSchedule(${n}): a bitonic sort needs a power-of-two length.`, 'pad the data with 0xffffffff to the next power of two.', { n });
  }
  const steps: BitonicStepParams[] = [];
  for (let k = 2; k <= n; k *= 2) {
    for (let j = k / 2; j >= 1; j /= 2) steps.push({ k, j });
  }
  return steps;
}
