// How the module worker is cut into files, for the published build (scripts/build-lib.mjs)
// and the warmup bench's production build (bench/warmup.mjs):
//   worker.js                    the entry (src/worker/entry.ts) alone: it starts the runtime
//   worker-core-<hash>.js        what a start needs (device, store, memory tier, dispatch), imported by the entry
//   worker-tier-lookup-<hash>.js the compile path (program checks, WGSL reflection, lowering),
//                                loaded while the device is made or on the first compile (src/pipeline/compile-path.ts)
//   worker-code-warm-up-steps-<hash>.js  the code warm-up's samples, loaded with it
// Why the entry is a file of its own: the lazy chunks import the code they share with the
// start from another chunk. Were that chunk the entry, a worker started from a URL with a
// query (Vite's dev server serves worker.js?worker_file&type=module) would be imported a
// second time, under the plain URL, and start a second runtime in the same worker: seen in
// test/browser/consumer.spec.ts, "…under the Vite dev server". The entry is a few hundred
// bytes; its import of the core costs one more request on the start.
import { resolve } from 'node:path';

const WORKER_ENTRY = resolve('src/worker/entry.ts');

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
          const entry = [...ctx.getModuleIds?.() ?? []].find((moduleId) => moduleId.split('?')[0] === WORKER_ENTRY) ?? WORKER_ENTRY;
          core ??= staticClosure([entry], ctx);
          return id !== entry && core.has(id) ? 'core' : null;
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
