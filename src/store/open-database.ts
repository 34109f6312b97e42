/**
 * Opens the persistent tier's IndexedDB database inside the worker.
 *
 * A database that cannot open (storage blocked, a `data:`-URL worker with an opaque
 * origin, private mode quirks) is not an error for the app: the runtime reports
 * memory-only mode and keeps working.
 */
import { openDB, type IDBPDatabase } from 'idb';
import { DATABASE_VERSION, type VyreDatabase } from './schema.ts';

/** Where compiled artifacts persist, as reported to the app. */
export type StorageStatus =
  | { readonly mode: 'persistent'; readonly dbName: string }
  | { readonly mode: 'memory-only'; readonly reason: string };

export type OpenResult =
  | { readonly ok: true; readonly db: IDBPDatabase<VyreDatabase>; readonly status: StorageStatus }
  | { readonly ok: false; readonly status: StorageStatus };

/** How long to wait for an open that another tab blocks before going memory-only. */
const OPEN_TIMEOUT_MS = 5000;

/** Opens (creating or upgrading) the database `dbName`; never throws. */
export async function openDatabase(dbName: string): Promise<OpenResult> {
  if (typeof indexedDB === 'undefined') {
    return { ok: false, status: { mode: 'memory-only', reason: 'IndexedDB is not available in this context.' } };
  }
  let opening: Promise<IDBPDatabase<VyreDatabase>> | undefined;
  try {
    opening = openDB<VyreDatabase>(dbName, DATABASE_VERSION, {
      upgrade(db) {
        const artifacts = db.createObjectStore('artifacts', { keyPath: 'identity' });
        artifacts.createIndex('by-device', 'deviceFingerprint');
        artifacts.createIndex('by-program', 'programDigest');
        artifacts.createIndex('by-last-use', 'lastUsed');
      },
      terminated() {
        // The browser closed the connection abnormally (e.g. storage cleared); later
        // operations fail and the tier degrades to memory-only on its own.
      },
    });
    const db = await withTimeout(opening, OPEN_TIMEOUT_MS, `opening "${dbName}" was blocked for ${OPEN_TIMEOUT_MS} ms`);
    // Another tab wants a newer schema: close so it can upgrade instead of blocking it.
    db.addEventListener('versionchange', () => db.close());
    return { ok: true, db, status: { mode: 'persistent', dbName } };
  } catch (error) {
    // If the open merely timed out, it may still succeed later: close that connection then.
    void opening?.then((late) => late.close(), () => undefined);
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { ok: false, status: { mode: 'memory-only', reason } };
  }
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
