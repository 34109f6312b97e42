/**
 * What both stores share: the clock that orders uses, the checks a write passes before
 * it reaches storage, how a refused write is reported, and when a bound is broken.
 */
import { describe, expect, it } from 'vitest';
import type { ShaderArtifact } from '../../src/lower/artifact.ts';
import { createManifest } from '../../src/pipeline/manifest.ts';
import { RECORD_SCHEMA_VERSION, type ArtifactInput } from '../../src/pipeline/artifact-store.ts';
import { estimateRecordBytes } from '../../src/store/record.ts';
import { createStoreClock, exceedsLimits, isObject, prepareWrite, reportRefusedWrite, type StoreLogger } from '../../src/store/store-helpers.ts';

const ARTIFACT: ShaderArtifact = {
  code: '@group(0) @binding(0) var<storage, read_write> y: array<u32>;\n@compute @workgroup_size(64) fn main() {}\n',
  entryPoint: 'main',
  workgroupSize: [64, 1, 1],
  buffers: [{ name: 'y', binding: 0, access: 'read-write', type: 'u32' }],
  params: undefined,
  foldableGrid: true,
};

const INPUT: ArtifactInput = {
  identity: '1'.repeat(64),
  keyVersion: 1,
  deviceFingerprint: 'd'.repeat(64),
  programDigest: '2'.repeat(64),
  policy: 'wg=[64,1,1]',
  artifact: ARTIFACT,
  manifest: createManifest({
    pipelineId: '1'.repeat(16), programDigest: '2'.repeat(64), dispatchPolicy: 'wg=[64,1,1]', cacheHit: false, deviceFingerprint: 'd'.repeat(64),
    device: 'Test GPU', browser: 'Chromium 156', libraryVersion: '0.1.0', wgslHash: 'e'.repeat(64),
  }),
};
const ROOMY = { maxEntries: 10, maxBytes: 1 << 20 };
const NOW = 1_700_000_000_000;

describe('createStoreClock', () => {
  it('follows the wall clock while it moves forward', () => {
    const times = [1, 2, 10];
    const clock = createStoreClock(() => times.shift() ?? 0);
    expect([clock(), clock(), clock()]).toEqual([1, 2, 10]);
  });

  it('steps 0.001 ms past the last time when the wall clock repeats or runs backwards', () => {
    const times = [5, 5, 5, 4, 9];
    const clock = createStoreClock(() => times.shift() ?? 0);
    const stamps = Array.from({ length: 5 }, clock);
    [5, 5.001, 5.002, 5.003, 9].forEach((expected, i) => expect(stamps[i]).toBeCloseTo(expected, 9));
  });

  it('keeps one history per clock: two stores do not push each other forward', () => {
    const a = createStoreClock(() => 7);
    const b = createStoreClock(() => 7);
    a();
    a();
    expect(b()).toBe(7);
  });

  it('reads Date.now by default', () => {
    const before = Date.now();
    const time = createStoreClock()();
    expect(time).toBeGreaterThanOrEqual(before);
    expect(time).toBeLessThanOrEqual(Date.now());
  });
});

describe('prepareWrite', () => {
  it('returns the record stamped with the time of the write, created and last used', () => {
    const prepared = prepareWrite(INPUT, NOW, ROOMY);
    expect(prepared.ok).toBe(true);
    if (prepared.ok) {
      expect(prepared.record).toMatchObject({ identity: INPUT.identity, policy: INPUT.policy, createdAt: NOW, lastUsed: NOW, schemaVersion: RECORD_SCHEMA_VERSION });
      expect(prepared.record.bytes).toBe(estimateRecordBytes(INPUT));
    }
  });

  it('accepts a record exactly as large as maxBytes, and refuses one byte less of room', () => {
    const bytes = estimateRecordBytes(INPUT);
    expect(prepareWrite(INPUT, NOW, { maxEntries: 1, maxBytes: bytes }).ok).toBe(true);
    expect(prepareWrite(INPUT, NOW, { maxEntries: 1, maxBytes: bytes - 1 })).toEqual({
      ok: false,
      reason: `the record (${bytes} bytes) exceeds maxBytes (${bytes - 1})`,
    });
  });

  it.each([
    { maxEntries: 0, reason: 'maxEntries is 0' },
    { maxEntries: 0.5, reason: 'maxEntries is 0.5' },
    { maxEntries: Number.NaN, reason: 'maxEntries is NaN' },
  ])('refuses every write when maxEntries is $maxEntries', ({ maxEntries, reason }) => {
    expect(prepareWrite(INPUT, NOW, { maxEntries, maxBytes: ROOMY.maxBytes })).toEqual({ ok: false, reason });
  });

  it('refuses every write when maxBytes is NaN', () => {
    expect(prepareWrite(INPUT, NOW, { maxEntries: 1, maxBytes: Number.NaN })).toMatchObject({ ok: false, reason: expect.stringMatching(/exceeds maxBytes \(NaN\)$/) as unknown });
  });

  it('refuses input the record cannot even be built from, without throwing', () => {
    const missing = { ...INPUT, manifest: undefined } as unknown as ArtifactInput;
    expect(prepareWrite(missing, NOW, ROOMY)).toMatchObject({ ok: false, reason: expect.stringMatching(/^the artifact is malformed \(TypeError/) as unknown });
  });

  it('refuses input whose record would read back as corrupt (another key version)', () => {
    expect(prepareWrite({ ...INPUT, keyVersion: 99 }, NOW, ROOMY)).toEqual({ ok: false, reason: 'the artifact would not read back: keyVersion is 99, expected 1' });
  });
});

describe('reportRefusedWrite', () => {
  it('warns storage-write-refused with the reason as a sentence and the details as given', () => {
    const warnings: unknown[][] = [];
    const logger: StoreLogger = { warn: (...args) => warnings.push(args) };
    reportRefusedWrite(logger, 'maxEntries is 0', { dbName: 'db', identity: 'abc' });
    expect(warnings).toEqual([['storage-write-refused', 'Did not store a pipeline artifact: maxEntries is 0.', { dbName: 'db', identity: 'abc' }]]);
  });
});

describe('exceedsLimits', () => {
  const LIMITS = { maxEntries: 3, maxBytes: 300 };
  it.each([
    { case: 'well within both bounds', entries: 1, bytes: 100, over: false },
    { case: 'exactly on both bounds', entries: 3, bytes: 300, over: false },
    { case: 'one entry too many', entries: 4, bytes: 300, over: true },
    { case: 'one byte too many', entries: 3, bytes: 301, over: true },
    { case: 'over both bounds', entries: 4, bytes: 301, over: true },
  ])('is $over when $case', ({ entries, bytes, over }) => {
    expect(exceedsLimits({ entries, bytes }, LIMITS)).toBe(over);
  });
});

describe('isObject', () => {
  it.each([
    { value: {}, expected: true },
    { value: [], expected: true },
    { value: null, expected: false },
    { value: undefined, expected: false },
    { value: 'totals', expected: false },
    { value: 3, expected: false },
  ])('is $expected for $value', ({ value, expected }) => {
    expect(isObject(value)).toBe(expected);
  });
});
