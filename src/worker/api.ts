/**
 * The runtime as the main thread sees it through Comlink ({@link WorkerApi}), built on the
 * engine and the store. The worker entry exposes it; same-thread mode calls it directly.
 */
import { transfer } from 'comlink';
import { VyreError } from '../errors.ts';
import { createEngine, type Engine } from '../gpu/engine.ts';
import { createLogger } from '../logger.ts';
import { DEFAULT_MEMORY_BOUNDS, DEFAULT_PERSISTENT_BOUNDS, resolveBounds } from '../pipeline/limits.ts';
import type { WorkerApi } from '../protocol/worker-api.ts';
import type { ArtifactStore } from '../pipeline/artifact-store.ts';
import { openIndexedDbStore } from '../store/indexeddb-store.ts';
import { createMemoryStore } from '../store/memory-store.ts';
import { DEFAULT_DATABASE_NAME } from '../store/schema.ts';
import { readBrowserFacts } from './browser-facts.ts';

export interface WorkerEnvironment {
  readonly navigator: WorkerNavigator | Navigator;
  /** Ends the hosting worker (for the worker-crash simulation); absent in same-thread mode. */
  readonly close?: () => void;
}

/**
 * Never settles: the worker's lifetime lock is held on it. Kept in a module-level binding so
 * the promise stays strongly reachable; a collected promise could release the lock early.
 */
const lifetime: Promise<never> = new Promise<never>(() => undefined);

export function createWorkerApi(environment: WorkerEnvironment): WorkerApi {
  const logger = createLogger();
  let engine: Engine | undefined;

  const ready = (): Engine => {
    if (engine === undefined) throw new VyreError('internal', 'The runtime was used before init().', 'this is a vyre-web bug; please report it.');
    return engine;
  };

  /** Transfers every ArrayBuffer in `value` (outputs never stay with the worker). */
  const transferred = <T>(value: T, arrays: readonly unknown[]): T =>
    transfer(value, arrays.filter((array): array is ArrayBufferView => ArrayBuffer.isView(array)).map((array) => array.buffer as ArrayBuffer));

  return {
    async init(options) {
      if (engine !== undefined) throw new VyreError('internal', 'init() was called twice.', 'this is a vyre-web bug; please report it.');
      const memoryBounds = resolveBounds(options.cache, DEFAULT_MEMORY_BOUNDS, 'cache', logger);
      const persistentBounds = resolveBounds(options.persistent === false ? undefined : stripName(options.persistent), DEFAULT_PERSISTENT_BOUNDS, 'persistent', logger);
      const dbName = options.persistent === false ? undefined : options.persistent.dbName;
      if (dbName !== undefined && (typeof dbName !== 'string' || dbName === '')) {
        throw new VyreError('invalid-input', `persistent.dbName is ${JSON.stringify(dbName)}.`, 'pass a non-empty string, or leave it out for "vyre-web".');
      }
      // Opened while the engine requests its device (createEngine awaits both together).
      const store: Promise<ArtifactStore> = options.persistent === false
        ? Promise.resolve(createMemoryStore(persistentBounds))
        : openIndexedDbStore({ dbName: dbName ?? DEFAULT_DATABASE_NAME, limits: persistentBounds, logger });
      const browser = await readBrowserFacts(environment.navigator);
      engine = await createEngine(environment.navigator.gpu, {
        ...(options.adapter ? { adapter: options.adapter } : {}),
        browser,
        store,
        memoryBounds,
        persistentBounds,
        logger,
        runtimeId: options.runtimeId,
      }).catch(async (error: unknown) => {
        (await store.catch(() => undefined))?.close();
        throw error;
      });
      const locks = environment.navigator.locks as LockManager | undefined;
      if (options.lockName !== undefined && locks !== undefined) {
        // Held until this worker ends; the main thread's request for it is granted then.
        // Wait until it is granted, so the main thread's request queues behind ours.
        const lockName = options.lockName;
        await new Promise<void>((granted) => {
          void locks.request(lockName, () => {
            granted();
            return lifetime;
          });
        });
      }
      if (options.prewarmOnStart !== false) {
        // In the background: compiles that arrive meanwhile join the flights it starts.
        void engine.prewarmFromStore(options.prewarmOnStart.limit).catch((error: unknown) => logger.warn('prewarm-failed', 'Startup prewarm stopped.', { error: String(error) }));
      }
      return { device: engine.summary, deviceFingerprint: engine.fingerprint, storage: (await store).status() };
    },
    compile: (program, policy) => ready().compile(program, policy),
    compileKnown: (pipelineId) => ready().compileKnown(pipelineId),
    prewarm: (programs, concurrency, onProgress) =>
      ready().prewarm(programs, {
        concurrency,
        // The callback is a Comlink proxy to the main thread: fire and forget, never fail the prewarm on it.
        ...(onProgress ? { onProgress: (progress) => void Promise.resolve(onProgress(progress)).catch(() => undefined) } : {}),
      }),
    async dispatch(pipelineId, batch, options) {
      if (!Array.isArray(batch)) throw new VyreError('invalid-input', 'A batch must be a list of inputs.', 'pass [inputsA, inputsB, …].');
      const reply = await ready().dispatch(pipelineId, batch, options);
      const arrays: unknown[] = [];
      for (const outputs of reply.outputs) for (const name in outputs) arrays.push(outputs[name]);
      return transferred(reply, arrays);
    },
    createBuffer: async (source) => ready().createBuffer(source),
    readBuffer: async (ref) => {
      const data = await ready().readBuffer(ref);
      return transferred(data, [data]);
    },
    destroyBuffer: async (ref) => ready().destroyBuffer(ref),
    gpuStats: async () => ready().gpuStats(),
    cacheAudit: async (threshold) => ready().cacheAudit(threshold),
    cacheSnapshot: () => ready().cacheSnapshot(),
    manifests: () => ready().manifests(),
    clearCache: (which) => ready().clearCache(which),
    async simulate(event) {
      if (event === 'device-loss') return ready().loseDevice();
      if (environment.close === undefined) throw new VyreError('invalid-input', 'There is no worker to crash in same-thread mode.', 'simulate worker crashes only with a worker runtime.');
      environment.close();
    },
    async dispose() {
      engine?.dispose();
      engine = undefined;
    },
  };
}

function stripName(persistent: { readonly dbName?: unknown; readonly maxEntries?: unknown; readonly maxBytes?: unknown }): unknown {
  const { dbName: _name, ...bounds } = persistent;
  return bounds;
}
