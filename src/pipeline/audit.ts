/**
 * Pipeline-cache hit-rate audit (vyre's `PipelineCacheAudit`, ROADMAP C6).
 *
 * Aggregates the `cacheHit` of every compile and prewarm into hit-rate telemetry that
 * operators can wire into dashboards and CI gates:
 *
 * - `true` counts as a hit, `false` as a miss, `null` as unknown. Unknowns are the
 *   persistent tier, where the browser's shader cache decided and we cannot see how;
 *   they are reported but kept out of the rate, never guessed as hits or misses.
 * - The rate is in basis points over hits + misses: floor(hits × 10000 / (hits + misses)),
 *   `null` when hits + misses = 0, so "no data" differs from "0 %".
 * - The alarm fires only when a rate exists, the threshold is above 0, and the rate is
 *   strictly below it; a threshold of 0 disables it.
 * - Counters saturate at `Number.MAX_SAFE_INTEGER` instead of losing precision.
 */
import { VyreError } from '../errors.ts';
import type { PipelineCacheAuditReport } from '../protocol/cache.ts';

/** Raw counts of an audit. */
export interface PipelineCacheAuditCounts {
  readonly hits: number;
  readonly misses: number;
  readonly unknowns: number;
}

const MAX_BPS = 10_000;

/** Counts cache outcomes; one per runtime. */
export class PipelineCacheAudit {
  #hits = 0;
  #misses = 0;
  #unknowns = 0;

  /**
   * An audit that starts from existing counts (e.g. restored telemetry).
   * @throws VyreError `invalid-input` when a count is not a non-negative safe integer.
   */
  static from(counts: PipelineCacheAuditCounts): PipelineCacheAudit {
    const audit = new PipelineCacheAudit();
    audit.#hits = checkedCount(counts.hits, 'hits');
    audit.#misses = checkedCount(counts.misses, 'misses');
    audit.#unknowns = checkedCount(counts.unknowns, 'unknowns');
    return audit;
  }

  /**
   * Records one outcome.
   * @param cacheHit - `true` hit, `false` miss, `null` unknown.
   */
  observe(cacheHit: boolean | null): void {
    if (cacheHit === true) this.#hits = saturatingIncrement(this.#hits);
    else if (cacheHit === false) this.#misses = saturatingIncrement(this.#misses);
    else this.#unknowns = saturatingIncrement(this.#unknowns);
  }

  /**
   * Snapshots the counts and scores them.
   * @param alarmThresholdBps - an integer in 0…10000; e.g. 8000 flags a hit rate under
   *   80 %, 0 disables the alarm.
   * @throws VyreError `invalid-input` when the threshold is not such an integer.
   * @example
   * ```ts
   * const { hitRateBps, belowAlarmThreshold } = audit.report(8000);
   * ```
   */
  report(alarmThresholdBps: number): PipelineCacheAuditReport {
    const threshold: unknown = alarmThresholdBps;
    if (typeof threshold !== 'number' || !Number.isInteger(threshold) || threshold < 0 || threshold > MAX_BPS) {
      throw new VyreError(
        'invalid-input',
        `The alarm threshold ${describe(threshold)} is not a whole number of basis points in 0…${MAX_BPS}.`,
        'pass e.g. 8000 to flag a hit rate under 80%, or 0 to disable the alarm.',
        { threshold: describe(threshold) },
      );
    }
    const hitRateBps = basisPoints(this.#hits, this.#misses);
    return {
      hits: this.#hits,
      misses: this.#misses,
      unknowns: this.#unknowns,
      hitRateBps,
      belowAlarmThreshold: hitRateBps !== null && threshold > 0 && hitRateBps < threshold,
    };
  }
}

/**
 * floor(hits × 10000 / (hits + misses)), exactly: in BigInt, since hits × 10000 leaves
 * the safe-integer range long before the counters saturate.
 */
function basisPoints(hits: number, misses: number): number | null {
  const denominator = BigInt(hits) + BigInt(misses);
  if (denominator === 0n) return null;
  return Number((BigInt(hits) * BigInt(MAX_BPS)) / denominator);
}

function saturatingIncrement(value: number): number {
  return value >= Number.MAX_SAFE_INTEGER ? value : value + 1;
}

function checkedCount(value: unknown, name: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw new VyreError(
    'invalid-input',
    `The audit count "${name}" is ${describe(value)}, not a non-negative whole number.`,
    `pass counts between 0 and ${Number.MAX_SAFE_INTEGER}, e.g. from an earlier report().`,
    { field: name, value: describe(value) },
  );
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object' && value !== null) return 'an object';
  if (typeof value === 'function') return 'a function';
  return String(value);
}
