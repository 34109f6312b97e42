/** Compile timings as the pipeline cache fills them in, step by step. */
import type { CompileTimings } from '../protocol/compile.ts';

export type MutableTimings = { -readonly [K in keyof CompileTimings]: CompileTimings[K] };

/** A timings record with every step at zero, to fill in as steps run. */
export function emptyTimings(): MutableTimings {
  return { digest: 0, lower: 0, storeRead: 0, gpuCompile: 0, storeWrite: 0, total: 0, firstGpuCompile: null };
}
