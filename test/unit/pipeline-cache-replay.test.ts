/**
 * Warming pipelines before the app asks: `prewarmPrograms` (compile without a dispatch,
 * a few at a time, with progress) and the startup replay of the stored working set, which
 * gives way to the app's own compiles.
 */
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../src/logger.ts';
import { pipelineIdentity, pipelineIdOf } from '../../src/pipeline/identity.ts';
import { prewarmPrograms, type PrewarmRequest } from '../../src/pipeline/prewarm.ts';
import { programDigest } from '../../src/program/digest.ts';
import type { PipelinePrewarmReport, PrewarmProgress } from '../../src/protocol/compile.ts';
import type { IrProgram } from '../../src/protocol/ir.ts';
import {
  identityOf, openCache, OTHER_DEVICE, reload, rejectionOf, saxpy, settle, shaderError, THIS_DEVICE, type CacheUnderTest,
} from './support/pipeline-cache-fixture.ts';

const [A, B, C] = [saxpy(2), saxpy(3), saxpy(4)] as const;

/** The pipeline id `program` gets on this device with its own workgroup size, from the identity's parts. */
const idOf = (program: IrProgram): string =>
  pipelineIdOf(pipelineIdentity({ programDigest: programDigest(program), policyString: 'wg=[64,1,1]', deviceFingerprint: THIS_DEVICE.digest }));

/** What one prewarm gave: its reports, the progress events, and the codes of its warnings. */
interface Prewarmed {
  readonly reports: PipelinePrewarmReport[];
  readonly progress: PrewarmProgress[];
  readonly warnings: string[];
}

/** Prewarms `programs` through `under`'s cache, collecting progress (unless `request` brings its own callback) and warnings. */
async function prewarm(under: CacheUnderTest, programs: unknown, request: PrewarmRequest = {}): Promise<Prewarmed> {
  const progress: PrewarmProgress[] = [];
  const warnings: string[] = [];
  const onProgress = request.onProgress ?? ((event: PrewarmProgress) => void progress.push(event));
  const logger: Logger = { warn: (code) => void warnings.push(code) };
  const reports = await prewarmPrograms(programs, { ...request, onProgress }, (program) => under.cache.compile(program), logger);
  return { reports, progress, warnings };
}

describe('prewarmPrograms over a pipeline cache', () => {
  it.each([1, 2])('with concurrency %i, reports every program in input order, progress 1…n of n', async (concurrency) => {
    const under = openCache();
    const { reports, progress } = await prewarm(under, [A, B, C], { concurrency });
    expect(reports.map((r) => r.pipelineId)).toEqual([idOf(A), idOf(B), idOf(C)]);
    expect(reports.map((r) => [r.tier, r.cacheHit, r.manifest.cacheHit])).toEqual(Array(3).fill(['compiled', false, false]));
    expect(progress.map((p) => [p.completed, p.total])).toEqual([[1, 3], [2, 3], [3, 3]]);
    expect(new Set(progress.map((p) => p.report))).toEqual(new Set(reports));
    expect(under.fake.calls).toHaveLength(3);
  });

  it('keeps input order when builds finish out of order; progress follows completion', async () => {
    const under = openCache();
    under.fake.holding = true;
    const running = prewarm(under, [A, B, C], { concurrency: 2 });
    await settle();
    expect(under.fake.calls).toHaveLength(2); // A and B: two lanes
    under.fake.heldAt(1).release(); // B
    await settle();
    expect(under.fake.calls).toHaveLength(3); // B's lane took C
    under.fake.heldAt(2).release(); // C
    under.fake.heldAt(0).release(); // A
    const { reports, progress } = await running;
    expect(reports.map((r) => r.pipelineId)).toEqual([idOf(A), idOf(B), idOf(C)]);
    expect(progress.map((p) => [p.completed, p.report.pipelineId])).toEqual([[1, idOf(B)], [2, idOf(C)], [3, idOf(A)]]);
  });

  it('a program listed twice is built once; later compiles of prewarmed programs are memory hits', async () => {
    const under = openCache();
    const { reports } = await prewarm(under, [A, A], { concurrency: 2 });
    expect(reports.map((r) => r.tier)).toEqual(['compiled', 'memory']);
    expect(await under.cache.compile(A)).toMatchObject({ tier: 'memory', cacheHit: true });
    expect(under.fake.calls).toHaveLength(1);
    expect(under.cache.telemetry.audit.report(0)).toMatchObject({ hits: 2, misses: 1 });
  });

  it('a progress callback that throws does not fail the prewarm; each throw is logged', async () => {
    const under = openCache();
    const { reports, warnings } = await prewarm(under, [A, B], { onProgress: () => { throw new Error('page closed'); } });
    expect(reports.map((r) => r.tier)).toEqual(['compiled', 'compiled']);
    expect(warnings).toEqual(['progress-callback-failed', 'progress-callback-failed']);
  });

  it.each<[string, unknown]>([['a program', A], ['null', null], ['a string', 'A,B'], ['an object', { 0: A, length: 1 }]])(
    'rejects %s in place of a list with invalid-program, building nothing',
    async (_, programs) => {
      const under = openCache();
      expect((await rejectionOf(prewarm(under, programs))).code).toBe('invalid-program');
      expect(under.fake.calls).toHaveLength(0);
    },
  );

  it.each<[string, unknown]>([['0', 0], ['-1', -1], ['1.5', 1.5], ['"2"', '2'], ['NaN', Number.NaN], ['Infinity', Number.POSITIVE_INFINITY]])(
    'rejects concurrency %s with invalid-input, building nothing',
    async (_, concurrency) => {
      const under = openCache();
      expect((await rejectionOf(prewarm(under, [A], { concurrency }))).code).toBe('invalid-input');
      expect(under.fake.calls).toHaveLength(0);
    },
  );

  it('a bad program in the list rejects the prewarm with invalid-program', async () => {
    const under = openCache();
    expect((await rejectionOf(prewarm(under, [A, { kind: 'ir' }], { concurrency: 1 }))).code).toBe('invalid-program');
    expect(under.fake.calls).toHaveLength(1);
  });
});

/** A store that holds A, B and C, compiled in that order (C most recently used). */
async function storedABC(): Promise<CacheUnderTest> {
  const first = openCache();
  for (const program of [A, B, C]) await first.cache.compile(program);
  return first;
}

describe('PipelineCache: startup replay of the working set', () => {
  it('replays the limit most recently used records in the order the app first asked for them: limit 2 of A, B, C builds B then C', async () => {
    const first = await storedABC();
    const { cache, fake } = reload(first);
    expect(await cache.replayWorkingSet(2)).toBe(2);
    expect(fake.codes).toEqual([first.fake.codes[1], first.fake.codes[2]]);
    expect(fake.calls.map((call) => call.label)).toEqual([`vyre-web prewarm ${idOf(B)}`, `vyre-web prewarm ${idOf(C)}`]);
    const { counters } = await cache.snapshot();
    expect(counters).toMatchObject({ startupPrewarmed: 2, persistentHits: 2, compiled: 0 });
    expect(cache.telemetry.audit.report(0)).toMatchObject({ hits: 0, misses: 0, unknowns: 2 });
    // The app's first compile of a replayed program is warm; A was not replayed.
    expect(await cache.compile(B)).toMatchObject({ tier: 'memory', cacheHit: true });
    expect(await cache.compile(A)).toMatchObject({ tier: 'persistent', cacheHit: null });
    expect(fake.calls).toHaveLength(3);
  });

  it('replays in the order the app first asked on its last visit, though a later use moved the first kernel to the back of the last-use order', async () => {
    const first = await storedABC();
    // The last visit: A, B, C asked for in that order, then A again after the one-entry memory
    // tier dropped it, so A was read from the store last of all (last-use order B, C, A).
    const visit = reload(first, { memoryBounds: { maxEntries: 1, maxBytes: 1 << 20 } });
    for (const program of [A, B, C, A]) await visit.cache.compile(program);
    const { cache, fake } = reload(first);
    expect(await cache.replayWorkingSet(3)).toBe(3);
    expect(fake.calls.map((call) => call.label)).toEqual([A, B, C].map((program) => `vyre-web prewarm ${idOf(program)}`));
    expect((await cache.snapshot()).startupReplay).toEqual({ order: [A, B, C].map(idOf), warmed: [A, B, C].map(idOf), done: true });
  });

  it('puts the last visit\'s pipelines first, each in first-use order, before those only earlier visits asked for', async () => {
    const first = await storedABC();
    // The next visit asks only for C, then A (B stays stored, warmed by nobody).
    const visit = reload(first);
    for (const program of [C, A]) await visit.cache.compile(program);
    const { cache, fake } = reload(first);
    await cache.replayWorkingSet(3);
    expect(fake.calls.map((call) => call.label)).toEqual([C, A, B].map((program) => `vyre-web prewarm ${idOf(program)}`));
  });

  it('a replayed pipeline the app never asked for does not count as used: the app\'s own order comes first next time', async () => {
    const first = await storedABC();
    const visit = reload(first);
    await visit.cache.replayWorkingSet(3);
    await visit.cache.compile(C); // the only one the app asked for on this visit
    const { cache, fake } = reload(first);
    await cache.replayWorkingSet(3);
    expect(fake.calls.map((call) => call.label)).toEqual([C, A, B].map((program) => `vyre-web prewarm ${idOf(program)}`));
  });

  it('a persistent-tier compile reports the GPU compile time kept from the first compile; other tiers report null', async () => {
    const first = openCache();
    const compiled = await first.cache.compile(A);
    expect(compiled.timings.firstGpuCompile).toBeNull();
    expect(compiled.timings.gpuCompile).toBeGreaterThan(0);
    const again = reload(first);
    const persistent = await again.cache.compile(A);
    expect(persistent).toMatchObject({ tier: 'persistent', cacheHit: null });
    expect(persistent.timings.firstGpuCompile).toBe(compiled.timings.gpuCompile);
    expect((await again.cache.compile(A)).timings.firstGpuCompile).toBeNull(); // memory
  });

  it('replays only the records of its own device fingerprint', async () => {
    const first = openCache();
    await first.cache.compile(A);
    await reload(first, { fingerprint: OTHER_DEVICE }).cache.compile(B);
    const { cache, fake } = reload(first);
    expect(await cache.replayWorkingSet(10)).toBe(1);
    expect(fake.codes).toEqual([first.fake.codes[0]]);
  });

  it('skips what the app already compiled (and what a wrong guess built ahead), and replays nothing from an empty store', async () => {
    const first = await storedABC();
    const { cache, fake } = reload(first);
    expect((await cache.snapshot()).startupReplay).toBeNull();
    // Last visit's first program was A, so C's compile builds A ahead on a guess (build-ahead.ts), wrongly.
    await cache.compile(C);
    expect(fake.codes).toEqual([first.fake.codes[0], first.fake.codes[2]]);
    expect((await cache.snapshot()).counters).toMatchObject({ builtAhead: 1, builtAheadUsed: 0 });
    expect(await cache.replayWorkingSet(3)).toBe(1);
    // C, asked for in this session already, heads the order; C and A are held already, so skipped.
    expect((await cache.snapshot()).startupReplay).toEqual({ order: [C, A, B].map(idOf), warmed: [B].map(idOf), done: true });
    expect(fake.codes).toEqual([first.fake.codes[0], first.fake.codes[2], first.fake.codes[1]]);
    expect(await openCache().cache.replayWorkingSet(3)).toBe(0);
  });

  it('gives way to the app: a compile that starts during a replay build runs before the replay\'s next build', async () => {
    const first = await storedABC();
    const { cache, fake } = reload(first);
    const [codeA, codeB, codeC] = first.fake.codes;
    fake.holding = true;
    const replay = cache.replayWorkingSet(3); // A, B, C
    await settle();
    expect(fake.codes).toEqual([codeA]);
    const app = cache.compile(C); // not replayed yet
    await settle();
    expect(fake.codes).toEqual([codeA, codeC]);
    fake.heldAt(0).release(); // the replay's A lands; its next build must wait for the app
    await settle();
    expect(fake.codes).toEqual([codeA, codeC]);
    fake.heldAt(1).release();
    expect(await app).toMatchObject({ tier: 'persistent', cacheHit: null });
    await settle();
    expect(fake.codes).toEqual([codeA, codeC, codeB]); // then B; C is held already, so skipped
    fake.heldAt(2).release();
    expect(await replay).toBe(2);
    expect((await cache.snapshot()).counters).toMatchObject({ startupPrewarmed: 2, persistentHits: 3 });
  });

  it('an app compile of the program the replay is building joins that flight', async () => {
    const first = await storedABC();
    const { cache, fake } = reload(first);
    fake.holding = true;
    const replay = cache.replayWorkingSet(1); // C, the most recent
    await settle();
    const app = cache.compile(C);
    await settle();
    expect(fake.calls).toHaveLength(1);
    fake.heldAt(0).release();
    expect(await app).toMatchObject({ tier: 'memory', cacheHit: true, missReason: null, pipelineId: idOf(C) });
    expect(await replay).toBe(1);
    expect(fake.calls).toHaveLength(1);
    expect((await cache.snapshot()).counters).toMatchObject({ joinedInFlight: 1, startupPrewarmed: 1, memoryHits: 1 });
  });

  it('a build that fails during the replay is logged and the replay goes on with the next', async () => {
    const first = await storedABC();
    const under = reload(first);
    const { cache, fake, logs } = under;
    const [codeA, codeB, codeC] = first.fake.codes;
    fake.failWith = (artifact) => (artifact.code === codeB ? shaderError() : undefined);
    expect(await cache.replayWorkingSet(3)).toBe(2);
    expect(fake.codes).toEqual([codeA, codeB, codeC]);
    expect(logs.map((entry) => [entry.code, entry.details?.['identity']])).toEqual([['prewarm-failed', await identityOf(under.store, idOf(B))]]);
    expect((await cache.snapshot()).counters.startupPrewarmed).toBe(2);
    // Nothing of the failed flight is left behind: the app's compile builds B again.
    fake.failWith = () => undefined;
    expect(await cache.compile(B)).toMatchObject({ tier: 'persistent' });
    expect(fake.calls).toHaveLength(4);
  });
});
