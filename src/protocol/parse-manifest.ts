/**
 * Reads a reproducibility manifest back from JSON (a downloaded sidecar, a bug report),
 * checking every field, so an app never trusts a malformed one.
 */
import { VyreError } from '../errors.ts';
import { MANIFEST_SCHEMA, type PipelineReproManifest } from './compile.ts';

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
