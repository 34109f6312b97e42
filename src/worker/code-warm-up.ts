/**
 * Code warm-up: while the GPU process makes the worker's device, the worker runs its compile
 * path (program check, digest, lowering or WGSL reflection) and dispatch planning once, on two
 * small programs of its own.
 *
 * Why: V8 compiles a function the first time it runs, and a runtime's first compile and
 * dispatch run a few thousand lines nothing has run before. On an H200 host the first
 * compile's check and hash took 3.3–4.6 ms without the warm-up and 0.4–0.6 ms with it, more on
 * slower CPUs (docs/benchmarks.md, runs 7 and 9). The device takes 70–80 ms to arrive there
 * (more after a browser restart), and this thread has nothing else to do meanwhile. Pure: it
 * touches no tier, counter, store or device, and whatever it computes is dropped. Its steps
 * (code-warm-up-steps.ts) are loaded when it starts, with the compile path they exercise.
 */

import type { DispatchSample } from '../gpu/dispatch-warm-up.ts';

/**
 * Logical cores from which the warm-up runs. With fewer, it competes for a core with the GPU
 * process making the device and with the page: on a 2-vCPU VM in Chrome it delayed the
 * runtime's start by 18–36 ms, more than it saved later (docs/benchmarks.md).
 */
export const CODE_WARM_UP_MIN_CORES = 4;

/** Whether a worker on a machine of `cores` logical cores warms its code (`undefined`: unknown, no). */
export function codeWarmUpPays(cores: number | undefined): boolean {
  return (cores ?? 0) >= CODE_WARM_UP_MIN_CORES;
}

export interface CodeWarmUp {
  /** Runs no further step (the one running finishes). */
  stop(): void;
  /** Settles when every step ran or the warm-up stopped; rejects with a step's error (a bug). */
  readonly done: Promise<void>;
}

/** The warm-up's own steps, loaded with the compile path they run (a separate chunk of the worker). */
async function loadWarmUpSteps(): Promise<readonly (() => void)[]> {
  const { warmUpSteps } = await import('./code-warm-up-steps.ts');
  return warmUpSteps();
}

/** Starts the warm-up's steps (once loaded), one task each, from the next task on. */
export function startCodeWarmUp(steps: readonly (() => void)[] | Promise<readonly (() => void)[]> = loadWarmUpSteps()): CodeWarmUp {
  let stopped = false;
  const done = (async () => {
    // An array runs from the next task on; a promise of one (the steps' own chunk) once loaded.
    for (const step of steps instanceof Promise ? await steps : steps) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (stopped) return;
      step();
    }
  })();
  return { stop: () => void (stopped = true), done };
}

/**
 * The dispatch warm-up as a start runs it (gpu/dispatch-warm-up.ts): once, in the task after the
 * runtime's first pipeline build was asked for, while the GPU process builds it. Not before the
 * device, which it needs, and not on the start's path to `ready`.
 * @param cores - `navigator.hardwareConcurrency`: nothing runs below {@link CODE_WARM_UP_MIN_CORES}.
 * @param run - runs the sample on the runtime's device (the engine's `warmUpDispatch`).
 * @returns the engine's `onBuildIssued`.
 */
export function warmUpDispatchOnFirstBuild(cores: number | undefined, run: (sample: DispatchSample) => Promise<void>, onError: (error: unknown) => void): () => void {
  let scheduled = false;
  return () => {
    if (scheduled || !codeWarmUpPays(cores)) return;
    scheduled = true;
    setTimeout(() => {
      import('./code-warm-up-steps.ts').then(({ dispatchWarmUpSample }) => run(dispatchWarmUpSample())).catch(onError);
    }, 0);
  };
}

/** A warm-up that waits for its moment: see {@link warmUpWhileDeviceIsMade}. */
export interface DeviceWaitWarmUp {
  /** Call after each start-up step: the `adapter` step starts the warm-up. */
  afterStep(step: string): void;
  /** The start is over (ready or failed): no further step runs. */
  stop(): void;
}

/**
 * The warm-up as a start runs it: from the task after the adapter answered, when the device
 * has been asked for and the GPU process is making it (≈70 ms on an H200). Not before: a step
 * running when the adapter answers would hold back the device's request by its length.
 * @param cores - `navigator.hardwareConcurrency`: nothing runs below {@link CODE_WARM_UP_MIN_CORES}.
 * @param start - starts the warm-up (tests pass their own).
 */
export function warmUpWhileDeviceIsMade(cores: number | undefined, onError: (error: unknown) => void, start: () => CodeWarmUp = startCodeWarmUp): DeviceWaitWarmUp {
  let running: CodeWarmUp | undefined;
  let over = false;
  return {
    afterStep(step) {
      if (step !== 'adapter' || over || running !== undefined || !codeWarmUpPays(cores)) return;
      running = start();
      running.done.catch(onError);
    },
    stop() {
      over = true;
      running?.stop();
    },
  };
}
