/**
 * The calling thread's GPU warm-up (src/client/gpu-warm-up.ts): it asks for an adapter and a
 * device, destroys the device once released (before or after it arrives) and never fails.
 * The GPU here is a stand-in that records calls; real browsers run it in every runtime test.
 */
import { describe, expect, it } from 'vitest';
import { startGpuWarmUp } from '../../src/client/gpu-warm-up.ts';
import { epochNow } from '../../src/protocol/device.ts';

interface FakeGpu {
  readonly gpu: GPU;
  readonly asked: unknown[];
  readonly destroyed: () => number;
  /** Lets the pending requestDevice answer. */
  readonly answerDevice: () => void;
}

function fakeGpu(options: { adapter?: 'none' | 'throws'; device?: 'throws' } = {}): FakeGpu {
  const asked: unknown[] = [];
  let destroyed = 0;
  let answer!: () => void;
  const deviceAnswered = new Promise<void>((resolve) => (answer = resolve));
  const device = { destroy: () => void destroyed++ } as unknown as GPUDevice;
  const adapter = {
    requestDevice: async (descriptor: unknown) => {
      asked.push(descriptor);
      await deviceAnswered;
      if (options.device === 'throws') throw new Error('device refused');
      return device;
    },
  } as unknown as GPUAdapter;
  const gpu = {
    requestAdapter: async (descriptor: unknown) => {
      asked.push(descriptor);
      if (options.adapter === 'throws') throw new Error('no GPU process');
      return options.adapter === 'none' ? null : adapter;
    },
  } as unknown as GPU;
  return { gpu, asked, destroyed: () => destroyed, answerDevice: answer };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the GPU warm-up of the calling thread', () => {
  it('asks for an adapter with the runtime\'s power preference, then a device', async () => {
    const fake = fakeGpu();
    startGpuWarmUp(fake.gpu, { powerPreference: 'high-performance' }, epochNow());
    await settle();
    expect(fake.asked[0]).toEqual({ powerPreference: 'high-performance' });
    expect(fake.asked).toHaveLength(2);
  });

  it('reports when its device arrived, and destroys it once released', async () => {
    const fake = fakeGpu();
    const warmUp = startGpuWarmUp(fake.gpu, undefined, epochNow() - 5);
    expect(warmUp.deviceAt()).toBeNull();
    fake.answerDevice();
    await settle();
    expect(warmUp.deviceAt()).toBeGreaterThanOrEqual(5);
    expect(fake.destroyed()).toBe(0);
    warmUp.release();
    warmUp.release();
    await settle();
    expect(fake.destroyed()).toBe(1);
  });

  it('a device that arrives after the release is destroyed as it arrives', async () => {
    const fake = fakeGpu();
    const warmUp = startGpuWarmUp(fake.gpu, undefined, epochNow());
    warmUp.release();
    await settle();
    expect(fake.destroyed()).toBe(0);
    fake.answerDevice();
    await settle();
    expect(fake.destroyed()).toBe(1);
  });

  it('never fails: no WebGPU, no adapter, a throwing adapter or device leave it without a device', async () => {
    const cases = [undefined, fakeGpu({ adapter: 'none' }), fakeGpu({ adapter: 'throws' }), fakeGpu({ device: 'throws' })];
    for (const fake of cases) {
      const warmUp = startGpuWarmUp(fake?.gpu, undefined, epochNow());
      fake?.answerDevice();
      await settle();
      expect(warmUp.deviceAt()).toBeNull();
      expect(() => warmUp.release()).not.toThrow();
    }
  });
});
