/**
 * The uses of stored records are held while compiles follow one another and written in one
 * batch once they pause (src/store/deferred-uses.ts), so no compile's read waits on a write.
 */
import { describe, expect, it } from 'vitest';
import { DeferredUses, USES_MAX_DELAY_MS, USES_QUIET_MS, type HeldUse, type UseTimers } from '../../src/store/deferred-uses.ts';
import type { StoredArtifact } from '../../src/pipeline/artifact-store.ts';

/** Timers driven by hand: `advance(ms)` runs what falls due, in order. */
function manualTimers(): UseTimers & { advance(ms: number): void } {
  let now = 0;
  let next = 1;
  const due = new Map<number, { at: number; callback: () => void }>();
  return {
    now: () => now,
    setTimeout: (callback, ms) => {
      due.set(next, { at: now + ms, callback });
      return next++;
    },
    clearTimeout: (handle) => void due.delete(handle as number),
    advance(ms) {
      const until = now + ms;
      for (;;) {
        const [id, first] = [...due].sort((a, b) => a[1].at - b[1].at)[0] ?? [];
        if (first === undefined || first.at > until) break;
        due.delete(id as number);
        now = first.at;
        first.callback();
      }
      now = until;
    },
  };
}

function record(identity: string, lastUsed: number): StoredArtifact {
  return { identity, lastUsed } as unknown as StoredArtifact;
}

function recorder(): { writes: Map<string, HeldUse>[]; write: (uses: ReadonlyMap<string, HeldUse>) => Promise<void> } {
  const writes: Map<string, HeldUse>[] = [];
  return { writes, write: (uses) => (writes.push(new Map(uses)), Promise.resolve()) };
}

describe('DeferredUses', () => {
  it(`writes nothing while uses keep coming within ${USES_QUIET_MS} ms, then all of them in one batch`, () => {
    const timers = manualTimers();
    const { writes, write } = recorder();
    const uses = new DeferredUses(write, timers);
    for (let k = 0; k < 5; k++) {
      uses.touch(record(`id${k}`, k));
      timers.advance(USES_QUIET_MS - 1);
    }
    expect(writes).toEqual([]);
    timers.advance(1);
    expect(writes.length).toBe(1);
    expect([...(writes[0]?.keys() ?? [])]).toEqual(['id0', 'id1', 'id2', 'id3', 'id4']);
    expect(uses.size).toBe(0);
  });

  it(`writes at the latest ${USES_MAX_DELAY_MS} ms after the first held use, however busy`, () => {
    const timers = manualTimers();
    const { writes, write } = recorder();
    const uses = new DeferredUses(write, timers);
    for (let t = 0; t < USES_MAX_DELAY_MS + 200; t += 100) {
      uses.touch(record('busy', t));
      timers.advance(100);
    }
    expect(writes.length).toBe(1);
    expect(writes[0]?.get('busy')?.touched?.lastUsed).toBe(USES_MAX_DELAY_MS - 100);
  });

  it('keeps the latest touch and the first first-use of a record, together in one entry', () => {
    const timers = manualTimers();
    const { writes, write } = recorder();
    const uses = new DeferredUses(write, timers);
    uses.firstUse('a', { session: 7, rank: 0 });
    uses.touch(record('a', 10));
    uses.touch(record('a', 20));
    uses.firstUse('a', { session: 7, rank: 5 });
    timers.advance(USES_QUIET_MS);
    expect(writes[0]?.get('a')).toEqual({ touched: record('a', 20), firstUse: { session: 7, rank: 0 } });
  });

  it('flush writes what is held at once and cancels the timer; with nothing held it writes nothing', async () => {
    const timers = manualTimers();
    const { writes, write } = recorder();
    const uses = new DeferredUses(write, timers);
    await uses.flush();
    expect(writes).toEqual([]);
    uses.touch(record('b', 1));
    await uses.flush();
    expect(writes.length).toBe(1);
    timers.advance(USES_MAX_DELAY_MS * 2);
    expect(writes.length).toBe(1);
  });
});
