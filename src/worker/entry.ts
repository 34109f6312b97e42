/**
 * Worker entry: the only file that calls `Comlink.expose`. The worker owns the GPUDevice
 * and the IndexedDB connection; the main thread reaches them only through WorkerApi.
 */
import { expose } from 'comlink';
import { installErrorTransfer } from '../protocol/error-transfer.ts';
import { createWorkerApi } from './api.ts';
import { epochNow } from '../protocol/device.ts';

// Every import above has been evaluated by now: this is when the script was ready.
const scriptReadyAt = epochNow();
installErrorTransfer();
expose(createWorkerApi({ navigator: self.navigator, close: () => self.close(), scriptReadyAt }));
