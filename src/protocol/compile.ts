/**
 * What a compile and a prewarm report: the tier that served it, an honest cache-hit flag,
 * timings, the miss reason and the reproducibility manifest. Plain data; crosses the
 * worker boundary as is.
 *
 * The manifest (schema 1) is a JSON sidecar that says which program, which code-generation
 * policy, which device and browser, and which library produced a pipeline;
 * `pipeline/manifest.ts` builds and parses it.
 */
import type { BufferDeclaration, WorkgroupSize } from './elements.ts';

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

/**
 * Why the persistent tier missed, with stable names for metrics; the first rule that
 * applies names the miss (see `pipeline/miss-reason.ts` for how each is decided):
 * - `corrupt-entry`: the record was there but failed its checksum or shape check;
 * - `empty-cache`: nothing stored yet (a first visit, or storage was cleared);
 * - `program-changed`: no record of this program: new, or its code changed;
 * - `dispatch-policy-changed`: the program is known, but not with this policy;
 * - `device-or-runtime-changed`: known with this policy, but for another device fingerprint
 *   (GPU, driver, browser version or library codegen changed);
 * - `key-absent`: everything matches some record, yet not this exact key.
 */
export const MISS_REASONS = [
  'corrupt-entry',
  'empty-cache',
  'program-changed',
  'dispatch-policy-changed',
  'device-or-runtime-changed',
  'key-absent',
] as const;

/** One of {@link MISS_REASONS}. */
export type MissReason = (typeof MISS_REASONS)[number];

/** Milliseconds per step of a compile; 0 for a step that did not run. */
export interface CompileTimings {
  readonly digest: number;
  readonly lower: number;
  readonly storeRead: number;
  /**
   * From the GPU build's request to its pipeline. A WGSL module's build may be requested before
   * its reflection (`lower`), from the bindings its text suggests, so the two can overlap: the
   * steps may add up to more than `total`.
   */
  readonly gpuCompile: number;
  /**
   * Always 0: a compile answers once its GPU build is done and stores its record in the
   * background (`dispose()`, `cacheSnapshot()`, `manifests()` and `clearCache()` wait for
   * those writes). Kept so that code reading it goes on working.
   */
  readonly storeWrite: number;
  readonly total: number;
  /**
   * For a `persistent`-tier compile: the `gpuCompile` recorded when this artifact was first
   * compiled from scratch, to compare with this re-issued compile's — evidence of the
   * browser's own shader cache that the library does not turn into a claim (`cacheHit`
   * stays `null`). `null` for other tiers and for records stored before it was kept.
   */
  readonly firstGpuCompile: number | null;
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

/** One prewarmed program's outcome. */
export interface PipelinePrewarmReport {
  readonly pipelineId: string;
  readonly cacheHit: CacheHit;
  readonly tier: CompileTier;
  readonly manifest: PipelineReproManifest;
}

/** Sent to the app's progress callback after each program of a prewarm is warm. */
export interface PrewarmProgress {
  readonly completed: number;
  readonly total: number;
  readonly report: PipelinePrewarmReport;
}

/** The manifest schema this library writes and reads. */
export const MANIFEST_SCHEMA = 1;

/** A pipeline's reproducibility manifest; `JSON.stringify` round-trips it. */
export interface PipelineReproManifest {
  readonly schema: typeof MANIFEST_SCHEMA;
  /** Always `webgpu` today. */
  readonly backendId: string;
  readonly pipelineId: string;
  /** Normalized program digest, lowercase hex. */
  readonly programDigest: string;
  /** Stable human-readable string of the code-generation policy, e.g. `wg=[64,1,1]`. */
  readonly dispatchPolicy: string;
  readonly cacheHit: CacheHit;
  /** Device fingerprint digest (hex) and its readable summary. */
  readonly deviceFingerprint: string;
  readonly device: string;
  /** Browser name and full version, e.g. `Chromium 156.0.8078.73`. */
  readonly browser: string;
  readonly libraryVersion: string;
  /** SHA-256 (hex) of the WGSL text the GPU compiled. */
  readonly wgslHash: string;
}
