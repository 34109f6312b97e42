/**
 * The start-up breakdown a runtime reports ({@link StartupTimings}): each step's time since
 * the caller's `createRuntime` call. Worker and page have different `performance` origins;
 * both are translated to one clock, the epoch, through `performance.timeOrigin`.
 */
import { epochNow, type StartupTimings } from '../protocol/device.ts';

type Step = 'adapter' | 'device' | 'store' | 'replay' | 'ready';

export interface StartupClock {
  /** Records that `step` is done now; a step recorded twice (a second device after a loss) keeps its first time. */
  mark(step: Step): void;
  timings(): StartupTimings;
}

/**
 * @param calledAt - when createRuntime was called, by {@link epochNow} in the caller's thread.
 * @param worker - when the worker's boot began and when its runtime code had been evaluated
 *   ({@link epochNow} of the worker); both undefined without a worker.
 */
export function startupClock(calledAt: number, worker: { readonly bootedAt?: number | undefined; readonly scriptReadyAt?: number | undefined }): StartupClock {
  const { bootedAt, scriptReadyAt } = worker;
  // An untyped caller may send anything: then the clock starts at the init message.
  const origin = typeof calledAt === 'number' && Number.isFinite(calledAt) ? calledAt : epochNow();
  const since = (at: number): number => Math.round((at - origin) * 10) / 10;
  const marks = new Map<Step, number>();
  return {
    mark(step) {
      if (!marks.has(step)) marks.set(step, since(epochNow()));
    },
    timings() {
      const at = (step: Step): number => marks.get(step) ?? Number.NaN;
      return {
        workerScript: scriptReadyAt === undefined ? null : since(scriptReadyAt),
        // A worker's time origin is when the browser created its global scope, before its script arrived.
        workerCreated: scriptReadyAt === undefined ? null : since(performance.timeOrigin),
        workerBoot: bootedAt === undefined ? null : since(bootedAt),
        adapter: at('adapter'),
        device: at('device'),
        store: at('store'),
        ready: at('ready'),
        replay: marks.get('replay') ?? null,
      };
    },
  };
}
