/**
 * The pipeline-cache audit: hit rate in basis points over hits + misses only, "no data"
 * kept apart from 0 %, an alarm strictly below a threshold, counters that saturate.
 */
import { describe, expect, it } from 'vitest';
import { isVyreError } from '../../src/errors.ts';
import { PipelineCacheAudit } from '../../src/pipeline/audit.ts';

const MAX = Number.MAX_SAFE_INTEGER;

function auditOf(outcomes: readonly (boolean | null)[]): PipelineCacheAudit {
  const audit = new PipelineCacheAudit();
  for (const outcome of outcomes) audit.observe(outcome);
  return audit;
}

describe('PipelineCacheAudit', () => {
  it('3 hits and 1 miss give 7500 bps (3/4)', () => {
    expect(auditOf([true, true, true, false]).report(0)).toEqual({ hits: 3, misses: 1, unknowns: 0, hitRateBps: 7500, belowAlarmThreshold: false });
  });

  it('1 hit, 1 miss and 2 unknowns give 5000 bps: unknowns stay out of the denominator', () => {
    expect(auditOf([true, null, false, null]).report(0)).toEqual({ hits: 1, misses: 1, unknowns: 2, hitRateBps: 5000, belowAlarmThreshold: false });
  });

  it('raises no alarm at exactly the threshold, and one just above it', () => {
    const audit = auditOf([true, true, true, false]); // 7500
    expect(audit.report(7500).belowAlarmThreshold).toBe(false);
    expect(audit.report(7501).belowAlarmThreshold).toBe(true);
    expect(audit.report(10_000).belowAlarmThreshold).toBe(true);
  });

  it('raises no alarm with threshold 0, even at a 0 % hit rate', () => {
    const report = auditOf([false, false]).report(0);
    expect(report.hitRateBps).toBe(0);
    expect(report.belowAlarmThreshold).toBe(false);
  });

  it('alarms on a 0 % hit rate under any positive threshold', () => {
    expect(auditOf([false]).report(1).belowAlarmThreshold).toBe(true);
  });

  it('reports null and no alarm when there are only unknowns', () => {
    expect(auditOf([null, null, null]).report(8000)).toEqual({ hits: 0, misses: 0, unknowns: 3, hitRateBps: null, belowAlarmThreshold: false });
  });

  it('reports null and no alarm when nothing was observed', () => {
    expect(new PipelineCacheAudit().report(10_000)).toEqual({ hits: 0, misses: 0, unknowns: 0, hitRateBps: null, belowAlarmThreshold: false });
  });

  it.each([
    // [hits, misses, expected bps, why]
    [1, 2, 3333, '10000/3 = 3333.3…, floored'],
    [2, 1, 6666, '20000/3 = 6666.6…, floored, not rounded to 6667'],
    [1, 0, 10_000, 'all hits'],
    [0, 1, 0, 'all misses'],
    [9999, 1, 9999, '99 990 000 / 10 000'],
    [1, 9999, 1, '10 000 / 10 000'],
    [1, 10_000, 0, '10 000 / 10 001 < 1'],
  ])('floors: %i hits, %i misses → %i bps (%s)', (hits, misses, bps) => {
    expect(PipelineCacheAudit.from({ hits, misses, unknowns: 0 }).report(0).hitRateBps).toBe(bps);
  });

  it('saturates counters at MAX_SAFE_INTEGER instead of overflowing', () => {
    const audit = PipelineCacheAudit.from({ hits: MAX - 1, misses: MAX - 1, unknowns: MAX - 1 });
    for (let i = 0; i < 3; i++) {
      audit.observe(true);
      audit.observe(false);
      audit.observe(null);
    }
    const report = audit.report(0);
    expect(report.hits).toBe(MAX);
    expect(report.misses).toBe(MAX);
    expect(report.unknowns).toBe(MAX);
    // Equal counts: exactly half, even though hits × 10000 is far beyond 2^53.
    expect(report.hitRateBps).toBe(5000);
  });

  it('computes the rate exactly near the top of the range', () => {
    // hits = 2^53 − 2, misses = 1: the exact quotient is 10000 − 10000/(2^53 − 1), just
    // under 10000, so the floor is 9999. In doubles, hits × 10000 rounds and the naive
    // Math.floor(hits * 10000 / (hits + misses)) gives 10000: a 100 % rate with a miss.
    const hits = MAX - 1;
    expect(Math.floor((hits * 10_000) / (hits + 1))).toBe(10_000); // the trap, shown
    expect(PipelineCacheAudit.from({ hits, misses: 1, unknowns: 0 }).report(0).hitRateBps).toBe(9999);
  });

  it('starts from given counts', () => {
    const audit = PipelineCacheAudit.from({ hits: 6, misses: 2, unknowns: 5 });
    audit.observe(true);
    expect(audit.report(0)).toEqual({ hits: 7, misses: 2, unknowns: 5, hitRateBps: 7777, belowAlarmThreshold: false });
  });

  it.each([
    ['negative', -1],
    ['NaN', Number.NaN],
    ['a fraction', 0.5],
    ['above 10000', 10_001],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a string', '8000'],
    ['null', null],
    ['undefined', undefined],
  ] as const)('rejects a threshold that is %s with invalid-input and a Fix hint', (_, threshold) => {
    let thrown: unknown;
    try {
      auditOf([true]).report(threshold as unknown as number);
    } catch (error) {
      thrown = error;
    }
    expect(isVyreError(thrown)).toBe(true);
    if (!isVyreError(thrown)) return;
    expect(thrown.code).toBe('invalid-input');
    expect(thrown.message).toMatch(/ Fix: .+/);
  });

  it.each([
    ['negative', { hits: -1, misses: 0, unknowns: 0 }],
    ['a fraction', { hits: 0, misses: 1.5, unknowns: 0 }],
    ['beyond MAX_SAFE_INTEGER', { hits: 0, misses: 0, unknowns: 2 ** 53 }],
    ['NaN', { hits: Number.NaN, misses: 0, unknowns: 0 }],
  ])('rejects starting counts that are %s with invalid-input', (_, counts) => {
    expect(() => PipelineCacheAudit.from(counts)).toThrow(expect.objectContaining({ code: 'invalid-input' }));
  });
});
