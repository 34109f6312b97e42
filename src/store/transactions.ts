/**
 * How the IndexedDB store runs work in a transaction: the write transaction every change
 * goes through (relaxed durability), waiting for the commit without leaving a rejection
 * unobserved, and telling a quota failure from the others.
 */
import type { IDBPDatabase, IDBPTransaction } from 'idb';
import type { VyreDatabase } from './schema.ts';
import { isObject } from './store-helpers.ts';

/** An open connection to the tier's database. */
export type Database = IDBPDatabase<VyreDatabase>;

/** A transaction over both stores: every change to `artifacts` also keeps the `meta` totals in step. */
export type WriteTransaction = IDBPTransaction<VyreDatabase, ['artifacts', 'meta'], 'readwrite'>;

/** Options of every write transaction: see docs/storage.md, "Why durability is relaxed". */
export const RELAXED = { durability: 'relaxed' } as const;

/** Starts a relaxed write transaction over `artifacts` and `meta`. */
export function writeTransaction(db: Database): WriteTransaction {
  return db.transaction(['artifacts', 'meta'], 'readwrite', RELAXED);
}

/**
 * Runs `body` inside `tx` and waits for the commit. The transaction's own `done` is
 * always observed (no unhandled rejection); on any failure the transaction is aborted so
 * nothing half-done commits, and the first error is rethrown.
 * @returns what `body` returned, once the transaction has committed.
 */
export async function settle<T>(tx: { readonly done: Promise<void>; abort(): void }, body: () => Promise<T>): Promise<T> {
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

/** True for the browser's "storage quota exceeded" failure (by name, or the legacy code 22). */
export function isQuotaError(error: unknown): boolean {
  return isObject(error) && (error['name'] === 'QuotaExceededError' || error['code'] === 22);
}
