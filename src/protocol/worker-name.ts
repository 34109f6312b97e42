/**
 * The worker's `name` (`new Worker(url, { name })`) carries its adapter request, so that the
 * worker can ask for its GPU adapter as its first statement, before its runtime code has
 * loaded and before the main thread's first message (which waits for that code) arrives.
 * The name is readable at once in the worker (`self.name`); a message is not.
 *
 * Format: `vyre-web`, or `vyre-web low-power` / `vyre-web high-performance`. It shows in the
 * browser's developer tools as the worker's name. Imports nothing: the worker's entry loads it
 * before anything else (scripts/worker-chunks.mjs).
 */
import type { AdapterOptions } from './device.ts';

const NAME = 'vyre-web';
const POWER_PREFERENCES: readonly string[] = ['low-power', 'high-performance'];

/** The worker name for a runtime that will request its adapter with `adapter`. */
export function workerNameFor(adapter: AdapterOptions | undefined): string {
  const preference: unknown = adapter?.powerPreference;
  // Anything else goes to init() as it is, and is checked there as before: no early request.
  return typeof preference === 'string' && POWER_PREFERENCES.includes(preference) ? `${NAME} ${preference}` : NAME;
}

/**
 * The adapter request a worker of this `name` may make before its first message.
 * @returns `undefined` for a name {@link workerNameFor} did not make (a worker started some other way).
 */
export function adapterRequestOf(name: string): AdapterOptions | undefined {
  if (name === NAME) return {};
  const [prefix, preference, ...rest] = name.split(' ');
  if (prefix !== NAME || rest.length > 0 || preference === undefined || !POWER_PREFERENCES.includes(preference)) return undefined;
  return { powerPreference: preference as NonNullable<AdapterOptions['powerPreference']> };
}
