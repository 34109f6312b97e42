/**
 * The reproducibility manifest (schema 1): a JSON sidecar that says which program, which
 * code-generation policy, which device and browser, and which library produced a pipeline.
 */
import { VyreError } from '../errors.ts';
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
  /** Device fingerprint digest (hex) and its readable summary. */
  readonly deviceFingerprint: string;
  readonly device: string;
  /** Browser name and full version, e.g. `Chromium 156.0.8078.73`. */
  readonly browser: string;
  readonly libraryVersion: string;
  /** SHA-256 (hex) of the WGSL text the GPU compiled. */
  readonly wgslHash: string;
}

/** Builds a manifest from the facts of one compile. */
export function createManifest(fields: Omit<PipelineReproManifest, 'schema' | 'backendId'>): PipelineReproManifest {
  return { schema: MANIFEST_SCHEMA, backendId: BACKEND_ID, ...fields };
}

/** The manifest with a new cache-hit value (a stored manifest records the compile that made it). */
export function withCacheHit(manifest: PipelineReproManifest, cacheHit: CacheHit): PipelineReproManifest {
  return { ...manifest, cacheHit };
}

const STRING_FIELDS = ['backendId', 'pipelineId', 'programDigest', 'dispatchPolicy', 'deviceFingerprint', 'device', 'browser', 'libraryVersion', 'wgslHash'] as const;

/**
 * Reads a manifest back from JSON text or parsed data (`JSON.stringify(manifest)` round-trips).
 * @throws VyreError `invalid-input` naming the first field that is wrong.
 */
export function parseManifest(value: unknown): PipelineReproManifest {
  const data: unknown = typeof value === 'string' ? safeParse(value) : value;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw invalid('is not an object');
  const record = data as Record<string, unknown>;
  if (record['schema'] !== MANIFEST_SCHEMA) throw invalid(`has schema ${JSON.stringify(record['schema'])}, expected ${MANIFEST_SCHEMA}`);
  for (const field of STRING_FIELDS) {
    if (typeof record[field] !== 'string') throw invalid(`has no string "${field}"`);
  }
  const cacheHit = record['cacheHit'];
  if (cacheHit !== true && cacheHit !== false && cacheHit !== null) throw invalid('has a "cacheHit" that is not true, false or null');
  const manifest = { schema: MANIFEST_SCHEMA, cacheHit } as Record<string, unknown>;
  for (const field of STRING_FIELDS) manifest[field] = record[field];
  return manifest as unknown as PipelineReproManifest;
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalid('is not valid JSON');
  }
}

function invalid(problem: string): VyreError {
  return new VyreError('invalid-input', `The manifest ${problem}.`, 'pass a manifest produced by vyre-web (schema 1), e.g. from runtime.manifests().');
}
