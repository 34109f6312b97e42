/**
 * The bounds of both tiers as a pipeline cache meets them: the memory tier evicts by
 * entries and by estimated bytes, a handle outlives the eviction of its pipeline, and the
 * store keeps its own least-recently-used entry bound across a reload.
 */
import { describe, expect, it } from 'vitest';
import { lowerProgram } from '../../src/lower/lower-program.ts';
import { estimateArtifactBytes } from '../../src/pipeline/memory-cache.ts';
import type { IrProgram } from '../../src/protocol/ir.ts';
import { createMemoryStore } from '../../src/store/memory-store.ts';
import { openCache, reload, ROOMY, saxpy, settle, storedIdentities } from './support/pipeline-cache-fixture.ts';

const [A, B, C] = [saxpy(2), saxpy(3), saxpy(4)] as const;

/** What the memory tier counts for `program`, worked out from its lowered WGSL. */
const bytesOf = (program: IrProgram): number => estimateArtifactBytes(lowerProgram(program, program.workgroupSize));

const TWO_ENTRIES = { maxEntries: 2, maxBytes: ROOMY.maxBytes };

describe('PipelineCache: the memory tier\'s entry bound', () => {
  it('evicts the least recently used pipeline; compiling it again builds it from the persistent tier', async () => {
    const { cache, fake } = openCache({ memoryBounds: TWO_ENTRIES });
    const [a, b, c] = [await cache.compile(A), await cache.compile(B), await cache.compile(C)];
    expect((await cache.snapshot()).memory).toMatchObject({ entries: 2, evictions: 1 });
    expect(cache.pipelineInMemory(a.pipelineId)).toBeUndefined();
    expect(cache.pipelineInMemory(c.pipelineId)).toBeDefined();
    // The persistent tier (here the memory store, as with `persistent: false`) still has A.
    expect(await cache.compile(A)).toMatchObject({ tier: 'persistent', cacheHit: null, pipelineId: a.pipelineId });
    expect(fake.codes).toEqual([...fake.codes.slice(0, 3), fake.codes[0]]);
    // A came back as the most recent, so B, now the least recently used, went.
    expect((await cache.snapshot()).memory).toMatchObject({ entries: 2, evictions: 2 });
    expect(cache.pipelineInMemory(b.pipelineId)).toBeUndefined();
  });

  it('a memory hit counts as a use: the pipeline used last is kept', async () => {
    const { cache } = openCache({ memoryBounds: TWO_ENTRIES });
    const a = await cache.compile(A);
    const b = await cache.compile(B);
    await cache.compile(A);
    await cache.compile(C);
    expect(cache.pipelineInMemory(a.pipelineId)).toBeDefined();
    expect(cache.pipelineInMemory(b.pipelineId)).toBeUndefined();
  });

  it('with a one-record store as well, an evicted pipeline is compiled again from scratch (program-changed)', async () => {
    const store = createMemoryStore({ maxEntries: 1, maxBytes: ROOMY.maxBytes });
    const { cache, fake } = openCache({ store, memoryBounds: TWO_ENTRIES });
    for (const program of [A, B, C]) await cache.compile(program);
    expect(await cache.compile(A)).toMatchObject({ tier: 'compiled', cacheHit: false, missReason: 'program-changed' });
    expect(fake.calls).toHaveLength(4);
  });
});

describe('PipelineCache: the memory tier\'s byte bound', () => {
  it('evicts by estimated bytes when the entry bound is far away', async () => {
    const maxBytes = bytesOf(A) + bytesOf(B) + bytesOf(C) - 1;
    const { cache } = openCache({ memoryBounds: { maxEntries: ROOMY.maxEntries, maxBytes } });
    const [a, b, c] = [await cache.compile(A), await cache.compile(B), await cache.compile(C)];
    expect((await cache.snapshot()).memory).toMatchObject({ entries: 2, bytes: bytesOf(B) + bytesOf(C), evictions: 1 });
    expect(cache.pipelineInMemory(a.pipelineId)).toBeUndefined();
    expect(cache.pipelineInMemory(b.pipelineId)).toBeDefined();
    expect(cache.pipelineInMemory(c.pipelineId)).toBeDefined();
    expect(await cache.compile(A)).toMatchObject({ tier: 'persistent' });
  });

  it('serves a pipeline larger than the whole byte bound, without holding it', async () => {
    const { cache, fake } = openCache({ memoryBounds: { maxEntries: ROOMY.maxEntries, maxBytes: bytesOf(A) - 1 } });
    const a = await cache.compile(A);
    expect(a).toMatchObject({ tier: 'compiled', cacheHit: false });
    expect(cache.pipelineInMemory(a.pipelineId)).toBeUndefined();
    expect((await cache.snapshot()).memory).toMatchObject({ entries: 0, bytes: 0, evictions: 1 });
    expect(await cache.compile(A)).toMatchObject({ tier: 'persistent' });
    expect(fake.calls).toHaveLength(2);
  });
});

describe('PipelineCache: handles outlive evictions', () => {
  it('pipeline(id) rebuilds an evicted pipeline from its artifact; pipelineInMemory(id) has it only afterwards', async () => {
    const { cache, fake } = openCache({ memoryBounds: TWO_ENTRIES });
    const a = await cache.compile(A);
    await cache.compile(B);
    await cache.compile(C);
    expect(cache.pipelineInMemory(a.pipelineId)).toBeUndefined();
    const entry = await cache.pipeline(a.pipelineId);
    expect(entry).toMatchObject({ pipelineId: a.pipelineId, label: fake.calls[0]?.label, gpu: { serial: 4, code: fake.codes[0] } });
    expect(entry?.manifest.pipelineId).toBe(a.pipelineId);
    expect(fake.calls[3]?.artifact).toBe(fake.calls[0]?.artifact);
    expect(cache.pipelineInMemory(a.pipelineId)).toBe(entry);
  });

  it('pipeline(id) of a held pipeline builds nothing', async () => {
    const { cache, fake } = openCache();
    const a = await cache.compile(A);
    expect((await cache.pipeline(a.pipelineId))?.gpu.serial).toBe(1);
    expect(fake.calls).toHaveLength(1);
  });

  it('pipeline(id) of an id it never issued is undefined', async () => {
    const { cache } = openCache();
    await cache.compile(A);
    expect(await cache.pipeline('0123456789abcdef')).toBeUndefined();
    expect(cache.pipelineInMemory('0123456789abcdef')).toBeUndefined();
  });

  it('pipeline(id) during the compile that builds it waits for that flight', async () => {
    const { cache, fake } = openCache({ memoryBounds: TWO_ENTRIES });
    const a = await cache.compile(A);
    await cache.compile(B);
    await cache.compile(C);
    fake.holding = true;
    const compile = cache.compile(A);
    await settle();
    const handle = cache.pipeline(a.pipelineId);
    await settle();
    fake.heldAt(0).release();
    await compile;
    expect((await handle)?.gpu.serial).toBe(4);
    expect(fake.calls).toHaveLength(4);
  });

  // Regression: pipeline(id) once joined a flight in progress without registering its own
  // rebuild as one, so two dispatches of an evicted pipeline each issued a GPU compile.
  it('rebuilds an evicted pipeline once for concurrent requests (single flight)', async () => {
    const { cache, fake } = openCache({ memoryBounds: TWO_ENTRIES });
    const a = await cache.compile(A);
    await cache.compile(B);
    await cache.compile(C);
    fake.holding = true;
    const handles = [cache.pipeline(a.pipelineId), cache.pipeline(a.pipelineId)];
    const compile = cache.compile(A);
    await settle();
    for (const held of fake.held) held.release();
    const [first, second] = await Promise.all(handles);
    await compile;
    expect(fake.calls).toHaveLength(4);
    expect(second).toBe(first);
  });
});

describe('PipelineCache: the persistent tier\'s own bounds', () => {
  it('a store bounded to 2 records evicts the least recently used: after a reload, the oldest program misses', async () => {
    const store = createMemoryStore({ maxEntries: 2, maxBytes: ROOMY.maxBytes });
    const first = openCache({ store });
    const a = await first.cache.compile(A);
    await first.cache.compile(B);
    const c = await first.cache.compile(C);
    expect(await store.stats()).toMatchObject({ entries: 2, evictions: 1 });
    expect((await first.cache.snapshot()).persistent).toMatchObject({ entries: 2, evictions: 1 });
    const { cache } = reload(first);
    expect(await cache.compile(B)).toMatchObject({ tier: 'persistent' });
    expect(await cache.compile(C)).toMatchObject({ tier: 'persistent' });
    expect(await cache.compile(A)).toMatchObject({ tier: 'compiled', missReason: 'program-changed' });
    // Writing A evicted B, the least recently read of the two.
    expect((await storedIdentities(store)).map((identity) => identity.slice(0, 16))).toEqual([a.pipelineId, c.pipelineId]);
  });
});
