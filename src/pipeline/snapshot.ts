/**
 * The per-tier counters behind `runtime.cacheSnapshot()`, mutable inside the worker.
 * Counters saturate instead of overflowing.
 */
import { MISS_REASONS, type MissReason } from '../protocol/compile.ts';
import type { TierCounters } from '../protocol/cache.ts';

/** {@link TierCounters} as the pipeline cache updates them. */
export type MutableTierCounters = { -readonly [K in Exclude<keyof TierCounters, 'missReasons'>]: number } & {
  readonly missReasons: Record<MissReason, number>;
};

export function createTierCounters(): MutableTierCounters {
  const missReasons = {} as Record<MissReason, number>;
  for (const reason of MISS_REASONS) missReasons[reason] = 0;
  return { memoryHits: 0, joinedInFlight: 0, persistentHits: 0, compiled: 0, startupPrewarmed: 0, builtAhead: 0, builtAheadUsed: 0, builtFromGuess: 0, builtFromGuessUsed: 0, missReasons };
}

/** A copy the app may keep: later compiles do not change it. */
export function copyTierCounters(counters: MutableTierCounters): TierCounters {
  return { ...counters, missReasons: { ...counters.missReasons } };
}

/** Adds one, saturating at Number.MAX_SAFE_INTEGER. */
export function bump(value: number): number {
  return value >= Number.MAX_SAFE_INTEGER ? value : value + 1;
}
