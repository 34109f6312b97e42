/**
 * ReLU over f32 arrays of any length as a tunable kernel: one element per invocation, or four
 * through vector loads of the scalar buffer. Whether the four-wide form pays depends on
 * whether the device's compiler turns the four loads into one (docs/benchmarks.md, "Autotuning").
 */
import type { TunableKernel } from '../protocol/tuning.ts';
import { loads4Options, reluF32, reluF32Loads4 } from './map.ts';
import type { ElementsShape } from './shapes.ts';

/**
 * `y = max(x, 0)` over f32 arrays of any length, tuned per device by `runtime.compileTuned`:
 * variants `loads4` ({@link reluF32Loads4}) and `scalar` ({@link reluF32}), timed on
 * 1,048,576 elements. Dispatch with the build's `options({ n })`. Exact either way.
 */
export const reluF32Tunable: TunableKernel<ElementsShape> = Object.freeze({
  family: 'relu-f32',
  variants: Object.freeze([
    { name: 'loads4', program: reluF32Loads4, options: ({ n }: ElementsShape) => loads4Options(n) },
    { name: 'scalar', program: reluF32, options: () => ({}) },
  ]),
  trialShape: Object.freeze({ n: 1 << 20 }),
  trialInputs: ({ n }: ElementsShape) => ({ x: Float32Array.from({ length: n }, (_, i) => (i % 13) - 6) }),
});
