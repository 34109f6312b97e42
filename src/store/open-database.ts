/**
 * Opens the persistent tier's IndexedDB database inside the worker.
 *
 * A database that cannot open (no IndexedDB, storage blocked, a `data:`-URL worker with
 * an opaque origin, private-mode quirks, a newer schema from a newer vyre-web, another
 * tab blocking the upgrade) is not an error for the app: the runtime reports
 * memory-only mode, with the reason, and keeps working.
 */
import { openDB, type IDBPDatabase } from 'idb';
import type { StorageStatus } from '../protocol/cache.ts';
import { ARTIFACT_INDEX_NAMES, DATABASE_VERSION, STORE_NAMES, upgradeDatabase, type VyreDatabase } from './schema.ts';

export type OpenResult =
  | { readonly ok: true; readonly db: IDBPDatabase<VyreDatabase>; readonly status: StorageStatus }
  | { readonly ok: false; readonly status: StorageStatus };

export interface OpenOptions {
  /**
   * Called once when an open connection is lost: another tab asked for a newer version
   * (`versionchange`; the connection is already closed so that tab can upgrade), or the
   * browser terminated it (storage cleared, disk failure).
   */
  readonly onConnectionLost?: (reason: string) => void;
  /** How long an open may stay blocked by another tab before we give up (default 5000 ms). */
  readonly timeoutMs?: number;
}

/** How long to wait for an open that another tab blocks before going memory-only. */
export const OPEN_TIMEOUT_MS = 5000;

/**
 * Opens (creating or upgrading) the database `dbName`; never throws.
 * @returns the connection, or `ok: false` with a memory-only status that says why.
 */
export async function openDatabase(dbName: string, options: OpenOptions = {}): Promise<OpenResult> {
  if (typeof indexedDB === 'undefined') {
    return memoryOnly('IndexedDB is not available in this context');
  }
  const timeoutMs = options.timeoutMs ?? OPEN_TIMEOUT_MS;
  let lost = false;
  const loseConnection = (reason: string): void => {
    if (lost) return;
    lost = true;
    options.onConnectionLost?.(reason);
  };
  let opening: Promise<IDBPDatabase<VyreDatabase>> | undefined;
  try {
    opening = openDB<VyreDatabase>(dbName, DATABASE_VERSION, {
      upgrade: (db, oldVersion) => upgradeDatabase(db, oldVersion),
      terminated() {
        loseConnection('the browser closed the database connection (storage was cleared or failed)');
      },
    });
    const db = await withTimeout(opening, timeoutMs, `opening "${dbName}" was blocked by another tab for ${timeoutMs} ms`);
    // Another tab wants a newer schema: close at once so we never block its upgrade. The
    // listener is attached in the same task as the open's success, before any such event.
    db.addEventListener('versionchange', () => {
      db.close();
      loseConnection('another tab opened a newer version of the database (versionchange); this connection closed so it could upgrade');
    });
    const layoutProblem = checkLayout(db);
    if (layoutProblem !== undefined) {
      db.close();
      return memoryOnly(`database "${dbName}" has an unexpected layout (${layoutProblem}); delete it or pass another dbName`);
    }
    return { ok: true, db, status: { mode: 'persistent', dbName } };
  } catch (error) {
    // If the open merely timed out, it may still succeed later: close that connection then.
    void opening?.then((late) => late.close(), () => undefined);
    return memoryOnly(describeError(error));
  }
}

function memoryOnly(reason: string): OpenResult {
  return { ok: false, status: { mode: 'memory-only', reason } };
}

/** A database of our version but not our layout (e.g. a pre-release build) cannot be used. */
function checkLayout(db: IDBPDatabase<VyreDatabase>): string | undefined {
  for (const name of STORE_NAMES) {
    if (!db.objectStoreNames.contains(name)) return `no object store "${name}"`;
  }
  const tx = db.transaction('artifacts', 'readonly');
  const indexNames = tx.store.indexNames;
  const missing = ARTIFACT_INDEX_NAMES.find((name) => !indexNames.contains(name));
  // The transaction has no requests; it completes on its own.
  return missing === undefined ? undefined : `no index "${missing}"`;
}

/** `Name: message` of a DOMException or Error, for status reasons and log details. */
export function describeError(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'name' in error && 'message' in error) {
    const name = String(error.name);
    const message = String(error.message);
    if (name === 'VersionError') {
      return `VersionError: the database was upgraded by a newer vyre-web (${message})`;
    }
    return `${name}: ${message}`;
  }
  return String(error);
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(what)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
