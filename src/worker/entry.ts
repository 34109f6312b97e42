/**
 * Worker entry: the only file that calls `Comlink.expose`. The worker owns the GPUDevice
 * and the IndexedDB connection; the main thread reaches them only through WorkerApi.
 */
import { expose } from 'comlink';
import { installErrorTransfer } from '../protocol/error-transfer.ts';
import { createWorkerApi } from './api.ts';
import { epochNow } from '../protocol/device.ts';
import { isBandMessage } from '../protocol/staging.ts';

// Every import above has been evaluated by now: this is when the script was ready.
const scriptReadyAt = epochNow();
installErrorTransfer();
const api = createWorkerApi({ navigator: self.navigator, close: () => self.close(), scriptReadyAt });
// Bands of large inputs come as plain messages on this same port, ahead of the Comlink
// dispatch that names them (protocol/staging.ts); Comlink passes over them.
self.addEventListener('message', (event: MessageEvent) => {
  if (isBandMessage(event.data)) api.stage(event.data.band);
});
expose(api);
