/**
 * What every compile and prewarm adds to the numbers an app reads: the audit (hit rate over
 * honest cache hits) and the per-tier counters of the snapshot.
 */
import type { CacheHit, CompileTier, MissReason } from '../protocol/compile.ts';
import type { TierCounters } from '../protocol/cache.ts';
import { PipelineCacheAudit } from './audit.ts';
import { bump, copyTierCounters, createTierCounters } from './snapshot.ts';

/** The cache-hit flag each tier honestly reports (DESIGN §5). */
export function cacheHitOf(tier: CompileTier): CacheHit {
  if (tier === 'memory') return true;
  if (tier === 'persistent') return null;
  return false;
}

/** One runtime's audit and tier counters. */
export class CacheTelemetry {
  readonly audit = new PipelineCacheAudit();
  readonly #counters = createTierCounters();

  /** Counts one compile served by `tier`. */
  observe(tier: CompileTier, missReason: MissReason | null): void {
    this.audit.observe(cacheHitOf(tier));
    const counters = this.#counters;
    if (tier === 'memory') counters.memoryHits = bump(counters.memoryHits);
    else if (tier === 'persistent') counters.persistentHits = bump(counters.persistentHits);
    else counters.compiled = bump(counters.compiled);
    if (missReason !== null) counters.missReasons[missReason] = bump(counters.missReasons[missReason]);
  }

  /** A compile joined another compile of the same identity already in flight. */
  observeJoin(): void {
    this.#counters.joinedInFlight = bump(this.#counters.joinedInFlight);
  }

  /** A pipeline was warmed by the startup replay (it also counts as a persistent-tier compile). */
  observeStartupPrewarm(): void {
    this.#counters.startupPrewarmed = bump(this.#counters.startupPrewarmed);
    this.observe('persistent', null);
  }

  /** A stored record's GPU build was started on a guess, before its compile's key was known (build-ahead.ts). */
  observeBuildAhead(): void {
    this.#counters.builtAhead = bump(this.#counters.builtAhead);
  }

  /** A compile's key matched a build started ahead, which then served it. */
  observeBuildAheadUsed(): void {
    this.#counters.builtAheadUsed = bump(this.#counters.builtAheadUsed);
  }

  /** A WGSL module's GPU build was started from its guessed bindings, before reflection. */
  observeGuessedBuild(): void {
    this.#counters.builtFromGuess = bump(this.#counters.builtFromGuess);
  }

  /** Reflection confirmed a guessed build, which then served its compile. */
  observeGuessedBuildUsed(): void {
    this.#counters.builtFromGuessUsed = bump(this.#counters.builtFromGuessUsed);
  }

  /** A copy the app may keep. */
  counters(): TierCounters {
    return copyTierCounters(this.#counters);
  }
}
