/**
 * The reproducibility manifest (schema 1): a JSON sidecar that says which program,
 * which code-generation policy and which backend produced a pipeline.
 */
import type { CacheHit } from './build.ts';

export const MANIFEST_SCHEMA = 1;
export const BACKEND_ID = 'webgpu';

export interface PipelineReproManifest {
  readonly schema: typeof MANIFEST_SCHEMA;
  readonly backendId: string;
  readonly pipelineId: string;
  /** Normalized program digest, lowercase hex. */
  readonly programDigest: string;
  /** Stable human-readable string of the code-generation policy, e.g. `wg=[64,1,1]`. */
  readonly dispatchPolicy: string;
  readonly cacheHit: CacheHit;
}

/** Builds a manifest from the facts of one compile. */
export function createManifest(fields: Omit<PipelineReproManifest, 'schema' | 'backendId'>): PipelineReproManifest {
  return { schema: MANIFEST_SCHEMA, backendId: BACKEND_ID, ...fields };
}
