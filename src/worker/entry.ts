/**
 * Worker entry: the only file that calls `Comlink.expose`. It owns the GPUDevice
 * through the engine; the main thread reaches it only through {@link WorkerApi}.
 */
import { expose, transfer } from 'comlink';
import { VyreError } from '../errors.ts';
import { createEngine, type Engine } from '../gpu/engine.ts';
import { installErrorTransfer } from '../protocol/error-transfer.ts';
import type { WorkerApi } from '../protocol/worker-api.ts';
import { openDatabase, type StorageStatus } from '../store/open-database.ts';
import { DEFAULT_DATABASE_NAME } from '../store/schema.ts';

installErrorTransfer();

let engine: Engine | undefined;
let storage: StorageStatus = { mode: 'memory-only', reason: 'not opened yet' };

function ready(): Engine {
  if (engine === undefined) {
    throw new VyreError('internal', 'The worker was used before init().', 'this is a vyre-web bug; please report it.');
  }
  return engine;
}

const api: WorkerApi = {
  async init(options) {
    engine ??= await createEngine(self.navigator.gpu, options.adapter ? { adapter: options.adapter } : {});
    if (options.persistent === false) {
      storage = { mode: 'memory-only', reason: 'persistent: false was requested' };
    } else {
      storage = (await openDatabase(options.persistent.dbName ?? DEFAULT_DATABASE_NAME)).status;
    }
    return { device: engine.summary, storage };
  },
  compile: (program, policy) => ready().compile(program, policy),
  async dispatch(pipelineId, inputs, options) {
    const outputs = await ready().dispatch(pipelineId, inputs, options);
    return transfer(outputs, Object.values(outputs).map((array) => array.buffer as ArrayBuffer));
  },
  async dispose() {
    engine?.dispose();
    engine = undefined;
  },
};

expose(api);
