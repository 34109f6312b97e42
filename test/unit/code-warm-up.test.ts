/**
 * The worker's code warm-up (src/worker/code-warm-up.ts): its own programs pass the real
 * compile path and dispatch planning, one task per step, and it stops when asked; and the
 * dispatch warm-up (src/gpu/dispatch-warm-up.ts), scheduled once the first pipeline build is asked for.
 */
import { describe, expect, it } from 'vitest';
import { CODE_WARM_UP_MIN_CORES, codeWarmUpPays, startCodeWarmUp, warmUpDispatchOnFirstBuild, warmUpWhileDeviceIsMade, type CodeWarmUp } from '../../src/worker/code-warm-up.ts';
import { dispatchWarmUpSample } from '../../src/worker/code-warm-up-steps.ts';
import { warmUpDispatch, type DispatchSample } from '../../src/gpu/dispatch-warm-up.ts';

describe('the code warm-up while the device is requested', () => {
  it('loads its steps (a chunk of their own, with the compile path), then checks, hashes, lowers and plans its IR program, and reflects and plans its WGSL one, without an error', async () => {
    // A step that throws rejects `done`: a sample the validator or planner stopped accepting fails here.
    await expect(startCodeWarmUp().done).resolves.toBeUndefined();
  });

  it('runs one step per task, none in the calling task', async () => {
    const ran: number[] = [];
    const warmUp = startCodeWarmUp([() => ran.push(1), () => ran.push(2)]);
    expect(ran).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(ran).toEqual([1]);
    await warmUp.done;
    expect(ran).toEqual([1, 2]);
  });

  it('runs no step after stop()', async () => {
    const ran: number[] = [];
    const warmUp = startCodeWarmUp([() => ran.push(1), () => ran.push(2)]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    warmUp.stop();
    await warmUp.done;
    expect(ran).toEqual([1]);
  });

  it('reports a failing step through done', async () => {
    const warmUp = startCodeWarmUp([() => { throw new Error('sample rejected'); }]);
    await expect(warmUp.done).rejects.toThrow('sample rejected');
  });

  it('runs on machines of 4 logical cores or more, not on 2 nor where the count is unknown', () => {
    expect(CODE_WARM_UP_MIN_CORES).toBe(4);
    expect([undefined, 1, 2, 3, 4, 16].map(codeWarmUpPays)).toEqual([false, false, false, false, true, true]);
  });

  it('starts with a start-up only once the adapter has answered (the device is being made), once, and on 4 cores or more', () => {
    let starts = 0;
    const start = (): CodeWarmUp => (starts++, { stop: () => undefined, done: Promise.resolve() });
    const started = (cores: number | undefined, steps: readonly string[]) => {
      const warmUp = warmUpWhileDeviceIsMade(cores, () => undefined, start);
      for (const step of steps) warmUp.afterStep(step);
      return warmUp;
    };
    const cases: [number | undefined, string[], boolean][] = [
      [16, ['store'], false],
      [16, ['store', 'adapter'], true],
      [16, ['adapter', 'device', 'adapter'], true],
      [2, ['adapter'], false],
      [undefined, ['adapter'], false],
    ];
    for (const [cores, steps, expected] of cases) {
      starts = 0;
      started(cores, steps).stop();
      expect(starts, `${cores} cores, steps ${steps.join(', ')}`).toBe(expected ? 1 : 0);
    }
    starts = 0;
    const stopped = warmUpWhileDeviceIsMade(16, () => undefined, start);
    stopped.stop();
    stopped.afterStep('adapter');
    expect(starts).toBe(0);
  });
});

describe('the dispatch warm-up while the first pipeline is built', () => {
  it('runs its sample once, in the task after the first build was asked for, on 4 cores or more', async () => {
    const samples: DispatchSample[] = [];
    const onBuild = warmUpDispatchOnFirstBuild(8, async (sample) => void samples.push(sample), (error) => { throw error; });
    onBuild();
    onBuild();
    expect(samples).toEqual([]); // not in the task that asked for the build
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(samples.length).toBe(1);
    // The sample uploads, binds and reads back, but its grid is empty: no shader runs.
    expect(samples[0]?.options.grid).toEqual([0, 1, 1]);
    expect(Object.keys(samples[0]?.inputs ?? {}).sort()).toEqual(['v', 'x', 'y']);
  });

  it('does not run below 4 cores', async () => {
    let ran = 0;
    const onBuild = warmUpDispatchOnFirstBuild(2, async () => void ran++, () => undefined);
    onBuild();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ran).toBe(0);
  });

  it('hands a failure to onError instead of throwing', async () => {
    const errors: unknown[] = [];
    warmUpDispatchOnFirstBuild(8, () => Promise.reject(new Error('device lost')), (error) => void errors.push(error))();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(errors.map(String)).toEqual(['Error: device lost']);
  });

  it('refuses a sample whose grid is not empty before it touches the device: it has no pipeline to run', async () => {
    const sample = dispatchWarmUpSample();
    const untouchable = new Proxy({}, { get: () => { throw new Error('the device was touched'); } }) as GPUDevice;
    const target = { device: untouchable, mapWait: 'plain' as const, limits: { maxStorageBufferBindingSize: 1 << 27, maxComputeWorkgroupsPerDimension: 65_535 }, imageLimits: { maxTextureDimension2D: 8192, features: [] } };
    await expect(warmUpDispatch(target, { ...sample, options: { ...sample.options, grid: [1, 1, 1] } })).rejects.toThrow('needs an empty grid');
  });
});
