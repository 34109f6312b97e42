/**
 * The reproducibility manifest (schema 1): JSON round-trips, and anything that is not a
 * complete schema-1 manifest is refused with invalid-input naming the problem.
 */
import { describe, expect, it } from 'vitest';
import { isVyreError } from '../../src/errors.ts';
import { BACKEND_ID, createManifest, withCacheHit } from '../../src/pipeline/manifest.ts';
import { parseManifest } from '../../src/protocol/parse-manifest.ts';
import { MANIFEST_SCHEMA, type PipelineReproManifest } from '../../src/protocol/compile.ts';

const FIELDS = {
  pipelineId: '0123456789abcdef',
  programDigest: 'a'.repeat(64),
  dispatchPolicy: 'wg=[64,1,1]',
  cacheHit: false,
  deviceFingerprint: 'b'.repeat(64),
  device: 'nvidia/hopper (NVIDIA H100) · Chromium 156.0.8078.73 · vyre-web 0.1.0/lowering 1 · 3 features',
  browser: 'Chromium 156.0.8078.73',
  libraryVersion: '0.1.0',
  wgslHash: 'c'.repeat(64),
} as const;

const MANIFEST = createManifest(FIELDS);

function invalidInputMessage(value: unknown): string {
  try {
    parseManifest(value);
  } catch (error) {
    if (isVyreError(error) && error.code === 'invalid-input') return error.message;
    throw error;
  }
  throw new Error('parseManifest accepted it');
}

const STRING_FIELDS = ['backendId', 'pipelineId', 'programDigest', 'dispatchPolicy', 'deviceFingerprint', 'device', 'browser', 'libraryVersion', 'wgslHash'] as const;

describe('createManifest', () => {
  it('stamps schema 1 and the webgpu backend onto the compile facts', () => {
    expect(MANIFEST).toEqual({ schema: 1, backendId: 'webgpu', ...FIELDS });
    expect(MANIFEST_SCHEMA).toBe(1);
    expect(BACKEND_ID).toBe('webgpu');
  });

  it('withCacheHit changes only the cache hit', () => {
    expect(withCacheHit(MANIFEST, null)).toEqual({ ...MANIFEST, cacheHit: null });
    expect(MANIFEST.cacheHit).toBe(false);
  });
});

describe('parseManifest', () => {
  it.each([true, false, null])('round-trips JSON.stringify(createManifest(…)) with cacheHit %s', (cacheHit) => {
    const manifest = createManifest({ ...FIELDS, cacheHit });
    expect(parseManifest(JSON.stringify(manifest))).toEqual(manifest);
    expect(parseManifest(JSON.parse(JSON.stringify(manifest)) as unknown)).toEqual(manifest);
  });

  it('keeps only the manifest fields of a parsed object', () => {
    const parsed = parseManifest({ ...MANIFEST, extra: 'dropped' });
    expect(parsed).toEqual(MANIFEST);
    expect('extra' in parsed).toBe(false);
  });

  it.each([
    ['text that is not JSON', '{"schema":', 'is not valid JSON'],
    ['null', null, 'is not an object'],
    ['an array', [MANIFEST], 'is not an object'],
    ['a number', 1, 'is not an object'],
    ['JSON text of a string', '"manifest"', 'is not an object'],
  ])('rejects %s', (_, value, problem) => {
    expect(invalidInputMessage(value)).toContain(problem);
  });

  it.each([
    ['missing', undefined],
    ['2', 2],
    ['the string "1"', '1'],
  ])('rejects a schema that is %s', (_, schema) => {
    const { schema: _dropped, ...rest } = MANIFEST;
    const value = schema === undefined ? rest : { ...rest, schema };
    expect(invalidInputMessage(value)).toContain('schema');
  });

  describe.each(STRING_FIELDS)('rejects a manifest whose %s is missing or not a string', (field) => {
    it.each([
      ['missing', undefined],
      ['a number', 1],
      ['null', null],
    ])('%s', (_, bad) => {
      const value: Record<string, unknown> = { ...MANIFEST };
      if (bad === undefined) delete value[field];
      else value[field] = bad;
      const message = invalidInputMessage(value);
      expect(message).toContain(`"${field}"`);
      expect(message).toMatch(/ Fix: .+/);
    });
    it('also from JSON text', () => {
      const { [field]: _dropped, ...rest } = MANIFEST as PipelineReproManifest;
      expect(invalidInputMessage(JSON.stringify(rest))).toContain(`"${field}"`);
    });
  });

  it.each([
    ['missing', undefined],
    ['the string "true"', 'true'],
    ['0', 0],
    ['1', 1],
  ])('rejects a cacheHit that is %s', (_, bad) => {
    const value: Record<string, unknown> = { ...MANIFEST };
    if (bad === undefined) delete value['cacheHit'];
    else value['cacheHit'] = bad;
    expect(invalidInputMessage(value)).toContain('"cacheHit"');
  });
});
