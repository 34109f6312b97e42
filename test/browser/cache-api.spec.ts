/**
 * The cache API as an app uses it: prewarm with progress across the worker boundary,
 * the audit, snapshots, manifests, clearing, memory-tier bounds, and another tab
 * upgrading the database underneath a running runtime.
 */
import { expect, test } from './support/fixtures.ts';

test.use({ harness: '/test/browser/pages/cache.html' });

test('prewarm reports per program in order, with progress in the main thread, and warms later compiles', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async () => {
    const { createRuntime } = window.vyre;
    const runtime = await createRuntime({ persistent: { dbName: `prewarm-${Date.now()}` } });
    const programs = [1, 2, 3].map((k) => window.helpers.addK(k));
    const progress: number[] = [];
    const reports = await runtime.prewarm([...programs, programs[0]!], { concurrency: 2, onProgress: (p) => progress.push(p.completed) });
    const later = await runtime.compile(programs[1]!);
    await runtime.dispose();
    return { tiers: reports.map((r) => r.tier), ids: reports.map((r) => r.pipelineId), progress: progress.sort(), later: later.tier };
  });
  expect(result.tiers.slice(0, 3)).toEqual(['compiled', 'compiled', 'compiled']);
  // The repeat of program 1 either found it compiled or joined its flight.
  expect(result.tiers[3]).toBe('memory');
  expect(result.ids[3]).toBe(result.ids[0]);
  expect(new Set(result.ids.slice(0, 3)).size).toBe(3);
  expect(result.progress).toEqual([1, 2, 3, 4]);
  expect(result.later).toBe('memory');
});

test('two compiles of one program at once share one flight: one GPU compile, the other joins it', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async () => {
    const runtime = await window.vyre.createRuntime({ persistent: false });
    // Both requests are posted before the worker handles the first; the second finds it in flight.
    const [first, second] = await Promise.all([runtime.compile(window.helpers.addK(21)), runtime.compile(window.helpers.addK(21))]);
    const { counters } = await runtime.cacheSnapshot();
    await runtime.dispose();
    return { ids: [first.pipeline.id, second.pipeline.id], tiers: [first.tier, second.tier], compiled: counters.compiled, joined: counters.joinedInFlight };
  });
  expect(result.ids[0]).toBe(result.ids[1]);
  expect(result.tiers).toEqual(['compiled', 'memory']);
  expect({ compiled: result.compiled, joined: result.joined }).toEqual({ compiled: 1, joined: 1 });
});

test('the audit counts every compile and prewarm: 3 hits and 1 miss is 7500 bps, alarm only strictly below', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async () => {
    const runtime = await window.vyre.createRuntime({ persistent: false });
    const empty = await runtime.cacheAudit(9000);
    await runtime.prewarm([window.helpers.addK(1)]);
    for (let n = 0; n < 3; n++) await runtime.compile(window.helpers.addK(1));
    const audits = [await runtime.cacheAudit(0), await runtime.cacheAudit(7500), await runtime.cacheAudit(7501)];
    let badThreshold: string | undefined;
    try {
      await runtime.cacheAudit(-1);
    } catch (error) {
      badThreshold = (error as { code?: string }).code;
    }
    await runtime.dispose();
    return { empty, audits, badThreshold };
  });
  expect(result.empty).toEqual({ hits: 0, misses: 0, unknowns: 0, hitRateBps: null, belowAlarmThreshold: false });
  expect(result.audits.map((a) => [a.hits, a.misses, a.hitRateBps, a.belowAlarmThreshold])).toEqual([
    [3, 1, 7500, false],
    [3, 1, 7500, false],
    [3, 1, 7500, true],
  ]);
  expect(result.badThreshold).toBe('invalid-input');
});

test('snapshots count tiers and bytes; manifests list what is stored; clearCache empties each tier', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async () => {
    const db = `snapshot-${Date.now()}`;
    const { createRuntime, parseManifest } = window.vyre;
    let runtime = await createRuntime({ persistent: { dbName: db } });
    await window.helpers.runAddK(runtime, 1);
    await window.helpers.runAddK(runtime, 2);
    await window.helpers.runAddK(runtime, 1);
    const before = await runtime.cacheSnapshot();
    const manifests = await runtime.manifests();
    const roundTrip = manifests.map((m) => parseManifest(JSON.stringify(m)));
    await runtime.clearCache({ memory: true, persistent: false });
    const afterMemory = await window.helpers.runAddK(runtime, 1);
    await runtime.clearCache({ persistent: true, memory: true });
    const afterBoth = await window.helpers.runAddK(runtime, 1);
    const cleared = await runtime.cacheSnapshot();
    await runtime.dispose();
    runtime = await createRuntime({ persistent: { dbName: db } });
    const nextRuntime = await window.helpers.runAddK(runtime, 2);
    await runtime.dispose();
    return { before, manifests, roundTrip, afterMemory: afterMemory.tier, afterBoth: [afterBoth.tier, afterBoth.missReason], cleared, nextRuntime: [nextRuntime.tier, nextRuntime.missReason] };
  });
  expect(result.before.storage.mode).toBe('persistent');
  expect(result.before.memory).toMatchObject({ entries: 2, maxEntries: 256 });
  expect(result.before.memory.bytes).toBeGreaterThan(0);
  expect(result.before.persistent).toMatchObject({ entries: 2, maxEntries: 1024 });
  expect(result.before.counters).toMatchObject({ memoryHits: 1, compiled: 2, persistentHits: 0 });
  expect(result.before.counters.missReasons).toMatchObject({ 'empty-cache': 1, 'program-changed': 1 });
  expect(result.manifests).toHaveLength(2);
  expect(result.roundTrip).toEqual(result.manifests);
  for (const manifest of result.manifests) {
    expect(manifest).toMatchObject({ schema: 1, backendId: 'webgpu', dispatchPolicy: 'wg=[64,1,1]', libraryVersion: '0.1.0' });
    expect(manifest.programDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.wgslHash).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.browser).toMatch(/\d+\.\d+/);
  }
  expect(result.afterMemory).toBe('persistent');
  expect(result.afterBoth).toEqual(['compiled', 'empty-cache']);
  expect(result.cleared.persistent.entries).toBe(1);
  // Program 2 was cleared from the store; only program 1 was written again.
  expect(result.nextRuntime).toEqual(['compiled', 'program-changed']);
});

test('the memory tier holds at most maxEntries pipelines, and an evicted pipeline handle still dispatches', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async () => {
    const runtime = await window.vyre.createRuntime({ persistent: false, cache: { maxEntries: 2 } });
    const first = await runtime.compile(window.helpers.addK(1));
    await runtime.compile(window.helpers.addK(2));
    await runtime.compile(window.helpers.addK(3));
    const snapshot = await runtime.cacheSnapshot();
    const { y } = await first.pipeline.dispatch({ x: Uint32Array.of(10) });
    const again = await runtime.compile(window.helpers.addK(1));
    await runtime.dispose();
    return { memory: snapshot.memory, y: Array.from(y ?? []), again: again.tier };
  });
  expect(result.memory).toMatchObject({ entries: 2, maxEntries: 2, evictions: 1 });
  expect(result.y).toEqual([11]);
  expect(result.again).toBe('memory');
});

test('invalid cache limits fall back to the defaults instead of failing', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async () => {
    const runtime = await window.vyre.createRuntime({
      cache: { maxEntries: 0, maxBytes: Number.NaN },
      persistent: { dbName: `limits-${Date.now()}`, maxEntries: -5, maxBytes: 'lots' as never },
    });
    const snapshot = await runtime.cacheSnapshot();
    const run = await window.helpers.runAddK(runtime, 1);
    await runtime.dispose();
    return { memory: snapshot.memory, persistent: snapshot.persistent, y: run.y };
  });
  expect(result.memory).toMatchObject({ maxEntries: 256, maxBytes: 256 * 1024 * 1024 });
  expect(result.persistent).toMatchObject({ maxEntries: 1024, maxBytes: 64 * 1024 * 1024 });
  expect(result.y).toEqual([1, 2, 3, 4]);
});

test('another tab upgrading the database closes our connection cleanly: memory-only, still correct', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async () => {
    const db = `upgrade-${Date.now()}`;
    const runtime = await window.vyre.createRuntime({ persistent: { dbName: db } });
    await window.helpers.runAddK(runtime, 1);
    // What another tab with a newer schema does; it must not be blocked by us.
    const upgraded = await new Promise<string>((resolve) => {
      const request = indexedDB.open(db, 2);
      request.onblocked = () => resolve('blocked');
      request.onsuccess = () => {
        request.result.close();
        resolve('upgraded');
      };
      request.onerror = () => resolve(`error ${request.error?.name}`);
    });
    const run = await window.helpers.runAddK(runtime, 2);
    const snapshot = await runtime.cacheSnapshot();
    await runtime.dispose();
    return { upgraded, y: run.y, storage: snapshot.storage.mode };
  });
  expect(result.upgraded).toBe('upgraded');
  expect(result.y).toEqual([2, 3, 4, 5]);
  expect(result.storage).toBe('memory-only');
});
