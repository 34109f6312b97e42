/**
 * What the kernels suite asks of each contender (vyre-web, raw WebGPU, tfjs), so the
 * page can interleave them without knowing how each one works.
 */

/** One contender set up for one workload: pipelines compiled, GPU resources made. */
export interface Contender {
  /**
   * End to end, from the main thread: the workload's inputs as CPU arrays in, the result
   * read back into a CPU array. No GPU timing asked for, so none is paid for.
   */
  run(): Promise<Float32Array>;
  /**
   * The same GPU work over inputs already on the GPU, timed with timestamp queries:
   * milliseconds between the start and end of the compute passes (summed over passes),
   * or `null` when the device has no `timestamp-query`.
   */
  gpuTime(): Promise<number | null>;
  /** Frees what setting up made. */
  dispose(): Promise<void>;
}

/**
 * The contenders' names, as the tables print them. The goals are vyre-web's (its kernel
 * library, exact, and the same compiled with floats 'fast'); `vyre-web wgsl()` runs the raw WGSL through vyre-web, to tell runtime cost
 * from kernel quality;
 * `vyre-web shared` is `vyre-web` with its inputs in `SharedArrayBuffer`s (no copy to the
 * worker), to tell the worker hop's copy from the rest of the runtime. `raw WGSL exact` is the
 * hand-written WGSL keeping the promise of vyre-web's exact policy (every product of saxpy and
 * the chain rounded on its own), the baseline of the same contract as the exact `vyre-web` row.
 */
export const CONTENDERS = ['vyre-web', 'vyre-web fast', 'vyre-web shared', 'vyre-web wgsl()', 'raw WGSL', 'raw WGSL exact', 'tfjs webgpu'] as const;
export type ContenderName = (typeof CONTENDERS)[number];
