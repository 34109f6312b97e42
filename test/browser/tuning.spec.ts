/**
 * Autotuning in a real browser (issue #15): `runtime.compileTuned` times a kernel's
 * variants on this device at first use, compiles the fastest under a policy mark, and
 * finds that choice again — in the page from the memory tier, after a real browser
 * restart from the persistent tier — without timing anything. The chosen pipeline
 * computes what the rounded triple loop computes, whichever variant won.
 */
import { expect, test } from './support/fixtures.ts';
import { createProfile } from './support/persistent-browser.ts';
import type { HarnessPage } from './support/engine.ts';

const DB = 'vyre-test-tuning';
/** Small enough that tuning on SwiftShader takes well under a second. */
const TRIAL = { M: 64, N: 64, K: 64 };
/** The shape the chosen pipeline is checked on: odd M, partial blocks. */
const CHECK = { M: 37, N: 44, K: 52 };

function values(length: number, seed: number): number[] {
  return Array.from({ length }, (_, i) => ((i * 7 + seed * 13) % 17) - 8);
}

/** `C = A·B` with every product and sum rounded to f32, k increasing: the exact kernels' bits. */
function roundedTripleLoop(a: readonly number[], b: readonly number[], { M, N, K }: typeof CHECK): number[] {
  const c: number[] = [];
  for (let r = 0; r < M; r++) {
    for (let col = 0; col < N; col++) {
      let acc = 0;
      for (let k = 0; k < K; k++) acc = Math.fround(acc + Math.fround(a[r * K + k]! * b[k * N + col]!));
      c.push(acc);
    }
  }
  return c;
}

/** Runs compileTuned `calls` times in one fresh runtime; the last build is dispatched on CHECK. */
function tuneInPage(page: HarnessPage, calls: readonly Record<string, unknown>[]) {
  const a = values(CHECK.M * CHECK.K, 1);
  const b = values(CHECK.K * CHECK.N, 2);
  return page.evaluate(async ({ db, calls, check, a, b }) => {
    const vyre = window.vyre;
    const runtime = await vyre.createRuntime({ persistent: { dbName: db } });
    try {
      const builds = [];
      for (const options of calls) builds.push(await runtime.compileTuned(vyre.matmulX4Tunable, options as never));
      const last = builds.at(-1)!;
      const { c } = await last.pipeline.dispatch({ a: Float32Array.from(a), b: Float32Array.from(b) }, last.options(check));
      const snapshot = await runtime.cacheSnapshot();
      return {
        reports: builds.map((build) => ({ tuning: build.tuning, tier: build.tier, policy: build.manifest.dispatchPolicy, variant: build.variant.name })),
        c: Array.from(c as Float32Array),
        counters: snapshot.counters,
      };
    } finally {
      await runtime.dispose();
    }
  }, { db: DB, calls, check: CHECK, a, b });
}

test('compileTuned times both matmul variants, compiles the fastest under its mark, and the result is matmul\'s bits', async ({ vyrePage }) => {
  const { reports, c } = await tuneInPage(vyrePage, [{ shape: TRIAL, rounds: 3 }]);
  const [{ tuning, tier, policy, variant }] = reports as [(typeof reports)[number]];
  expect(tuning.source).toBe('tuned');
  expect(tuning.trials.map((trial) => trial.variant)).toEqual(['tiled', 'direct']);
  for (const trial of tuning.trials) {
    // Three rounds, or two when one variant was clearly faster (the tuner stops early).
    expect([2, 3]).toContain(trial.samples.length);
    expect(trial.samples.every((ms) => ms > 0)).toBe(true);
    const sorted = [...trial.samples].sort((x, y) => x - y);
    expect(trial.medianMs).toBe(sorted.length === 3 ? sorted[1] : (sorted[0]! + sorted[1]!) / 2);
  }
  // The chosen one is faster round by round: the smaller median of per-round ratios to the
  // round's fastest (the earlier on a tie), computed here from the samples.
  const [tiled, direct] = tuning.trials as [(typeof tuning.trials)[number], (typeof tuning.trials)[number]];
  const middle = (values: number[]) => {
    const sorted = [...values].sort((x, y) => x - y);
    return sorted.length % 2 === 1 ? sorted[sorted.length >> 1]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
  };
  const rounds = tiled.samples.map((ms, r) => [ms, direct.samples[r]!] as const);
  const tiledScore = middle(rounds.map(([t, d]) => t / Math.min(t, d)));
  const directScore = middle(rounds.map(([t, d]) => d / Math.min(t, d)));
  expect(tuning.chosen).toBe(directScore < tiledScore ? 'direct' : 'tiled');
  expect(variant).toBe(tuning.chosen);
  expect(['gpu', 'wall']).toContain(tuning.timer);
  expect(tuning.repeat).toBeGreaterThanOrEqual(1);
  expect(tuning.mark).toBe('matmul-f32-x4@K64.M64.N64/tiled|direct');
  expect(policy).toContain(`;tuned=${tuning.mark}`);
  expect(tier).toBe('compiled');
  expect(c).toEqual(roundedTripleLoop(values(CHECK.M * CHECK.K, 1), values(CHECK.K * CHECK.N, 2), CHECK));
});

test('in the same page the choice comes from the memory tier with nothing timed; another shape or float policy tunes again', async ({ vyrePage }) => {
  const { reports } = await tuneInPage(vyrePage, [{ shape: TRIAL, rounds: 1 }, { shape: TRIAL }, { shape: { M: 32, N: 32, K: 32 }, rounds: 1 }, { shape: TRIAL, floats: 'fast', rounds: 1 }]);
  const [first, again, otherShape, fast] = reports as [(typeof reports)[number], (typeof reports)[number], (typeof reports)[number], (typeof reports)[number]];
  expect(again.tuning).toMatchObject({ source: 'stored', chosen: first.tuning.chosen, timer: null, trials: [] });
  expect(again.tier).toBe('memory');
  expect(otherShape.tuning.source).toBe('tuned');
  expect(otherShape.tuning.mark).toBe('matmul-f32-x4@K32.M32.N32/tiled|direct');
  expect(fast.tuning.source).toBe('tuned');
  expect(fast.policy).toContain(';floats=fast;tuned=');
});

test('after a browser restart the choice comes from the persistent tier: nothing timed, no other variant compiled', async () => {
  const profile = createProfile();
  try {
    let browser = await profile.launch();
    const before = await tuneInPage(browser.page, [{ shape: TRIAL, rounds: 2 }]);
    await browser.close();
    browser = await profile.launch();
    const after = await tuneInPage(browser.page, [{ shape: TRIAL }]);
    await browser.close();

    const [tuned] = before.reports as [(typeof before.reports)[number]];
    const [stored] = after.reports as [(typeof after.reports)[number]];
    expect(tuned.tuning.source).toBe('tuned');
    expect(stored.tuning).toMatchObject({ source: 'stored', chosen: tuned.tuning.chosen, mark: tuned.tuning.mark, trials: [] });
    expect(stored.tier).toBe('persistent');
    // One pipeline rebuilt from its stored artifact, none lowered: the other variant was never compiled.
    expect(after.counters).toMatchObject({ persistentHits: 1, compiled: 0, memoryHits: 0 });
    expect(after.c).toEqual(before.c);
    expect(browser.errors).toEqual([]);
  } finally {
    profile.remove();
  }
});

test('a malformed tunable kernel, shape or rounds is invalid-input with a Fix, and the runtime keeps serving', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async () => {
    const vyre = window.vyre;
    const runtime = await vyre.createRuntime({ persistent: false });
    const codeOf = async (call: () => Promise<unknown>) => {
      try {
        await call();
        return 'resolved';
      } catch (error) {
        const e = error as { code?: string; message?: string };
        return `${e.code}${/Fix: /.test(e.message ?? '') ? ' +fix' : ''}`;
      }
    };
    const kernel = vyre.matmulX4Tunable;
    const codes = {
      noVariants: await codeOf(() => runtime.compileTuned({ ...kernel, variants: [] })),
      repeatedName: await codeOf(() => runtime.compileTuned({ ...kernel, variants: [kernel.variants[0]!, kernel.variants[0]!] })),
      badShape: await codeOf(() => runtime.compileTuned(kernel, { shape: { M: 0, N: 4, K: 4 } })),
      badRounds: await codeOf(() => runtime.compileTuned(kernel, { rounds: 0 })),
      shapeNotQuads: await codeOf(() => runtime.compileTuned(kernel, { shape: { M: 8, N: 6, K: 8 }, rounds: 1 })),
      handWrittenMark: await codeOf(() => runtime.compile(vyre.matmulX4, { tuned: 'not a mark' })),
    };
    const still = await runtime.compileTuned(kernel, { shape: { M: 16, N: 16, K: 16 }, rounds: 1 });
    await runtime.dispose();
    return { codes, stillServing: still.tuning.source };
  });
  expect(result.codes).toEqual({
    noVariants: 'invalid-input +fix',
    repeatedName: 'invalid-input +fix',
    badShape: 'invalid-input +fix',
    badRounds: 'invalid-input +fix',
    shapeNotQuads: 'invalid-input +fix',
    handWrittenMark: 'invalid-policy +fix',
  });
  expect(result.stillServing).toBe('tuned');
});

test('the sum kernel tunes among the variants this device can run (subgroups only where the adapter has them), and sums right', async ({ vyrePage }) => {
  const n = 5 * 2048 + 3;
  const x = Array.from({ length: n }, (_, i) => (i * 2654435761) >>> 0);
  const result = await vyrePage.evaluate(async ({ x }) => {
    const vyre = window.vyre;
    const runtime = await vyre.createRuntime({ persistent: false });
    try {
      const build = await runtime.compileTuned(vyre.sumU32Tunable, { shape: { n: 65536 }, rounds: 2 });
      const { partials } = (await build.pipeline.dispatch({ x: Uint32Array.from(x) }, build.options({ n: x.length }))) as { partials: Uint32Array };
      // A variant that needs a feature no device has is skipped; a kernel with only such variants is refused.
      const impossible = { name: 'impossible', program: vyre.sumReduceWide, options: vyre.sumU32Tunable.variants[1]!.options, requires: ['no-such-feature'] };
      const skipped = await runtime.compileTuned({ ...vyre.sumU32Tunable, variants: [impossible, vyre.sumU32Tunable.variants[1]!] }, { shape: { n: 32768 } });
      const refused = await runtime.compileTuned({ ...vyre.sumU32Tunable, variants: [impossible] }).then(() => 'resolved', (error: { code?: string; message?: string }) => `${error.code} ${/Fix: /.test(error.message ?? '')}`);
      return { features: runtime.device.features, tuning: build.tuning, partials: Array.from(partials), skipped: skipped.tuning, refused };
    } finally {
      await runtime.dispose();
    }
  }, { x });
  const expected = Array.from({ length: Math.ceil(n / 2048) }, (_, g) => x.slice(g * 2048, g * 2048 + 2048).reduce((a, v) => (a + v) >>> 0, 0));
  expect(result.partials).toEqual(expected);
  const runnable = result.features.includes('subgroups') ? ['subgroups', 'workgroup'] : ['workgroup'];
  expect(result.tuning.mark).toBe(`sum-u32@n65536/${runnable.join('|')}`);
  expect(result.tuning.trials.map((trial) => trial.variant)).toEqual(runnable.length > 1 ? runnable : []);
  expect(result.tuning.source).toBe(runnable.length > 1 ? 'tuned' : 'only');
  expect(result.skipped).toMatchObject({ source: 'only', chosen: 'workgroup', mark: 'sum-u32@n32768/workgroup', trials: [] });
  expect(result.refused).toBe('invalid-input true');
});

test('the ReLU kernel tunes between vec4 loads of the scalar buffer and one element per invocation, and either gives max(x, 0) on a ragged length', async ({ vyrePage }) => {
  const x = Array.from({ length: 1003 }, (_, i) => ((i * 37) % 101) - 50.5);
  const result = await vyrePage.evaluate(async ({ x }) => {
    const vyre = window.vyre;
    const runtime = await vyre.createRuntime({ persistent: false });
    try {
      const build = await runtime.compileTuned(vyre.reluF32Tunable, { shape: { n: 16384 }, rounds: 2 });
      const { y } = (await build.pipeline.dispatch({ x: Float32Array.from(x) }, build.options({ n: x.length }))) as { y: Float32Array };
      return { tuning: build.tuning, y: Array.from(y) };
    } finally {
      await runtime.dispose();
    }
  }, { x });
  expect(result.tuning.trials.map((trial) => trial.variant)).toEqual(['loads4', 'scalar']);
  expect(result.y).toEqual(x.map((v) => Math.max(v, 0)));
});

test('two compileTuned calls at once run one after the other: the second finds the first one\'s choice instead of timing again', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async () => {
    const vyre = window.vyre;
    const runtime = await vyre.createRuntime({ persistent: false });
    try {
      const shape = { n: 8192 };
      const [first, second] = await Promise.all([runtime.compileTuned(vyre.reluF32Tunable, { shape, rounds: 2 }), runtime.compileTuned(vyre.reluF32Tunable, { shape, rounds: 2 })]);
      return { sources: [first.tuning.source, second.tuning.source], chosen: [first.tuning.chosen, second.tuning.chosen], tier: second.tier, ids: [first.pipeline.id, second.pipeline.id] };
    } finally {
      await runtime.dispose();
    }
  });
  expect(result.sources).toEqual(['tuned', 'stored']);
  expect(result.chosen[1]).toBe(result.chosen[0]);
  expect(result.tier).toBe('memory');
  expect(result.ids[1]).toBe(result.ids[0]);
});
