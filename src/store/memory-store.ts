/**
 * The memory implementation of {@link ArtifactStore}: for `persistent: false`, for the
 * fallback when IndexedDB is unavailable or fails, and for Node. Same semantics as the
 * IndexedDB store (LRU by entries and bytes, miss evidence, working set in
 * most-recently-used order); nothing survives the worker.
 */
import type { PipelineReproManifest } from '../protocol/compile.ts';
import type { MissEvidence } from '../pipeline/miss-reason.ts';
import type { ArtifactInput, ArtifactKey, ArtifactStore, StoreLimits, StoreRead, StoreStats, StoredArtifact } from '../pipeline/artifact-store.ts';
import type { StorageStatus } from '../protocol/cache.ts';
import { createRecord, parseRecord } from './record.ts';

/** The slice of the library logger the stores use for non-fatal problems. */
export interface StoreLogger {
  warn(code: string, message: string, details?: Readonly<Record<string, unknown>>): void;
}

export const DEFAULT_MEMORY_ONLY_REASON = 'persistent: false was requested';

/**
 * A millisecond clock that never repeats or runs backwards within one store, so two
 * uses in the same millisecond still order (LRU ties would otherwise fall back to key order).
 */
export function createStoreClock(now: () => number = Date.now): () => number {
  let last = -Infinity;
  return () => {
    const time = now();
    last = time > last ? time : last + 0.001;
    return last;
  };
}

/**
 * The record to store for `input`, or why the write is refused before it reaches
 * storage: input that would not read back (so would only ever miss as corrupt), or a
 * record larger than the whole byte bound (storing it would evict everything, itself
 * included). Never throws.
 */
export function prepareWrite(
  input: ArtifactInput,
  now: number,
  limits: StoreLimits,
): { readonly ok: true; readonly record: StoredArtifact } | { readonly ok: false; readonly reason: string } {
  let record: StoredArtifact;
  try {
    record = createRecord(input, now);
  } catch (error) {
    return { ok: false, reason: `the artifact is malformed (${String(error)})` };
  }
  const check = parseRecord(record, input.identity);
  if (!check.ok) return { ok: false, reason: `the artifact would not read back: ${check.reason}` };
  if (!(limits.maxEntries >= 1)) return { ok: false, reason: `maxEntries is ${limits.maxEntries}` };
  if (!(record.bytes <= limits.maxBytes)) return { ok: false, reason: `the record (${record.bytes} bytes) exceeds maxBytes (${limits.maxBytes})` };
  return { ok: true, record };
}

/**
 * Creates an empty memory store.
 * @param limits entry and byte bounds; least-recently-used records go first.
 * @param status what `status()` reports (default: memory-only, `persistent: false was requested`).
 * @param logger where refused writes are reported.
 */
export function createMemoryStore(
  limits: StoreLimits,
  status: StorageStatus = { mode: 'memory-only', reason: DEFAULT_MEMORY_ONLY_REASON },
  logger?: StoreLogger,
): ArtifactStore {
  /** Insertion order is last-use order: a touch deletes and re-inserts. Oldest first. */
  const records = new Map<string, StoredArtifact>();
  const clock = createStoreClock();
  let bytes = 0;
  let evictions = 0;

  const remove = (identity: string): void => {
    const record = records.get(identity);
    if (record === undefined) return;
    records.delete(identity);
    bytes -= record.bytes;
  };

  const evidenceFor = (key: ArtifactKey): MissEvidence => {
    let programKnown = false;
    let programWithPolicyKnown = false;
    let programWithPolicyOnDeviceKnown = false;
    for (const record of records.values()) {
      if (record.programDigest !== key.programDigest) continue;
      programKnown = true;
      if (record.policy !== key.policy) continue;
      programWithPolicyKnown = true;
      if (record.deviceFingerprint === key.deviceFingerprint) {
        programWithPolicyOnDeviceKnown = true;
        break;
      }
    }
    return ({ corrupt: false, storeIsEmpty: records.size === 0, programKnown, programWithPolicyKnown, programWithPolicyOnDeviceKnown });
  };

  const mostRecentFirst = (): StoredArtifact[] => [...records.values()].reverse();

  return {
    status: () => status,

    read(key) {
      const record = records.get(key.identity);
      if (record === undefined) return Promise.resolve<StoreRead>({ kind: 'miss', evidence: evidenceFor(key) });
      const touched = { ...record, lastUsed: clock() };
      records.delete(key.identity);
      records.set(key.identity, touched);
      return Promise.resolve<StoreRead>({ kind: 'hit', record: touched });
    },

    write(input: ArtifactInput) {
      const prepared = prepareWrite(input, clock(), limits);
      if (!prepared.ok) {
        logger?.warn('storage-write-refused', `Did not store a pipeline artifact: ${prepared.reason}.`, { identity: String(input.identity) });
        return Promise.resolve();
      }
      const { record } = prepared;
      remove(record.identity);
      records.set(record.identity, record);
      bytes += record.bytes;
      for (const [identity] of records) {
        if (records.size <= limits.maxEntries && bytes <= limits.maxBytes) break;
        if (identity === record.identity) continue;
        remove(identity);
        evictions++;
      }
      return Promise.resolve();
    },

    workingSet(deviceFingerprint, limit) {
      const wanted = Math.max(0, Math.floor(limit));
      const result: StoredArtifact[] = [];
      for (const record of mostRecentFirst()) {
        if (result.length >= wanted) break;
        if (record.deviceFingerprint === deviceFingerprint) result.push(record);
      }
      return Promise.resolve(result);
    },

    manifests: () => Promise.resolve<PipelineReproManifest[]>(mostRecentFirst().map((record) => record.manifest)),

    stats: () => Promise.resolve<StoreStats>({ entries: records.size, bytes, evictions, corruptDeleted: 0 }),

    clear() {
      records.clear();
      bytes = 0;
      return Promise.resolve();
    },

    close() {
      // Nothing to release; the records stay usable, as for a closed IndexedDB store's fallback.
    },
  };
}
