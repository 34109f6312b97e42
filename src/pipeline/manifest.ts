/**
 * The reproducibility manifest (schema 1): a JSON sidecar that says which program, which
 * code-generation policy, which device and browser, and which library produced a pipeline.
 * Its shape is in `protocol/compile.ts`; `protocol/parse-manifest.ts` reads one back.
 */
import { MANIFEST_SCHEMA, type CacheHit, type PipelineReproManifest } from '../protocol/compile.ts';

export const BACKEND_ID = 'webgpu';

/** Builds a manifest from the facts of one compile. */
export function createManifest(fields: Omit<PipelineReproManifest, 'schema' | 'backendId'>): PipelineReproManifest {
  return { schema: MANIFEST_SCHEMA, backendId: BACKEND_ID, ...fields };
}

/** The manifest with a new cache-hit value (a stored manifest records the compile that made it). */
export function withCacheHit(manifest: PipelineReproManifest, cacheHit: CacheHit): PipelineReproManifest {
  return { ...manifest, cacheHit };
}
