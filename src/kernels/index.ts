/**
 * The kernel library: ready-made IR Programs, built once at module load, with the
 * dispatch options each needs. Every kernel indexes by `linear-index`, so the runtime may
 * fold its grid. See docs/kernels.md.
 */
export { saxpy, saxpyX4 } from './saxpy.ts';
export { mapKernel, mapKernelLoads4, loads4Options, squareU32, reluF32, reluF32x4, reluF32Loads4 } from './map.ts';
export { reluF32Tunable } from './relu-tunable.ts';
export type { ElementsShape, MatmulShape } from './shapes.ts';
export type { MapFunction } from './map.ts';
export { sumReduce, sumReduceF32, sumReduceKernel, sumReduceOptions, SUM_REDUCE_BLOCK } from './sum-reduce.ts';
export { histogram256, histogram256Options, HISTOGRAM_BINS } from './histogram.ts';
export { matmul, matmulOptions, MATMUL_BLOCK } from './matmul.ts';
export { matmulX4, matmulX4Options, MATMUL_X4_BLOCK } from './matmul-x4.ts';
export { matmulX4Direct, matmulX4DirectOptions, MATMUL_X4_DIRECT_BLOCK } from './matmul-x4-direct.ts';
export { matmulX4Tunable } from './matmul-tunable.ts';
export { sumReduceWide, sumWideOptions, SUM_WIDE_BLOCK } from './sum-reduce-wide.ts';
export { sumReduceSubgroups } from './sum-reduce-subgroups.ts';
export { sumU32Tunable } from './sum-tunable.ts';
export type { TunableKernel, TunableVariant, TuneOptions, TuningReport, TuningShape, TuningTrial } from '../protocol/tuning.ts';
export { scanBlocks, scanBlocksOptions, addBlockOffsets, SCAN_BLOCK } from './scan.ts';
export { bitonicStep, bitonicSchedule } from './bitonic.ts';
export type { BitonicStepParams } from './bitonic.ts';
export { mandelbrot, mandelbrotOptions, MANDELBROT_MIN_IDENTICAL } from './mandelbrot.ts';
export type { MandelbrotView } from './mandelbrot.ts';
export { convolve1d } from './convolve.ts';
export { countByte, countByteOptions } from './count-byte.ts';
export type { LaunchOptions } from '../protocol/dispatch.ts';
