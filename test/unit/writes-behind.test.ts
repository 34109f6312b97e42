import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WritesBehind } from '../../src/store/writes-behind.ts';

/** Whether `promise` has settled, after the pending microtasks ran. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  for (let i = 0; i < 5; i++) await Promise.resolve();
  return done;
}

describe('WritesBehind: record writes held back after their compile', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('a held write may go once the delay has passed, not before', async () => {
    const behind = new WritesBehind(50);
    const hold = behind.hold();
    vi.advanceTimersByTime(49);
    expect(await settled(hold.ready)).toBe(false);
    vi.advanceTimersByTime(1);
    expect(await settled(hold.ready)).toBe(true);
  });

  it('release() lets every held write go at once and resolves only when each has begun', async () => {
    const behind = new WritesBehind(50);
    const first = behind.hold();
    const second = behind.hold();
    expect(behind.size).toBe(2);
    const released = behind.release();
    expect(await settled(first.ready)).toBe(true);
    expect(await settled(second.ready)).toBe(true);
    first.begun();
    expect(await settled(released)).toBe(false);
    second.begun();
    expect(await settled(released)).toBe(true);
    expect(behind.size).toBe(0);
  });

  it('a write that began (or gave up) is no longer held, and begun() may be called twice', async () => {
    const behind = new WritesBehind(50);
    const hold = behind.hold();
    hold.begun();
    hold.begun();
    expect(behind.size).toBe(0);
    expect(await settled(behind.release())).toBe(true);
  });
});
