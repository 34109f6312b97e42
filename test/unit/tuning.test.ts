/**
 * Autotuning (issue #15), the parts that need no GPU: the policy mark a tuner's choice is
 * stored under, the choice among timed variants, and `compileStored`, the lookup that
 * finds an earlier choice in the memory or persistent tier without compiling anything new.
 * The timing itself runs in real Chrome (test/browser/tuning.spec.ts).
 */
import { describe, expect, it } from 'vitest';
import { chooseFastest, clearWinner, tuningMark } from '../../src/client/tuning-choice.ts';
import type { TunableKernel, TuningShape } from '../../src/protocol/tuning.ts';
import { matmulX4Tunable } from '../../src/kernels/matmul-tunable.ts';
import { resolvePolicy } from '../../src/pipeline/policy.ts';
import { openCache, reload, saxpy } from './support/pipeline-cache-fixture.ts';
import { thrownBy } from './support/thrown-by.ts';

const twoVariants: TunableKernel<TuningShape> = {
  family: 'saxpy-test',
  variants: [
    { name: 'a', program: saxpy(2), options: () => ({}) },
    { name: 'b', program: saxpy(3), options: () => ({}) },
  ],
  trialShape: { n: 1024 },
  trialInputs: () => ({}),
};

describe('tuningMark', () => {
  it('is family@shape/variants, with the shape fields in name order', () => {
    expect(tuningMark(matmulX4Tunable, { M: 512, N: 256, K: 128 })).toBe('matmul-f32-x4@K128.M512.N256/tiled|direct');
    expect(tuningMark(twoVariants, { n: 1024 })).toBe('saxpy-test@n1024/a|b');
  });

  it('changes with the shape, and with the variants (a renamed or added variant tunes again)', () => {
    const marks = new Set([
      tuningMark(twoVariants, { n: 1024 }),
      tuningMark(twoVariants, { n: 2048 }),
      tuningMark({ ...twoVariants, variants: [...twoVariants.variants, { ...twoVariants.variants[0]!, name: 'c' }] }, { n: 1024 }),
    ]);
    expect(marks.size).toBe(3);
  });

  it.each([
    ['no variants', { ...twoVariants, variants: [] }, { n: 1 }, 'variants'],
    ['a repeated variant name', { ...twoVariants, variants: [twoVariants.variants[0]!, twoVariants.variants[0]!] }, { n: 1 }, 'variants'],
    ['a variant name with a slash', { ...twoVariants, variants: [{ ...twoVariants.variants[0]!, name: 'a/b' }] }, { n: 1 }, 'variants'],
    ['a family name with a space', { ...twoVariants, family: 'my kernel' }, { n: 1 }, 'family'],
    ['a negative size', twoVariants, { n: -4 }, 'shape'],
    ['a fractional size', twoVariants, { n: 1.5 }, 'shape'],
    ['an empty shape', twoVariants, {}, 'shape'],
  ])('rejects %s with invalid-input naming the field, and a Fix', (_what, kernel, shape, field) => {
    const error = thrownBy(() => tuningMark(kernel as TunableKernel<TuningShape>, shape as TuningShape));
    expect(error).toMatchObject({ code: 'invalid-input', details: { field } });
    expect(error.message).toMatch(/Fix: /);
  });

  it('is a mark the policy accepts, and it lands in the policy string (the cache key)', () => {
    const mark = tuningMark(matmulX4Tunable, matmulX4Tunable.trialShape);
    expect(resolvePolicy({ tuned: mark }, [16, 16, 1], true).string).toBe(`wg=[16,16,1];tuned=${mark}`);
    expect(resolvePolicy({ tuned: mark, floats: 'fast' }, [16, 16, 1], true).string).toBe(`wg=[16,16,1];floats=fast;tuned=${mark}`);
  });
});

describe('resolvePolicy: tuned', () => {
  it.each([['a number', 7], ['no shape', 'fam/a|b'], ['a semicolon', 'fam@n1/a;wg=[1,1,1]'], ['an empty variant', 'fam@n1/a||b']])(
    'rejects a mark with %s as invalid-policy', (_what, tuned) => {
      const error = thrownBy(() => resolvePolicy({ tuned }, [64, 1, 1], true));
      expect(error.code).toBe('invalid-policy');
      expect(error.message).toMatch(/Fix: .*compileTuned/);
    });
});

describe('chooseFastest', () => {
  const trial = (variant: string, samples: number[]) => ({ variant, medianMs: Math.min(...samples), samples });
  it('takes the variant that is fastest round by round', () => {
    expect(chooseFastest([trial('a', [3, 3.1]), trial('b', [1.5, 1.4]), trial('c', [2, 2.2])])).toBe(1);
  });
  it('gives a tie to the earlier, preferred variant', () => {
    expect(chooseFastest([trial('a', [2, 2]), trial('b', [2, 2])])).toBe(0);
  });
  it('is not misled when the device runs at half speed in later rounds (ratios within a round, not raw medians)', () => {
    // Round 1 at full speed, rounds 2 and 3 at half speed; a is 10 % faster but for one noisy round.
    // Raw medians: a 2.0, b 1.9 (b would win). Per-round ratios: a 1, 1.05, 1 and b 1.1, 1, 1.1: a wins.
    const a = trial('a', [1.0, 2.0, 2.0]);
    const b = trial('b', [1.1, 1.9, 2.2]);
    expect(chooseFastest([a, b])).toBe(0);
  });
});

describe('PipelineCache.compileStored', () => {
  const policy = { tuned: 'saxpy-test@n1024/a|b' };

  it('returns null when no tier holds the program, builds nothing and writes nothing', async () => {
    const { cache, fake, store } = openCache();
    expect(await cache.compileStored(saxpy(2), policy)).toBeNull();
    expect(fake.calls).toHaveLength(0);
    expect((await store.stats()).entries).toBe(0);
    expect(cache.telemetry.audit.report(0)).toMatchObject({ hits: 0, misses: 0, unknowns: 0 });
  });

  it('serves from memory after a compile with the same policy, and not for another policy', async () => {
    const { cache, fake } = openCache();
    const compiled = await cache.compile(saxpy(2), policy);
    const stored = await cache.compileStored(saxpy(2), policy);
    expect(stored).toMatchObject({ tier: 'memory', cacheHit: true, pipelineId: compiled.pipelineId });
    expect(await cache.compileStored(saxpy(2))).toBeNull();
    expect(fake.calls).toHaveLength(1);
  });

  it('after a reload, serves from the persistent tier (cacheHit null), with the tuned mark in the manifest', async () => {
    const first = openCache();
    const compiled = await first.cache.compile(saxpy(2), policy);
    const second = reload(first);
    const stored = await second.cache.compileStored(saxpy(2), policy);
    expect(stored).toMatchObject({ tier: 'persistent', cacheHit: null, missReason: null, pipelineId: compiled.pipelineId });
    expect(stored?.manifest.dispatchPolicy).toBe('wg=[64,1,1];tuned=saxpy-test@n1024/a|b');
    expect(second.fake.calls).toHaveLength(1);
    expect(await second.cache.compileStored(saxpy(3), policy)).toBeNull();
  });
});

describe('clearWinner: when the tuner stops early', () => {
  it('stops when one variant was at least 1.5× faster than each other in every one of two rounds', () => {
    expect(clearWinner([[10, 11], [1, 1.2]])).toBe(true);
    expect(clearWinner([[1.9, 2], [3, 3.1], [4, 5]])).toBe(true);
    // The device at half speed in round 2 moves both: still clear.
    expect(clearWinner([[10, 20], [1, 2]])).toBe(true);
  });
  it('goes on when the margin is smaller in some round, the winner changes, or a variant has only one round', () => {
    expect(clearWinner([[10, 11], [8, 7.9]])).toBe(false);
    expect(clearWinner([[1, 4], [3, 3]])).toBe(false);
    expect(clearWinner([[1, 10], [2, 1]])).toBe(false);
    expect(clearWinner([[10], [1]])).toBe(false);
    expect(clearWinner([[1, 1]])).toBe(false);
  });
});
