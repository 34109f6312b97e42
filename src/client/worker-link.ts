/**
 * The main thread's link to the worker, with a lifecycle.
 *
 * Comlink leaves a call pending forever when its worker goes away. The link tracks
 * every call in flight and rejects them all when the runtime is disposed (`disposed`)
 * or the worker dies (`worker-terminated`), so no promise of ours ever hangs.
 */
import type { Remote } from 'comlink';
import { VyreError } from '../errors.ts';
import type { WorkerApi } from '../protocol/worker-api.ts';

export type LinkState = 'open' | 'disposed' | 'terminated';

export interface WorkerLink {
  /** Same-thread mode: calls run in this thread, nothing crosses a thread boundary. */
  readonly inProcess: boolean;
  state(): LinkState;
  /** Runs `request` on the worker; rejects as soon as the link closes. */
  call<T>(request: (remote: Remote<WorkerApi>) => Promise<T>): Promise<T>;
  /** Posts a plain message (no Comlink call, no reply) on the worker's port, in order with the calls; nothing once closed or in same-thread mode. */
  post(message: unknown, transfer: Transferable[]): void;
  /** Like `call`, but not rejected on close: for the farewell message of `dispose`. */
  callUnguarded<T>(request: (remote: Remote<WorkerApi>) => Promise<T>): Promise<T>;
  /** Closes the link; terminates the worker once `after` settles (at most 1 s later). */
  terminate(reason: 'disposed' | 'worker-terminated', after?: Promise<unknown>, detail?: string): void;
  /** Resolves once the worker has been terminated. */
  closed(): Promise<void>;
}

const FAREWELL_TIMEOUT_MS = 1000;

/** `worker` is undefined in same-thread mode: then there is nothing to watch or terminate. */
export function createWorkerLink(worker: Worker | undefined, remote: Remote<WorkerApi>): WorkerLink {
  let state: LinkState = 'open';
  let closeError: VyreError | undefined;
  const pending = new Set<(error: VyreError) => void>();
  let markClosed: () => void = () => undefined;
  const closedPromise = new Promise<void>((resolve) => (markClosed = resolve));

  const onFailure = (event: Event): void => {
    const detail = event instanceof ErrorEvent && event.message ? event.message : 'the worker script failed to load or crashed';
    link.terminate('worker-terminated', undefined, detail);
  };
  worker?.addEventListener('error', onFailure);
  worker?.addEventListener('messageerror', onFailure);

  const link: WorkerLink = {
    inProcess: worker === undefined,
    state: () => state,
    call(request) {
      if (closeError !== undefined) return Promise.reject(closeError);
      return new Promise((resolve, reject) => {
        pending.add(reject);
        request(remote).then(
          (value) => {
            pending.delete(reject);
            resolve(value);
          },
          (error: unknown) => {
            pending.delete(reject);
            reject(error);
          },
        );
      });
    },
    callUnguarded: (request) => request(remote),
    post(message, transfer) {
      if (state === 'open') worker?.postMessage(message, transfer);
    },
    terminate(reason, after, detail) {
      if (state !== 'open') return;
      state = reason === 'disposed' ? 'disposed' : 'terminated';
      closeError = closedError(reason, detail);
      for (const reject of pending) reject(closeError);
      pending.clear();
      worker?.removeEventListener('error', onFailure);
      worker?.removeEventListener('messageerror', onFailure);
      const finish = (): void => {
        worker?.terminate();
        markClosed();
      };
      if (after === undefined) {
        finish();
        return;
      }
      const timeout = new Promise((resolve) => setTimeout(resolve, FAREWELL_TIMEOUT_MS));
      void Promise.race([after.catch(() => undefined), timeout]).then(finish);
    },
    closed: () => closedPromise,
  };
  return link;
}

function closedError(reason: 'disposed' | 'worker-terminated', detail: string | undefined): VyreError {
  if (reason === 'disposed') {
    return new VyreError('disposed', 'This runtime was disposed.', 'create a new runtime with createRuntime().');
  }
  return new VyreError(
    'worker-terminated',
    `The vyre-web worker stopped: ${detail ?? 'it was terminated'}.`,
    'create a new runtime. If the worker script failed to load: Vite, webpack 5 and Parcel emit it by themselves; with esbuild, Rollup or no bundler, copy node_modules/vyre-web/dist/worker*.js (the worker and its chunks) next to your bundle or pass createRuntime({ workerUrl }) (README, "Bundling").',
    detail === undefined ? {} : { detail },
  );
}
