/** The VyreError `run` throws; fails the test when it throws anything else or nothing. */
import { expect } from 'vitest';
import { VyreError } from '../../../src/errors.ts';

export function thrownBy(run: () => unknown): VyreError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(VyreError);
    return error as VyreError;
  }
  throw new Error('expected a VyreError, but nothing was thrown');
}
