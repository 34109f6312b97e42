/**
 * The calling thread's GPU warm-up (`createRuntime`'s `gpuWarmUp`): an adapter and a device
 * requested at once, while the worker's script loads, and dropped once the worker has its own.
 *
 * Why it pays: a worker's first WebGPU call cannot start the browser's GPU connection by
 * itself. In Chrome a worker's WebGPU context is created by a task on the page's main
 * thread (Blink's `CreateContextProviderOnWorkerThread`), and the GPU process sets up its
 * driver on a renderer's first adapter and device. Asked from here, that work overlaps the
 * worker script's fetch and evaluation instead of following it.
 */
import { epochNow } from '../protocol/device.ts';
import type { AdapterOptions } from '../protocol/device.ts';

export interface GpuWarmUp {
  /** When the warm-up device arrived, ms since `calledAt`; `null` while it has not (or never will). */
  deviceAt(): number | null;
  /** Destroys the warm-up device now, or as soon as it arrives. Idempotent. */
  release(): void;
}

/**
 * Requests an adapter and a device on `gpu`, never failing: the worker reports WebGPU's
 * absence and adapter errors itself, with its own messages.
 * @param calledAt - the `createRuntime` call, by {@link epochNow}.
 */
export function startGpuWarmUp(gpu: GPU | undefined, adapter: AdapterOptions | undefined, calledAt: number): GpuWarmUp {
  let arrivedAt: number | null = null;
  let released = false;
  const device = requestWarmDevice(gpu, adapter).then((warm) => {
    if (warm === undefined) return undefined;
    arrivedAt = Math.round((epochNow() - calledAt) * 10) / 10;
    return warm;
  });
  return {
    deviceAt: () => arrivedAt,
    release() {
      if (released) return;
      released = true;
      // Runs when the device arrives, if it has not yet.
      void device.then((warm) => warm?.destroy());
    },
  };
}

async function requestWarmDevice(gpu: GPU | undefined, options: AdapterOptions | undefined): Promise<GPUDevice | undefined> {
  if (gpu === undefined || gpu === null || typeof gpu.requestAdapter !== 'function') return undefined;
  try {
    const adapter = await gpu.requestAdapter(options?.powerPreference ? { powerPreference: options.powerPreference } : {});
    return (await adapter?.requestDevice({ label: 'vyre-web warm-up' })) ?? undefined;
  } catch {
    // Nothing to report here: the worker's own request fails with a VyreError of its own.
    return undefined;
  }
}
