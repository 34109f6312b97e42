/**
 * The worker's runtime, started once its code has loaded (boot.ts loads this module): the
 * only file that calls `Comlink.expose`. The worker owns the GPUDevice and the IndexedDB
 * connection; the main thread reaches them only through WorkerApi.
 */
import { expose } from 'comlink';
import { installErrorTransfer } from '../protocol/error-transfer.ts';
import { isBandMessage } from '../protocol/staging.ts';
import { createWorkerApi } from './api.ts';
import type { StartArguments } from './boot.ts';

/** Adds the worker's message listeners: boot.ts then hands them the messages it held. */
export function start({ bootedAt, scriptReadyAt, earlyAdapter }: StartArguments): void {
  installErrorTransfer();
  const api = createWorkerApi({ navigator: self.navigator, close: () => self.close(), bootedAt, scriptReadyAt, ...(earlyAdapter ? { earlyAdapter } : {}) });
  // Bands of large inputs come as plain messages on this same port, ahead of the Comlink
  // dispatch that names them (protocol/staging.ts); Comlink passes over them.
  self.addEventListener('message', (event: MessageEvent) => {
    if (isBandMessage(event.data)) api.stage(event.data.band);
  });
  expose(api);
}
