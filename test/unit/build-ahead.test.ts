/**
 * After a restart, a compile of a stored program starts that record's GPU build on a guess
 * from last visit's order (src/pipeline/build-ahead.ts) while the program is still being
 * checked and hashed; the compile is served by it only when its key turns out to be the
 * guessed record's.
 */
import { describe, expect, it } from 'vitest';
import type { StoredArtifact } from '../../src/pipeline/artifact-store.ts';
import * as kernels from '../../src/kernels/index.ts';
import { guessStoredRecord } from '../../src/pipeline/build-ahead.ts';
import { createMemoryStore } from '../../src/store/memory-store.ts';
import { openCache, OTHER_DEVICE, reload, rejectionOf, ROOMY, saxpy, settle, shaderError, type CacheUnderTest } from './support/pipeline-cache-fixture.ts';

// ---- the guess on its own ------------------------------------------------------------

/** A stored record with only what the guess reads: its identity, artifact and first use. */
function record(identity: string, artifact: { code?: string; entryPoint?: string; buffers?: string[] }, rank?: number): StoredArtifact {
  return {
    identity,
    lastUsed: 0,
    artifact: { code: artifact.code ?? '', entryPoint: artifact.entryPoint ?? 'main', buffers: (artifact.buffers ?? []).map((name) => ({ name })) },
    ...(rank === undefined ? {} : { firstUse: { session: 1, rank } }),
  } as unknown as StoredArtifact;
}

const nothingTaken = (): boolean => false;

describe('guessing the stored record a program is', () => {
  it('a WGSL program: the record whose artifact has exactly its text, and its entry point when it names one', () => {
    const records = [record('a', { code: 'fn a() {}' }, 0), record('b', { code: 'fn b() {}', entryPoint: 'other' }, 1)];
    expect(guessStoredRecord({ kind: 'wgsl', code: 'fn b() {}' }, records, nothingTaken)?.identity).toBe('b');
    expect(guessStoredRecord({ kind: 'wgsl', code: 'fn b() {}', entryPoint: 'other' }, records, nothingTaken)?.identity).toBe('b');
    expect(guessStoredRecord({ kind: 'wgsl', code: 'fn b() {}', entryPoint: 'main' }, records, nothingTaken)).toBeUndefined();
    expect(guessStoredRecord({ kind: 'wgsl', code: 'fn b() { }' }, records, nothingTaken)).toBeUndefined();
  });

  it('an IR program: the first record in last visit\'s order whose buffers have its names, in any order, and not taken', () => {
    const records = [record('late', { buffers: ['x', 'y'] }, 2), record('other', { buffers: ['x', 'z'] }, 0), record('early', { buffers: ['y', 'x'] }, 1)];
    const program = { kind: 'ir', buffers: [{ name: 'x' }, { name: 'y' }] };
    expect(guessStoredRecord(program, records, nothingTaken)?.identity).toBe('early');
    expect(guessStoredRecord(program, records, (identity) => identity === 'early')?.identity).toBe('late');
    expect(guessStoredRecord({ kind: 'ir', buffers: [{ name: 'x' }] }, records, nothingTaken)).toBeUndefined();
  });

  it('an IR program\'s workgroup buffers are not bindings, so they are left out of the comparison', () => {
    const records = [record('reduce', { buffers: ['x', 'partials'] }, 0)];
    const program = { kind: 'ir', buffers: [{ name: 'x', access: 'read' }, { name: 'partials', access: 'output' }, { name: 'scratch', access: 'workgroup' }] };
    expect(guessStoredRecord(program, records, nothingTaken)?.identity).toBe('reduce');
    const notWorkgroup = { kind: 'ir', buffers: [{ name: 'x', access: 'read' }, { name: 'partials', access: 'output' }, { name: 'scratch', access: 'read' }] };
    expect(guessStoredRecord(notWorkgroup, records, nothingTaken)).toBeUndefined();
  });

  it.each([
    ['nothing', undefined],
    ['a number', 7],
    ['an object of no kind', { code: 'fn a() {}' }],
    ['WGSL without text', { kind: 'wgsl', code: 5 }],
    ['IR whose buffers are not a list', { kind: 'ir', buffers: 'x,y' }],
    ['IR with a nameless buffer', { kind: 'ir', buffers: [{ name: 'x' }, {}] }],
  ])('guesses nothing for %s', (_, program) => {
    const records = [record('a', { code: 'fn a() {}', buffers: ['x', 'y'] }, 0)];
    expect(guessStoredRecord(program, records, nothingTaken)).toBeUndefined();
  });
});

// ---- through the pipeline cache ------------------------------------------------------

const [A, B, C] = [saxpy(2), saxpy(3), saxpy(4)] as const;

/** Last visit: A, B, C compiled in that order, in one session. */
async function visitedABC(): Promise<CacheUnderTest> {
  const first = openCache({ store: createMemoryStore(ROOMY) });
  for (const program of [A, B, C]) await first.cache.compile(program);
  return first;
}

describe('PipelineCache: builds ahead of the key', () => {
  it('compiles in last visit\'s order are each served by the build started on a guess: no build more than without it', async () => {
    const first = await visitedABC();
    const { cache, fake } = reload(first);
    const reports = [];
    for (const program of [A, B, C]) reports.push(await cache.compile(program));
    expect(reports.map((report) => [report.tier, report.cacheHit])).toEqual(Array(3).fill(['persistent', null]));
    expect(fake.codes).toEqual(first.fake.codes);
    // The builds are the guesses' (labelled before the program's name is known), not the compiles' own.
    expect(fake.calls.map((call) => call.label)).toEqual(reports.map((report) => `vyre-web ${report.pipelineId}`));
    expect((await cache.snapshot()).counters).toMatchObject({ builtAhead: 3, builtAheadUsed: 3, persistentHits: 3, compiled: 0 });
  });

  it('the kernel library, compiled again in last visit\'s order (workgroup buffers and all), is served by builds ahead every time', async () => {
    const library = [kernels.saxpy, kernels.squareU32, kernels.reluF32, kernels.sumReduce, kernels.sumReduceF32, kernels.histogram256, kernels.matmul, kernels.scanBlocks, kernels.addBlockOffsets, kernels.bitonicStep, kernels.mandelbrot, kernels.convolve1d, kernels.countByte];
    const first = openCache();
    for (const program of library) await first.cache.compile(structuredClone(program));
    const { cache, fake } = reload(first);
    // Structured clones, as programs reach the worker.
    for (const program of library) expect(await cache.compile(structuredClone(program))).toMatchObject({ tier: 'persistent' });
    expect((await cache.snapshot()).counters).toMatchObject({ builtAhead: library.length, builtAheadUsed: library.length });
    expect(fake.calls).toHaveLength(library.length);
  });

  it('the first wrong guess stops the guessing; what it built serves its own compile later', async () => {
    const first = await visitedABC();
    const { cache, fake } = reload(first);
    expect(await cache.compile(C)).toMatchObject({ tier: 'persistent' }); // guessed A: wrong
    expect(await cache.compile(B)).toMatchObject({ tier: 'persistent' }); // no guess
    expect(fake.codes).toEqual([first.fake.codes[0], first.fake.codes[2], first.fake.codes[1]]);
    expect((await cache.snapshot()).counters).toMatchObject({ builtAhead: 1, builtAheadUsed: 0 });
    expect(await cache.compile(A)).toMatchObject({ tier: 'persistent', cacheHit: null });
    expect(fake.calls).toHaveLength(3);
    expect((await cache.snapshot()).counters).toMatchObject({ builtAhead: 1, builtAheadUsed: 1 });
  });

  it('the build is asked for before the program is checked: a plausible program that fails its check started one; it gets invalid-program, the guessing stops, and the cache keeps serving', async () => {
    const first = await visitedABC();
    const { cache, fake } = reload(first);
    const broken = { ...A, body: [{ kind: 'no-such-statement' }] };
    expect((await rejectionOf(cache.compile(broken))).code).toBe('invalid-program');
    expect(fake.calls).toHaveLength(1); // A, on the guess
    expect(await cache.compile(B)).toMatchObject({ tier: 'persistent' });
    expect((await cache.snapshot()).counters).toMatchObject({ builtAhead: 1, builtAheadUsed: 0 });
  });

  it('a build ahead that fails and that no compile wanted is logged; the next compile of that record builds again', async () => {
    const first = await visitedABC();
    const under = reload(first);
    const { cache, fake, logs } = under;
    const codeA = first.fake.codes[0];
    fake.failWith = (artifact) => (artifact.code === codeA ? shaderError() : undefined);
    expect(await cache.compile(C)).toMatchObject({ tier: 'persistent' }); // guessed A, which fails
    await settle();
    expect(logs.map((entry) => entry.code)).toEqual(['build-ahead-failed']);
    fake.failWith = () => undefined;
    expect(await cache.compile(A)).toMatchObject({ tier: 'persistent' });
    expect(fake.codes).toEqual([codeA, first.fake.codes[2], codeA]);
  });

  it('at a start, last visit\'s first pipeline is built before the app asks; the app\'s compiles are then served by builds ahead, with no build more', async () => {
    const first = await visitedABC();
    const { cache, fake } = reload(first);
    await cache.buildFirstAhead();
    expect(fake.codes).toEqual([first.fake.codes[0]]);
    for (const program of [A, B, C]) expect(await cache.compile(program)).toMatchObject({ tier: 'persistent', cacheHit: null });
    expect(fake.codes).toEqual(first.fake.codes);
    expect((await cache.snapshot()).counters).toMatchObject({ builtAhead: 3, builtAheadUsed: 3 });
  });

  it('when the app first asks for another program, the build made at the start is a wrong guess: it serves nothing until its own compile, and the guessing stops', async () => {
    const first = await visitedABC();
    const { cache, fake } = reload(first);
    await cache.buildFirstAhead(); // A
    expect(await cache.compile(C)).toMatchObject({ tier: 'persistent' });
    expect(await cache.compile(B)).toMatchObject({ tier: 'persistent' });
    expect(fake.codes).toEqual([first.fake.codes[0], first.fake.codes[2], first.fake.codes[1]]);
    expect((await cache.snapshot()).counters).toMatchObject({ builtAhead: 1, builtAheadUsed: 0 });
    expect(await cache.compile(A)).toMatchObject({ tier: 'persistent' });
    expect(fake.calls).toHaveLength(3);
    expect((await cache.snapshot()).counters).toMatchObject({ builtAhead: 1, builtAheadUsed: 1 });
  });

  it('builds nothing at the start once the app has asked, from an empty store, or while a replay runs', async () => {
    const first = await visitedABC();
    const asked = reload(first);
    await asked.cache.compile(B);
    const builds = asked.fake.calls.length;
    await asked.cache.buildFirstAhead();
    expect(asked.fake.calls).toHaveLength(builds);

    const empty = openCache();
    await empty.cache.buildFirstAhead();
    expect(empty.fake.calls).toHaveLength(0);

    const replaying = reload(first);
    replaying.fake.holding = true;
    const replay = replaying.cache.replayWorkingSet(1);
    await settle();
    await replaying.cache.buildFirstAhead();
    expect(replaying.fake.calls).toHaveLength(1); // the replay's own
    replaying.fake.heldAt(0).release();
    await replay;
  });

  it('no guess while a startup replay is running: the replay builds in that order already', async () => {
    const first = await visitedABC();
    const { cache, fake } = reload(first);
    fake.holding = true;
    const replay = cache.replayWorkingSet(3);
    await settle();
    const app = cache.compile(B);
    await settle();
    expect(fake.codes).toEqual([first.fake.codes[0], first.fake.codes[1]]); // the replay's A, the app's B
    for (let i = 0; i < 3; i++) {
      fake.heldAt(i).release();
      await settle();
    }
    await app;
    await replay;
    expect((await cache.snapshot()).counters.builtAhead).toBe(0);
  });

  it('a record of another device is never guessed', async () => {
    const first = await visitedABC();
    const { cache, fake } = openCache({ store: first.store, fingerprint: OTHER_DEVICE });
    expect(await cache.compile(A)).toMatchObject({ tier: 'compiled', missReason: 'device-or-runtime-changed' });
    expect(fake.calls).toHaveLength(1);
    expect((await cache.snapshot()).counters.builtAhead).toBe(0);
  });
});
