/**
 * The startup replay's order: the last visit's pipelines in the order the app first asked
 * for them, then older visits', then records that carry no first use (least recently used first).
 */
import { describe, expect, it } from 'vitest';
import type { FirstUse, StoredArtifact } from '../../src/pipeline/artifact-store.ts';
import { replayOrder } from '../../src/pipeline/replay-order.ts';

/** Only what the order reads; the rest of a record does not matter here. */
const record = (identity: string, lastUsed: number, firstUse?: FirstUse): StoredArtifact =>
  ({ identity, lastUsed, ...(firstUse === undefined ? {} : { firstUse }) }) as unknown as StoredArtifact;

describe('replayOrder', () => {
  it('orders the latest session by rank, whatever their last use', () => {
    const records = [record('c', 30, { session: 2, rank: 2 }), record('a', 50, { session: 2, rank: 0 }), record('b', 10, { session: 2, rank: 1 })];
    expect(replayOrder(records).map((r) => r.identity)).toEqual(['a', 'b', 'c']);
  });

  it('puts newer sessions before older ones, then records without a first use, oldest use first', () => {
    const records = [
      record('old-0', 5, { session: 1, rank: 0 }),
      record('none-late', 90),
      record('new-1', 40, { session: 2, rank: 1 }),
      record('none-early', 1),
      record('new-0', 60, { session: 2, rank: 0 }),
      record('old-1', 6, { session: 1, rank: 1 }),
    ];
    expect(replayOrder(records).map((r) => r.identity)).toEqual(['new-0', 'new-1', 'old-0', 'old-1', 'none-early', 'none-late']);
  });

  it('returns a new array and leaves the input as it was', () => {
    const records = [record('b', 2, { session: 1, rank: 1 }), record('a', 1, { session: 1, rank: 0 })];
    const ordered = replayOrder(records);
    expect(ordered).not.toBe(records);
    expect(records.map((r) => r.identity)).toEqual(['b', 'a']);
  });
});
