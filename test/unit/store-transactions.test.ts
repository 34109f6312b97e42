/**
 * How the IndexedDB store runs work in a transaction: the result only after the commit,
 * an abort on any failure, no rejection left unobserved; and which failures are quota.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isQuotaError, settle } from '../../src/store/transactions.ts';

/** A transaction whose commit the test decides, counting aborts. */
function fakeTransaction(options: { abortThrows?: boolean } = {}) {
  let commit: () => void = () => undefined;
  let fail: (error: unknown) => void = () => undefined;
  const done = new Promise<void>((resolve, reject) => {
    commit = resolve;
    fail = reject;
  });
  const tx = {
    done,
    aborts: 0,
    abort() {
      tx.aborts++;
      if (options.abortThrows === true) throw new Error('InvalidStateError: the transaction has finished');
    },
  };
  return { tx, commit, fail };
}

describe('settle', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
  });

  it("returns the body's result only once the transaction has committed", async () => {
    const { tx, commit } = fakeTransaction();
    let settled = false;
    const result = settle(tx, () => Promise.resolve(7)).then((value) => {
      settled = true;
      return value;
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(settled).toBe(false);
    commit();
    expect(await result).toBe(7);
    expect(tx.aborts).toBe(0);
  });

  it("aborts the transaction and rethrows the body's error", async () => {
    const { tx } = fakeTransaction();
    const error = new Error('get failed');
    await expect(settle(tx, () => Promise.reject(error))).rejects.toBe(error);
    expect(tx.aborts).toBe(1);
  });

  it('rethrows a failed commit', async () => {
    const { tx, fail } = fakeTransaction({ abortThrows: true });
    const error = new Error('QuotaExceededError');
    const result = settle(tx, () => Promise.resolve('written'));
    fail(error);
    await expect(result).rejects.toBe(error);
  });

  it('rethrows the first error even when the abort throws and the commit then fails too', async () => {
    const { tx, fail } = fakeTransaction({ abortThrows: true });
    const first = new Error('put failed');
    await expect(settle(tx, () => Promise.reject(first))).rejects.toBe(first);
    fail(new Error('AbortError'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(tx.aborts).toBe(1);
    expect(unhandled).toEqual([]);
  });
});

describe('isQuotaError', () => {
  it.each([
    { case: 'a QuotaExceededError DOMException', error: new DOMException('full', 'QuotaExceededError'), quota: true },
    { case: 'an object named QuotaExceededError', error: { name: 'QuotaExceededError' }, quota: true },
    { case: 'the legacy code 22', error: { name: 'Error', code: 22 }, quota: true },
    { case: 'an AbortError', error: new DOMException('aborted', 'AbortError'), quota: false },
    { case: 'a plain Error', error: new Error('QuotaExceededError'), quota: false },
    { case: 'the name as a string', error: 'QuotaExceededError', quota: false },
    { case: 'null', error: null, quota: false },
  ])('is $quota for $case', ({ error, quota }) => {
    expect(isQuotaError(error)).toBe(quota);
  });
});
