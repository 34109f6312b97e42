/**
 * `createRuntime`: spawns the module worker that owns the GPUDevice (or, with
 * `worker: false`, runs the same runtime in this thread) and wraps it in the facade.
 * This folder never statically imports worker code; it knows the worker through the
 * type-only {@link WorkerApi} contract. Same-thread mode loads the runtime lazily, as a
 * separate chunk, only when asked for.
 */
import { wrap, type Remote } from 'comlink';
import { VyreError } from '../errors.ts';
import { installErrorTransfer } from '../protocol/error-transfer.ts';
import type { WorkerApi, WorkerInitOptions } from '../protocol/worker-api.ts';
import { epochNow } from '../protocol/device.ts';
import { workerNameFor } from '../protocol/worker-name.ts';
import { RemoteRuntime } from './remote-runtime.ts';
import type { Runtime, RuntimeOptions } from './runtime-types.ts';
import { createWorkerLink, type WorkerLink } from './worker-link.ts';

/**
 * Starts a runtime: a module Worker that requests the adapter and owns the device.
 *
 * @param options - adapter, cache bounds, persistence, startup prewarm, same-thread mode.
 * @returns a ready runtime; its `device` describes the adapter.
 * @throws VyreError `webgpu-unavailable`, `adapter-unavailable`, `worker-terminated`
 *   (the worker script failed to load).
 * @example
 * ```ts
 * import { createRuntime, wgsl } from 'vyre-web';
 * const runtime = await createRuntime();
 * const { pipeline } = await runtime.compile(wgsl({ code }));
 * const { y } = await pipeline.dispatch({ x: new Float32Array([1, 2, 3]) });
 * ```
 */
export async function createRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const calledAt = epochNow();
  installErrorTransfer();
  const bands = inputBandsOf(options.inputBands);
  const runtimeId = randomId();
  const link = options.worker === false ? await sameThreadLink() : workerLink(options);
  const lockName = options.worker === false ? undefined : `vyre-web-worker-${runtimeId}`;
  try {
    const init = await link.call((remote) => remote.init(initOptions(options, runtimeId, lockName, calledAt)));
    if (lockName !== undefined) watchWorkerLifetime(link, lockName);
    return new RemoteRuntime(link, init, bands);
  } catch (error) {
    link.terminate('worker-terminated');
    throw error;
  }
}

/** Minimum logical cores for `inputBands: 'auto'` to send bands (see {@link RuntimeOptions.inputBands}). */
const BAND_CORES = 4;

/**
 * Whether this runtime sends large inputs in bands.
 * @throws VyreError `invalid-input` for a value other than 'auto', 'always' or 'never'.
 */
function inputBandsOf(choice: unknown): boolean {
  if (choice === 'always') return true;
  if (choice === 'never') return false;
  if (choice !== undefined && choice !== 'auto') {
    throw new VyreError('invalid-input', `createRuntime's inputBands is ${JSON.stringify(choice) ?? String(choice)}.`, "pass 'auto', 'always' or 'never', or leave it out.", {});
  }
  return typeof navigator !== 'undefined' && (navigator.hardwareConcurrency ?? 1) >= BAND_CORES;
}

function workerLink(options: RuntimeOptions): WorkerLink {
  if (typeof Worker === 'undefined') {
    throw new VyreError(
      'webgpu-unavailable',
      'This environment has no Web Workers, so the runtime cannot start its GPU worker.',
      'run vyre-web in a browser page, or pass { worker: false } inside a worker.',
    );
  }
  let worker: Worker;
  try {
    // The name carries the adapter request: the worker makes it before its code has loaded (protocol/worker-name.ts).
    worker = options.workerUrl === undefined
      // The literal `new Worker(new URL(…, import.meta.url))` form is what bundlers recognize.
      ? new Worker(new URL('../worker/entry.ts', import.meta.url), { type: 'module', name: workerNameFor(options.adapter) })
      // A Trusted Types TrustedScriptURL passes through untouched: Worker() accepts one, lib.dom does not declare it.
      : new Worker(options.workerUrl as string | URL, { type: 'module', name: workerNameFor(options.adapter) });
  } catch (cause) {
    throw workerRefused(cause);
  }
  return createWorkerLink(worker, wrap<WorkerApi>(worker));
}

/** `new Worker()` throws at once for a URL the page may not load: Trusted Types, another origin. */
function workerRefused(cause: unknown): VyreError {
  return new VyreError(
    'worker-terminated',
    `The browser refused to start the vyre-web worker: ${(cause instanceof Error ? cause.message : String(cause)).replace(/\.?$/, '.')}`,
    'on a page that enforces Trusted Types, pass createRuntime({ workerUrl: policy.createScriptURL(url) }) or define a "default" policy; the worker file must be on the page\'s origin (README, "Bundling").',
    {},
    { cause },
  );
}

async function sameThreadLink(): Promise<WorkerLink> {
  const { createWorkerApi } = await import('../worker/api.ts');
  // Undefined in plain Node (before 21); init() then rejects with `webgpu-unavailable`.
  const api = createWorkerApi({ navigator: globalThis.navigator as Navigator | undefined });
  // In-process, the API's promises stand in for Comlink's remote calls.
  return createWorkerLink(undefined, api as unknown as Remote<WorkerApi>);
}

/**
 * A worker that ends without an error event (closed, killed, crashed) would leave calls
 * pending forever. It holds a Web Lock for its lifetime; our request for the same lock is
 * granted the moment it dies, and then every pending call rejects with `worker-terminated`.
 */
function watchWorkerLifetime(link: WorkerLink, lockName: string): void {
  if (typeof navigator === 'undefined' || navigator.locks === undefined) return;
  void navigator.locks.request(lockName, () => {
    link.terminate('worker-terminated', undefined, 'the worker ended unexpectedly');
  });
}

/** Default number of pipelines `prewarmOnStart: true` replays. */
const DEFAULT_PREWARM_LIMIT = 64;

function initOptions(options: RuntimeOptions, runtimeId: string, lockName: string | undefined, calledAt: number): WorkerInitOptions {
  const prewarm = options.prewarmOnStart;
  return {
    ...(options.adapter ? { adapter: options.adapter } : {}),
    ...(options.cache !== undefined ? { cache: options.cache } : {}),
    persistent: options.persistent === false ? false : { ...(options.persistent ?? {}) },
    prewarmOnStart: prewarm === undefined || prewarm === false ? false : { limit: prewarm === true ? DEFAULT_PREWARM_LIMIT : prewarm.limit ?? DEFAULT_PREWARM_LIMIT },
    runtimeId,
    calledAt,
    ...(lockName !== undefined ? { lockName } : {}),
  };
}

function randomId(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}
