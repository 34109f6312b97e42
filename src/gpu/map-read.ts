/**
 * Waiting for a staging buffer to map, the way each WebGPU implementation answers fastest.
 *
 * Firefox delivers `mapAsync` results only when its GPU process polls the device, which
 * it does on a timer of about 100 ms unless the page submits work: a 4 KiB read-back took
 * ≈ 100 ms there with a plain `await mapAsync` (Firefox 153 ESR, 2026-11-30), and a chained
 * `onSubmittedWorkDone` first made it ≈ 200 ms. Submitting an empty command list every
 * millisecond while a map is pending made the same read-back ≈ 2 ms (docs/benchmarks.md,
 * "Firefox"). That is one timer task per millisecond, and only while a map is pending,
 * not a busy spin. Dawn (Chrome, Node) maps as soon as the copy is done, so it waits plainly.
 */
import type { BrowserFacts } from '../pipeline/fingerprint.ts';

/** How to wait for a map: `plain` awaits it; `nudge` also submits empty work until it settles. */
export type MapWait = 'plain' | 'nudge';

/** The wait for `browser`: `nudge` in Firefox (see above), else `plain`. */
export function mapWaitFor(browser: BrowserFacts): MapWait {
  return browser.name === 'Firefox' ? 'nudge' : 'plain';
}

/** How often an empty submit nudges a pending map, in milliseconds (timers clamp it to ≥ 1, later 4). */
const NUDGE_INTERVAL_MS = 1;

/**
 * Maps every buffer of `maps` for reading (each `[buffer, size]`, whole buffer when the size
 * is absent) and settles when all have: the results of `Promise.allSettled`, in order.
 */
export async function mapForReading(device: GPUDevice, maps: readonly (readonly [GPUBuffer, number?])[], wait: MapWait): Promise<PromiseSettledResult<undefined>[]> {
  const settled = Promise.allSettled(maps.map(([buffer, size]) => buffer.mapAsync(GPUMapMode.READ, 0, size)));
  if (wait === 'plain' || maps.length === 0) return settled;
  let pending = true;
  const nudge = (): void => {
    if (!pending) return;
    device.queue.submit([]);
    setTimeout(nudge, NUDGE_INTERVAL_MS);
  };
  setTimeout(nudge, NUDGE_INTERVAL_MS);
  try {
    return await settled;
  } finally {
    pending = false;
  }
}
