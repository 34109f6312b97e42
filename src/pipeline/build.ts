/**
 * What a compile reports: the tier that served it, an honest cache-hit flag, timings
 * and the reproducibility manifest. Plain data; crosses the worker boundary as is.
 */
import type { PipelineReproManifest } from './manifest.ts';
import type { MissReason } from './miss-reason.ts';
import type { BufferDeclaration, WorkgroupSize } from '../program/types.ts';

/**
 * Which tier served a compile.
 * - `memory`: the worker already held the GPU pipeline; no GPU compile was issued.
 * - `persistent`: the artifact came from IndexedDB (no lowering); the GPU compile was re-issued.
 * - `compiled`: the program was lowered and compiled from scratch.
 */
export type CompileTier = 'memory' | 'persistent' | 'compiled';

/**
 * `true` only when we provably reused a pipeline, `false` when we compiled,
 * `null` when the browser's own shader cache decided and we cannot see it.
 */
export type CacheHit = boolean | null;

/** Milliseconds per step of a compile; 0 for a step that did not run. */
export interface CompileTimings {
  readonly digest: number;
  readonly lower: number;
  readonly storeRead: number;
  readonly gpuCompile: number;
  readonly storeWrite: number;
  readonly total: number;
}

/** The worker's answer to a compile, before the client attaches a pipeline handle. */
export interface CompileReport {
  readonly pipelineId: string;
  readonly tier: CompileTier;
  readonly cacheHit: CacheHit;
  readonly timings: CompileTimings;
  /** Why the persistent tier missed; `null` unless `tier` is `compiled`. */
  readonly missReason: MissReason | null;
  readonly manifest: PipelineReproManifest;
  readonly entryPoint: string;
  readonly workgroupSize: WorkgroupSize;
  readonly buffers: readonly BufferDeclaration[];
}

/** A timings record with every step at zero, to fill in as steps run. */
export function emptyTimings(): { -readonly [K in keyof CompileTimings]: number } {
  return { digest: 0, lower: 0, storeRead: 0, gpuCompile: 0, storeWrite: 0, total: 0 };
}
