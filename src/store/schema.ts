/**
 * The IndexedDB schema of the persistent tier, typed with idb's `DBSchema`. The typed
 * schema is the documentation: every store, key and index the tier touches is here.
 *
 * Version history (bump DATABASE_VERSION and add an `oldVersion < N` step to
 * `upgradeDatabase` for every change; never edit a step that has shipped):
 *   1 — store `artifacts` (keyPath `identity`, value {@link StoredArtifact}) with indexes
 *       `by-device-last-use` [deviceFingerprint, lastUsed], `by-program` programDigest,
 *       `by-program-policy-device` [programDigest, policy, deviceFingerprint] and
 *       `by-last-use` lastUsed; store
 *       `meta` (keyPath `name`) holding the running totals `{ name: 'totals', entries, bytes }`.
 *
 * The record layout inside `artifacts` has its own version, `RECORD_SCHEMA_VERSION`
 * (see `record.ts`): a record of another layout reads as corrupt and is rebuilt, so the
 * record layout can change without a database upgrade.
 */
import type { DBSchema, IDBPDatabase } from 'idb';
import type { StoredArtifact } from '../pipeline/artifact-store.ts';

export const DATABASE_VERSION = 1;
export const DEFAULT_DATABASE_NAME = 'vyre-web';

/** The single row of the `meta` store: running totals kept in step with `artifacts`. */
export interface StoreTotals {
  readonly name: 'totals';
  /** Number of records in `artifacts`. */
  readonly entries: number;
  /** Sum of the records' `bytes`. */
  readonly bytes: number;
}

export const TOTALS_KEY = 'totals';

export interface VyreDatabase extends DBSchema {
  artifacts: {
    key: string;
    /** What a reader gets may be anything (another version, a damaged disk): always `parseRecord` it. */
    value: StoredArtifact;
    indexes: {
      /** This device's records in last-use order: the startup working set. */
      'by-device-last-use': [string, number];
      /** Miss evidence: is this program known at all? */
      'by-program': string;
      /**
       * Miss evidence: is this program known with this policy (a key-range prefix), and
       * with this policy on this device (the exact key)?
       */
      'by-program-policy-device': [string, string, string];
      /** LRU eviction, oldest first; manifests, newest first. */
      'by-last-use': number;
    };
  };
  meta: {
    key: string;
    value: StoreTotals;
  };
}

/** Object store names the tier expects, checked after opening (a foreign layout goes memory-only). */
export const STORE_NAMES = ['artifacts', 'meta'] as const;
export const ARTIFACT_INDEX_NAMES = ['by-device-last-use', 'by-program', 'by-program-policy-device', 'by-last-use'] as const;

/** The `upgrade` callback: brings a database of `oldVersion` up to {@link DATABASE_VERSION}. */
export function upgradeDatabase(db: IDBPDatabase<VyreDatabase>, oldVersion: number): void {
  if (oldVersion < 1) {
    const artifacts = db.createObjectStore('artifacts', { keyPath: 'identity' });
    artifacts.createIndex('by-device-last-use', ['deviceFingerprint', 'lastUsed']);
    artifacts.createIndex('by-program', 'programDigest');
    artifacts.createIndex('by-program-policy-device', ['programDigest', 'policy', 'deviceFingerprint']);
    artifacts.createIndex('by-last-use', 'lastUsed');
    db.createObjectStore('meta', { keyPath: 'name' });
    // The totals row is written by the first write; a missing row reads as zero.
  }
}
