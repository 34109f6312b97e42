/**
 * What the memory store and the IndexedDB store share: the logger slice they report
 * through, the clock that stamps `lastUsed`, the checks a write passes before it reaches
 * storage, and the test both bounds are kept by. Kept apart so that neither store
 * imports the other for its helpers.
 */
import type { CacheBounds } from '../protocol/cache.ts';
import type { ArtifactInput, StoredArtifact } from '../pipeline/artifact-store.ts';
import { createRecord, parseRecord } from './record.ts';

/** The slice of the library logger the stores use for non-fatal problems. */
export interface StoreLogger {
  warn(code: string, message: string, details?: Readonly<Record<string, unknown>>): void;
}

/** A logger that drops every warning: what a store uses when it is given none. */
export const SILENT_LOGGER: StoreLogger = { warn: () => undefined };

/** How many records a store holds and their summed `bytes`: what the bounds are checked against. */
export interface StoreUsage {
  readonly entries: number;
  readonly bytes: number;
}

/** The outcome of {@link prepareWrite}: the record to store, or why the write is refused. */
export type PreparedWrite =
  | { readonly ok: true; readonly record: StoredArtifact }
  | { readonly ok: false; readonly reason: string };

/**
 * A millisecond clock that never repeats or runs backwards within one store, so two
 * uses in the same millisecond still order (LRU ties would otherwise fall back to key order).
 * @param now the wall clock to follow (default `Date.now`).
 * @returns a function giving a time strictly greater than every time it gave before:
 *   `now()` when that is later, else the last time plus 0.001 ms.
 */
export function createStoreClock(now: () => number = Date.now): () => number {
  let last = -Infinity;
  return () => {
    const time = now();
    last = time > last ? time : last + 0.001;
    return last;
  };
}

/**
 * The record to store for `input`, or why the write is refused before it reaches
 * storage: input that would not read back (so would only ever miss as corrupt), or a
 * record larger than the whole byte bound (storing it would evict everything, itself
 * included). Never throws.
 * @param input what the compiler hands the store.
 * @param now the record's `createdAt` and `lastUsed` (a {@link createStoreClock} time).
 * @param limits the store's bounds; a record must fit them on its own.
 */
export function prepareWrite(input: ArtifactInput, now: number, limits: CacheBounds): PreparedWrite {
  let record: StoredArtifact;
  try {
    record = createRecord(input, now);
  } catch (error) {
    return { ok: false, reason: `the artifact is malformed (${String(error)})` };
  }
  const check = parseRecord(record, input.identity);
  if (!check.ok) return { ok: false, reason: `the artifact would not read back: ${check.reason}` };
  if (!(limits.maxEntries >= 1)) return { ok: false, reason: `maxEntries is ${limits.maxEntries}` };
  if (!(record.bytes <= limits.maxBytes)) return { ok: false, reason: `the record (${record.bytes} bytes) exceeds maxBytes (${limits.maxBytes})` };
  return { ok: true, record };
}

/**
 * Reports a write that {@link prepareWrite} refused, the same way from every store.
 * @param details where the write was going (`identity`, and `dbName` for IndexedDB).
 */
export function reportRefusedWrite(logger: StoreLogger, reason: string, details: Readonly<Record<string, unknown>>): void {
  logger.warn('storage-write-refused', `Did not store a pipeline artifact: ${reason}.`, details);
}

/**
 * True while `usage` breaks a bound, so the least recently used record must go. Sitting
 * exactly on a bound is within it.
 */
export function exceedsLimits(usage: StoreUsage, limits: CacheBounds): boolean {
  return usage.entries > limits.maxEntries || usage.bytes > limits.maxBytes;
}

/** A non-null object whose fields may be read by name (a stored value is checked field by field). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
