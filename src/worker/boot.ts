/**
 * The worker's first statements (entry.ts runs them): ask for the GPU adapter, hold the
 * main thread's messages, and only then load the runtime's code (worker-core, ≈130 KB
 * minified), which answers them.
 *
 * Why: the adapter is the start's long pole (the GPU process answers in 10–30 ms cold, then
 * makes the device in 70–80 ms on an H200 host), and the runtime's code takes the worker
 * ≈10–20 ms to fetch and compile. Asked for first, the adapter's request runs beside that
 * load instead of after it (docs/benchmarks.md, "A worker that asks for its adapter first").
 * The request's options come in the worker's name (protocol/worker-name.ts): the first
 * message waits for the code that reads it.
 *
 * Imports only protocol/worker-name.ts (which imports nothing): whatever this file imports
 * statically is fetched before it runs.
 */
import type { AdapterOptions } from '../protocol/device.ts';
import { adapterRequestOf } from '../protocol/worker-name.ts';

/** An adapter requested before the runtime's code loaded, with the options it was requested with. */
export interface EarlyAdapter {
  readonly options: AdapterOptions;
  /** Never rejects: a failed request reads as `null`, and the start asks again. */
  readonly adapter: Promise<GPUAdapter | null>;
}

/** What of the worker's global scope the boot uses (a plain EventTarget in tests). */
export interface BootScope extends EventTarget {
  readonly name: string;
  readonly navigator: { readonly gpu?: GPU | undefined };
}

export interface StartArguments {
  /** When the boot began, right before its adapter request ({@link epochNow} of the worker). */
  readonly bootedAt: number;
  /** When the runtime's code had loaded and this call began ({@link epochNow} of the worker). */
  readonly scriptReadyAt: number;
  readonly earlyAdapter: EarlyAdapter | undefined;
}

/**
 * Boots the worker: the early adapter request, then `loadStart()`; once it has loaded, calls
 * its `start` (which adds the message listeners) and dispatches the messages held meanwhile
 * to them, in order.
 * @returns settles when the runtime has started; rejects with the load's error (which the
 *   caller rethrows as an uncaught error: the main thread then hears `worker-terminated`).
 */
export async function bootWorker(scope: BootScope, loadStart: () => Promise<{ start(args: StartArguments): void }>): Promise<void> {
  const bootedAt = performance.timeOrigin + performance.now();
  const earlyAdapter = requestEarly(scope);
  const held: MessageEvent[] = [];
  const hold = (event: Event): void => void held.push(event as MessageEvent);
  scope.addEventListener('message', hold);
  const { start } = await loadStart();
  scope.removeEventListener('message', hold);
  start({ bootedAt, scriptReadyAt: performance.timeOrigin + performance.now(), earlyAdapter });
  for (const event of held) scope.dispatchEvent(new MessageEvent('message', { data: event.data, ports: [...event.ports] }));
}

function requestEarly(scope: BootScope): EarlyAdapter | undefined {
  const options = adapterRequestOf(scope.name);
  const gpu = scope.navigator.gpu;
  if (options === undefined || gpu === undefined || gpu === null || typeof gpu.requestAdapter !== 'function') return undefined;
  let adapter: Promise<GPUAdapter | null>;
  try {
    adapter = gpu.requestAdapter(options.powerPreference ? { powerPreference: options.powerPreference } : {}).catch(() => null);
  } catch {
    return undefined;
  }
  return { options, adapter };
}
