/**
 * The running totals of the IndexedDB store (the `meta` row `totals`: entries and summed
 * bytes) and least-recently-used eviction, inside one write transaction.
 *
 * The totals save a full scan on every write. They are trusted only while they make
 * sense: a missing row is an empty store; an implausible row, or a change that would
 * make them implausible, is answered by recounting the records themselves.
 */
import { TOTALS_KEY, type StoreTotals } from './schema.ts';
import { isObject, type StoreUsage } from './store-helpers.ts';
import type { WriteTransaction } from './transactions.ts';

/**
 * The totals stored in `meta`: zero when the row is missing (a new database), undefined
 * when the row is damaged (recount then).
 */
export async function readTotals(meta: { get(key: string): Promise<StoreTotals | undefined> }): Promise<StoreUsage | undefined> {
  const row: unknown = await meta.get(TOTALS_KEY);
  if (row === undefined) return { entries: 0, bytes: 0 };
  if (!isObject(row)) return undefined;
  const { entries, bytes } = row;
  return typeof entries === 'number' && typeof bytes === 'number' && isPlausible(entries, bytes) ? { entries, bytes } : undefined;
}

/** The totals at the start of a change in `tx`: the stored row, or a recount when it is damaged. */
export async function currentTotals(tx: WriteTransaction): Promise<StoreUsage> {
  return (await readTotals(tx.objectStore('meta'))) ?? (await recount(tx));
}

/** Writes `totals` as the `meta` row, in `tx`. */
export async function saveTotals(tx: WriteTransaction, totals: StoreUsage): Promise<void> {
  await tx.objectStore('meta').put(totalsRow(totals));
}

/** The `meta` row holding `totals`. */
export function totalsRow(totals: StoreUsage): StoreTotals {
  return { name: TOTALS_KEY, entries: totals.entries, bytes: totals.bytes };
}

/** Totals that could describe a real store: a whole, non-negative count, finite non-negative bytes, no bytes without entries. */
export function isPlausible(entries: number, bytes: number): boolean {
  return Number.isSafeInteger(entries) && entries >= 0 && Number.isFinite(bytes) && bytes >= 0 && (entries > 0 || bytes === 0);
}

/** The byte count a stored value contributes to the totals (0 when it has none). */
export function bytesOf(value: unknown): number {
  if (!isObject(value)) return 0;
  const bytes = value['bytes'];
  return typeof bytes === 'number' && Number.isFinite(bytes) && bytes >= 0 ? bytes : 0;
}

/** Totals after a change of `delta` already made in `tx`; recounted from the records when they stop making sense. */
export async function adjustTotals(tx: WriteTransaction, start: StoreUsage, delta: StoreUsage): Promise<StoreUsage> {
  const entries = start.entries + delta.entries;
  const bytes = start.bytes + delta.bytes;
  return isPlausible(entries, bytes) ? { entries, bytes } : recount(tx);
}

/** Totals counted from the records themselves (a full scan: only when the running totals are off). */
export async function recount(tx: WriteTransaction): Promise<StoreUsage> {
  const totals = { entries: 0, bytes: 0 };
  for (let cursor = await tx.objectStore('artifacts').openCursor(); cursor !== null; cursor = await cursor.continue()) {
    totals.entries++;
    totals.bytes += bytesOf(cursor.value);
  }
  return totals;
}

/**
 * Deletes least-recently-used records (never `keep`) while `over(totals, deleted)`.
 * A record missing from the `by-last-use` index (a damaged `lastUsed`) is never reached.
 * @returns the totals after the deletions, and how many records were deleted.
 */
export async function evictWhile(
  tx: WriteTransaction,
  totals: StoreUsage,
  over: (totals: StoreUsage, deleted: number) => boolean,
  keep?: string,
): Promise<{ readonly totals: StoreUsage; readonly deleted: number }> {
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
