/**
 * The page's adapter request that wakes the GPU process (src/client/wake-gpu-process.ts): made
 * once, with the runtime's options, on machines of 4 logical cores or more, and never an error
 * of its own.
 */
import { describe, expect, it } from 'vitest';
import { WAKE_MIN_CORES, wakeGpuProcess } from '../../src/client/wake-gpu-process.ts';

function recordingGpu(answer: () => Promise<GPUAdapter | null>) {
  const requests: unknown[] = [];
  const gpu = { requestAdapter: (options: unknown) => (requests.push(options), answer()) } as unknown as GPU;
  return { gpu, requests };
}

describe('createRuntime wakes the GPU process from the page', () => {
  it('asks for one adapter with the runtime power preference, or with none', () => {
    for (const [adapter, expected] of [
      [undefined, {}],
      [{}, {}],
      [{ powerPreference: 'high-performance' as const }, { powerPreference: 'high-performance' }],
      [{ powerPreference: 'low-power' as const }, { powerPreference: 'low-power' }],
    ] as const) {
      const { gpu, requests } = recordingGpu(async () => null);
      expect(wakeGpuProcess(adapter, gpu, 8)).toBe(true);
      expect(requests).toEqual([expected]);
    }
  });

  it('asks from 4 logical cores on, not below, and not when the count is unknown', () => {
    expect(WAKE_MIN_CORES).toBe(4);
    for (const [cores, asks] of [[2, false], [3, false], [undefined, false], [4, true], [16, true]] as const) {
      const { gpu, requests } = recordingGpu(async () => null);
      expect(wakeGpuProcess(undefined, gpu, cores), String(cores)).toBe(asks);
      expect(requests.length, String(cores)).toBe(asks ? 1 : 0);
    }
  });

  it('does nothing without WebGPU on the page (Node has no navigator.gpu)', () => {
    expect(wakeGpuProcess(undefined, undefined, 8)).toBe(false);
    expect(wakeGpuProcess(undefined)).toBe(false);
  });

  it('swallows a request that throws or rejects: the worker asks again on its own', async () => {
    const throwing = { requestAdapter: () => { throw new TypeError('WebGPU is disabled'); } } as unknown as GPU;
    expect(wakeGpuProcess(undefined, throwing, 8)).toBe(false);
    let rejected = false;
    const { gpu } = recordingGpu(() => { rejected = true; return Promise.reject(new Error('GPU process crashed')); });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      expect(wakeGpuProcess(undefined, gpu, 8)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(rejected).toBe(true);
    expect(unhandled).toEqual([]);
  });
});
