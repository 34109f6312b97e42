/**
 * How read-backs wait for a map. A stand-in queue and buffer model Firefox's behaviour
 * (a map settles only once the device is polled, which a submit does); the real effect is
 * measured in Firefox by `npm run bench -- --browser firefox --only dispatch`.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { mapForReading, mapWaitFor } from '../../src/gpu/map-read.ts';

/** A device whose buffers map on the `pollsNeeded`-th submit after mapAsync, like a polled queue. */
function polledDevice(pollsNeeded: number) {
  const waiting: (() => void)[] = [];
  let submits = 0;
  let polls = 0;
  const device = {
    queue: {
      submit: () => {
        submits++;
        if (++polls >= pollsNeeded) waiting.splice(0).forEach((resolve) => resolve());
      },
    },
  };
  const buffer = (fails = false) => ({
    mapAsync: () => new Promise<undefined>((resolve, reject) => waiting.push(() => (fails ? reject(new Error('lost')) : resolve(undefined)))),
  });
  return { device: device as unknown as GPUDevice, buffer: (fails?: boolean) => buffer(fails) as unknown as GPUBuffer, submits: () => submits };
}

describe('mapForReading', () => {
  // Node has no WebGPU globals; the value is WebGPU's own.
  beforeAll(() => vi.stubGlobal('GPUMapMode', { READ: 1, WRITE: 2 }));

  it("with 'nudge', submits empty work until every map settles, then stops", async () => {
    const polled = polledDevice(3);
    const results = await mapForReading(polled.device, [[polled.buffer()], [polled.buffer(), 16]], 'nudge');
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(polled.submits()).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(polled.submits()).toBe(3);
  });

  it("with 'nudge', reports a map that fails as rejected, in its place", async () => {
    const polled = polledDevice(1);
    const results = await mapForReading(polled.device, [[polled.buffer()], [polled.buffer(true)]], 'nudge');
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected']);
  });

  it("with 'plain', never submits (a map that needs a poll waits for the device's own)", async () => {
    const polled = polledDevice(1);
    const pending = mapForReading(polled.device, [[polled.buffer()]], 'plain');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(polled.submits()).toBe(0);
    polled.device.queue.submit([]);
    expect((await pending).map((result) => result.status)).toEqual(['fulfilled']);
  });
});

describe('mapWaitFor', () => {
  it('nudges in Firefox only', () => {
    expect(mapWaitFor({ name: 'Firefox', version: '153.0' })).toBe('nudge');
    expect(mapWaitFor({ name: 'Chromium', version: '156.0.8078.73' })).toBe('plain');
    expect(mapWaitFor({ name: 'node-dawn', version: 'v20.20.2' })).toBe('plain');
  });
});
