/**
 * The IndexedDB implementation of {@link ArtifactStore} (schema in `schema.ts`, records
 * in `record.ts`, the whole design in `docs/storage.md`). Runs in the worker.
 *
 * Faults never reach the caller: a record that fails its check is deleted and reads as
 * a `corrupt` miss; a database that cannot open, is taken over by a newer version in
 * another tab, is cleared under us, or fails a transaction, turns the store into a
 * memory store for the rest of its life (`status()` says why, the logger warns once).
 */
import type { IDBPDatabase } from 'idb';
import type { PipelineReproManifest } from '../protocol/compile.ts';
import type { ArtifactInput, ArtifactKey, ArtifactStore, StoreLimits, StoreRead, StoreStats, StoredArtifact } from '../pipeline/artifact-store.ts';
import type { MissEvidence } from '../pipeline/miss-reason.ts';
import { createMemoryStore, createStoreClock, prepareWrite, type StoreLogger } from './memory-store.ts';
import { describeError, openDatabase } from './open-database.ts';
import { type StorageStatus } from '../protocol/cache.ts';
import { parseRecord } from './record.ts';
import { TOTALS_KEY, type StoreTotals, type VyreDatabase } from './schema.ts';

export interface IndexedDbStoreOptions {
  readonly dbName: string;
  readonly limits: StoreLimits;
  /** Where degradations, quota trouble and corrupt records are reported. */
  readonly logger?: StoreLogger;
}

type Database = IDBPDatabase<VyreDatabase>;
type Backend =
  | { readonly kind: 'persistent'; readonly db: Database }
  | { readonly kind: 'memory-only'; readonly fallback: ArtifactStore };
type Totals = { entries: number; bytes: number };

const SILENT: StoreLogger = { warn: () => undefined };
/** Write transactions: see docs/storage.md, "Why durability is relaxed". */
const RELAXED = { durability: 'relaxed' } as const;
/** Upper bound of a key range over one key prefix: arrays sort after every string and number. */
const AFTER_ALL: [] = [];

/**
 * Opens the persistent tier in database `dbName`. Never throws: when the database
 * cannot open (no IndexedDB, SecurityError, blocked by another tab for over 5 s, a
 * newer schema), the result is a memory store whose status says memory-only and why.
 * @example
 * ```ts
 * const store = await openIndexedDbStore({ dbName: 'vyre-web', limits: { maxEntries: 512, maxBytes: 64 << 20 }, logger });
 * store.status(); // { mode: 'persistent', dbName: 'vyre-web' } or { mode: 'memory-only', reason }
 * ```
 */
export async function openIndexedDbStore(options: IndexedDbStoreOptions): Promise<ArtifactStore> {
  const { dbName, limits } = options;
  const logger = options.logger ?? SILENT;
  let lostEarly: string | undefined;
  let lose = (reason: string): void => {
    lostEarly ??= reason;
  };
  try {
    const opened = await openDatabase(dbName, { onConnectionLost: (reason) => lose(reason) });
    if (!opened.ok) {
      const reason = opened.status.mode === 'memory-only' ? opened.status.reason : 'unknown';
      logger.warn('storage-unavailable', `The persistent tier is memory-only: ${reason}.`, { dbName });
      return createMemoryStore(limits, opened.status, logger);
    }
    const store = createIndexedDbStore(opened.db, dbName, limits, logger);
    lose = store.degrade;
    if (lostEarly !== undefined) store.degrade(lostEarly);
    // Repairs totals left inconsistent by an older build or outside edits; degrades on failure.
    await store.stats();
    return store;
  } catch (error) {
    const status: StorageStatus = { mode: 'memory-only', reason: describeError(error) };
    logger.warn('storage-unavailable', `The persistent tier is memory-only: ${status.reason}.`, { dbName });
    return createMemoryStore(limits, status, logger);
  }
}

function createIndexedDbStore(
  db: Database,
  dbName: string,
  limits: StoreLimits,
  logger: StoreLogger,
): ArtifactStore & { degrade(reason: string): void } {
  let backend: Backend = { kind: 'persistent', db };
  const clock = createStoreClock();
  let evictions = 0;
  let corruptDeleted = 0;

  /** Switches to memory-only for good (idempotent) and returns the memory store. */
  function fallBack(reason: string, log: boolean): ArtifactStore {
    if (backend.kind === 'memory-only') return backend.fallback;
    const status: StorageStatus = { mode: 'memory-only', reason };
    backend = { kind: 'memory-only', fallback: createMemoryStore(limits, status, logger) };
    try {
      db.close();
    } catch {
      // Already closed: nothing to release.
    }
    if (log) logger.warn('storage-degraded', `The persistent tier switched to memory-only: ${reason}.`, { dbName });
    return backend.fallback;
  }

  /** Runs `work` against the database; any failure degrades and `fallback` serves the call. */
  async function attempt<T>(what: string, work: () => Promise<T>, fallback: (memory: ArtifactStore) => Promise<T>): Promise<T> {
    if (backend.kind === 'memory-only') return fallback(backend.fallback);
    try {
      return await work();
    } catch (error) {
      return fallback(fallBack(`${what} failed (${describeError(error)})`, true));
    }
  }

  function writeTransaction() {
    return db.transaction(['artifacts', 'meta'], 'readwrite', RELAXED);
  }
  type WriteTransaction = ReturnType<typeof writeTransaction>;

  /** Totals after a change of `delta` already made in `tx`; recounted from the records when they stop making sense. */
  async function adjustTotals(tx: WriteTransaction, start: Totals, delta: Totals): Promise<Totals> {
    const entries = start.entries + delta.entries;
    const bytes = start.bytes + delta.bytes;
    return isPlausible(entries, bytes) ? { entries, bytes } : recount(tx);
  }

  /** Deletes least-recently-used records (never `keep`) while `over(totals, deleted)`; returns the new totals and the count. */
  async function evictWhile(
    tx: WriteTransaction,
    totals: Totals,
    over: (t: Totals, deleted: number) => boolean,
    keep?: string,
  ): Promise<{ totals: Totals; deleted: number }> {
    let current = totals;
    let deleted = 0;
    let cursor = await tx.objectStore('artifacts').index('by-last-use').openCursor();
    while (cursor !== null && over(current, deleted)) {
      if (cursor.primaryKey !== keep) {
        const bytes = bytesOf(cursor.value);
        await cursor.delete();
        current = await adjustTotals(tx, current, { entries: -1, bytes: -bytes });
        deleted++;
      }
      cursor = await cursor.continue();
    }
    return { totals: current, deleted };
  }

  async function putAndEvict(record: StoredArtifact): Promise<void> {
    const tx = writeTransaction();
    evictions += await settle(tx, async () => {
      const artifacts = tx.objectStore('artifacts');
      const [stored, old] = await Promise.all([readTotals(tx.objectStore('meta')), artifacts.get(record.identity)]);
      const start = stored ?? (await recount(tx));
      await artifacts.put(record);
      // Replacing a record (another tab wrote the same identity) must not count it twice.
      const delta = old === undefined ? { entries: 1, bytes: record.bytes } : { entries: 0, bytes: record.bytes - bytesOf(old) };
      const totals = await adjustTotals(tx, start, delta);
      const evicted = await evictWhile(tx, totals, (t) => t.entries > limits.maxEntries || t.bytes > limits.maxBytes, record.identity);
      await tx.objectStore('meta').put(totalsRow(evicted.totals));
      return evicted.deleted;
    });
  }

  async function evictHalf(): Promise<void> {
    const tx = writeTransaction();
    evictions += await settle(tx, async () => {
      const start = (await readTotals(tx.objectStore('meta'))) ?? (await recount(tx));
      const target = Math.ceil(start.entries / 2);
      const evicted = await evictWhile(tx, start, (_, deleted) => deleted < target);
      await tx.objectStore('meta').put(totalsRow(evicted.totals));
      return evicted.deleted;
    });
  }

  /** Totals counted from the records themselves (a full scan: only when the running totals are off). */
  async function recount(tx: WriteTransaction): Promise<Totals> {
    const totals = { entries: 0, bytes: 0 };
    for (let cursor = await tx.objectStore('artifacts').openCursor(); cursor !== null; cursor = await cursor.continue()) {
      totals.entries++;
      totals.bytes += bytesOf(cursor.value);
    }
    return totals;
  }

  async function repairTotals(): Promise<Totals> {
    const tx = writeTransaction();
    return settle(tx, async () => {
      const totals = await recount(tx);
      await tx.objectStore('meta').put(totalsRow(totals));
      return totals;
    });
  }

  /** Deletes records that failed their check, unless another tab has rewritten them since. */
  async function deleteCorrupt(found: ReadonlyMap<string, string>): Promise<void> {
    if (found.size === 0) return;
    const tx = writeTransaction();
    const deleted = await settle(tx, async () => {
      const artifacts = tx.objectStore('artifacts');
      let totals = (await readTotals(tx.objectStore('meta'))) ?? (await recount(tx));
      let count = 0;
      for (const identity of found.keys()) {
        const value: unknown = await artifacts.get(identity);
        if (value === undefined || parseRecord(value, identity).ok) continue;
        await artifacts.delete(identity);
        totals = await adjustTotals(tx, totals, { entries: -1, bytes: -bytesOf(value) });
        count++;
      }
      await tx.objectStore('meta').put(totalsRow(totals));
      return count;
    });
    corruptDeleted += deleted;
    for (const [identity, reason] of found) {
      logger.warn('storage-corrupt-record', `Deleted a stored artifact that failed its integrity check (${reason}); it will be rebuilt.`, { dbName, identity });
    }
  }

  /** Fire and forget: moves a hit to the front of the LRU order without delaying the caller. */
  function refreshLastUsed(record: StoredArtifact): void {
    if (backend.kind !== 'persistent') return;
    const refresh = async (): Promise<void> => {
      const tx = db.transaction('artifacts', 'readwrite', RELAXED);
      await settle(tx, async () => {
        const current: unknown = await tx.store.get(record.identity);
        // Only the record we read: another tab may have replaced or evicted it meanwhile.
        if (!isObject(current) || current['checksum'] !== record.checksum) return;
        if (typeof current['lastUsed'] === 'number' && current['lastUsed'] >= record.lastUsed) return;
        await tx.store.put({ ...(current as unknown as StoredArtifact), lastUsed: record.lastUsed });
      });
    };
    refresh().catch((error: unknown) => {
      if (isQuotaError(error)) logger.warn('storage-quota', 'Could not record the last use of an artifact: storage quota exceeded.', { dbName });
      else if (backend.kind === 'persistent') fallBack(`refreshing a record's last use failed (${describeError(error)})`, true);
    });
  }

  async function readPersistent(key: ArtifactKey): Promise<StoreRead> {
    const tx = db.transaction('artifacts', 'readonly');
    const outcome = await settle(tx, async () => {
      const value: unknown = await tx.store.get(key.identity);
      const parsed = value === undefined ? undefined : parseRecord(value, key.identity);
      if (parsed?.ok === true) return { record: parsed.record } as const;
      const byProgram = tx.store.index('by-program');
      const byProgramPolicyDevice = tx.store.index('by-program-policy-device');
      const [first, program, programPolicy, onDevice] = await Promise.all([
        tx.store.openKeyCursor(),
        byProgram.getKey(key.programDigest),
        byProgramPolicyDevice.getKey(IDBKeyRange.bound([key.programDigest, key.policy], [key.programDigest, key.policy, AFTER_ALL])),
        byProgramPolicyDevice.getKey([key.programDigest, key.policy, key.deviceFingerprint]),
      ]);
      const evidence: MissEvidence = ({
        corrupt: parsed !== undefined,
        storeIsEmpty: first === null,
        programKnown: program !== undefined,
        programWithPolicyKnown: programPolicy !== undefined,
        programWithPolicyOnDeviceKnown: onDevice !== undefined,
      });
      return { evidence, corruptReason: parsed?.ok === false ? parsed.reason : undefined } as const;
    });
    if ('record' in outcome) {
      const touched = { ...outcome.record, lastUsed: clock() };
      refreshLastUsed(touched);
      return { kind: 'hit', record: touched };
    }
    if (outcome.corruptReason !== undefined) await deleteCorrupt(new Map([[key.identity, outcome.corruptReason]]));
    return { kind: 'miss', evidence: outcome.evidence };
  }

  async function writePersistent(record: StoredArtifact, input: ArtifactInput): Promise<void> {
    try {
      await putAndEvict(record);
      return;
    } catch (error) {
      if (!isQuotaError(error)) throw error;
    }
    logger.warn('storage-quota', 'Storage quota exceeded; evicting half of the stored artifacts and retrying once.', { dbName });
    try {
      await evictHalf();
      await putAndEvict(record);
    } catch (error) {
      await fallBack(`storage quota exceeded even after evicting half of the records (${describeError(error)})`, true).write(input);
    }
  }

  async function workingSetPersistent(deviceFingerprint: string, limit: number): Promise<StoredArtifact[]> {
    const wanted = Math.max(0, Math.floor(limit));
    if (!(wanted > 0)) return [];
    const tx = db.transaction('artifacts', 'readonly');
    const records: StoredArtifact[] = [];
    const corrupt = new Map<string, string>();
    await settle(tx, async () => {
      const range = IDBKeyRange.bound([deviceFingerprint, -Infinity], [deviceFingerprint, Infinity]);
      let cursor = await tx.store.index('by-device-last-use').openCursor(range, 'prev');
      while (cursor !== null && records.length < wanted) {
        const parsed = parseRecord(cursor.value, cursor.primaryKey);
        if (parsed.ok) records.push(parsed.record);
        else corrupt.set(cursor.primaryKey, parsed.reason);
        cursor = await cursor.continue();
      }
    });
    await deleteCorrupt(corrupt);
    return records;
  }

  async function manifestsPersistent(): Promise<PipelineReproManifest[]> {
    const tx = db.transaction('artifacts', 'readonly');
    // One batch read; a record missing from the last-use index (a damaged one) is still seen.
    const values: unknown[] = await settle(tx, () => tx.store.getAll());
    const records: StoredArtifact[] = [];
    const corrupt = new Map<string, string>();
    for (const value of values) {
      const parsed = parseRecord(value);
      if (parsed.ok) records.push(parsed.record);
      else if (isObject(value) && typeof value['identity'] === 'string') corrupt.set(value['identity'], parsed.reason);
    }
    await deleteCorrupt(corrupt);
    return records.sort((a, b) => b.lastUsed - a.lastUsed).map((record) => record.manifest);
  }

  async function statsPersistent(): Promise<StoreStats> {
    const tx = db.transaction(['artifacts', 'meta'], 'readonly');
    const [count, stored] = await settle(tx, () => Promise.all([tx.objectStore('artifacts').count(), readTotals(tx.objectStore('meta'))]));
    // Another tab or an outside edit may have left the totals behind: recount then.
    const totals = stored !== undefined && stored.entries === count ? stored : await repairTotals();
    return { entries: totals.entries, bytes: totals.bytes, evictions, corruptDeleted };
  }

  async function clearPersistent(): Promise<void> {
    const tx = writeTransaction();
    await settle(tx, async () => {
      await tx.objectStore('artifacts').clear();
      await tx.objectStore('meta').put(totalsRow({ entries: 0, bytes: 0 }));
    });
  }

  return {
    status: () => (backend.kind === 'persistent' ? { mode: 'persistent', dbName } : backend.fallback.status()),
    read: (key) => attempt('reading a record', () => readPersistent(key), (memory) => memory.read(key)),
    async write(input) {
      const prepared = prepareWrite(input, clock(), limits);
      if (!prepared.ok) {
        logger.warn('storage-write-refused', `Did not store a pipeline artifact: ${prepared.reason}.`, { dbName, identity: String(input.identity) });
        return;
      }
      await attempt('writing a record', () => writePersistent(prepared.record, input), (memory) => memory.write(input));
    },
    workingSet: (fp, limit) => attempt('reading the working set', () => workingSetPersistent(fp, limit), (memory) => memory.workingSet(fp, limit)),
    manifests: () => attempt('reading the manifests', manifestsPersistent, (memory) => memory.manifests()),
    stats: () =>
      attempt('reading the totals', statsPersistent, async (memory) => {
        const own = await memory.stats();
        return { ...own, evictions: own.evictions + evictions, corruptDeleted: own.corruptDeleted + corruptDeleted };
      }),
    clear: () => attempt('clearing the store', clearPersistent, (memory) => memory.clear()),
    close: () => void fallBack('the store was closed', false),
    degrade: (reason) => void fallBack(reason, true),
  };
}

/**
 * Runs `body` inside `tx` and waits for the commit. The transaction's own `done` is
 * always observed (no unhandled rejection); on any failure the transaction is aborted so
 * nothing half-done commits, and the first error is rethrown.
 */
async function settle<T>(tx: { readonly done: Promise<void>; abort(): void }, body: () => Promise<T>): Promise<T> {
  tx.done.catch(() => undefined);
  try {
    const result = await body();
    await tx.done;
    return result;
  } catch (error) {
    try {
      tx.abort();
    } catch {
      // Already finished or aborted.
    }
    throw error;
  }
}

async function readTotals(meta: { get(key: string): Promise<StoreTotals | undefined> }): Promise<Totals | undefined> {
  const row: unknown = await meta.get(TOTALS_KEY);
  if (row === undefined) return { entries: 0, bytes: 0 };
  if (!isObject(row)) return undefined;
  const { entries, bytes } = row;
  return typeof entries === 'number' && typeof bytes === 'number' && isPlausible(entries, bytes) ? { entries, bytes } : undefined;
}

function totalsRow(totals: Totals): StoreTotals {
  return { name: TOTALS_KEY, entries: totals.entries, bytes: totals.bytes };
}

function isPlausible(entries: number, bytes: number): boolean {
  return Number.isSafeInteger(entries) && entries >= 0 && Number.isFinite(bytes) && bytes >= 0 && (entries > 0 || bytes === 0);
}

/** The byte count a stored value contributes to the totals (0 when it has none). */
function bytesOf(value: unknown): number {
  if (!isObject(value)) return 0;
  const bytes = value['bytes'];
  return typeof bytes === 'number' && Number.isFinite(bytes) && bytes >= 0 ? bytes : 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isQuotaError(error: unknown): boolean {
  return isObject(error) && (error['name'] === 'QuotaExceededError' || error['code'] === 22);
}
