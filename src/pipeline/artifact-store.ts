/**
 * The persistent tier's contract. Two implementations: IndexedDB (`indexeddb-store.ts`,
 * through idb) for browsers, and memory (`memory-store.ts`) for `persistent: false`,
 * memory-only fallback, and Node.
 *
 * A store never throws at the runtime for its own faults: a corrupt record reads as a
 * miss with `corrupt` evidence (and is deleted), an unusable database degrades the
 * store to memory-only (visible in `status`).
 */
import type { ShaderArtifact } from '../lower/artifact.ts';
import type { PipelineReproManifest } from '../protocol/compile.ts';
import type { MissEvidence } from './miss-reason.ts';
import type { StorageStatus } from '../protocol/cache.ts';

/** Bump when the record layout changes; part of every record and of its checksum. */
export const RECORD_SCHEMA_VERSION = 2;

/** What the compiler hands the store; the store adds checksum, size and timestamps. */
export interface ArtifactInput {
  /** Full pipeline identity (hex); the record's key. */
  readonly identity: string;
  readonly keyVersion: number;
  readonly deviceFingerprint: string;
  readonly programDigest: string;
  /** Dispatch policy string, e.g. `wg=[64,1,1]`. */
  readonly policy: string;
  /** Everything needed to rebuild the pipeline without lowering. */
  readonly artifact: ShaderArtifact;
  readonly manifest: PipelineReproManifest;
  /**
   * Bookkeeping, not content (outside the checksum, like `lastUsed`): when the app first
   * asked for this pipeline in the latest session that used it; the startup replay's order.
   */
  readonly firstUse?: FirstUse;
  /** Bookkeeping: the GPU compile time (ms) when this artifact was compiled from scratch. */
  readonly gpuCompileMs?: number;
}

/**
 * The app's first request for a pipeline within one session (one runtime): `session` is
 * when that runtime started (ms since the epoch), `rank` counts its distinct pipelines in
 * the order the app first asked for them (0, 1, 2, …). The startup replay warms the latest
 * session's pipelines in rank order: the order the app will most likely ask again.
 */
export interface FirstUse {
  readonly session: number;
  readonly rank: number;
}

/** One stored record, exactly as it sits in the database. */
export interface StoredArtifact extends ArtifactInput {
  readonly schemaVersion: number;
  /** SHA-256 (hex) over the record's content fields; see `record.ts`. */
  readonly checksum: string;
  /** Estimated size in bytes (what the byte bound counts). */
  readonly bytes: number;
  readonly createdAt: number;
  /** Milliseconds since the epoch of the last read or write; drives LRU eviction. */
  readonly lastUsed: number;
}

/** The key a lookup needs: the identity, plus what miss classification compares. */
export interface ArtifactKey {
  readonly identity: string;
  readonly programDigest: string;
  readonly policy: string;
  readonly deviceFingerprint: string;
}

export type StoreRead =
  | { readonly kind: 'hit'; readonly record: StoredArtifact }
  | { readonly kind: 'miss'; readonly evidence: MissEvidence };

export interface StoreStats {
  readonly entries: number;
  readonly bytes: number;
  /** Records deleted to stay within the bounds, since the store opened. */
  readonly evictions: number;
  /** Records deleted because they failed their integrity check, since the store opened. */
  readonly corruptDeleted: number;
  /** Lookups served by the records read ahead as the store opened, without a transaction of their own (store/read-ahead.ts). */
  readonly readAheadHits: number;
}

export interface ArtifactStore {
  /** `persistent` with the database name, or `memory-only` with the reason. Changes if the database fails later. */
  status(): StorageStatus;
  /** Looks a record up; a hit also refreshes its `lastUsed` (without blocking the caller). */
  read(key: ArtifactKey): Promise<StoreRead>;
  /** Stores a record, then evicts least-recently-used records until within the bounds. */
  write(input: ArtifactInput): Promise<void>;
  /** The records of one device, most recently used first, at most `limit`; corrupt ones are skipped and deleted. */
  workingSet(deviceFingerprint: string, limit: number): Promise<StoredArtifact[]>;
  /** Records the app's first request for a stored pipeline in this session; no-op when it is not stored. Never blocks a compile. */
  markFirstUse(identity: string, use: FirstUse): Promise<void>;
  /**
   * This device's records that a lookup can have without a transaction, not yet looked up:
   * what was read ahead as the store opened (IndexedDB: read-ahead.ts; the memory store
   * holds every record anyway), most recently used first, once a read under way has settled (`[]`
   * when it failed). Never rejects.
   */
  recordsAhead(deviceFingerprint: string): Promise<readonly StoredArtifact[]>;
  /**
   * Whether the store held no record at all when it opened (IndexedDB: its running totals
   * said 0, as on an app's first visit). A record this runtime did not write can then exist only
   * if another tab wrote it since: a compile that misses the memory tier may start its GPU
   * build before its read answers (pipeline-cache.ts). `false` when unknown, after the store
   * fell back to memory, and for the memory store, whose reads answer at once.
   */
  wasEmptyAtOpen(): boolean;
  /** The manifests of every stored record, most recently used first. */
  manifests(): Promise<PipelineReproManifest[]>;
  stats(): Promise<StoreStats>;
  /** Deletes every record. */
  clear(): Promise<void>;
  /** Writes what is held back (uses of records, deferred-uses.ts); resolves once written. Never rejects. */
  flush(): Promise<void>;
  /** Closes the database connection (after starting the write of what is held back); later calls act as memory-only. */
  close(): void;
}
