/**
 * The IndexedDB store's running totals and its least-recently-used eviction, run against
 * a small in-memory stand-in for a write transaction (the real database is exercised in
 * Chrome by test/browser/persistent-cache.spec.ts).
 */
import { describe, expect, it } from 'vitest';
import { adjustTotals, bytesOf, evictWhile, isPlausible, readTotals, recount, totalsRow } from '../../src/store/running-totals.ts';
import type { StoreTotals } from '../../src/store/schema.ts';
import { exceedsLimits } from '../../src/store/store-helpers.ts';
import type { WriteTransaction } from '../../src/store/transactions.ts';

interface Row {
  readonly identity: string;
  readonly lastUsed: number;
  readonly bytes: unknown;
}

/** The rows, and a transaction whose `artifacts` store and `by-last-use` index cursor over them. */
function fakeTransaction(rows: readonly Row[]): { readonly rows: Map<string, Row>; readonly tx: WriteTransaction } {
  const held = new Map(rows.map((row) => [row.identity, row]));
  const cursorAt = (list: readonly Row[], i: number): unknown => {
    const row = list[i];
    if (row === undefined) return null;
    return {
      primaryKey: row.identity,
      value: row,
      delete: () => Promise.resolve(void held.delete(row.identity)),
      continue: () => Promise.resolve(cursorAt(list, i + 1)),
    };
  };
  const artifacts = {
    openCursor: () => Promise.resolve(cursorAt([...held.values()], 0)),
    index: (name: string) => {
      if (name !== 'by-last-use') throw new Error(`unexpected index ${name}`);
      return { openCursor: () => Promise.resolve(cursorAt([...held.values()].sort((a, b) => a.lastUsed - b.lastUsed), 0)) };
    },
  };
  const objectStore = (name: string): unknown => {
    if (name !== 'artifacts') throw new Error(`unexpected store ${name}`);
    return artifacts;
  };
  return { rows: held, tx: { objectStore } as unknown as WriteTransaction };
}

/** A transaction that must not be touched. */
const UNTOUCHED = { objectStore: () => { throw new Error('the transaction was used'); } } as unknown as WriteTransaction;

/** A `meta` store holding `row` under the key 'totals' and nothing else. */
const metaWith = (row: unknown) => ({
  get: (key: string) => Promise.resolve((key === 'totals' ? row : undefined) as StoreTotals | undefined),
});

describe('readTotals', () => {
  it.each([
    { case: 'a new database has no row', row: undefined, expected: { entries: 0, bytes: 0 } },
    { case: 'a sound row', row: { name: 'totals', entries: 2, bytes: 500 }, expected: { entries: 2, bytes: 500 } },
    { case: 'an empty store', row: { name: 'totals', entries: 0, bytes: 0 }, expected: { entries: 0, bytes: 0 } },
    { case: 'a row that is not an object', row: 'totals', expected: undefined },
    { case: 'a negative count', row: { name: 'totals', entries: -1, bytes: 0 }, expected: undefined },
    { case: 'a fractional count', row: { name: 'totals', entries: 1.5, bytes: 10 }, expected: undefined },
    { case: 'bytes without entries', row: { name: 'totals', entries: 0, bytes: 10 }, expected: undefined },
    { case: 'infinite bytes', row: { name: 'totals', entries: 1, bytes: Infinity }, expected: undefined },
    { case: 'counts stored as strings', row: { name: 'totals', entries: '2', bytes: '500' }, expected: undefined },
  ])('reads $case as $expected', async ({ row, expected }) => {
    expect(await readTotals(metaWith(row))).toEqual(expected);
  });
});

describe('the totals row and stored sizes', () => {
  it('writes the totals under the name totals', () => {
    expect(totalsRow({ entries: 3, bytes: 42 })).toEqual({ name: 'totals', entries: 3, bytes: 42 });
  });

  it.each([
    { value: { bytes: 120 }, expected: 120 },
    { value: { bytes: 0 }, expected: 0 },
    { value: { bytes: -5 }, expected: 0 },
    { value: { bytes: Number.NaN }, expected: 0 },
    { value: { bytes: '120' }, expected: 0 },
    { value: {}, expected: 0 },
    { value: null, expected: 0 },
  ])('counts $value as $expected bytes', ({ value, expected }) => {
    expect(bytesOf(value)).toBe(expected);
  });

  it.each([
    { entries: 0, bytes: 0, plausible: true },
    { entries: 2, bytes: 0, plausible: true },
    { entries: 2, bytes: 10.5, plausible: true },
    { entries: 0, bytes: 1, plausible: false },
    { entries: -1, bytes: 0, plausible: false },
    { entries: 2 ** 53, bytes: 1, plausible: false },
    { entries: 1, bytes: -1, plausible: false },
  ])('finds $entries entries of $bytes bytes plausible: $plausible', ({ entries, bytes, plausible }) => {
    expect(isPlausible(entries, bytes)).toBe(plausible);
  });
});

describe('adjustTotals and recount', () => {
  it('adds a plausible change without reading the records', async () => {
    expect(await adjustTotals(UNTOUCHED, { entries: 2, bytes: 300 }, { entries: -1, bytes: -100 })).toEqual({ entries: 1, bytes: 200 });
  });

  it('recounts from the records when the change would leave the totals implausible', async () => {
    const { tx } = fakeTransaction([{ identity: 'a', lastUsed: 1, bytes: 100 }, { identity: 'b', lastUsed: 2, bytes: 250 }]);
    expect(await adjustTotals(tx, { entries: 0, bytes: 0 }, { entries: -1, bytes: -100 })).toEqual({ entries: 2, bytes: 350 });
  });

  it('counts a record without a usable size as zero bytes', async () => {
    const { tx } = fakeTransaction([{ identity: 'a', lastUsed: 1, bytes: 100 }, { identity: 'b', lastUsed: 2, bytes: 'lots' }]);
    expect(await recount(tx)).toEqual({ entries: 2, bytes: 100 });
  });
});

describe('evictWhile', () => {
  // Oldest use first: a (100 B), b (100 B), c (300 B), d (100 B): 4 entries, 600 bytes.
  const ROWS: Row[] = [
    { identity: 'c', lastUsed: 3, bytes: 300 },
    { identity: 'a', lastUsed: 1, bytes: 100 },
    { identity: 'd', lastUsed: 4, bytes: 100 },
    { identity: 'b', lastUsed: 2, bytes: 100 },
  ];
  const overLimits = (t: { entries: number; bytes: number }) => exceedsLimits(t, { maxEntries: 3, maxBytes: 400 });

  it('deletes the least recently used records until both bounds hold', async () => {
    const { rows, tx } = fakeTransaction(ROWS);
    // a goes for the entry bound (3 entries, 500 B), b for the byte bound (2 entries, 400 B).
    expect(await evictWhile(tx, { entries: 4, bytes: 600 }, overLimits)).toEqual({ totals: { entries: 2, bytes: 400 }, deleted: 2 });
    expect([...rows.keys()].sort()).toEqual(['c', 'd']);
  });

  it('never deletes the record to keep, even when it is the oldest', async () => {
    const { rows, tx } = fakeTransaction(ROWS);
    // a is skipped; b goes (3 entries, 500 B), then c (2 entries, 200 B).
    expect(await evictWhile(tx, { entries: 4, bytes: 600 }, overLimits, 'a')).toEqual({ totals: { entries: 2, bytes: 200 }, deleted: 2 });
    expect([...rows.keys()].sort()).toEqual(['a', 'd']);
  });

  it('deletes nothing when the totals are already within the bounds', async () => {
    const { rows, tx } = fakeTransaction(ROWS);
    expect(await evictWhile(tx, { entries: 3, bytes: 400 }, overLimits)).toEqual({ totals: { entries: 3, bytes: 400 }, deleted: 0 });
    expect(rows.size).toBe(4);
  });

  it('recounts mid-way when the running totals turn out to be wrong', async () => {
    const { tx } = fakeTransaction(ROWS);
    // Deleting a from a claimed { 1, 50 } gives { 0, -50 }: recounted as b, c, d = { 3, 500 };
    // deleting b then gives { 2, 400 }.
    expect(await evictWhile(tx, { entries: 1, bytes: 50 }, (_, deleted) => deleted < 2)).toEqual({ totals: { entries: 2, bytes: 400 }, deleted: 2 });
  });
});
