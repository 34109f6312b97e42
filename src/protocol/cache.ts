/**
 * What the app can read about the cache: the storage mode, the audit report and the
 * per-tier snapshot. Plain data; counters saturate instead of overflowing.
 */
import type { MissReason } from './compile.ts';

/** Where compiled artifacts persist. */
export type StorageStatus =
  | { readonly mode: 'persistent'; readonly dbName: string }
  | { readonly mode: 'memory-only'; readonly reason: string };

/** Bounds of one cache tier: entries, and bytes (an estimate per artifact). */
export interface CacheBounds {
  readonly maxEntries: number;
  readonly maxBytes: number;
}

/** The cache audit, scored against one alarm threshold. */
export interface PipelineCacheAuditReport {
  /** Compiles served without compile work (`cacheHit: true`). */
  readonly hits: number;
  /** Compiles that lowered and compiled (`cacheHit: false`). */
  readonly misses: number;
  /** Compiles whose cache state is unobservable (`cacheHit: null`). */
  readonly unknowns: number;
  /** 0…10000, floor(hits × 10000 / (hits + misses)); `null` when both are 0. */
  readonly hitRateBps: number | null;
  /** True only when `hitRateBps` exists, the threshold is above 0, and the rate is below it. */
  readonly belowAlarmThreshold: boolean;
}

/** Per-tier counters of one runtime. */
export interface TierCounters {
  /** Compiles served by the memory tier (including ones that joined a compile in flight). */
  readonly memoryHits: number;
  /** Of those, the ones that joined a compile already in flight. */
  readonly joinedInFlight: number;
  /** Compiles rebuilt from a persistent-tier artifact (no lowering). */
  readonly persistentHits: number;
  /** Compiles lowered and compiled from scratch. */
  readonly compiled: number;
  /** Pipelines warmed from the store when the runtime started. */
  readonly startupPrewarmed: number;
  /**
   * GPU builds of stored pipelines started on a guess from the app's order on its last visit,
   * while a compile's program was still being checked and hashed.
   */
  readonly builtAhead: number;
  /** Of those, the ones whose compile turned out to want them (each then a persistent-tier compile). */
  readonly builtAheadUsed: number;
  /**
   * GPU builds of WGSL modules started from the bindings their text suggests, before the
   * module was reflected (program/wgsl-binding-guess.ts).
   */
  readonly builtFromGuess: number;
  /** Of those, the ones reflection confirmed: the build served its compile. The others were built again. */
  readonly builtFromGuessUsed: number;
  /** Why the persistent tier missed, by reason. */
  readonly missReasons: Readonly<Record<MissReason, number>>;
}

/** The state of both tiers, as `runtime.cacheSnapshot()` returns it. */
export interface CacheSnapshot {
  readonly storage: StorageStatus;
  readonly memory: CacheBounds & { readonly entries: number; readonly bytes: number; readonly evictions: number };
  readonly persistent: CacheBounds & {
    readonly entries: number;
    readonly bytes: number;
    readonly evictions: number;
    readonly corruptDeleted: number;
    /** Lookups served by the most recent records, read ahead in one transaction as the store opened. */
    readonly readAheadHits: number;
  };
  readonly counters: TierCounters;
  /** The startup replay (`prewarmOnStart`) of this runtime; `null` when it has none. */
  readonly startupReplay: StartupReplay | null;
}

/** What the startup replay set out to warm, and how far it got. */
export interface StartupReplay {
  /** Pipeline ids of the stored working set in the order the replay takes them (the app's first-use order on its last visit). */
  readonly order: readonly string[];
  /** Those it warmed itself, in order; the rest the app compiled first (or are still to come). */
  readonly warmed: readonly string[];
  /** The replay has gone through its whole order. */
  readonly done: boolean;
}
