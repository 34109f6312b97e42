/**
 * The compile path's code — program checks, WGSL reflection (wgsl_reflect), lowering — is
 * about half of the worker's, and a start does not need it: the device, the store and the
 * memory tier come first, a startup replay builds stored artifacts without it, and a
 * memory-tier hit never runs it. So it is a separate chunk, loaded on the first compile
 * that needs it, or earlier when a start asks for it ahead (worker/api.ts does, once the
 * device is being made). The worker's start-up script is then about half the size to fetch
 * and compile before it can ask for its adapter (docs/benchmarks.md, "A lighter worker start").
 *
 * Its WGSL side (wgsl-artifact.ts: reflection, 222 of the chunk's 317 KB minified) is a chunk
 * of its own again (wgsl-slot.ts), loaded when a WGSL program is first lowered, or ahead by a
 * start that asks for it: on two cores, compiling it held up the start by 20–36 ms, and a
 * start that is served by the persistent tier, or an app of IR programs, never needs it
 * (docs/benchmarks.md, "Where the VM's start goes").
 */
import { chunkNotLoaded } from './chunk-load.ts';

export type CompilePath = typeof import('./tier-lookup.ts');

let loading: Promise<CompilePath> | undefined;

/**
 * The compile path, loaded once; every caller shares the one load.
 * @throws VyreError `worker-terminated` when its chunk does not load (a deployment that
 *   hosts `worker.js` without the `worker-*.js` files beside it). The next call tries again.
 */
export function loadCompilePath(): Promise<CompilePath> {
  loading ??= import('./tier-lookup.ts').catch((cause: unknown) => {
    loading = undefined;
    throw chunkNotLoaded(cause);
  });
  return loading;
}
