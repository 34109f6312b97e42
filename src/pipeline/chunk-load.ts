/**
 * The error of a worker chunk that did not load (compile-path.ts, wgsl-slot.ts): a deployment
 * that hosts `worker.js` without the `worker-*.js` files beside it.
 */
import { VyreError } from '../errors.ts';

export function chunkNotLoaded(cause: unknown): VyreError {
  return new VyreError(
    'worker-terminated',
    `The worker's compile code did not load: ${(cause instanceof Error ? cause.message : String(cause)).replace(/\.?$/, '.')}`,
    'host every dist/worker*.js file of the package in the folder that serves worker.js (README, "Bundling"); a copy step that takes worker.js alone leaves its compile code behind.',
    {},
    { cause },
  );
}
