/**
 * `createRuntime`: spawns the module worker that owns the GPUDevice and wraps it in the
 * main-thread facade. This folder never imports worker code; it knows the worker only
 * through the type-only {@link WorkerApi} contract.
 */
import { proxy, wrap, type Remote } from 'comlink';
import { VyreError } from '../errors.ts';
import { installErrorTransfer } from '../protocol/error-transfer.ts';
import type { WorkerApi, WorkerInitOptions, WorkerInitResult } from '../protocol/worker-api.ts';
import type { CompileReport } from '../pipeline/build.ts';
import type { CompiledPipeline, CompiledPipelineBuild, Runtime, RuntimeOptions } from './runtime-types.ts';
import { createWorkerLink, type WorkerLink } from './worker-link.ts';

/**
 * Starts a runtime: a module Worker that requests the adapter and owns the device.
 *
 * @param options - adapter preference and, rarely, the worker URL.
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
  installErrorTransfer();
  if (typeof Worker === 'undefined') {
    throw new VyreError(
      'webgpu-unavailable',
      'This environment has no Web Workers, so the runtime cannot start its GPU worker.',
      'run vyre-web in a browser page.',
    );
  }
  const worker = options.workerUrl === undefined
    // The literal `new Worker(new URL(…, import.meta.url))` form is what bundlers recognize.
    ? new Worker(new URL('../worker/entry.ts', import.meta.url), { type: 'module', name: 'vyre-web' })
    : new Worker(options.workerUrl, { type: 'module', name: 'vyre-web' });
  const link = createWorkerLink(worker, wrap<WorkerApi>(worker));
  try {
    const init = await link.call((remote) => remote.init(initOptions(options)));
    return createRuntimeFacade(link, init);
  } catch (error) {
    link.terminate('worker-terminated');
    throw error;
  }
}

/** Default number of pipelines `prewarmOnStart: true` replays. */
const DEFAULT_PREWARM_LIMIT = 64;

function initOptions(options: RuntimeOptions): WorkerInitOptions {
  const prewarm = options.prewarmOnStart;
  return {
    ...(options.adapter ? { adapter: options.adapter } : {}),
    ...(options.cache !== undefined ? { cache: options.cache } : {}),
    persistent: options.persistent === false ? false : { ...(options.persistent ?? {}) },
    prewarmOnStart: prewarm === undefined || prewarm === false ? false : { limit: prewarm === true ? DEFAULT_PREWARM_LIMIT : prewarm.limit ?? DEFAULT_PREWARM_LIMIT },
  };
}

function createRuntimeFacade(link: WorkerLink, init: WorkerInitResult): Runtime {
  /**
   * Pipelines compiled from frozen program objects (what program() and wgsl() return), by
   * object and policy. A frozen program cannot change, so compiling the same object again
   * may skip sending, validating and hashing it: the worker only checks its memory tier.
   */
  const known = new WeakMap<object, Map<string, string>>();
  const policyKey = (policy: unknown): string => (policy === undefined ? '' : JSON.stringify(policy));
  return {
    device: init.device,
    deviceFingerprint: init.deviceFingerprint,
    storage: init.storage,
    async compile(program, policy) {
      const frozen = typeof program === 'object' && program !== null && Object.isFrozen(program);
      const pipelineId = frozen ? known.get(program)?.get(policyKey(policy)) : undefined;
      const fast = pipelineId === undefined ? null : await link.call((remote) => remote.compileKnown(pipelineId));
      const report = fast ?? (await link.call((remote) => remote.compile(program, policy)));
      if (frozen) {
        const byPolicy = known.get(program) ?? new Map<string, string>();
        byPolicy.set(policyKey(policy), report.pipelineId);
        known.set(program, byPolicy);
      }
      return toBuild(link, report);
    },
    prewarm: (programs, prewarmOptions = {}) =>
      link.call((remote) =>
        remote.prewarm(programs, prewarmOptions.concurrency, prewarmOptions.onProgress ? proxy(prewarmOptions.onProgress) : undefined)),
    cacheAudit: (threshold = 0) => link.call((remote) => remote.cacheAudit(threshold)),
    cacheSnapshot: () => link.call((remote) => remote.cacheSnapshot()),
    manifests: () => link.call((remote) => remote.manifests()),
    clearCache: (which = {}) =>
      link.call((remote) => remote.clearCache({ memory: which.memory ?? true, persistent: which.persistent ?? true })),
    async dispose() {
      if (link.state() !== 'open') return;
      // Stop new calls first, then give the worker a moment to destroy its device.
      const goodbye = link.callUnguarded((remote) => remote.dispose());
      link.terminate('disposed', goodbye);
      await link.closed();
    },
  };
}

function toBuild(link: WorkerLink, report: CompileReport): CompiledPipelineBuild {
  const pipeline: CompiledPipeline = {
    id: report.pipelineId,
    entryPoint: report.entryPoint,
    workgroupSize: report.workgroupSize,
    buffers: report.buffers,
    dispatch: (inputs, dispatchOptions) =>
      link.call((remote: Remote<WorkerApi>) => remote.dispatch(report.pipelineId, inputs, dispatchOptions)),
  };
  return {
    pipeline,
    cacheHit: report.cacheHit,
    tier: report.tier,
    timings: report.timings,
    missReason: report.missReason,
    manifest: report.manifest,
  };
}
