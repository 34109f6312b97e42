/**
 * Worker entry: the only file that calls `Comlink.expose`. It owns the GPUDevice
 * through the engine and the IndexedDB connection through the store; the main thread
 * reaches it only through {@link WorkerApi}.
 */
import { expose, transfer } from 'comlink';
import { VyreError } from '../errors.ts';
import { createEngine, type Engine } from '../gpu/engine.ts';
import { createLogger } from '../logger.ts';
import { DEFAULT_MEMORY_BOUNDS, DEFAULT_PERSISTENT_BOUNDS, resolveBounds } from '../pipeline/limits.ts';
import { installErrorTransfer } from '../protocol/error-transfer.ts';
import type { WorkerApi } from '../protocol/worker-api.ts';
import { openIndexedDbStore } from '../store/indexeddb-store.ts';
import { createMemoryStore } from '../store/memory-store.ts';
import { DEFAULT_DATABASE_NAME } from '../store/schema.ts';
import { readBrowserFacts } from './browser-facts.ts';

installErrorTransfer();

const logger = createLogger();
let engine: Engine | undefined;

function ready(): Engine {
  if (engine === undefined) {
    throw new VyreError('internal', 'The worker was used before init().', 'this is a vyre-web bug; please report it.');
  }
  return engine;
}

const api: WorkerApi = {
  async init(options) {
    if (engine !== undefined) throw new VyreError('internal', 'init() was called twice.', 'this is a vyre-web bug; please report it.');
    const memoryBounds = resolveBounds(options.cache, DEFAULT_MEMORY_BOUNDS, 'cache', logger);
    const persistentBounds = resolveBounds(options.persistent === false ? undefined : options.persistent, DEFAULT_PERSISTENT_BOUNDS, 'persistent', logger);
    const dbName = options.persistent === false ? undefined : options.persistent.dbName;
    if (dbName !== undefined && (typeof dbName !== 'string' || dbName === '')) {
      throw new VyreError('invalid-input', `persistent.dbName is ${JSON.stringify(dbName)}.`, 'pass a non-empty string, or leave it out for "vyre-web".');
    }
    const store = options.persistent === false
      ? createMemoryStore(persistentBounds)
      : await openIndexedDbStore({ dbName: dbName ?? DEFAULT_DATABASE_NAME, limits: persistentBounds, logger });
    const browser = await readBrowserFacts(self.navigator);
    engine = await createEngine(self.navigator.gpu, {
      ...(options.adapter ? { adapter: options.adapter } : {}),
      browser,
      store,
      memoryBounds,
      persistentBounds,
      logger,
    }).catch((error: unknown) => {
      store.close();
      throw error;
    });
    if (options.prewarmOnStart !== false) {
      // In the background: compiles that arrive meanwhile join the flights it starts.
      void engine.prewarmFromStore(options.prewarmOnStart.limit).catch((error: unknown) => logger.warn('prewarm-failed', 'Startup prewarm stopped.', { error: String(error) }));
    }
    return { device: engine.summary, deviceFingerprint: engine.fingerprint, storage: store.status() };
  },
  compile: (program, policy) => ready().compile(program, policy),
  compileKnown: (pipelineId) => ready().compileKnown(pipelineId),
  prewarm: (programs, concurrency, onProgress) =>
    ready().prewarm(programs, {
      concurrency,
      // The callback is a Comlink proxy to the main thread: fire and forget, never fail the prewarm on it.
      ...(onProgress ? { onProgress: (progress) => void Promise.resolve(onProgress(progress)).catch(() => undefined) } : {}),
    }),
  async dispatch(pipelineId, inputs, options) {
    const outputs = await ready().dispatch(pipelineId, inputs, options);
    return transfer(outputs, Object.values(outputs).map((array) => array.buffer as ArrayBuffer));
  },
  cacheAudit: async (threshold) => ready().cacheAudit(threshold),
  cacheSnapshot: () => ready().cacheSnapshot(),
  manifests: () => ready().manifests(),
  clearCache: (which) => ready().clearCache(which),
  async dispose() {
    engine?.dispose();
    engine = undefined;
  },
};

expose(api);
