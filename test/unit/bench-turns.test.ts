import { describe, expect, it } from 'vitest';
import { turnOrders } from '../../bench/turns.ts';

/** How often each way runs right after each other way, over `rounds` rounds run back to back. */
function followCounts(ways: number, rounds: number, seed?: number): number[][] {
  const counts = Array.from({ length: ways }, () => new Array<number>(ways).fill(0));
  const order = turnOrders(ways, seed);
  let previous: number | undefined;
  for (let round = 0; round < rounds; round++) {
    for (const way of order(round)) {
      const row = previous === undefined ? undefined : counts[previous];
      if (row !== undefined) row[way] = (row[way] ?? 0) + 1;
      previous = way;
    }
  }
  return counts;
}

describe('benchmark turn order', () => {
  it('runs every way exactly once per round', () => {
    const order = turnOrders(5);
    for (let round = 0; round < 100; round++) expect([...order(round)].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('lets each way follow each other way about equally often', () => {
    // 4 ways, 3,000 rounds. Inside a round, 3 successions spread over the 12 ordered pairs of
    // different ways: 750 each. Across the 2,999 round boundaries the last and first ways
    // are independent: ≈187 for each of the 16 pairs, the only place a way follows itself.
    // So ≈937 for different ways and ≈187 for the same one (standard deviations ≈30 and ≈14).
    const counts = followCounts(4, 3000);
    for (let from = 0; from < 4; from++) {
      for (let to = 0; to < 4; to++) {
        const count = (counts[from] as number[])[to] as number;
        const [low, high] = from === to ? [120, 260] : [820, 1060];
        expect(count).toBeGreaterThan(low);
        expect(count).toBeLessThan(high);
      }
    }
  });

  it('is not the rotation it replaced: no way always follows the same one', () => {
    const counts = followCounts(3, 300);
    for (const row of counts) expect(row.filter((count) => count > 0).length).toBeGreaterThanOrEqual(2);
  });

  it('repeats for a seed and differs between seeds', () => {
    const a = turnOrders(6, 1);
    const b = turnOrders(6, 1);
    const c = turnOrders(6, 2);
    const first = Array.from({ length: 20 }, (_, round) => a(round).join());
    expect(Array.from({ length: 20 }, (_, round) => b(round).join())).toEqual(first);
    expect(Array.from({ length: 20 }, (_, round) => c(round).join())).not.toEqual(first);
  });
});
