/**
 * The uses of stored records (a hit's new `lastUsed`, the app's first use of a pipeline in a
 * session), held back while compiles follow one another and written together, in one
 * transaction, once they pause.
 *
 * Why: IndexedDB starts a read-only transaction only after every read-write transaction
 * created before it on the same store has finished. Written at once, each hit's use made the
 * next compile's read wait for it: without those writes a persistent-tier read took 0.97 ms
 * instead of 1.64 ms on the development VM (docs/benchmarks.md, warmup suite). The price: a
 * page closed within {@link USES_QUIET_MS} of its last compile, without `dispose()`, loses
 * those uses (the records themselves are written at once), so the next replay orders by
 * older ones.
 */
import type { FirstUse, StoredArtifact } from '../pipeline/artifact-store.ts';

/** Quiet time after the last use before the held uses are written. */
export const USES_QUIET_MS = 500;
/** Longest a use is held while compiles keep coming. */
export const USES_MAX_DELAY_MS = 3000;

/** What is held for one record. */
export interface HeldUse {
  /** The record as read, with its new `lastUsed`. */
  readonly touched?: StoredArtifact;
  readonly firstUse?: FirstUse;
}

/** The clock and timers (injected, so tests can drive them). */
export interface UseTimers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const REAL_TIMERS: UseTimers = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class DeferredUses {
  #held = new Map<string, HeldUse>();
  #timer: unknown;
  #heldSince: number | undefined;

  /** `write` stores a batch of uses (one transaction); it must start its transaction before it first awaits, so that {@link DeferredUses.flush} right before a close still lands. */
  constructor(
    private readonly write: (uses: ReadonlyMap<string, HeldUse>) => Promise<void>,
    private readonly timers: UseTimers = REAL_TIMERS,
  ) {}

  /** Holds `record` (read just now, `lastUsed` stamped) for the next write; a later touch of the same record replaces it. */
  touch(record: StoredArtifact): void {
    this.#hold(record.identity, { ...this.#held.get(record.identity), touched: record });
  }

  /** Holds the app's first use of `identity` in this session; the first one held wins. */
  firstUse(identity: string, use: FirstUse): void {
    const held = this.#held.get(identity);
    if (held?.firstUse !== undefined) return;
    this.#hold(identity, { ...held, firstUse: use });
  }

  /** Uses held now. */
  get size(): number {
    return this.#held.size;
  }

  /** Writes every held use now (nothing when none is held); resolves once written. */
  flush(): Promise<void> {
    if (this.#timer !== undefined) this.timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#heldSince = undefined;
    if (this.#held.size === 0) return Promise.resolve();
    const uses = this.#held;
    this.#held = new Map();
    return this.write(uses);
  }

  #hold(identity: string, use: HeldUse): void {
    this.#held.set(identity, use);
    const now = this.timers.now();
    this.#heldSince ??= now;
    if (this.#timer !== undefined) this.timers.clearTimeout(this.#timer);
    // Quiet for USES_QUIET_MS, or at the latest USES_MAX_DELAY_MS after the first held use.
    const wait = Math.max(0, Math.min(USES_QUIET_MS, this.#heldSince + USES_MAX_DELAY_MS - now));
    this.#timer = this.timers.setTimeout(() => void this.flush().catch(() => undefined), wait);
  }
}
