// How the module worker is cut into files, for the published build (scripts/build-lib.mjs)
// and the warmup bench's production build (bench/warmup.mjs):
//   worker.js                    the entry (src/worker/entry.ts, boot.ts, protocol/worker-name.ts):
//                                asks for the GPU adapter, then loads the core
//   worker-core-<hash>.js        the runtime a start needs (src/worker/start.ts and all it imports:
//                                device, store, memory tier, dispatch), loaded by the entry
//   worker-tier-lookup-<hash>.js the compile path (program checks, digests, lowering), loaded
//                                while the device is made or on the first compile (src/pipeline/compile-path.ts)
//   worker-wgsl-artifact-<hash>.js  its WGSL reflection (wgsl_reflect), loaded when a WGSL module
//                                is first lowered, or during a start on 4 cores or more (src/pipeline/wgsl-slot.ts)
//   worker-code-warm-up-steps-<hash>.js  the code warm-up's samples, loaded with it
// The entry imports nothing the core has: boot.ts must run before the core is fetched
// (src/worker/boot.ts says why), and a chunk that imported the entry would evaluate it a
// second time wherever the worker's URL has a query (Vite's dev server serves
// worker.js?worker_file&type=module), starting a second runtime in the same worker.
import { resolve } from 'node:path';

const WORKER_START = resolve('src/worker/start.ts');
const COMPILE_PATH = resolve('src/pipeline/tier-lookup.ts');
const WGSL_SIDE = resolve('src/pipeline/wgsl-artifact.ts');

/**
 * rolldown output options of the worker build.
 * @param {{ inOneFile?: boolean }} [options] - `inOneFile`: one self-contained worker.js (the bench's A/B)
 */
export function workerOutput({ inOneFile = false } = {}) {
  if (inOneFile) return { entryFileNames: 'worker.js', codeSplitting: false };
  /** @type {Set<string> | undefined} */
  let core;
  return {
    entryFileNames: 'worker.js',
    chunkFileNames: 'worker-[name]-[hash].js',
    codeSplitting: {
      groups: [{
        debugName: 'worker-core',
        /** @type {import('rolldown').CodeSplittingNameFunction} */
        name: (id, ctx) => {
          core ??= withSharedLazyModules(staticClosure([WORKER_START], ctx), ctx);
          return core.has(id) ? 'core' : null;
        },
      }],
    },
  };
}

/**
 * The modules `roots` import statically, transitively, roots included.
 * @param {readonly string[]} roots @param {import('rolldown').ChunkingContext} ctx @returns {Set<string>}
 */
export function staticClosure(roots, ctx) {
  const seen = new Set(roots);
  for (const id of seen) {
    for (const imported of ctx.getModuleInfo(id)?.importedIds ?? []) seen.add(imported);
  }
  return seen;
}

/**
 * `core` and the modules that both lazy chunks, the compile path and its WGSL side, import
 * (a few small helpers): in a chunk of their own, they broke Parcel 2's worker bundles
 * ("Cannot find module"), and in either lazy chunk, the other would import that chunk.
 * @param {Set<string>} core @param {import('rolldown').ChunkingContext} ctx @returns {Set<string>}
 */
function withSharedLazyModules(core, ctx) {
  const wgsl = staticClosure([WGSL_SIDE], ctx);
  for (const id of staticClosure([COMPILE_PATH], ctx)) if (wgsl.has(id)) core.add(id);
  return core;
}
