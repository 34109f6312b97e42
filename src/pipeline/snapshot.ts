/**
 * Per-tier counters of one runtime and the snapshot `runtime.cacheSnapshot()` returns.
 * Plain data; counters saturate instead of overflowing.
 */
import type { StorageStatus } from '../store/open-database.ts';
import { MISS_REASONS, type MissReason } from './miss-reason.ts';

export interface TierCounters {
  /** Compiles served by the memory tier (including ones that joined a compile in flight). */
  memoryHits: number;
  /** Of those, the ones that joined a compile already in flight. */
  joinedInFlight: number;
  /** Compiles rebuilt from a persistent-tier artifact (no lowering). */
  persistentHits: number;
  /** Compiles lowered and compiled from scratch. */
  compiled: number;
  /** Pipelines warmed from the store when the runtime started. */
  startupPrewarmed: number;
  /** Why the persistent tier missed, by reason. */
  missReasons: Record<MissReason, number>;
}

export function createTierCounters(): TierCounters {
  const missReasons = {} as Record<MissReason, number>;
  for (const reason of MISS_REASONS) missReasons[reason] = 0;
  return { memoryHits: 0, joinedInFlight: 0, persistentHits: 0, compiled: 0, startupPrewarmed: 0, missReasons };
}

/** Adds one, saturating at Number.MAX_SAFE_INTEGER. */
export function bump(value: number): number {
  return value >= Number.MAX_SAFE_INTEGER ? value : value + 1;
}

export interface CacheSnapshot {
  readonly storage: StorageStatus;
  readonly memory: { readonly entries: number; readonly bytes: number; readonly evictions: number; readonly maxEntries: number; readonly maxBytes: number };
  readonly persistent: {
    readonly entries: number;
    readonly bytes: number;
    readonly evictions: number;
    readonly corruptDeleted: number;
    readonly maxEntries: number;
    readonly maxBytes: number;
  };
  readonly counters: Readonly<Omit<TierCounters, 'missReasons'>> & { readonly missReasons: Readonly<Record<MissReason, number>> };
}
