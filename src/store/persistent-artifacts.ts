/**
 * The IndexedDB store's operations on a live connection: one transaction per call, every
 * record checked on the way out, corrupt records deleted, the running totals kept in
 * step. Any failure is thrown: deciding what a failure means (retry after a quota error,
 * memory-only for good) is the job of `indexeddb-store.ts`.
 */
import type { CacheBounds } from '../protocol/cache.ts';
import type { IDBPObjectStore } from 'idb';
import type { PipelineReproManifest } from '../protocol/compile.ts';
import type { ArtifactKey, StoreRead, StoreStats, StoredArtifact } from '../pipeline/artifact-store.ts';
import type { MissEvidence } from '../pipeline/miss-reason.ts';
import type { HeldUse } from './deferred-uses.ts';
import type { NewestRead } from './read-ahead.ts';
import { parseRecord } from './record.ts';
import { adjustTotals, bytesOf, currentTotals, evictWhile, readTotals, recount, saveTotals } from './running-totals.ts';
import type { VyreDatabase } from './schema.ts';
import { exceedsLimits, isObject, type StoreLogger, type StoreUsage } from './store-helpers.ts';
import { RELAXED, settle, writeTransaction, type Database } from './transactions.ts';

/** Upper bound of a key range over one key prefix: arrays sort after every string and number. */
const AFTER_ALL: [] = [];

type ArtifactsReader = IDBPObjectStore<VyreDatabase, ['artifacts'], 'artifacts', 'readonly'>;

/** The records of one open database, and what was deleted from it since it opened. */
export class PersistentArtifacts {
  readonly #db: Database;
  readonly #dbName: string;
  readonly #limits: CacheBounds;
  readonly #logger: StoreLogger;
  #evictions = 0;
  #corruptDeleted = 0;
  /**
   * Records found corrupt and deleted by a read of many (the read-ahead, the startup replay)
   * and not looked up since: the lookup of one still reads as a `corrupt` miss, not an absent key.
   */
  readonly #foundCorrupt = new Set<string>();

  /**
   * @param db the connection; {@link PersistentArtifacts.close} closes it.
   * @param dbName named in warnings.
   * @param limits entry and byte bounds kept by {@link PersistentArtifacts.put}.
   * @param logger where deleted corrupt records are reported.
   */
  constructor(db: Database, dbName: string, limits: CacheBounds, logger: StoreLogger) {
    this.#db = db;
    this.#dbName = dbName;
    this.#limits = limits;
    this.#logger = logger;
  }

  /** Records deleted to stay within the bounds, since the database opened. */
  get evictions(): number {
    return this.#evictions;
  }

  /** Records deleted because they failed their integrity check, since the database opened. */
  get corruptDeleted(): number {
    return this.#corruptDeleted;
  }

  /**
   * Looks `key` up in one read transaction. A hit carries the record as stored (the
   * caller stamps the use); a corrupt record is deleted and reads as a `corrupt` miss.
   */
  async read(key: ArtifactKey): Promise<StoreRead> {
    const tx = this.#db.transaction('artifacts', 'readonly');
    const outcome = await settle(tx, async () => {
      const value: unknown = await tx.store.get(key.identity);
      const parsed = value === undefined ? undefined : parseRecord(value, key.identity);
      if (parsed?.ok === true) return { record: parsed.record } as const;
      const foundCorrupt = this.#foundCorrupt.delete(key.identity);
      const evidence = await missEvidence(tx.store, key, parsed !== undefined || foundCorrupt);
      return { evidence, corruptReason: parsed?.ok === false ? parsed.reason : undefined } as const;
    });
    if ('record' in outcome) return { kind: 'hit', record: outcome.record };
    if (outcome.corruptReason !== undefined) {
      await this.#deleteCorrupt(new Map([[key.identity, outcome.corruptReason]]));
      this.#foundCorrupt.delete(key.identity); // reported by this miss already
    }
    return { kind: 'miss', evidence: outcome.evidence };
  }

  /**
   * Stores held uses (deferred-uses.ts) in one transaction: a touched record's `lastUsed`,
   * unless that record was replaced or used later meanwhile, and first uses. The transaction
   * is created before anything awaits, so a close right after still lets it finish.
   */
  async applyUses(uses: ReadonlyMap<string, HeldUse>): Promise<void> {
    const tx = this.#db.transaction('artifacts', 'readwrite', RELAXED);
    await settle(tx, async () => {
      for (const [identity, use] of uses) {
        const current: unknown = await tx.store.get(identity);
        if (!isObject(current)) continue;
        const updated = withUse(current as unknown as StoredArtifact, use);
        if (updated !== undefined) await tx.store.put(updated);
      }
    });
  }

  /** Stores `record`, then evicts least-recently-used records (never `record`) until within the bounds. */
  async put(record: StoredArtifact): Promise<void> {
    this.#foundCorrupt.delete(record.identity);
    const tx = writeTransaction(this.#db);
    const deleted = await settle(tx, async () => {
      const artifacts = tx.objectStore('artifacts');
      const [stored, old] = await Promise.all([readTotals(tx.objectStore('meta')), artifacts.get(record.identity)]);
      const start = stored ?? (await recount(tx));
      await artifacts.put(record);
      // Replacing a record (another tab wrote the same identity) must not count it twice.
      const delta = old === undefined ? { entries: 1, bytes: record.bytes } : { entries: 0, bytes: record.bytes - bytesOf(old) };
      const totals = await adjustTotals(tx, start, delta);
      const evicted = await evictWhile(tx, totals, (t) => exceedsLimits(t, this.#limits), record.identity);
      await saveTotals(tx, evicted.totals);
      return evicted.deleted;
    });
    this.#evictions += deleted;
  }

  /** Evicts the least recently used half of the records (rounded up): room to retry after a quota error. */
  async evictHalf(): Promise<void> {
    const tx = writeTransaction(this.#db);
    const deleted = await settle(tx, async () => {
      const start = await currentTotals(tx);
      const target = Math.ceil(start.entries / 2);
      const evicted = await evictWhile(tx, start, (_, count) => count < target);
      await saveTotals(tx, evicted.totals);
      return evicted.deleted;
    });
    this.#evictions += deleted;
  }

  /** The records of one device, most recently used first, at most `limit`; corrupt ones are skipped and deleted. */
  workingSet(deviceFingerprint: string, limit: number): Promise<StoredArtifact[]> {
    return this.newestRecords(limit, deviceFingerprint);
  }

  /**
   * The most recently used records, at most `limit`: of one device, or of any when
   * `deviceFingerprint` is undefined (a start reads ahead before its device is known).
   * Corrupt ones are skipped and deleted.
   */
  async newestRecords(limit: number, deviceFingerprint?: string): Promise<StoredArtifact[]> {
    return (await this.newestRead(limit, deviceFingerprint)).records;
  }

  /**
   * {@link newestRecords}, and whether they are all there were: the store held fewer than
   * `limit` records (of that device, or of any), so none was left out.
   */
  async newestRead(limit: number, deviceFingerprint?: string): Promise<NewestRead> {
    const wanted = Math.max(0, Math.floor(limit));
    if (!(wanted > 0)) return { records: [], all: false };
    let all = false;
    const tx = this.#db.transaction('artifacts', 'readonly');
    const records: StoredArtifact[] = [];
    const corrupt = new Map<string, string>();
    await settle(tx, async () => {
      // The identities, oldest use first (keys only: small), then the newest `wanted` records
      // asked for all at once. A cursor costs one round trip to the database per record: 32 of
      // them took ≈ 8 ms at a start on the H200 host.
      const every = deviceFingerprint === undefined
        ? await tx.store.index('by-last-use').getAllKeys()
        : await tx.store.index('by-device-last-use').getAllKeys(IDBKeyRange.bound([deviceFingerprint, -Infinity], [deviceFingerprint, Infinity]));
      all = every.length < wanted;
      const identities = every.slice(-wanted).reverse();
      const values: unknown[] = await Promise.all(identities.map((identity) => tx.store.get(identity)));
      values.forEach((value, index) => {
        const identity = identities[index] ?? '';
        if (value === undefined) return; // not within one transaction; the type allows it
        const parsed = parseRecord(value, identity);
        if (parsed.ok) records.push(parsed.record);
        else corrupt.set(identity, parsed.reason);
      });
    });
    await this.#deleteCorrupt(corrupt);
    return { records, all };
  }

  /** The manifests of every valid record, most recently used first; corrupt records are deleted. */
  async manifests(): Promise<PipelineReproManifest[]> {
    const tx = this.#db.transaction('artifacts', 'readonly');
    // One batch read; a record missing from the last-use index (a damaged one) is still seen.
    const values: unknown[] = await settle(tx, () => tx.store.getAll());
    const records: StoredArtifact[] = [];
    const corrupt = new Map<string, string>();
    for (const value of values) {
      const parsed = parseRecord(value);
      if (parsed.ok) records.push(parsed.record);
      else if (isObject(value) && typeof value['identity'] === 'string') corrupt.set(value['identity'], parsed.reason);
    }
    await this.#deleteCorrupt(corrupt);
    return records.sort((a, b) => b.lastUsed - a.lastUsed).map((record) => record.manifest);
  }

  /** Entries and bytes from the running totals (recounted when they disagree with the record count), and the deletion counts. */
  async stats(): Promise<Omit<StoreStats, 'readAheadHits'>> {
    const tx = this.#db.transaction(['artifacts', 'meta'], 'readonly');
    const [count, stored] = await settle(tx, () => Promise.all([tx.objectStore('artifacts').count(), readTotals(tx.objectStore('meta'))]));
    // Another tab or an outside edit may have left the totals behind: recount then.
    const totals = stored !== undefined && stored.entries === count ? stored : await this.#repairTotals();
    return { entries: totals.entries, bytes: totals.bytes, evictions: this.#evictions, corruptDeleted: this.#corruptDeleted };
  }

  /** Deletes every record and zeroes the totals. */
  async clear(): Promise<void> {
    const tx = writeTransaction(this.#db);
    await settle(tx, async () => {
      await tx.objectStore('artifacts').clear();
      await saveTotals(tx, { entries: 0, bytes: 0 });
    });
  }

  /** Closes the connection; later calls fail. */
  close(): void {
    try {
      this.#db.close();
    } catch {
      // Already closed: nothing to release.
    }
  }

  async #repairTotals(): Promise<StoreUsage> {
    const tx = writeTransaction(this.#db);
    return settle(tx, async () => {
      const totals = await recount(tx);
      await saveTotals(tx, totals);
      return totals;
    });
  }

  /** Deletes records that failed their check, unless another tab has rewritten them since. */
  async #deleteCorrupt(found: ReadonlyMap<string, string>): Promise<void> {
    if (found.size === 0) return;
    const tx = writeTransaction(this.#db);
    const deleted = await settle(tx, async () => {
      const artifacts = tx.objectStore('artifacts');
      let totals = await currentTotals(tx);
      let count = 0;
      for (const identity of found.keys()) {
        const value: unknown = await artifacts.get(identity);
        if (value === undefined || parseRecord(value, identity).ok) continue;
        await artifacts.delete(identity);
        totals = await adjustTotals(tx, totals, { entries: -1, bytes: -bytesOf(value) });
        count++;
      }
      await saveTotals(tx, totals);
      return count;
    });
    this.#corruptDeleted += deleted;
    for (const [identity, reason] of found) {
      this.#foundCorrupt.add(identity);
      this.#logger.warn('storage-corrupt-record', `Deleted a stored artifact that failed its integrity check (${reason}); it will be rebuilt.`, { dbName: this.#dbName, identity });
    }
  }
}

/** What the store knows about `key`'s program, policy and device (four key lookups in `store`'s transaction). */
async function missEvidence(store: ArtifactsReader, key: ArtifactKey, corrupt: boolean): Promise<MissEvidence> {
  const byProgram = store.index('by-program');
  const byProgramPolicyDevice = store.index('by-program-policy-device');
  const [first, program, programPolicy, onDevice] = await Promise.all([
    store.openKeyCursor(),
    byProgram.getKey(key.programDigest),
    byProgramPolicyDevice.getKey(IDBKeyRange.bound([key.programDigest, key.policy], [key.programDigest, key.policy, AFTER_ALL])),
    byProgramPolicyDevice.getKey([key.programDigest, key.policy, key.deviceFingerprint]),
  ]);
  return {
    corrupt,
    storeIsEmpty: first === null,
    programKnown: program !== undefined,
    programWithPolicyKnown: programPolicy !== undefined,
    programWithPolicyOnDeviceKnown: onDevice !== undefined,
  };
}

/** `current` with `use` applied, or `undefined` when nothing changes. */
function withUse(current: StoredArtifact, use: HeldUse): StoredArtifact | undefined {
  let updated: StoredArtifact | undefined;
  const touched = use.touched;
  // Only the record we read: another tab may have replaced it, or used it later, meanwhile.
  if (touched !== undefined && current.checksum === touched.checksum && !(typeof current.lastUsed === 'number' && current.lastUsed >= touched.lastUsed)) {
    updated = { ...current, lastUsed: touched.lastUsed };
  }
  if (use.firstUse !== undefined) updated = { ...(updated ?? current), firstUse: use.firstUse };
  return updated;
}
