/**
 * The runtime as the main thread sees it through Comlink ({@link WorkerApi}), built on the
 * engine and the store. The worker entry exposes it; same-thread mode calls it directly.
 * Every argument is checked here or below: the caller may be untyped JavaScript.
 */
import { transfer } from 'comlink';
import { isWireImage, type ResidentTextureRef } from '../protocol/images.ts';
import { VyreError } from '../errors.ts';
import { createEngine, type Engine } from '../gpu/engine.ts';
import type { DispatchSample } from '../gpu/dispatch-warm-up.ts';
import { createLogger, type Logger } from '../logger.ts';
import type { ArtifactStore } from '../pipeline/artifact-store.ts';
import { loadCompilePath } from '../pipeline/compile-path.ts';
import { loadWgslPath } from '../pipeline/wgsl-slot.ts';
import { DEFAULT_MEMORY_BOUNDS, DEFAULT_PERSISTENT_BOUNDS, resolveBounds } from '../pipeline/limits.ts';
import type { CacheSnapshot, PipelineCacheAuditReport } from '../protocol/cache.ts';
import type { CompileReport, PipelinePrewarmReport, PipelineReproManifest, PrewarmProgress } from '../protocol/compile.ts';
import type { AdapterOptions, GpuStats } from '../protocol/device.ts';
import type { DispatchOptions, DispatchReply } from '../protocol/dispatch.ts';
import type { ElementArray } from '../protocol/elements.ts';
import type { ResidentBufferRef } from '../protocol/resident.ts';
import type { ClearCacheRequest, SimulatedFault, WorkerApi, WorkerInitOptions, WorkerInitResult } from '../protocol/worker-api.ts';
import { openIndexedDbStore } from '../store/indexeddb-store.ts';
import { createMemoryStore } from '../store/memory-store.ts';
import { DEFAULT_DATABASE_NAME } from '../store/schema.ts';
import { readBrowserFacts } from './browser-facts.ts';
import { startupClock } from './startup-clock.ts';
import { codeWarmUpPays, warmUpDispatchOnFirstBuild, warmUpWhileDeviceIsMade } from './code-warm-up.ts';
import type { EarlyAdapter } from './boot.ts';
import { recyclableBuffers, transferList } from './transfer-list.ts';

export interface WorkerEnvironment {
  /** Undefined outside a browser (plain Node has no `navigator` before version 21). */
  readonly navigator: WorkerNavigator | Navigator | undefined;
  /** Ends the hosting worker (for the worker-crash simulation); absent in same-thread mode. */
  readonly close?: () => void;
  /** When the worker's boot began ({@link epochNow}); absent in same-thread mode. */
  readonly bootedAt?: number;
  /** When the worker's script had been evaluated ({@link epochNow}); absent in same-thread mode. */
  readonly scriptReadyAt?: number;
  /** The adapter the worker asked for as it booted (boot.ts); absent in same-thread mode. */
  readonly earlyAdapter?: EarlyAdapter;
}

/**
 * Never settles: the worker's lifetime lock is held on it. Kept in a module-level binding so
 * the promise stays strongly reachable; a collected promise could release the lock early.
 */
const lifetime: Promise<never> = new Promise<never>(() => undefined);

/** The runtime behind the wire. */
export function createWorkerApi(environment: WorkerEnvironment): WorkerApi {
  return new WorkerRuntime(environment);
}

class WorkerRuntime implements WorkerApi {
  readonly #environment: WorkerEnvironment;
  readonly #logger: Logger = createLogger();
  #engine: Engine | undefined;

  constructor(environment: WorkerEnvironment) {
    this.#environment = environment;
  }

  async init(options: WorkerInitOptions): Promise<WorkerInitResult> {
    if (this.#engine !== undefined) throw new VyreError('internal', 'init() was called twice.', 'this is a vyre-web bug; please report it.');
    const nav = this.#environment.navigator;
    // Checked before anything is opened: without WebGPU there is nothing to start.
    if (nav?.gpu === undefined) throw noWebGpu();
    const clock = startupClock(options.calledAt, this.#environment);
    const memoryBounds = resolveBounds(options.cache, DEFAULT_MEMORY_BOUNDS, 'cache', this.#logger);
    const persistentBounds = resolveBounds(options.persistent === false ? undefined : boundsOf(options.persistent), DEFAULT_PERSISTENT_BOUNDS, 'persistent', this.#logger);
    // Nothing on the start waits for what it does not need: the database opens, the browser
    // facts (for the fingerprint) are read and the lifetime lock is asked for while the
    // adapter and device are requested; createEngine joins them.
    const store = this.#openStore(options.persistent, persistentBounds).then((opened) => (clock.mark('store'), opened));
    const lock = options.lockName === undefined ? Promise.resolve() : this.#holdLifetimeLock(options.lockName);
    // While the GPU process makes the device, this thread runs its compile code once (code-warm-up.ts).
    const warmUp = warmUpWhileDeviceIsMade(nav.hardwareConcurrency, (error) => this.#logger.warn('code-warm-up-failed', 'The code warm-up stopped on an error.', { error: String(error) }));
    // While the GPU process builds the first pipeline, this thread runs its dispatch code once (gpu/dispatch-warm-up.ts).
    const warmDispatch = (sample: DispatchSample): Promise<void> => this.#engine?.warmUpDispatch(sample) ?? Promise.resolve();
    const dispatchWarmUp = warmUpDispatchOnFirstBuild(nav.hardwareConcurrency, warmDispatch, (error) => this.#logger.warn('dispatch-warm-up-failed', 'The dispatch warm-up stopped on an error.', { error: String(error) }));
    // The adapter the worker asked for as it booted, when this start wants that one.
    const early = this.#environment.earlyAdapter;
    const engine = await createEngine(nav.gpu, {
      ...(options.adapter ? { adapter: options.adapter } : {}),
      ...(early !== undefined && sameAdapterRequest(early.options, options.adapter) ? { earlyAdapter: early.adapter } : {}),
      browser: readBrowserFacts(nav),
      store,
      memoryBounds,
      persistentBounds,
      logger: this.#logger,
      runtimeId: options.runtimeId,
      onBuildIssued: dispatchWarmUp,
      onStartupStep: (step) => {
        clock.mark(step);
        warmUp.afterStep(step);
        // The compile path is a chunk of its own (pipeline/compile-path.ts): fetched and
        // compiled while the GPU process makes the device, not before the adapter is asked
        // for, and not while the adapter's answer may arrive (it would wait behind it).
        if (step === 'adapter') {
          void loadCompilePath().catch(() => undefined);
          // Its WGSL side only where the device's wait hides it: on fewer cores, its compile held
          // up the start (20–36 ms on two), and a start served by the persistent tier never needs it.
          if (codeWarmUpPays(nav.hardwareConcurrency)) void loadWgslPath().catch(() => undefined);
        }
      },
    }).catch(async (error: unknown) => {
      (await store.catch(() => undefined))?.close();
      throw error;
    }).finally(() => warmUp.stop());
    this.#engine = engine;
    if (options.prewarmOnStart !== false) {
      clock.mark('replay');
      // Started before the caller hears the runtime is ready, and that answer waits until the
      // first build is in flight (a store read, a few ms): the app's first compile, which
      // follows at once, then joins the replay's first build instead of racing it. Compiles
      // that arrive later go first, and join a replay of the same pipeline.
      let started!: () => void;
      const replayStarted = new Promise<void>((resolve) => (started = resolve));
      void engine.replayWorkingSet(options.prewarmOnStart.limit, started).catch((error: unknown) => this.#logger.warn('prewarm-failed', 'Startup prewarm stopped.', { error: String(error) }));
      await replayStarted;
    } else {
      // Without a replay, last visit's first pipeline is built ahead: the app's first compile
      // most likely wants it (build-ahead.ts). Not awaited: the start does not wait for it.
      void engine.buildFirstAhead().catch((error: unknown) => this.#logger.warn('build-ahead-failed', 'Building the first pipeline ahead stopped.', { error: String(error) }));
    }
    await lock;
    clock.mark('ready');
    return { device: engine.summary, deviceFingerprint: engine.fingerprint, storage: (await store).status(), startup: clock.timings() };
  }

  compile(program: unknown, policy?: unknown): Promise<CompileReport> {
    return this.#ready().compile(program, policy);
  }

  compileStored(program: unknown, policy?: unknown): Promise<CompileReport | null> {
    return this.#ready().compileStored(program, policy);
  }

  compileKnown(pipelineId: string): Promise<CompileReport | null> {
    return this.#ready().compileKnown(pipelineId);
  }

  prewarm(programs: unknown, concurrency?: unknown, onProgress?: (progress: PrewarmProgress) => unknown): Promise<PipelinePrewarmReport[]> {
    return this.#ready().prewarm(programs, {
      concurrency,
      // The callback is a Comlink proxy to the main thread: fire and forget, never fail the prewarm on it.
      ...(onProgress ? { onProgress: (progress: PrewarmProgress) => void Promise.resolve(onProgress(progress)).catch(() => undefined) } : {}),
    });
  }

  async dispatch(pipelineId: string, batch: unknown, options?: DispatchOptions, recycle?: boolean): Promise<DispatchReply> {
    if (!Array.isArray(batch)) throw new VyreError('invalid-input', 'A batch must be a list of inputs.', 'pass [inputsA, inputsB, …].');
    const reply = await this.#ready().dispatch(pipelineId, batch, options);
    const arrays: unknown[] = [];
    for (const outputs of reply.outputs) {
      for (const name in outputs) {
        const value = outputs[name];
        arrays.push(isWireImage(value) ? value.data : value);
      }
    }
    const { recycled: bands, ...rest } = reply;
    if (recycle !== true) return transferred(rest, arrays);
    // Uploads copy their source when they are called, so the inputs (and the bands of staged
    // ones, protocol/staging.ts) are free to go back.
    const recycled = [...recyclableBuffers(batch as readonly unknown[]), ...(bands ?? [])];
    return transferred({ ...rest, recycled }, [...arrays, ...recycled]);
  }

  stage(band: unknown): void {
    // Before init or after dispose there is no engine; the dispatch naming the band says so.
    this.#engine?.stage(band);
  }

  async createBuffer(source: unknown): Promise<ResidentBufferRef> {
    return this.#ready().createBuffer(source);
  }

  async readBuffer(ref: ResidentBufferRef): Promise<ElementArray> {
    const data = await this.#ready().readBuffer(ref);
    return transferred(data, [data]);
  }

  async destroyTexture(ref: ResidentTextureRef): Promise<void> {
    this.#ready().destroyTexture(ref);
  }

  async destroyBuffer(ref: ResidentBufferRef): Promise<void> {
    this.#ready().destroyBuffer(ref);
  }

  async gpuStats(): Promise<GpuStats> {
    return this.#ready().gpuStats();
  }

  async cacheAudit(alarmThresholdBps: unknown): Promise<PipelineCacheAuditReport> {
    return this.#ready().cacheAudit(alarmThresholdBps);
  }

  cacheSnapshot(): Promise<CacheSnapshot> {
    return this.#ready().cacheSnapshot();
  }

  manifests(): Promise<PipelineReproManifest[]> {
    return this.#ready().manifests();
  }

  clearCache(which: ClearCacheRequest): Promise<void> {
    return this.#ready().clearCache(which);
  }

  async simulate(event: SimulatedFault): Promise<void> {
    if (event === 'device-loss') return this.#ready().loseDevice();
    const close = this.#environment.close;
    if (close === undefined) throw new VyreError('invalid-input', 'There is no worker to crash in same-thread mode.', 'simulate worker crashes only with a worker runtime.');
    close();
  }

  async dispose(): Promise<void> {
    const engine = this.#engine;
    this.#engine = undefined;
    await engine?.dispose();
  }

  #ready(): Engine {
    if (this.#engine === undefined) throw new VyreError('internal', 'The runtime was used before init().', 'this is a vyre-web bug; please report it.');
    return this.#engine;
  }

  /** @throws VyreError `invalid-input` for a bad database name, before anything is opened. */
  #openStore(persistent: WorkerInitOptions['persistent'], limits: ReturnType<typeof resolveBounds>): Promise<ArtifactStore> {
    if (persistent === false) return Promise.resolve(createMemoryStore(limits));
    const dbName: unknown = persistent.dbName;
    if (dbName !== undefined && (typeof dbName !== 'string' || dbName === '')) {
      throw new VyreError('invalid-input', `persistent.dbName is ${JSON.stringify(dbName)}.`, 'pass a non-empty string, or leave it out for "vyre-web".');
    }
    return openIndexedDbStore({ dbName: dbName ?? DEFAULT_DATABASE_NAME, limits, logger: this.#logger });
  }

  /**
   * Holds a Web Lock until this worker ends; the main thread's request for it is granted
   * then. Waits until it is granted, so the main thread's request queues behind ours.
   */
  async #holdLifetimeLock(lockName: string): Promise<void> {
    const locks = this.#environment.navigator?.locks as LockManager | undefined;
    if (locks === undefined) return;
    await new Promise<void>((granted) => {
      void locks.request(lockName, () => {
        granted();
        return lifetime;
      });
    });
  }
}

/** Same-thread mode outside a browser (Node, a test runner) or a browser without WebGPU. */
function noWebGpu(): VyreError {
  return new VyreError(
    'webgpu-unavailable',
    'This environment has no WebGPU (navigator.gpu is missing).',
    'run vyre-web in a browser with WebGPU (Chrome/Edge 113+, Safari 26+, Firefox 141+) on a secure context (https:// or http://localhost); Node is not a supported target.',
  );
}

/**
 * Whether an adapter requested with `early` is the one a start with `wanted` would request.
 * (Not in protocol/worker-name.ts: the worker's entry loads that file, and this one is the core's.)
 */
function sameAdapterRequest(early: AdapterOptions, wanted: AdapterOptions | undefined): boolean {
  return (early.powerPreference ?? null) === (wanted?.powerPreference ?? null);
}

/** The bounds fields of the persistent options, without the database name. */
function boundsOf(persistent: object): unknown {
  const { dbName: _name, ...bounds } = persistent as { dbName?: unknown };
  return bounds;
}

/** Transfers every ArrayBuffer in `value` (outputs never stay with the worker). */
function transferred<T>(value: T, arrays: readonly unknown[]): T {
  return transfer(value, transferList(arrays));
}

