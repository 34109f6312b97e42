/**
 * The persistent tier in real Chrome with real IndexedDB, across real browser restarts
 * (same profile, `launchPersistentContext`): what survives, what each miss means, and
 * how faults in the store are recovered without the app noticing.
 */
import { expect, test } from '@playwright/test';
import { ENGINE, type HarnessPage } from './support/engine.ts';
import { createProfile, type Profile } from './support/persistent-browser.ts';

type Helpers = typeof import('./support/page-helpers.ts').helpers;
type Vyre = typeof import('../support/vyre-all.ts');
declare global {
  interface Window {
    helpers: Helpers;
  }
}

let profile: Profile;
test.beforeEach(() => {
  profile = createProfile();
});
test.afterEach(() => profile.remove());

const DB = 'vyre-test-cache';

/** Runs `addK(k)` in a fresh runtime on `page` with the test database. */
function runAddK(page: HarnessPage, k: number, options: Record<string, unknown> = {}, policy?: Record<string, unknown>) {
  return page.evaluate(async ([k, db, options, policy]) => {
    const runtime = await window.vyre.createRuntime({ persistent: { dbName: db }, ...options } as never);
    try {
      return await window.helpers.runAddK(runtime, k, policy as never);
    } finally {
      await runtime.dispose();
    }
  }, [k, DB, options, policy] as const);
}

test('after a browser restart, a compile comes from the persistent tier: no lowering, cacheHit null, same results', async () => {
  let browser = await profile.launch();
  const first = await runAddK(browser.page, 5);
  await browser.close();

  browser = await profile.launch();
  const second = await runAddK(browser.page, 5);
  const records = await browser.page.evaluate((db) => window.helpers.allRecords(db), DB);
  await browser.close();

  expect(first).toMatchObject({ tier: 'compiled', cacheHit: false, missReason: 'empty-cache', y: [5, 6, 7, 8] });
  // Firefox's timers have a 1 ms grain on a page that is not cross-origin isolated, so a
  // sub-millisecond lowering can read 0 there; Chrome's 100 µs grain still sees it.
  if (ENGINE === 'chrome') expect(first.lower).toBeGreaterThan(0);
  expect(second).toEqual({ tier: 'persistent', cacheHit: null, missReason: null, lower: 0, y: first.y });
  expect(records).toHaveLength(1);
  expect(browser.errors).toEqual([]);
});

test('a store says it opened empty on a database without records, and not once one was written: the first visit, whose compiles build while the store is read', async () => {
  const browser = await profile.launch();
  try {
    const opened = await browser.page.evaluate(() => window.helpers.openedEmpty('vyre-test-opened-empty'));
    expect(opened).toEqual({ asItIs: true, afterAWrite: false });
    // A first visit's compile is still a miss, written for the next visit, with an exact result.
    const first = await runAddK(browser.page, 7);
    expect(first).toMatchObject({ tier: 'compiled', cacheHit: false, missReason: 'empty-cache', y: [7, 8, 9, 10] });
    expect((await browser.page.evaluate((db) => window.helpers.allRecords(db), DB)).length).toBe(1);
  } finally {
    await browser.close();
  }
});

test('each miss reason arises from the change that causes it', async () => {
  const browser = await profile.launch();
  const page = browser.page;
  const reasons = {
    empty: (await runAddK(page, 1)).missReason,
    program: (await runAddK(page, 2)).missReason,
    policy: (await runAddK(page, 1, {}, { workgroupSize: 32 })).missReason,
  };
  // Another device's record of program 3, and program 4 stored under an older key of this device.
  const crafted = await page.evaluate(async (db) => {
    const vyre: Vyre = window.vyre;
    const runtime = await vyre.createRuntime({ persistent: { dbName: db } });
    await window.helpers.runAddK(runtime, 3);
    await window.helpers.runAddK(runtime, 4);
    await runtime.dispose();
    const records = await window.helpers.allRecords(db);
    const [three, four] = [3, 4].map((k) => records.find((r) => r.artifact.code.includes(`"add-${k}"`)));
    if (!three || !four) throw new Error('records of programs 3 and 4 not found');
    await window.helpers.deleteRecord(db, three.identity);
    await window.helpers.craftVariant(db, three, { deviceFingerprint: 'f'.repeat(64), identity: 'a'.repeat(64) });
    await window.helpers.deleteRecord(db, four.identity);
    await window.helpers.craftVariant(db, four, { identity: 'b'.repeat(64) });
  }, DB);
  void crafted;
  const device = (await runAddK(page, 3)).missReason;
  const key = (await runAddK(page, 4)).missReason;
  await browser.close();
  expect({ ...reasons, device, key }).toEqual({
    empty: 'empty-cache',
    program: 'program-changed',
    policy: 'dispatch-policy-changed',
    device: 'device-or-runtime-changed',
    key: 'key-absent',
  });
});

for (const how of ['bad checksum', 'truncated WGSL', 'wrong schema version', 'missing field', 'not an object'] as const) {
  test(`recovers a record with ${how}: corrupt-entry, rebuilt, correct result`, async () => {
    const browser = await profile.launch();
    const page = browser.page;
    await runAddK(page, 7);
    await page.evaluate(async ([db, how]) => {
      const [record] = await window.helpers.allRecords(db);
      if (!record) throw new Error('nothing stored');
      await window.helpers.corrupt(db, record.identity, how);
    }, [DB, how] as const);
    const recovered = await runAddK(page, 7);
    const again = await runAddK(page, 7);
    const records = await page.evaluate((db) => window.helpers.allRecords(db), DB);
    await browser.close();
    expect(recovered).toMatchObject({ tier: 'compiled', cacheHit: false, missReason: 'corrupt-entry', y: [7, 8, 9, 10] });
    expect(again).toMatchObject({ tier: 'persistent', y: [7, 8, 9, 10] });
    expect(records).toHaveLength(1);
    expect(browser.errors).toEqual([]);
  });
}

test('startup prewarm fills the memory tier from the store, so compiles after a restart are memory-tier hits', async () => {
  let browser = await profile.launch();
  for (const k of [11, 12, 13]) await runAddK(browser.page, k);
  await browser.close();

  browser = await profile.launch();
  const result = await browser.page.evaluate(async (db) => {
    const runtime = await window.vyre.createRuntime({ persistent: { dbName: db }, prewarmOnStart: true });
    // App start-up work while the worker replays the working set. Wait for the replay by its
    // counter, not a fixed delay: how long three compiles take depends on the machine.
    for (let waited = 0; waited < 10_000; waited += 10) {
      const { counters } = await runtime.cacheSnapshot();
      if (counters.startupPrewarmed >= 3) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const runs = [];
    for (const k of [13, 12, 11]) runs.push(await window.helpers.runAddK(runtime, k));
    const snapshot = await runtime.cacheSnapshot();
    await runtime.dispose();
    return { runs, counters: snapshot.counters };
  }, DB);
  await browser.close();
  for (const run of result.runs) expect(run).toMatchObject({ tier: 'memory', cacheHit: true, lower: 0 });
  expect(result.counters.compiled).toBe(0);
  expect(result.counters.startupPrewarmed).toBe(3);
});

test('after a restart, the startup replay begins before createRuntime resolves, warms in the order the app first asked last visit, and after 100 ms of app work the app\'s first compile comes back warm', async () => {
  let browser = await profile.launch();
  // The last visit, one runtime: first asks for add-33, then 31, then 32; then uses add-33
  // again after a dozen others pushed it out of a one-entry memory tier, so by last use
  // add-33 is the most recent (the old last-use replay would have warmed it last).
  const firstVisit = await browser.page.evaluate(async (db) => {
    const runtime = await window.vyre.createRuntime({ persistent: { dbName: db }, cache: { maxEntries: 1 } });
    const ids: string[] = [];
    for (const k of [33, 31, 32]) ids.push((await runtime.compile(window.helpers.addK(k))).pipeline.id);
    const again = await runtime.compile(window.helpers.addK(33));
    await runtime.dispose();
    return { ids, againTier: again.tier };
  }, DB);
  await browser.close();
  expect(firstVisit.againTier).toBe('persistent');

  browser = await profile.launch();
  const next = await browser.page.evaluate(async (db) => {
    const starting = window.vyre.createRuntime({ persistent: { dbName: db }, prewarmOnStart: true });
    // The app's own start-up work (100 ms of a busy main thread), as an app loading its page does.
    for (const until = performance.now() + 100; performance.now() < until;);
    const runtime = await starting;
    const first = await window.helpers.runAddK(runtime, 33);
    for (let waited = 0; waited < 10_000 && !(await runtime.cacheSnapshot()).startupReplay?.done; waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const snapshot = await runtime.cacheSnapshot();
    await runtime.dispose();
    return { startup: runtime.startup, first, replay: snapshot.startupReplay };
  }, DB);
  await browser.close();
  // Worker-side times since the createRuntime call: the replay started before the runtime was ready.
  expect(next.startup.replay).not.toBeNull();
  expect(next.startup.replay as number).toBeLessThanOrEqual(next.startup.ready);
  expect(next.replay?.order).toEqual(firstVisit.ids);
  // Warmed by the replay before the app asked, or joined while the replay built it: never rebuilt.
  expect(next.first).toMatchObject({ tier: 'memory', cacheHit: true, lower: 0, y: [33, 34, 35, 36] });
  expect(next.replay?.warmed).toEqual(firstVisit.ids.filter((id) => next.replay?.warmed.includes(id)));
});

test('a database that cannot open leaves the runtime memory-only, reported, with correct results', async () => {
  const browser = await profile.launch();
  const result = await browser.page.evaluate(async (db) => {
    // A newer schema already there: our version-1 open fails with VersionError.
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.open(db, 999);
      request.onsuccess = () => {
        request.result.close();
        resolve();
      };
      request.onerror = () => reject(request.error);
    });
    const runtime = await window.vyre.createRuntime({ persistent: { dbName: db } });
    const run = await window.helpers.runAddK(runtime, 9);
    const again = await window.helpers.runAddK(runtime, 9);
    const snapshot = await runtime.cacheSnapshot();
    await runtime.dispose();
    return { run, again, storage: snapshot.storage };
  }, DB);
  await browser.close();
  expect(result.storage.mode).toBe('memory-only');
  expect(result.run).toMatchObject({ tier: 'compiled', y: [9, 10, 11, 12] });
  expect(result.again).toMatchObject({ tier: 'memory', y: [9, 10, 11, 12] });
});

test('two pages of one origin compiling the same 20 programs at once leave exactly 20 valid records', async () => {
  test.setTimeout(240_000);
  const browser = await profile.launch();
  const second = await browser.openPage();
  const compileAll = (page: HarnessPage) =>
    page.evaluate(async (db) => {
      const runtime = await window.vyre.createRuntime({ persistent: { dbName: db } });
      const reports = await runtime.prewarm(Array.from({ length: 20 }, (_, k) => window.helpers.addK(100 + k)), { concurrency: 4 });
      await runtime.dispose();
      return reports.length;
    }, DB);
  const counts = await Promise.all([compileAll(browser.page), compileAll(second)]);
  const check = await browser.page.evaluate(async (db) => {
    const records = await window.helpers.allRecords(db);
    const runtime = await window.vyre.createRuntime({ persistent: { dbName: db } });
    const tiers = [];
    for (let k = 0; k < 20; k++) tiers.push((await window.helpers.runAddK(runtime, 100 + k)).tier);
    const snapshot = await runtime.cacheSnapshot();
    await runtime.dispose();
    return { records: records.length, identities: new Set(records.map((r) => r.identity)).size, tiers, persistent: snapshot.persistent };
  }, DB);
  await browser.close();
  expect(counts).toEqual([20, 20]);
  expect(check.records).toBe(20);
  expect(check.identities).toBe(20);
  expect(new Set(check.tiers)).toEqual(new Set(['persistent']));
  expect(check.persistent.entries).toBe(20);
  expect(browser.errors).toEqual([]);
});

test('500 artifacts stay within the persistent bounds, least recently used evicted first', async () => {
  test.setTimeout(240_000);
  const browser = await profile.launch();
  const result = await browser.page.evaluate(async (db) => {
    return window.helpers.fillStore(db, 500, { maxEntries: 120, maxBytes: 1024 * 1024 });
  }, DB);
  await browser.close();
  expect(result.entries).toBeLessThanOrEqual(120);
  expect(result.bytes).toBeLessThanOrEqual(1024 * 1024);
  expect(result.recordsInDatabase).toBe(result.entries);
  expect(result.newestKept).toBe(true);
  expect(result.oldestEvicted).toBe(true);
});

test('the uses of stored records are held while compiles follow one another and reach the database together once they pause, without dispose', async () => {
  let browser = await profile.launch();
  await runAddK(browser.page, 41);
  await runAddK(browser.page, 42);
  await browser.close();

  browser = await profile.launch();
  const result = await browser.page.evaluate(async (db) => {
    const lastUsed = async (): Promise<number[]> => (await window.helpers.allRecords(db)).map((record) => record.lastUsed).sort((a, b) => a - b);
    const before = await lastUsed();
    const runtime = await window.vyre.createRuntime({ persistent: { dbName: db } });
    const tiers = [(await runtime.compile(window.helpers.addK(41))).tier, (await runtime.compile(window.helpers.addK(42))).tier];
    // Right after the compiles their hits' uses are still held: the next compile's read waits on no write.
    const rightAfter = await lastUsed();
    // The quiet time (500 ms) passes: the held uses are written, though the runtime lives on.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const later = await lastUsed();
    await runtime.dispose();
    return { before, rightAfter, later, tiers };
  }, DB);
  await browser.close();
  expect(result.tiers).toEqual(['persistent', 'persistent']);
  expect(result.rightAfter).toEqual(result.before);
  expect(result.later).toHaveLength(2);
  expect(result.later.every((used, i) => used > (result.before[i] ?? Infinity))).toBe(true);
});

test('after a restart, the runtime reads this device\'s records ahead in one transaction and builds last visit\'s first pipeline unasked; compiles in last visit\'s order are served by GPU builds started before each program was checked; none after clearCache', async () => {
  let browser = await profile.launch();
  await browser.page.evaluate(async (db) => {
    const runtime = await window.vyre.createRuntime({ persistent: { dbName: db } });
    for (const k of [51, 52, 53, 54]) await window.helpers.runAddK(runtime, k);
    await runtime.dispose();
  }, DB);
  await browser.close();

  browser = await profile.launch();
  const result = await browser.page.evaluate(async (db) => {
    const runtime = await window.vyre.createRuntime({ persistent: { dbName: db } });
    // The start builds last visit's first pipeline ahead, unasked.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const atStart = (await runtime.cacheSnapshot()).counters.builtAhead;
    const runs = [];
    for (const k of [51, 52, 53, 54]) runs.push(await window.helpers.runAddK(runtime, k));
    const { persistent, counters } = await runtime.cacheSnapshot();
    await runtime.clearCache({ memory: true, persistent: true });
    const afterClear = await window.helpers.runAddK(runtime, 53);
    const after = await runtime.cacheSnapshot();
    await runtime.dispose();
    return {
      atStart,
      runs: runs.map((run) => [run.tier, run.y.join()]),
      hits: persistent.readAheadHits,
      builtAhead: [counters.builtAhead, counters.builtAheadUsed],
      afterClear: afterClear.tier,
      after: [after.persistent.readAheadHits, after.counters.builtAhead],
    };
  }, DB);
  await browser.close();
  expect(result.atStart, 'builds ahead before the first compile').toBe(1);
  expect(result.runs).toEqual([['persistent', '51,52,53,54'], ['persistent', '52,53,54,55'], ['persistent', '53,54,55,56'], ['persistent', '54,55,56,57']]);
  expect(result.hits).toBe(4);
  expect(result.builtAhead, 'builds started ahead, and of those the ones the compile wanted').toEqual([4, 4]);
  expect(result.afterClear).toBe('compiled');
  expect(result.after).toEqual([4, 4]);
});
