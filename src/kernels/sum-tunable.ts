/**
 * The u32 sum as a tunable kernel: subgroup operations where the adapter has them,
 * workgroup memory everywhere; the tuner times whichever the device can run.
 */
import type { TunableKernel } from '../protocol/tuning.ts';
import { sumReduceSubgroups } from './sum-reduce-subgroups.ts';
import { sumReduceWide, sumWideOptions } from './sum-reduce-wide.ts';
import type { ElementsShape } from './shapes.ts';

/**
 * One pass of a wrapping u32 sum, one partial per 2,048 elements, tuned per device by
 * `runtime.compileTuned`: variants `subgroups` ({@link sumReduceSubgroups}; only on
 * adapters with the `subgroups` feature) and `workgroup` ({@link sumReduceWide}), timed
 * on 1,048,576 elements. Dispatch with the build's `options({ n })`; repeat on the
 * partials (or add them on the CPU) for one sum. Exact either way.
 */
export const sumU32Tunable: TunableKernel<ElementsShape> = Object.freeze({
  family: 'sum-u32',
  variants: Object.freeze([
    { name: 'subgroups', program: sumReduceSubgroups, options: ({ n }: ElementsShape) => sumWideOptions(n), requires: Object.freeze(['subgroups']) },
    { name: 'workgroup', program: sumReduceWide, options: ({ n }: ElementsShape) => sumWideOptions(n) },
  ]),
  trialShape: Object.freeze({ n: 1 << 20 }),
  trialInputs: ({ n }: ElementsShape) => ({ x: Uint32Array.from({ length: n }, (_, i) => i) }),
});
