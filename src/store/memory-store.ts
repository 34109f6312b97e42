/**
 * The memory implementation of {@link ArtifactStore}: for `persistent: false`, for the
 * fallback when IndexedDB is unavailable or fails, and for Node. Same semantics as the
 * IndexedDB store (LRU by entries and bytes, miss evidence, working set in
 * most-recently-used order); nothing survives the worker.
 */
import { READ_AHEAD_LIMIT } from './read-ahead.ts';
import type { CacheBounds, StorageStatus } from '../protocol/cache.ts';
import type { PipelineReproManifest } from '../protocol/compile.ts';
import type { MissEvidence } from '../pipeline/miss-reason.ts';
import type { ArtifactInput, ArtifactKey, ArtifactStore, FirstUse, StoreRead, StoreStats, StoredArtifact } from '../pipeline/artifact-store.ts';
import { createStoreClock, exceedsLimits, prepareWrite, reportRefusedWrite, SILENT_LOGGER, type StoreLogger } from './store-helpers.ts';

/** The reason a memory store reports when it was asked for, not fallen back to. */
export const DEFAULT_MEMORY_ONLY_REASON = 'persistent: false was requested';

/**
 * Creates an empty memory store.
 * @param limits entry and byte bounds; least-recently-used records go first.
 * @param status what `status()` reports (default: memory-only, `persistent: false was requested`).
 * @param logger where refused writes are reported.
 * @example
 * ```ts
 * const store = createMemoryStore({ maxEntries: 512, maxBytes: 64 << 20 });
 * store.status(); // { mode: 'memory-only', reason: 'persistent: false was requested' }
 * ```
 */
export function createMemoryStore(
  limits: CacheBounds,
  status: StorageStatus = { mode: 'memory-only', reason: DEFAULT_MEMORY_ONLY_REASON },
  logger?: StoreLogger,
): ArtifactStore {
  return new MemoryStore(limits, status, logger ?? SILENT_LOGGER);
}

/** Every method settles at once: the promises only match the IndexedDB store's shape. */
class MemoryStore implements ArtifactStore {
  /** Insertion order is last-use order: a touch deletes and re-inserts. Oldest first. */
  readonly #records = new Map<string, StoredArtifact>();
  readonly #clock = createStoreClock();
  readonly #limits: CacheBounds;
  readonly #status: StorageStatus;
  readonly #logger: StoreLogger;
  #bytes = 0;
  #evictions = 0;

  constructor(limits: CacheBounds, status: StorageStatus, logger: StoreLogger) {
    this.#limits = limits;
    this.#status = status;
    this.#logger = logger;
  }

  status(): StorageStatus {
    return this.#status;
  }

  read(key: ArtifactKey): Promise<StoreRead> {
    const record = this.#records.get(key.identity);
    if (record === undefined) return Promise.resolve<StoreRead>({ kind: 'miss', evidence: this.#evidenceFor(key) });
    const touched = { ...record, lastUsed: this.#clock() };
    this.#records.delete(key.identity);
    this.#records.set(key.identity, touched);
    return Promise.resolve<StoreRead>({ kind: 'hit', record: touched });
  }

  write(input: ArtifactInput): Promise<void> {
    const prepared = prepareWrite(input, this.#clock(), this.#limits);
    if (!prepared.ok) {
      reportRefusedWrite(this.#logger, prepared.reason, { identity: String(input.identity) });
      return Promise.resolve();
    }
    const { record } = prepared;
    this.#remove(record.identity);
    this.#records.set(record.identity, record);
    this.#bytes += record.bytes;
    this.#evictBeyondLimits(record.identity);
    return Promise.resolve();
  }

  markFirstUse(identity: string, use: FirstUse): Promise<void> {
    const record = this.#records.get(identity);
    // In place: a first use is not a use for the LRU order (the request that caused it is).
    if (record !== undefined) this.#records.set(identity, { ...record, firstUse: use });
    return Promise.resolve();
  }

  workingSet(deviceFingerprint: string, limit: number): Promise<StoredArtifact[]> {
    const wanted = Math.max(0, Math.floor(limit));
    const result: StoredArtifact[] = [];
    for (const record of this.#mostRecentFirst()) {
      if (result.length >= wanted) break;
      if (record.deviceFingerprint === deviceFingerprint) result.push(record);
    }
    return Promise.resolve(result);
  }

  recordsAhead(deviceFingerprint: string): Promise<readonly StoredArtifact[]> {
    return Promise.resolve(this.#mostRecentFirst().filter((record) => record.deviceFingerprint === deviceFingerprint).slice(0, READ_AHEAD_LIMIT));
  }

  wasEmptyAtOpen(): boolean {
    // Its reads answer at once: a compile gains nothing from not waiting for one.
    return false;
  }

  manifests(): Promise<PipelineReproManifest[]> {
    return Promise.resolve(this.#mostRecentFirst().map((record) => record.manifest));
  }

  stats(): Promise<StoreStats> {
    return Promise.resolve({ entries: this.#records.size, bytes: this.#bytes, evictions: this.#evictions, corruptDeleted: 0, readAheadHits: 0 });
  }

  clear(): Promise<void> {
    this.#records.clear();
    this.#bytes = 0;
    return Promise.resolve();
  }

  flush(): Promise<void> {
    // Nothing is held back in memory.
    return Promise.resolve();
  }

  close(): void {
    // Nothing to release; the records stay usable, as for a closed IndexedDB store's fallback.
  }

  #remove(identity: string): void {
    const record = this.#records.get(identity);
    if (record === undefined) return;
    this.#records.delete(identity);
    this.#bytes -= record.bytes;
  }

  /** Drops least-recently-used records, never `keep` (the one just written), until within both bounds. */
  #evictBeyondLimits(keep: string): void {
    for (const [identity] of this.#records) {
      if (!exceedsLimits({ entries: this.#records.size, bytes: this.#bytes }, this.#limits)) break;
      if (identity === keep) continue;
      this.#remove(identity);
      this.#evictions++;
    }
  }

  /** What the store knows about `key`'s program, policy and device, for classifying a miss. */
  #evidenceFor(key: ArtifactKey): MissEvidence {
    let programKnown = false;
    let programWithPolicyKnown = false;
    let programWithPolicyOnDeviceKnown = false;
    for (const record of this.#records.values()) {
      if (record.programDigest !== key.programDigest) continue;
      programKnown = true;
      if (record.policy !== key.policy) continue;
      programWithPolicyKnown = true;
      if (record.deviceFingerprint === key.deviceFingerprint) {
        programWithPolicyOnDeviceKnown = true;
        break;
      }
    }
    return { corrupt: false, storeIsEmpty: this.#records.size === 0, programKnown, programWithPolicyKnown, programWithPolicyOnDeviceKnown };
  }

  #mostRecentFirst(): StoredArtifact[] {
    return [...this.#records.values()].reverse();
  }
}
