/**
 * Wakes the browser's GPU process from the page: `createRuntime` asks the page's
 * `navigator.gpu` for an adapter as it creates the worker, and drops the answer.
 *
 * Why: the first adapter request a GPU process serves pays for its WebGPU start (loading the
 * driver, finding the adapters): on an H200 host in Chrome, 10–30 ms cold and 100–140 ms after a
 * browser restart (docs/benchmarks.md). The worker can ask only once it runs, and Chrome runs a
 * worker only after the page's main thread is free: an app that creates the runtime and then
 * does its own start-up work would start that wait only afterwards, while hand-written WebGPU,
 * asking on the page before its work, has it done meanwhile. Asked from the page at once, the
 * GPU process starts as early, and the worker's own request finds it started.
 *
 * Only the adapter: a device requested on the page too made the GPU process serve the worker's
 * adapter after that device (docs/benchmarks.md, run 6). And only from 4 logical cores: on the
 * 2-vCPU VM the GPU process's extra work competed with the worker's start for a core.
 */
import type { AdapterOptions } from '../protocol/device.ts';

/** Logical cores from which the page wakes the GPU process (as the worker's code warm-up). */
export const WAKE_MIN_CORES = 4;

/** The page's GPU, when it has one (`undefined` in Node, in browsers without WebGPU, in insecure contexts). */
function pageGpu(): GPU | undefined {
  const gpu = (globalThis as { navigator?: { gpu?: GPU | null } }).navigator?.gpu;
  return gpu !== undefined && gpu !== null && typeof gpu.requestAdapter === 'function' ? gpu : undefined;
}

function pageCores(): number | undefined {
  return (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
}

/**
 * Asks the page's GPU for an adapter with the runtime's options and forgets it. Never throws,
 * never rejects; does nothing where the page has no WebGPU, or below {@link WAKE_MIN_CORES}.
 * @param cores - `navigator.hardwareConcurrency` (`undefined`: unknown, no request).
 * @returns whether a request was made.
 */
export function wakeGpuProcess(adapter: AdapterOptions | undefined, gpu: GPU | undefined = pageGpu(), cores: number | undefined = pageCores()): boolean {
  if (gpu === undefined || (cores ?? 0) < WAKE_MIN_CORES) return false;
  try {
    void gpu.requestAdapter(adapter?.powerPreference ? { powerPreference: adapter.powerPreference } : {}).catch(() => null);
    return true;
  } catch {
    return false;
  }
}
