/**
 * `createRuntime` outside a browser: plain Node has no Worker, and no `navigator` before
 * version 21 (a `navigator` without `gpu` after). Every way in must reject with a
 * `webgpu-unavailable` VyreError that says what to do, never a TypeError. Each case sets
 * the global it is about, so the test means the same on every Node version.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRuntime, isVyreError } from '../../src/index.ts';

afterEach(() => {
  vi.unstubAllGlobals();
});

async function rejection(start: () => Promise<unknown>): Promise<unknown> {
  try {
    await start();
  } catch (error) {
    return error;
  }
  throw new Error('expected createRuntime to reject, but it resolved');
}

function expectNoWebGpu(error: unknown): void {
  expect(isVyreError(error), `not a VyreError: ${String(error)}`).toBe(true);
  expect(error).toMatchObject({ code: 'webgpu-unavailable' });
  expect((error as Error).message).toMatch(/ Fix: \S/);
}

describe('createRuntime outside a browser', () => {
  it('same-thread mode with no navigator at all (Node 20) rejects with webgpu-unavailable and a Fix', async () => {
    vi.stubGlobal('navigator', undefined);
    expectNoWebGpu(await rejection(() => createRuntime({ worker: false })));
  });

  it('same-thread mode with a navigator but no navigator.gpu (Node 21+) rejects with webgpu-unavailable and a Fix', async () => {
    vi.stubGlobal('navigator', { userAgent: 'Node.js/22', language: 'en-US' });
    expectNoWebGpu(await rejection(() => createRuntime({ worker: false, persistent: false })));
  });

  it('the default worker mode, with no Worker, rejects with webgpu-unavailable and a Fix', async () => {
    vi.stubGlobal('Worker', undefined);
    expectNoWebGpu(await rejection(() => createRuntime()));
  });
});
