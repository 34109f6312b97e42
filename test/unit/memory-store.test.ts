/**
 * The memory store: the persistent tier's contract without IndexedDB (persistent:
 * false, the memory-only fallback, Node). Same semantics as the IndexedDB store, which
 * is tested in real Chrome.
 */
import type { CacheBounds } from '../../src/protocol/cache.ts';
import { describe, expect, it } from 'vitest';
import type { ShaderArtifact } from '../../src/lower/artifact.ts';
import { createManifest } from '../../src/pipeline/manifest.ts';
import { classifyMiss } from '../../src/pipeline/miss-reason.ts';
import { RECORD_SCHEMA_VERSION, type ArtifactInput, type ArtifactKey, type ArtifactStore } from '../../src/pipeline/artifact-store.ts';
import { createMemoryStore, DEFAULT_MEMORY_ONLY_REASON } from '../../src/store/memory-store.ts';
import { createStoreClock, type StoreLogger } from '../../src/store/store-helpers.ts';
import { estimateRecordBytes } from '../../src/store/record.ts';

const DEVICE = 'd'.repeat(64);
const OTHER_DEVICE = 'f'.repeat(64);
const POLICY = 'wg=[64,1,1]';
const ROOMY: CacheBounds = { maxEntries: 100, maxBytes: 100 * 1024 * 1024 };

const ARTIFACT: ShaderArtifact = {
  code: '@group(0) @binding(0) var<storage, read_write> y: array<u32>;\n@compute @workgroup_size(64) fn main() {}\n',
  entryPoint: 'main',
  workgroupSize: [64, 1, 1],
  buffers: [{ name: 'y', binding: 0, access: 'read-write', type: 'u32' }],
  params: undefined,
  foldableGrid: true,
};

/** One artifact; `name` picks identity and program digest unless given. */
function artifact(name: string, over: { program?: string; policy?: string; device?: string; code?: string } = {}): ArtifactInput {
  const identity = name.padStart(64, '0');
  const programDigest = (over.program ?? name).padStart(64, 'a');
  const policy = over.policy ?? POLICY;
  const deviceFingerprint = over.device ?? DEVICE;
  return {
    identity,
    keyVersion: 1,
    deviceFingerprint,
    programDigest,
    policy,
    artifact: { ...ARTIFACT, code: over.code ?? `// ${name}\n${ARTIFACT.code}` },
    manifest: createManifest({
      pipelineId: name.padStart(16, '0'), programDigest, dispatchPolicy: policy, cacheHit: false, deviceFingerprint,
      device: 'Test GPU', browser: 'Chromium 156', libraryVersion: '0.1.0', wgslHash: 'e'.repeat(64),
    }),
  };
}

const keyOf = (input: ArtifactInput): ArtifactKey => ({
  identity: input.identity, programDigest: input.programDigest, policy: input.policy, deviceFingerprint: input.deviceFingerprint,
});

async function identities(records: Promise<{ identity: string }[]>): Promise<string[]> {
  return (await records).map((r) => r.identity.replace(/^0+/, ''));
}

async function filled(limits: CacheBounds, names: string[]): Promise<ArtifactStore> {
  const store = createMemoryStore(limits);
  for (const name of names) await store.write(artifact(name));
  return store;
}

describe('createMemoryStore: reads', () => {
  it('returns a hit with the stored record after a write', async () => {
    const store = await filled(ROOMY, ['1']);
    const read = await store.read(keyOf(artifact('1')));
    expect(read.kind).toBe('hit');
    if (read.kind === 'hit') {
      expect(read.record).toMatchObject({ ...artifact('1'), schemaVersion: RECORD_SCHEMA_VERSION, checksum: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown });
      expect(read.record.lastUsed).toBeGreaterThan(read.record.createdAt);
    }
  });

  it('misses an identity it never stored', async () => {
    const store = await filled(ROOMY, ['1']);
    expect((await store.read(keyOf(artifact('2')))).kind).toBe('miss');
  });

  // Each situation of what the store holds, and the evidence (and reason) a miss gets.
  const situations = [
    { situation: 'nothing is stored', stored: [], reason: 'empty-cache',
      evidence: { corrupt: false, storeIsEmpty: true, programKnown: false, programWithPolicyKnown: false, programWithPolicyOnDeviceKnown: false } },
    { situation: 'only other programs are stored', stored: [artifact('2')], reason: 'program-changed',
      evidence: { corrupt: false, storeIsEmpty: false, programKnown: false, programWithPolicyKnown: false, programWithPolicyOnDeviceKnown: false } },
    { situation: 'the program is stored with another policy', stored: [artifact('2', { program: '1', policy: 'wg=[32,1,1]' })], reason: 'dispatch-policy-changed',
      evidence: { corrupt: false, storeIsEmpty: false, programKnown: true, programWithPolicyKnown: false, programWithPolicyOnDeviceKnown: false } },
    { situation: 'the program and policy are stored for another device', stored: [artifact('2', { program: '1', device: OTHER_DEVICE })], reason: 'device-or-runtime-changed',
      evidence: { corrupt: false, storeIsEmpty: false, programKnown: true, programWithPolicyKnown: true, programWithPolicyOnDeviceKnown: false } },
    { situation: 'the program, policy and device are stored under another identity', stored: [artifact('2', { program: '1' })], reason: undefined,
      evidence: { corrupt: false, storeIsEmpty: false, programKnown: true, programWithPolicyKnown: true, programWithPolicyOnDeviceKnown: true } },
  ] as const;
  it.each(situations)('gives miss evidence when $situation', async ({ stored, evidence, reason }) => {
    const store = createMemoryStore(ROOMY);
    for (const input of stored) await store.write(input);
    const read = await store.read(keyOf(artifact('1')));
    expect(read).toEqual({ kind: 'miss', evidence });
    if (reason !== undefined && read.kind === 'miss') expect(classifyMiss(read.evidence)).toBe(reason);
  });
});

describe('createMemoryStore: bounds', () => {
  it('evicts the least recently used record when over maxEntries; a read counts as a use', async () => {
    const store = await filled({ maxEntries: 3, maxBytes: ROOMY.maxBytes }, ['1', '2', '3']);
    await store.read(keyOf(artifact('1')));
    await store.write(artifact('4'));
    expect(await identities(store.workingSet(DEVICE, 10))).toEqual(['4', '1', '3']);
    expect(await store.stats()).toMatchObject({ entries: 3, evictions: 1 });
  });

  it('evicts the least recently used records until within maxBytes', async () => {
    const size = estimateRecordBytes(artifact('1'));
    const store = await filled({ maxEntries: 100, maxBytes: Math.floor(size * 2.5) }, ['1', '2', '3', '4']);
    expect(await identities(store.workingSet(DEVICE, 10))).toEqual(['4', '3']);
    expect(await store.stats()).toEqual({ entries: 2, bytes: size * 2, evictions: 2, corruptDeleted: 0, readAheadHits: 0 });
  });

  it('evicts several small records to make room for one large record', async () => {
    const small = estimateRecordBytes(artifact('1'));
    const store = await filled({ maxEntries: 100, maxBytes: small * 3 }, ['1', '2', '3']);
    await store.write(artifact('4', { code: 'x'.repeat(small) }));
    expect(await identities(store.workingSet(DEVICE, 10))).toEqual(['4']);
    expect((await store.stats()).bytes).toBeLessThanOrEqual(small * 3);
  });

  it('refuses a record larger than maxBytes, keeping the others, with a warning', async () => {
    const warnings: string[] = [];
    const logger: StoreLogger = { warn: (code) => warnings.push(code) };
    const store = createMemoryStore({ maxEntries: 10, maxBytes: 4096 }, undefined, logger);
    await store.write(artifact('1'));
    await store.write(artifact('2', { code: 'x'.repeat(4096) }));
    expect(await identities(store.workingSet(DEVICE, 10))).toEqual(['1']);
    expect(warnings).toEqual(['storage-write-refused']);
  });

  it('refuses malformed input that would not read back, without throwing', async () => {
    const warnings: string[] = [];
    const store = createMemoryStore(ROOMY, undefined, { warn: (code) => warnings.push(code) });
    const broken = { ...artifact('1'), artifact: { ...ARTIFACT, workgroupSize: [64, 1] } } as unknown as ArtifactInput;
    const missing = { ...artifact('2'), manifest: undefined } as unknown as ArtifactInput;
    await expect(store.write(broken)).resolves.toBeUndefined();
    await expect(store.write(missing)).resolves.toBeUndefined();
    expect(await store.stats()).toMatchObject({ entries: 0, bytes: 0 });
    expect(warnings).toEqual(['storage-write-refused', 'storage-write-refused']);
  });

  it('counts a rewritten identity once', async () => {
    const store = await filled(ROOMY, ['1', '2', '1']);
    expect(await store.stats()).toEqual({ entries: 2, bytes: estimateRecordBytes(artifact('1')) * 2, evictions: 0, corruptDeleted: 0, readAheadHits: 0 });
    expect(await identities(store.workingSet(DEVICE, 10))).toEqual(['1', '2']);
  });
});

describe('createMemoryStore: listings', () => {
  it('lists the working set of one device, most recently used first, at most limit', async () => {
    const store = createMemoryStore(ROOMY);
    for (const name of ['1', '2', '3', '4', '5']) await store.write(artifact(name, { device: name === '3' ? OTHER_DEVICE : DEVICE }));
    await store.read(keyOf(artifact('2')));
    expect(await identities(store.workingSet(DEVICE, 10))).toEqual(['2', '5', '4', '1']);
    expect(await identities(store.workingSet(DEVICE, 2))).toEqual(['2', '5']);
    expect(await identities(store.workingSet(OTHER_DEVICE, 10))).toEqual(['3']);
    expect(await store.workingSet(DEVICE, 0)).toEqual([]);
    expect(await store.workingSet('0'.repeat(64), 10)).toEqual([]);
  });

  it('lists the manifests of every record, most recently used first', async () => {
    const store = await filled(ROOMY, ['1', '2', '3']);
    await store.read(keyOf(artifact('1')));
    const manifests = await store.manifests();
    expect(manifests.map((m) => m.pipelineId.replace(/^0+/, ''))).toEqual(['1', '3', '2']);
    expect(manifests[0]).toEqual(artifact('1').manifest);
  });

  it('reports entries and the sum of record bytes', async () => {
    const store = await filled(ROOMY, ['1', '2']);
    const bytes = estimateRecordBytes(artifact('1')) + estimateRecordBytes(artifact('2'));
    expect(await store.stats()).toEqual({ entries: 2, bytes, evictions: 0, corruptDeleted: 0, readAheadHits: 0 });
  });

  it('clears every record, keeping the eviction count', async () => {
    const store = await filled({ maxEntries: 1, maxBytes: ROOMY.maxBytes }, ['1', '2']);
    await store.clear();
    expect(await store.stats()).toEqual({ entries: 0, bytes: 0, evictions: 1, corruptDeleted: 0, readAheadHits: 0 });
    expect(await store.manifests()).toEqual([]);
    expect(await store.read(keyOf(artifact('2')))).toMatchObject({ kind: 'miss', evidence: { storeIsEmpty: true } });
  });
});

describe('createMemoryStore: status', () => {
  it('reports memory-only because persistent: false was requested, by default', () => {
    expect(createMemoryStore(ROOMY).status()).toEqual({ mode: 'memory-only', reason: DEFAULT_MEMORY_ONLY_REASON });
    expect(DEFAULT_MEMORY_ONLY_REASON).toBe('persistent: false was requested');
  });

  it('reports the status it was given (the reason IndexedDB is unavailable)', () => {
    const status = { mode: 'memory-only', reason: 'SecurityError: access denied' } as const;
    expect(createMemoryStore(ROOMY, status).status()).toBe(status);
  });

  it('keeps working after close()', async () => {
    const store = await filled(ROOMY, ['1']);
    store.close();
    expect((await store.read(keyOf(artifact('1')))).kind).toBe('hit');
  });
});

describe('createStoreClock', () => {
  it('never repeats or runs backwards, even when the wall clock does', () => {
    const times = [5, 5, 5, 4, 9];
    const clock = createStoreClock(() => times.shift() ?? 0);
    const stamps = Array.from({ length: 5 }, clock);
    for (let i = 1; i < stamps.length; i++) expect(stamps[i]).toBeGreaterThan(stamps[i - 1] ?? Infinity);
    expect(stamps[0]).toBe(5);
    expect(stamps[4]).toBe(9);
  });
});
