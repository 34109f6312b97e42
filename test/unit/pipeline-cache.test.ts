/**
 * Pipeline mode's tier logic under Node (issue #11): single flight, the memory /
 * persistent / compiled tiers with honest `cacheHit`, every miss reason through the real
 * path, corrupt records, bad input, reset and clear, the known-program fast path and the
 * audit. The GPU build is a recording fake; the persistent tier is the real memory store.
 * Bounds live in pipeline-cache-bounds.test.ts, prewarm and replay in pipeline-cache-replay.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { FrameWriter } from '../../src/hash/framing.ts';
import { RECORD_SCHEMA_VERSION, type ArtifactStore } from '../../src/pipeline/artifact-store.ts';
import { PIPELINE_IDENTITY_LABEL, policyDigest } from '../../src/pipeline/identity.ts';
import { programDigest } from '../../src/program/digest.ts';
import { wgsl } from '../../src/program/wgsl-program.ts';
import type { CompileReport, MissReason } from '../../src/protocol/compile.ts';
import { createMemoryStore } from '../../src/store/memory-store.ts';
import {
  createDamageableStore, delegatingStore, identityOf, openCache, OTHER_DEVICE, reload, rejectionOf, ROOMY, saxpy, settle, shaderError, THIS_DEVICE,
  type CacheUnderTest, type Damage, type DamageableStore,
} from './support/pipeline-cache-fixture.ts';

describe('PipelineCache: single flight', () => {
  it('two compiles of one program at once share one build: one is compiled, the other joins it', async () => {
    const { cache, fake } = openCache();
    fake.holding = true;
    const pending = [cache.compile(saxpy(2)), cache.compile(saxpy(2))];
    await settle();
    expect(fake.calls).toHaveLength(1);
    fake.heldAt(0).release();
    const [first, joiner] = await Promise.all(pending);
    expect(first).toMatchObject({ tier: 'compiled', cacheHit: false, missReason: 'empty-cache' });
    expect(joiner).toMatchObject({ tier: 'memory', cacheHit: true, missReason: null, pipelineId: first?.pipelineId });
    expect(fake.calls).toHaveLength(1);
    expect((await cache.snapshot()).counters).toMatchObject({ compiled: 1, memoryHits: 1, joinedInFlight: 1 });
  });

  it('five compiles of one program at once: one build, four joiners, all with one pipeline id', async () => {
    const { cache, fake } = openCache();
    fake.holding = true;
    const pending = Array.from({ length: 5 }, () => cache.compile(saxpy(2)));
    await settle();
    fake.heldAt(0).release();
    const reports = await Promise.all(pending);
    expect(fake.calls).toHaveLength(1);
    expect(reports.map((r) => [r.tier, r.cacheHit])).toEqual([['compiled', false], ...Array(4).fill(['memory', true])]);
    expect(new Set(reports.map((r) => r.pipelineId)).size).toBe(1);
    expect((await cache.snapshot()).counters).toMatchObject({ compiled: 1, memoryHits: 4, joinedInFlight: 4 });
    expect(cache.telemetry.audit.report(0)).toMatchObject({ hits: 4, misses: 1, unknowns: 0 });
  });

  it('a compile of another program during the flight builds separately, without joining', async () => {
    const { cache, fake, store } = openCache();
    fake.holding = true;
    const first = cache.compile(saxpy(2));
    const other = cache.compile(saxpy(3));
    await settle();
    expect(fake.calls).toHaveLength(2);
    expect(fake.codes[0]).not.toBe(fake.codes[1]);
    fake.heldAt(1).release();
    fake.heldAt(0).release();
    const [a, b] = await Promise.all([first, other]);
    expect([a.tier, b.tier]).toEqual(['compiled', 'compiled']);
    expect(a.pipelineId).not.toBe(b.pipelineId);
    expect((await cache.snapshot()).counters.joinedInFlight).toBe(0);
    expect((await store.stats()).entries).toBe(2);
  });

  it('a joiner of a failing flight gets the same error, and the next compile builds again', async () => {
    const { cache, fake } = openCache();
    fake.holding = true;
    const pending = [cache.compile(saxpy(2)), cache.compile(saxpy(2))];
    await settle();
    const error = shaderError();
    fake.heldAt(0).fail(error);
    const results = await Promise.allSettled(pending);
    expect(results).toEqual([{ status: 'rejected', reason: error }, { status: 'rejected', reason: error }]);
    fake.holding = false;
    expect(await cache.compile(saxpy(2))).toMatchObject({ tier: 'compiled', missReason: 'empty-cache' });
    expect(fake.calls).toHaveLength(2);
  });
});

describe('PipelineCache: tiers', () => {
  it('compiles a new program from scratch: tier compiled, cacheHit false, empty-cache, one record written', async () => {
    const { cache, fake, store } = openCache();
    const report = await cache.compile(saxpy(2));
    expect(report).toMatchObject({ tier: 'compiled', cacheHit: false, missReason: 'empty-cache', entryPoint: 'main', workgroupSize: [64, 1, 1] });
    expect(report.manifest).toMatchObject({ cacheHit: false, pipelineId: report.pipelineId, programDigest: programDigest(saxpy(2)), dispatchPolicy: 'wg=[64,1,1]' });
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]?.label).toBe(`vyre-web saxpy ${report.pipelineId}`);
    const [record] = await store.workingSet(THIS_DEVICE.digest, 10);
    expect((await store.stats()).entries).toBe(1);
    expect(record?.artifact.code).toBe(fake.codes[0]);
    expect(record?.manifest.cacheHit).toBe(false);
  });

  it('serves a second compile from the memory tier: cacheHit true, no build, no store read', async () => {
    const { cache, fake } = openCache();
    const first = await cache.compile(saxpy(2));
    const second = await cache.compile(saxpy(2));
    expect(second).toMatchObject({ tier: 'memory', cacheHit: true, missReason: null, pipelineId: first.pipelineId });
    expect(second.manifest.cacheHit).toBe(true);
    expect(second.timings).toMatchObject({ lower: 0, storeRead: 0, gpuCompile: 0, storeWrite: 0 });
    expect(fake.calls).toHaveLength(1);
  });

  it('after a reload, builds the stored artifact: tier persistent, cacheHit null, no lowering and no write', async () => {
    const before = openCache();
    const compiled = await before.cache.compile(saxpy(2));
    const after = reload(before);
    const report = await after.cache.compile(saxpy(2));
    expect(report).toMatchObject({ tier: 'persistent', cacheHit: null, missReason: null, pipelineId: compiled.pipelineId });
    expect(report.manifest.cacheHit).toBeNull();
    expect(after.fake.calls.map((call) => call.artifact)).toEqual(before.fake.calls.map((call) => call.artifact));
    const { timings } = report;
    expect(timings).toMatchObject({ lower: 0, storeWrite: 0 });
    expect(timings.storeRead).toBeGreaterThanOrEqual(0);
    expect(timings.total).toBeGreaterThanOrEqual(timings.storeRead + timings.gpuCompile - 1e-6);
    expect((await after.store.stats()).entries).toBe(1);
  });

  it('the manifest of every report carries that report\'s cacheHit, the WGSL kind included', async () => {
    const program = wgsl({ code: '@group(0) @binding(0) var<storage, read_write> y: array<u32>;\n@compute @workgroup_size(64) fn main() {}\n' });
    const before = openCache();
    const after = reload(before);
    const reports = [await before.cache.compile(program), await before.cache.compile(program), await after.cache.compile(program)];
    expect(reports.map((r) => r.tier)).toEqual(['compiled', 'memory', 'persistent']);
    for (const report of reports) expect(report.manifest.cacheHit).toBe(report.cacheHit);
    expect(after.fake.codes).toEqual([program.code]);
  });

  it('a WGSL program whose size its code says is keyed `wg=code`, reflected in the worker: entry point, size and buffers come back with the compile', async () => {
    const program = wgsl({ code: '@group(0) @binding(0) var<storage, read_write> y: array<u32>;\n@compute @workgroup_size(64) fn main() { y[0] = 1u; }\n' });
    const { cache } = openCache();
    const report = await cache.compile(program);
    expect(report.manifest.dispatchPolicy).toBe('wg=code');
    expect(report).toMatchObject({ entryPoint: 'main', workgroupSize: [64, 1, 1], buffers: [{ name: 'y', binding: 0, group: 0, access: 'read-write', type: 'u32' }] });
  });

  it('one WGSL program compiled with two values of its workgroup-size override: two pipelines, each with its own size', async () => {
    const program = wgsl({ code: 'override WG: u32 = 64;\n@group(0) @binding(0) var<storage, read_write> y: array<u32>;\n@compute @workgroup_size(WG) fn main() { y[0] = 1u; }\n' });
    const { cache, fake } = openCache();
    const small = await cache.compile(program, { constants: { WG: 32 } });
    const large = await cache.compile(program, { constants: { WG: 256 } });
    expect(small).toMatchObject({ tier: 'compiled', workgroupSize: [32, 1, 1] });
    expect(large).toMatchObject({ tier: 'compiled', workgroupSize: [256, 1, 1] });
    expect(small.pipelineId).not.toBe(large.pipelineId);
    expect([small.manifest.dispatchPolicy, large.manifest.dispatchPolicy]).toEqual(['wg=code;constants={WG=32}', 'wg=code;constants={WG=256}']);
    expect(fake.calls.map((call) => call.artifact.constants)).toEqual([{ WG: 32 }, { WG: 256 }]);
  });
});

/** The identity the same program, policy and device would have had under key version 0. */
function identityUnderKeyVersion0(digest: string, policy: string, fingerprint: string): string {
  return new FrameWriter().label(PIPELINE_IDENTITY_LABEL).u32(0).string(digest).string(policyDigest(policy)).string(fingerprint).digestHex();
}

/** The record `program` gets on this device, written into `store` under another identity. */
async function writeUnderForeignIdentity(store: ArtifactStore): Promise<void> {
  const scratch = openCache();
  await scratch.cache.compile(saxpy(2));
  const [record] = await scratch.store.workingSet(THIS_DEVICE.digest, 1);
  if (record === undefined) throw new Error('the scratch compile stored nothing');
  const identity = identityUnderKeyVersion0(record.programDigest, record.policy, record.deviceFingerprint);
  await store.write({ ...record, identity, manifest: { ...record.manifest, pipelineId: identity.slice(0, 16) } });
}

describe("PipelineCache: floats 'fast'", () => {
  it('is a pipeline of its own: another id and WGSL, ;floats=fast in the manifest, and exact stays the default', async () => {
    const { cache, fake } = openCache();
    const exact = await cache.compile(saxpy(2));
    const fast = await cache.compile(saxpy(2), { floats: 'fast' });
    expect(fast).toMatchObject({ tier: 'compiled', missReason: 'dispatch-policy-changed' });
    expect(fast.pipelineId).not.toBe(exact.pipelineId);
    expect(exact.manifest.dispatchPolicy).toBe('wg=[64,1,1]');
    expect(fast.manifest.dispatchPolicy).toBe('wg=[64,1,1];floats=fast');
    expect(fake.codes[0]).toContain('vyre_mul_f32');
    expect(fake.codes[1]).not.toContain('vyre_mul_f32');
    expect(await cache.compile(saxpy(2), { floats: 'exact' })).toMatchObject({ tier: 'memory', pipelineId: exact.pipelineId });
  });
});

describe('PipelineCache: miss reasons through the real path', () => {
  // Each situation of the store, and the compile of saxpy(2) it makes miss.
  const situations: { reason: MissReason; situation: string; run: (damageable: DamageableStore) => Promise<CacheUnderTest> }[] = [
    { reason: 'empty-cache', situation: 'the store holds nothing', run: async ({ store }) => openCache({ store }) },
    { reason: 'program-changed', situation: 'the store holds only another program', run: async ({ store }) => {
      await openCache({ store }).cache.compile(saxpy(3));
      return openCache({ store });
    } },
    { reason: 'dispatch-policy-changed', situation: 'the store holds this IR program with another workgroup size', run: async ({ store }) => {
      await openCache({ store }).cache.compile(saxpy(2), { workgroupSize: 128 });
      return openCache({ store });
    } },
    { reason: 'dispatch-policy-changed', situation: "the store holds this IR program built with floats 'fast'", run: async ({ store }) => {
      await openCache({ store }).cache.compile(saxpy(2), { floats: 'fast' });
      return openCache({ store });
    } },
    { reason: 'device-or-runtime-changed', situation: 'the store holds this program and policy for another device', run: async ({ store }) => {
      await openCache({ store, fingerprint: OTHER_DEVICE }).cache.compile(saxpy(2));
      return openCache({ store });
    } },
    // Unreachable through compile alone: the identity is a pure function of key version,
    // program, policy and device, and the store refuses a record of another key version.
    { reason: 'key-absent', situation: 'the store holds this program, policy and device under another identity', run: async ({ store }) => {
      await writeUnderForeignIdentity(store);
      return openCache({ store });
    } },
    { reason: 'corrupt-entry', situation: 'the stored record fails its checksum', run: async ({ store, damage }) => {
      const first = openCache({ store });
      const { pipelineId } = await first.cache.compile(saxpy(2));
      damage(await identityOf(store, pipelineId), (record) => (record['checksum'] = '0'.repeat(64)));
      return reload(first);
    } },
  ];

  it.each(situations)('names the miss $reason when $situation', async ({ reason, run }) => {
    const damageable = createDamageableStore();
    const { cache, fake } = await run(damageable);
    const report = await cache.compile(saxpy(2));
    expect(report).toMatchObject({ tier: 'compiled', cacheHit: false, missReason: reason });
    const { missReasons, builtAhead, builtAheadUsed } = (await cache.snapshot()).counters;
    // A stored program of the same buffers may be built ahead on a guess (build-ahead.ts): a
    // wrong one here, which serves nothing. The compile itself built once.
    expect(builtAheadUsed).toBe(0);
    expect(fake.calls).toHaveLength(1 + builtAhead);
    expect(Object.entries(missReasons).filter(([, count]) => count > 0)).toEqual([[reason, 1]]);
  });

  it('a record of another key version cannot be written, so key-absent needs a foreign identity', async () => {
    const scratch = openCache();
    await scratch.cache.compile(saxpy(2));
    const [record] = await scratch.store.workingSet(THIS_DEVICE.digest, 1);
    const store = createMemoryStore(ROOMY);
    if (record !== undefined) await store.write({ ...record, keyVersion: 2 });
    expect((await store.stats()).entries).toBe(0);
  });
});

describe('PipelineCache: corrupt records', () => {
  const damages: [string, Damage][] = [
    ['one character of its WGSL changed', (record) => {
      const artifact = record['artifact'] as Record<string, unknown>;
      artifact['code'] = `${String(artifact['code'])} `;
    }],
    ['a checksum of other content', (record) => (record['checksum'] = 'ab'.repeat(32))],
    ['a newer record schema version', (record) => (record['schemaVersion'] = RECORD_SCHEMA_VERSION + 1)],
    ['its manifest missing', (record) => delete record['manifest']],
  ];

  it.each(damages)('rebuilds a record with %s: compiled, corrupt-entry, deleted, rewritten, never thrown', async (_, damage) => {
    const { store, damage: damageRecord } = createDamageableStore();
    const first = openCache({ store });
    const { pipelineId } = await first.cache.compile(saxpy(2));
    damageRecord(await identityOf(store, pipelineId), damage);
    const second = reload(first);
    const report = await second.cache.compile(saxpy(2));
    expect(report).toMatchObject({ tier: 'compiled', cacheHit: false, missReason: 'corrupt-entry', pipelineId });
    // Lowered afresh: the build gets the original WGSL, not the damaged record's.
    expect(second.fake.codes).toEqual(first.fake.codes);
    expect(await store.stats()).toMatchObject({ entries: 1, corruptDeleted: 1 });
    expect((await second.cache.snapshot()).persistent.corruptDeleted).toBe(1);
    const third = reload(first);
    expect(await third.cache.compile(saxpy(2))).toMatchObject({ tier: 'persistent', cacheHit: null });
    expect(third.fake.codes).toEqual(first.fake.codes);
  });

  it('a record whose bookkeeping changed (lastUsed, outside the checksum) still serves the persistent tier', async () => {
    const { store, damage } = createDamageableStore();
    const first = openCache({ store });
    const { pipelineId } = await first.cache.compile(saxpy(2));
    damage(await identityOf(store, pipelineId), (record) => (record['lastUsed'] = 1));
    expect(await reload(first).cache.compile(saxpy(2))).toMatchObject({ tier: 'persistent', missReason: null });
    expect((await store.stats()).corruptDeleted).toBe(0);
  });
});

describe('PipelineCache: bad input and failing builds keep the cache serving', () => {
  it.each<[string, unknown]>([
    ['null', null],
    ['a number', 42],
    ['an object of no program kind', { kind: 'glsl', code: 'void main() {}' }],
    ['an IR program without a body', { kind: 'ir', workgroupSize: [64, 1, 1], buffers: [] }],
    ['a WGSL program without code', { kind: 'wgsl', code: '', entryPoint: 'main', workgroupSize: [64, 1, 1], buffers: [] }],
  ])('rejects %s with invalid-program, leaving the store alone', async (_, program) => {
    const { cache, fake, store } = openCache();
    expect((await rejectionOf(cache.compile(program))).code).toBe('invalid-program');
    expect(fake.calls).toHaveLength(0);
    expect((await store.stats()).entries).toBe(0);
    expect(cache.telemetry.audit.report(0)).toMatchObject({ hits: 0, misses: 0, unknowns: 0 });
    expect(await cache.compile(saxpy(2))).toMatchObject({ tier: 'compiled', missReason: 'empty-cache' });
  });

  it.each<[string, unknown]>([
    ['a string', 'fast'],
    ['an unknown field', { wg: 64 }],
    ['a zero workgroup size', { workgroupSize: 0 }],
    ['four axes', { workgroupSize: [1, 2, 3, 4] }],
    ['an axis over 1024', { workgroupSize: 2048 }],
  ])('rejects a policy of %s with invalid-policy, leaving the store alone', async (_, policy) => {
    const { cache, fake, store } = openCache();
    expect((await rejectionOf(cache.compile(saxpy(2), policy))).code).toBe('invalid-policy');
    expect(fake.calls).toHaveLength(0);
    expect((await store.stats()).entries).toBe(0);
    expect(await cache.compile(saxpy(2))).toMatchObject({ tier: 'compiled', missReason: 'empty-cache' });
  });

  it('rejects a workgroup-size policy for a WGSL program, whose size is fixed in its text', async () => {
    const code = '@group(0) @binding(0) var<storage, read_write> y: array<u32>;\n@compute @workgroup_size(64) fn main() {}\n';
    const { cache, fake } = openCache();
    expect((await rejectionOf(cache.compile(wgsl({ code }), { workgroupSize: 128 }))).code).toBe('invalid-policy');
    expect((await rejectionOf(cache.compile(wgsl({ code, workgroupSize: 64 }), { workgroupSize: 128 }))).code).toBe('invalid-policy');
    expect(fake.calls).toHaveLength(0);
    // A policy that repeats the size the program declares changes nothing.
    expect(await cache.compile(wgsl({ code, workgroupSize: 64 }), { workgroupSize: 64 })).toMatchObject({ tier: 'compiled', workgroupSize: [64, 1, 1] });
  });

  it('a build that throws rejects that compile, writes nothing, counts nothing, and a retry builds again', async () => {
    const { cache, fake, store } = openCache();
    fake.failWith = () => shaderError();
    expect((await rejectionOf(cache.compile(saxpy(2)))).code).toBe('shader-compilation');
    expect((await store.stats()).entries).toBe(0);
    expect(cache.telemetry.audit.report(0)).toEqual({ hits: 0, misses: 0, unknowns: 0, hitRateBps: null, belowAlarmThreshold: false });
    expect((await cache.snapshot()).counters).toMatchObject({ compiled: 0, memoryHits: 0, joinedInFlight: 0 });
    fake.failWith = () => undefined;
    expect(await cache.compile(saxpy(2))).toMatchObject({ tier: 'compiled', missReason: 'empty-cache' });
    expect(fake.calls).toHaveLength(2);
    expect((await store.stats()).entries).toBe(1);
  });

  it('a store write that fails is logged and the compile still succeeds', async () => {
    const inner = createMemoryStore(ROOMY);
    const store: ArtifactStore = { ...delegatingStore(inner), write: () => Promise.reject(new Error('QuotaExceededError')) };
    const { cache, logs } = openCache({ store });
    expect(await cache.compile(saxpy(2))).toMatchObject({ tier: 'compiled', cacheHit: false });
    expect(logs.map((entry) => entry.code)).toEqual(['store-write-failed']);
    expect(await cache.compile(saxpy(2))).toMatchObject({ tier: 'memory' });
  });
});

describe('PipelineCache: reset and clear', () => {
  it('reset() (device replaced) drops the memory tier: the next compile rebuilds from the store', async () => {
    const { cache, fake } = openCache();
    const first = await cache.compile(saxpy(2));
    cache.reset();
    expect(cache.pipelineInMemory(first.pipelineId)).toBeUndefined();
    expect((await cache.snapshot()).memory.entries).toBe(0);
    expect(await cache.compile(saxpy(2))).toMatchObject({ tier: 'persistent', cacheHit: null, pipelineId: first.pipelineId });
    expect(fake.calls).toHaveLength(2);
    expect(cache.pipelineInMemory(first.pipelineId)?.gpu.serial).toBe(2);
  });

  // Regression: reset() once forgot the flights in progress without stopping them, so a
  // build of the old device that landed after the reset entered the memory tier and was
  // served to the next compile as a memory hit.
  it('a build still in flight when the device is replaced never reaches the memory tier', async () => {
    const { cache, fake } = openCache();
    fake.holding = true;
    const old = cache.compile(saxpy(2));
    await settle();
    cache.reset();
    fake.heldAt(0).release();
    await old;
    fake.holding = false;
    const next = await cache.compile(saxpy(2));
    expect(next).toMatchObject({ tier: 'persistent', cacheHit: null });
    expect(cache.pipelineInMemory(next.pipelineId)?.gpu.serial).toBe(2);
  });

  it('clear({ persistent }) empties the store and keeps the memory tier', async () => {
    const before = openCache();
    await before.cache.compile(saxpy(2));
    await before.cache.clear({ memory: false, persistent: true });
    expect((await before.store.stats()).entries).toBe(0);
    expect(await before.cache.compile(saxpy(2))).toMatchObject({ tier: 'memory' });
    expect(await reload(before).cache.compile(saxpy(2))).toMatchObject({ tier: 'compiled', missReason: 'empty-cache' });
  });

  it('clear({ memory }) empties the memory tier and keeps the store', async () => {
    const { cache, store } = openCache();
    await cache.compile(saxpy(2));
    await cache.clear({ memory: true, persistent: false });
    expect((await cache.snapshot()).memory).toMatchObject({ entries: 0, bytes: 0 });
    expect((await store.stats()).entries).toBe(1);
    expect(await cache.compile(saxpy(2))).toMatchObject({ tier: 'persistent' });
  });
});

describe('PipelineCache: compileKnown', () => {
  it('reports a held pipeline as a memory-tier hit without building or validating anything', async () => {
    const { cache, fake } = openCache();
    const compiled = await cache.compile(saxpy(2));
    const known = cache.compileKnown(compiled.pipelineId);
    expect(known).toMatchObject({ tier: 'memory', cacheHit: true, missReason: null, pipelineId: compiled.pipelineId, entryPoint: 'main' });
    expect(known?.manifest).toEqual({ ...compiled.manifest, cacheHit: true });
    expect(fake.calls).toHaveLength(1);
    expect((await cache.snapshot()).counters.memoryHits).toBe(1);
  });

  it('returns null, counting nothing, for an evicted pipeline, after reset, and for an unknown id', async () => {
    const { cache } = openCache({ memoryBounds: { maxEntries: 1, maxBytes: ROOMY.maxBytes } });
    const evicted = await cache.compile(saxpy(2));
    const held = await cache.compile(saxpy(3));
    expect(cache.compileKnown(evicted.pipelineId)).toBeNull();
    expect(cache.compileKnown('0123456789abcdef')).toBeNull();
    cache.reset();
    expect(cache.compileKnown(held.pipelineId)).toBeNull();
    expect(cache.telemetry.audit.report(0)).toMatchObject({ hits: 0, misses: 2 });
  });
});

describe('PipelineCache: audit and counters', () => {
  it('counts a known sequence exactly: 2 hits, 1 miss, 1 unknown give floor(20000 / 3) = 6666 bps', async () => {
    const before = openCache();
    await before.cache.compile(saxpy(2));
    const { cache } = reload(before);
    const tiers: CompileReport['tier'][] = [];
    for (const program of [saxpy(2), saxpy(3), saxpy(2), saxpy(3)]) tiers.push((await cache.compile(program)).tier);
    expect(tiers).toEqual(['persistent', 'compiled', 'memory', 'memory']);
    expect(cache.telemetry.audit.report(0)).toEqual({ hits: 2, misses: 1, unknowns: 1, hitRateBps: 6666, belowAlarmThreshold: false });
    expect(cache.telemetry.audit.report(6666).belowAlarmThreshold).toBe(false);
    expect(cache.telemetry.audit.report(6667).belowAlarmThreshold).toBe(true);
    const { counters } = await cache.snapshot();
    expect(counters).toMatchObject({ memoryHits: 2, persistentHits: 1, compiled: 1, joinedInFlight: 0, startupPrewarmed: 0 });
    expect(counters.missReasons).toMatchObject({ 'program-changed': 1, 'empty-cache': 0, 'corrupt-entry': 0 });
  });

  it('a snapshot is a copy: later compiles do not change it', async () => {
    const { cache } = openCache();
    const before = await cache.snapshot();
    await cache.compile(saxpy(2));
    expect(before.counters).toMatchObject({ compiled: 0, missReasons: { 'empty-cache': 0 } });
    expect((await cache.snapshot()).counters).toMatchObject({ compiled: 1, missReasons: { 'empty-cache': 1 } });
  });

  it('reports the store status and both tiers\' bounds and usage', async () => {
    const { cache } = openCache({ memoryBounds: { maxEntries: 7, maxBytes: 1 << 20 } });
    await cache.compile(saxpy(2));
    const snapshot = await cache.snapshot();
    expect(snapshot.storage).toEqual({ mode: 'memory-only', reason: 'persistent: false was requested' });
    expect(snapshot.memory).toMatchObject({ entries: 1, evictions: 0, maxEntries: 7, maxBytes: 1 << 20 });
    expect(snapshot.persistent).toMatchObject({ entries: 1, evictions: 0, corruptDeleted: 0, ...ROOMY });
  });
});

describe('PipelineCache: a compiled pipeline is stored in the background', () => {
  /** The memory store, whose writes wait until released. */
  function heldWrites(): { store: ArtifactStore; release: () => void; writes: () => number } {
    const inner = createMemoryStore(ROOMY);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let writes = 0;
    const store = { ...delegatingStore(inner), write: async (input: Parameters<ArtifactStore['write']>[0]) => (writes++, await gate, inner.write(input)) };
    return { store, release, writes: () => writes };
  }

  it('the compile answers while its record is still being written; snapshot and clear wait for the write', async () => {
    const held = heldWrites();
    const { cache } = openCache({ store: held.store });
    const report = await cache.compile(saxpy(2));
    expect(report).toMatchObject({ tier: 'compiled', cacheHit: false });
    expect(report.timings.storeWrite).toBe(0);
    expect(held.writes()).toBe(1);
    let snapshotDone = false;
    const snapshot = cache.snapshot().then((taken) => ((snapshotDone = true), taken));
    await settle();
    expect(snapshotDone).toBe(false);
    held.release();
    expect((await snapshot).persistent.entries).toBe(1);
  });

  it('a pipeline evicted from memory before its record is written waits for the write and comes from the persistent tier, not a new compile', async () => {
    const held = heldWrites();
    const { cache, fake } = openCache({ store: held.store, memoryBounds: { maxEntries: 1, maxBytes: 1 << 30 } });
    const first = await cache.compile(saxpy(2));
    await cache.compile(saxpy(3)); // evicts saxpy(2) from the memory tier; neither record is written yet
    const again = cache.compile(saxpy(2));
    await settle();
    expect(fake.calls).toHaveLength(2); // no build while its write is pending
    held.release();
    expect(await again).toMatchObject({ tier: 'persistent', cacheHit: null, pipelineId: first.pipelineId });
    expect(held.writes()).toBe(2);
  });

  it('a restart after writesSettled() finds the record: the next cache serves it from the persistent tier', async () => {
    const held = heldWrites();
    const first = openCache({ store: held.store });
    await first.cache.compile(saxpy(2));
    const settled = first.cache.writesSettled();
    held.release();
    await settled;
    const next = reload(first);
    expect(await next.cache.compile(saxpy(2))).toMatchObject({ tier: 'persistent', cacheHit: null });
  });

  it('a write that fails is logged and the compile still succeeds', async () => {
    const inner = createMemoryStore(ROOMY);
    const store = { ...delegatingStore(inner), write: () => Promise.reject(new Error('quota exceeded')) };
    const { cache, logs } = openCache({ store });
    expect(await cache.compile(saxpy(2))).toMatchObject({ tier: 'compiled' });
    await cache.writesSettled();
    expect(logs.map((entry) => entry.code)).toContain('store-write-failed');
  });
});

describe('PipelineCache: on a store that held nothing when it opened (a first visit)', () => {
  /** A store that says it opened empty, whose reads wait until the test lets them answer. */
  function firstVisitStore(inner: ArtifactStore = createMemoryStore(ROOMY), answer: (read: Awaited<ReturnType<ArtifactStore['read']>>) => Awaited<ReturnType<ArtifactStore['read']>> = (read) => read) {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let reads = 0;
    const store: ArtifactStore = {
      ...delegatingStore(inner),
      wasEmptyAtOpen: () => true,
      // Nothing was read ahead as it opened: a record in `inner` was written since (another tab).
      recordsAhead: async () => [],
      read: async (key) => {
        reads++;
        const read = await inner.read(key);
        await gate;
        return answer(read);
      },
    };
    return { store, answerReads: open, reads: () => reads };
  }

  it('starts the GPU build before the store read answers, and reports the miss and writes the record as before', async () => {
    const { store, answerReads, reads } = firstVisitStore();
    const { cache, fake } = openCache({ store });
    const pending = cache.compile(saxpy(2));
    await settle();
    // The read was asked for and has not answered, yet the build is under way.
    expect(reads()).toBe(1);
    expect(fake.calls).toHaveLength(1);
    answerReads();
    const report = await pending;
    expect(report).toMatchObject({ tier: 'compiled', cacheHit: false, missReason: 'empty-cache' });
    await cache.writesSettled();
    expect((await store.stats()).entries).toBe(1);
    // A reload over what was written finds it there (a store that is no longer empty reads first).
    const again = openCache({ store: delegatingStore(store) });
    expect(await again.cache.compile(saxpy(2))).toMatchObject({ tier: 'persistent', cacheHit: null, pipelineId: report.pipelineId });
  });

  it('a record another tab wrote meanwhile makes it a persistent-tier compile, from one build, with nothing written', async () => {
    const inner = createMemoryStore(ROOMY);
    const written = await openCache({ store: inner }).cache.compile(saxpy(2));
    const { store, answerReads } = firstVisitStore(inner);
    const { cache, fake } = openCache({ store });
    const pending = cache.compile(saxpy(2));
    await settle();
    answerReads();
    const report = await pending;
    expect(report).toMatchObject({ tier: 'persistent', cacheHit: null, missReason: null, pipelineId: written.pipelineId });
    expect(report.manifest.pipelineId).toBe(written.manifest.pipelineId);
    expect(fake.calls).toHaveLength(1);
    await cache.writesSettled();
    expect((await inner.stats()).entries).toBe(1);
  });

  it('a stored artifact whose code differs from the lowering is built as stored, not as lowered', async () => {
    const inner = createMemoryStore(ROOMY);
    await openCache({ store: inner }).cache.compile(saxpy(2));
    const storedCode = '// as another build stored it\n';
    const { store, answerReads } = firstVisitStore(inner, (read) => (read.kind === 'hit' ? { kind: 'hit', record: { ...read.record, artifact: { ...read.record.artifact, code: storedCode + read.record.artifact.code } } } : read));
    const { cache, fake } = openCache({ store });
    const pending = cache.compile(saxpy(2));
    await settle();
    answerReads();
    const report = await pending;
    expect(report.tier).toBe('persistent');
    expect(fake.codes).toHaveLength(2);
    expect(fake.codes[0]?.startsWith(storedCode)).toBe(false);
    expect(fake.codes[1]?.startsWith(storedCode)).toBe(true);
    expect((await cache.pipeline(report.pipelineId))?.artifact.code.startsWith(storedCode)).toBe(true);
  });

  it('a pipeline this cache wrote, then evicted from memory, is read before it is lowered again', async () => {
    const inner = createMemoryStore(ROOMY);
    let holdReads = false;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const store: ArtifactStore = {
      ...delegatingStore(inner),
      wasEmptyAtOpen: () => true,
      recordsAhead: async () => [],
      read: async (key) => {
        const read = await inner.read(key);
        if (holdReads) await held;
        return read;
      },
    };
    const { cache, fake } = openCache({ store, memoryBounds: { maxEntries: 1, maxBytes: 1 << 30 } });
    const first = await cache.compile(saxpy(2));
    await cache.compile(saxpy(3)); // evicts saxpy(2) from the memory tier
    await cache.writesSettled();
    holdReads = true;
    const again = cache.compile(saxpy(2));
    await settle();
    expect(fake.calls).toHaveLength(2); // no third build while its read is pending
    release();
    expect(await again).toMatchObject({ tier: 'persistent', cacheHit: null, pipelineId: first.pipelineId });
    expect(fake.calls).toHaveLength(3);
  });

  it('a store that did not open empty reads before it lowers: no build while its read is pending', async () => {
    const { store: gated, answerReads } = firstVisitStore();
    const store: ArtifactStore = { ...gated, wasEmptyAtOpen: () => false };
    const { cache, fake } = openCache({ store });
    const pending = cache.compile(saxpy(2));
    await settle();
    expect(fake.calls).toHaveLength(0);
    answerReads();
    expect(await pending).toMatchObject({ tier: 'compiled', missReason: 'empty-cache' });
  });
});
