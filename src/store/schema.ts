/**
 * The IndexedDB schema of the persistent tier, typed with idb's `DBSchema`.
 *
 * Version history (bump DATABASE_VERSION and add an upgrade step for every change):
 *   1 — store `artifacts` keyed by pipeline identity; indexes `by-device`,
 *       `by-program` and `by-last-use`.
 */
import type { DBSchema } from 'idb';

export const DATABASE_VERSION = 1;
export const DEFAULT_DATABASE_NAME = 'vyre-web';

/** One stored pipeline artifact. The persistent tier fills in the fields it needs. */
export interface ArtifactRecord {
  readonly identity: string;
  readonly deviceFingerprint: string;
  readonly programDigest: string;
  readonly lastUsed: number;
}

export interface VyreDatabase extends DBSchema {
  artifacts: {
    key: string;
    value: ArtifactRecord;
    indexes: {
      'by-device': string;
      'by-program': string;
      'by-last-use': number;
    };
  };
}
