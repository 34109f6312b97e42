/**
 * The IndexedDB implementation of {@link ArtifactStore} (schema in `schema.ts`, records
 * in `record.ts`, the operations on the database in `persistent-artifacts.ts`, the whole
 * design in `docs/storage.md`). Runs in the worker.
 *
 * Faults never reach the caller: a record that fails its check is deleted and reads as
 * a `corrupt` miss; a database that cannot open, is taken over by a newer version in
 * another tab, is cleared under us, or fails a transaction, turns the store into a
 * memory store for the rest of its life (`status()` says why, the logger warns once).
 */
import type { CacheBounds, StorageStatus } from '../protocol/cache.ts';
import type { PipelineReproManifest } from '../protocol/compile.ts';
import type { ArtifactInput, ArtifactKey, ArtifactStore, FirstUse, StoreRead, StoreStats, StoredArtifact } from '../pipeline/artifact-store.ts';
import { createMemoryStore } from './memory-store.ts';
import { describeError, openDatabase } from './open-database.ts';
import { PersistentArtifacts } from './persistent-artifacts.ts';
import { DeferredUses, type HeldUse } from './deferred-uses.ts';
import { READ_AHEAD_LIMIT, ReadAhead } from './read-ahead.ts';
import { createStoreClock, prepareWrite, reportRefusedWrite, SILENT_LOGGER, type StoreLogger } from './store-helpers.ts';
import { isQuotaError, type Database } from './transactions.ts';
import { WritesBehind } from './writes-behind.ts';

/**
 * How long after a compile its record starts to be prepared. Preparing hashes the whole WGSL
 * twice (checksum, read-back check), in code that has not run yet on an app's first visit.
 * Started in the next task, it ran just as the app's first dispatch of the new pipeline arrived:
 * on an H200 that dispatch took 6.9–7.1 ms for a kernel and 11.7–12.4 ms for a 19 KB shader,
 * against 4.1–5.2 ms with this wait (docs/benchmarks.md, run 18). Later, it overlaps the
 * dispatch's wait on the GPU or the next compile's GPU build. A read lets the held writes go
 * first (writes-behind.ts), so it still finds every record asked to be written before it.
 */
const WRITE_BEHIND_MS = 50;

/** What {@link openIndexedDbStore} needs. */
export interface IndexedDbStoreOptions {
  /** The database to open (or create); one per app is usual. */
  readonly dbName: string;
  /** Entry and byte bounds; least-recently-used records are evicted first. */
  readonly limits: CacheBounds;
  /** Where degradations, quota trouble and corrupt records are reported. */
  readonly logger?: StoreLogger;
}

/** Where calls go: the database, or for the rest of the store's life, a memory store. */
type Backend =
  | { readonly kind: 'persistent' }
  | { readonly kind: 'memory-only'; readonly fallback: ArtifactStore };

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
  const logger = options.logger ?? SILENT_LOGGER;
  // The connection may be lost before the store exists: remember why, and degrade it at once.
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
    const store = new IndexedDbStore(opened.db, dbName, limits, logger);
    lose = (reason) => store.degrade(reason);
    if (lostEarly !== undefined) store.degrade(lostEarly);
    // Repairs totals left inconsistent by an older build or outside edits; degrades on failure.
    store.noteEntriesAtOpen((await store.stats()).entries);
    // The most recent records of any device, while the device is still being requested: the
    // first compiles of this start find them read (build-ahead.ts).
    store.startReadAhead();
    return store;
  } catch (error) {
    const status: StorageStatus = { mode: 'memory-only', reason: describeError(error) };
    logger.warn('storage-unavailable', `The persistent tier is memory-only: ${status.reason}.`, { dbName });
    return createMemoryStore(limits, status, logger);
  }
}

/** The store's policy over {@link PersistentArtifacts}: stamping uses, retrying after a quota error, falling back to memory. */
class IndexedDbStore implements ArtifactStore {
  readonly #persistent: PersistentArtifacts;
  readonly #dbName: string;
  readonly #limits: CacheBounds;
  readonly #logger: StoreLogger;
  readonly #clock = createStoreClock();
  /** Uses of records (last use, first use) held back while compiles follow one another (deferred-uses.ts). */
  readonly #uses = new DeferredUses((uses) => this.#writeUses(uses));
  /** The most recent records, read in one transaction as the store opens (read-ahead.ts). */
  readonly #readAhead = new ReadAhead((device) => this.#persistent.newestRead(READ_AHEAD_LIMIT, device));
  #backend: Backend = { kind: 'persistent' };
  readonly #writesBehind = new WritesBehind(WRITE_BEHIND_MS);
  /** The running totals' entry count as the store opened; undefined until read. */
  #entriesAtOpen: number | undefined;

  constructor(db: Database, dbName: string, limits: CacheBounds, logger: StoreLogger) {
    this.#persistent = new PersistentArtifacts(db, dbName, limits, logger);
    this.#dbName = dbName;
    this.#limits = limits;
    this.#logger = logger;
  }

  status(): StorageStatus {
    return this.#backend.kind === 'persistent' ? { mode: 'persistent', dbName: this.#dbName } : this.#backend.fallback.status();
  }

  read(key: ArtifactKey): Promise<StoreRead> {
    // A read sees every write asked for before it (a miss's reason depends on what is stored).
    if (this.#writesBehind.size > 0) return this.#writesBehind.release().then(() => this.read(key));
    if (this.#backend.kind === 'persistent') {
      const ahead = this.#readAhead.take(key.identity);
      if (ahead !== undefined) return Promise.resolve(this.#hit(ahead));
    }
    return this.#attempt('reading a record', () => this.#readPersistent(key), (memory) => memory.read(key));
  }

  async write(input: ArtifactInput): Promise<void> {
    // Written behind: the compile that stored this does not wait for it (pipeline-cache.ts), and
    // the record is prepared (its checksum and read-back check hash the whole WGSL) only once the
    // app has had WRITE_BEHIND_MS to send what it does with the pipeline, or a read needs it.
    const hold = this.#writesBehind.hold();
    try {
      await hold.ready;
      const prepared = prepareWrite(input, this.#clock(), this.#limits);
      if (!prepared.ok) {
        reportRefusedWrite(this.#logger, prepared.reason, { dbName: this.#dbName, identity: String(input.identity) });
        return;
      }
      this.#readAhead.forget(prepared.record.identity);
      // put() creates its transaction at once: a read released after it is ordered behind it.
      const writing = this.#attempt('writing a record', () => this.#writePersistent(prepared.record, input), (memory) => memory.write(input));
      hold.begun();
      await writing;
    } finally {
      hold.begun();
    }
  }

  async workingSet(deviceFingerprint: string, limit: number): Promise<StoredArtifact[]> {
    // A start's replay asks as the read ahead of the store's open settles: when that read
    // holds every record, it is the working set, and a second read of the same records (23–39
    // ms of a replay's start on the development VM) is saved.
    await this.#readAhead.settled();
    const ahead = this.#backend.kind === 'persistent' ? this.#readAhead.workingSet(deviceFingerprint, limit) : undefined;
    if (ahead !== undefined) return ahead;
    return this.#attempt(
      'reading the working set',
      () => this.#persistent.workingSet(deviceFingerprint, limit),
      (memory) => memory.workingSet(deviceFingerprint, limit),
    );
  }

  /** @internal The entry count the store opened with (see {@link ArtifactStore.wasEmptyAtOpen}). */
  noteEntriesAtOpen(entries: number): void {
    this.#entriesAtOpen ??= entries;
  }

  wasEmptyAtOpen(): boolean {
    return this.#backend.kind === 'persistent' && this.#entriesAtOpen === 0;
  }

  /** Starts reading the most recent records of any device ahead, in the background (read-ahead.ts); only the first call reads. */
  startReadAhead(): void {
    if (this.#backend.kind === 'persistent') this.#readAhead.start();
  }

  async recordsAhead(deviceFingerprint: string): Promise<readonly StoredArtifact[]> {
    await this.#readAhead.settled();
    if (this.#backend.kind === 'memory-only') return this.#backend.fallback.recordsAhead(deviceFingerprint);
    return this.#readAhead.records().filter((record) => record.deviceFingerprint === deviceFingerprint);
  }

  markFirstUse(identity: string, use: FirstUse): Promise<void> {
    if (this.#backend.kind === 'memory-only') return this.#backend.fallback.markFirstUse(identity, use);
    this.#uses.firstUse(identity, use);
    return Promise.resolve();
  }

  /** Writes the uses held back so far; resolves once they are written (failures are logged, never thrown). */
  flush(): Promise<void> {
    return this.#uses.flush();
  }

  manifests(): Promise<PipelineReproManifest[]> {
    return this.#attempt('reading the manifests', () => this.#persistent.manifests(), (memory) => memory.manifests());
  }

  stats(): Promise<StoreStats> {
    const readAheadHits = this.#readAhead.hits;
    return this.#attempt('reading the totals', async () => ({ ...(await this.#persistent.stats()), readAheadHits }), async (memory) => {
      // What the database evicted or deleted before the fallback still counts.
      const own = await memory.stats();
      return { ...own, evictions: own.evictions + this.#persistent.evictions, corruptDeleted: own.corruptDeleted + this.#persistent.corruptDeleted, readAheadHits };
    });
  }

  clear(): Promise<void> {
    this.#readAhead.forget();
    return this.#attempt('clearing the store', () => this.#persistent.clear(), (memory) => memory.clear());
  }

  close(): void {
    // Held uses go first: their transaction starts now, and a closing connection lets it finish.
    void this.#uses.flush();
    this.#fallBack('the store was closed', false);
  }

  /** Switches to memory-only for good, with a warning (the connection was lost or taken over). */
  degrade(reason: string): void {
    this.#fallBack(reason, true);
  }

  /** Switches to memory-only for good (idempotent) and returns the memory store. */
  #fallBack(reason: string, log: boolean): ArtifactStore {
    if (this.#backend.kind === 'memory-only') return this.#backend.fallback;
    const status: StorageStatus = { mode: 'memory-only', reason };
    const fallback = createMemoryStore(this.#limits, status, this.#logger);
    this.#backend = { kind: 'memory-only', fallback };
    this.#persistent.close();
    if (log) this.#logger.warn('storage-degraded', `The persistent tier switched to memory-only: ${reason}.`, { dbName: this.#dbName });
    return fallback;
  }

  /** Runs `work` against the database; any failure degrades and `fallback` serves the call. */
  async #attempt<T>(what: string, work: () => Promise<T>, fallback: (memory: ArtifactStore) => Promise<T>): Promise<T> {
    if (this.#backend.kind === 'memory-only') return fallback(this.#backend.fallback);
    try {
      return await work();
    } catch (error) {
      return fallback(this.#fallBack(`${what} failed (${describeError(error)})`, true));
    }
  }

  async #readPersistent(key: ArtifactKey): Promise<StoreRead> {
    const read = await this.#persistent.read(key);
    return read.kind === 'miss' ? read : this.#hit(read.record);
  }

  /** A hit on `record`: its use stamped now, and held to be written (deferred-uses.ts). */
  #hit(record: StoredArtifact): StoreRead {
    const touched = { ...record, lastUsed: this.#clock() };
    this.#refreshLastUsed(touched);
    return { kind: 'hit', record: touched };
  }

  /** Moves a hit to the front of the LRU order, soon: held back with the other uses, so no later read waits on it. */
  #refreshLastUsed(record: StoredArtifact): void {
    if (this.#backend.kind === 'persistent') this.#uses.touch(record);
  }

  /** Writes held uses in one transaction. Bookkeeping: a quota error is logged; any other failure degrades the store, as a failed read would. */
  async #writeUses(uses: ReadonlyMap<string, HeldUse>): Promise<void> {
    if (this.#backend.kind !== 'persistent') return;
    try {
      await this.#persistent.applyUses(uses);
    } catch (error) {
      if (isQuotaError(error)) this.#logger.warn('storage-quota', 'Could not record the uses of stored artifacts: storage quota exceeded.', { dbName: this.#dbName });
      else if (this.#backend.kind === 'persistent') this.#fallBack(`recording the uses of stored artifacts failed (${describeError(error)})`, true);
    }
  }

  /** Stores `record`; on a quota error evicts half the records and retries once, then goes memory-only. */
  async #writePersistent(record: StoredArtifact, input: ArtifactInput): Promise<void> {
    try {
      await this.#persistent.put(record);
      return;
    } catch (error) {
      if (!isQuotaError(error)) throw error;
    }
    this.#logger.warn('storage-quota', 'Storage quota exceeded; evicting half of the stored artifacts and retrying once.', { dbName: this.#dbName });
    try {
      await this.#persistent.evictHalf();
      await this.#persistent.put(record);
    } catch (error) {
      await this.#fallBack(`storage quota exceeded even after evicting half of the records (${describeError(error)})`, true).write(input);
    }
  }
}
