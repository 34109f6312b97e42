/**
 * The vec4 matmul as a tunable kernel: the tiled {@link matmulX4} (workgroup memory, 64×64
 * blocks) and {@link matmulX4Direct} (no workgroup memory, 32×32 blocks) do the same job
 * with the same bits, and which is faster depends on the device — on an H200 through Dawn
 * the tiled one, on SwiftShader (a CPU) the direct one (docs/benchmarks.md, "Autotuning").
 */
import type { TunableKernel } from '../protocol/tuning.ts';
import { matmulX4, matmulX4Options } from './matmul-x4.ts';
import { matmulX4Direct, matmulX4DirectOptions } from './matmul-x4-direct.ts';
import type { MatmulShape } from './shapes.ts';

/**
 * `C = A · B` for `N` and `K` that are multiples of 4, tuned per device by
 * `runtime.compileTuned`: variants `tiled` ({@link matmulX4}) and `direct`
 * ({@link matmulX4Direct}), timed on 256×256·256×256 unless you pass your own shape
 * (the best variant may change with the size: tune on yours).
 * Dispatch with the build's `options({ M, N, K })`. Exact either way (`matmul`'s bits).
 */
export const matmulX4Tunable: TunableKernel<MatmulShape> = Object.freeze({
  family: 'matmul-f32-x4',
  variants: Object.freeze([
    { name: 'tiled', program: matmulX4, options: ({ M, N, K }: MatmulShape) => matmulX4Options(M, N, K) },
    { name: 'direct', program: matmulX4Direct, options: ({ M, N, K }: MatmulShape) => matmulX4DirectOptions(M, N, K) },
  ]),
  trialShape: Object.freeze({ M: 256, N: 256, K: 256 }),
  // Small integers: the trial times the work, its values do not matter.
  trialInputs: ({ M, N, K }: MatmulShape) => ({ a: trialValues(M * K), b: trialValues(K * N) }),
});

function trialValues(length: number): Float32Array {
  return Float32Array.from({ length }, (_, i) => (i % 7) - 3);
}
