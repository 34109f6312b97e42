// Builds the published library into dist/:
//   dist/index.js        ESM entry; comlink and idb are bundled in, no bare imports remain
//   dist/kernels.js      the `vyre-web/kernels` subpath (the kernel library)
//   dist/reference.js    the `vyre-web/reference` subpath (the CPU reference interpreter)
//   dist/worker.js       the module worker's entry, a same-origin file next to the entry, and
//   dist/worker-*.js     its chunks: the start-up core it imports, the compile path it loads later,
//                        that path's WGSL reflection (scripts/worker-chunks.mjs says how and why)
//   dist/main-thread-<hash>.js  what createRuntime() and wgsl() need, and nothing else (see below)
//   dist/*-<hash>.js     other chunks the entries import relatively (code they share, the same-thread runtime)
//   dist/types/**.d.ts   declarations (tsc)
// Every .js file opens with a license banner that points at THIRD_PARTY_NOTICES.md.
//
// Vite emits the worker but writes its URL as
//   new URL(/* @vite-ignore */ new URL("…", import.meta.url).href, "" + import.meta.url)
// which consuming bundlers do not recognize as a worker. We rewrite it to the canonical
//   new Worker(new URL("./worker.js", import.meta.url), …)
// that Vite (dev pre-bundling included) and webpack 5 pick up in a dependency, and fail
// the build if the pattern ever stops matching.
import { build } from 'vite';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { staticClosure, workerOutput } from './worker-chunks.mjs';

const WORKER_FILE = 'worker.js';
const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
// A legal comment (`/*!`) that minifiers and consuming bundlers keep: idb's code carries no
// notice of its own, and its ISC license asks that the notice travel with every copy.
const BANNER = `/*! vyre-web ${version} | MIT | bundles comlink (Apache-2.0), idb (ISC) and wgsl_reflect (MIT): see THIRD_PARTY_NOTICES.md in the package */`;
const VITE_WORKER_URL = /new URL\(\s*\/\* @vite-ignore \*\/\s*new URL\("\.?\/?worker\.js", import\.meta\.url\)\.href,\s*"" \+ import\.meta\.url\s*\)/g;
const CANONICAL_WORKER_URL = `new URL("./${WORKER_FILE}", import.meta.url)`;

const canonicalWorkerUrl = {
  name: 'vyre-web:canonical-worker-url',
  renderChunk(code) {
    const rewritten = code.replace(VITE_WORKER_URL, CANONICAL_WORKER_URL);
    return rewritten === code ? null : { code: rewritten, map: null };
  },
};

// A consuming bundler sees each of our chunks as one module and places it whole: a chunk
// that both the entry and the lazy same-thread runtime (worker/api.ts) import becomes part
// of the app's first chunk, with everything the runtime uses from it. Left to itself,
// rolldown put errors.ts beside the IR validator and comlink beside protocol code that way
// (issue #14). So what `createRuntime()` and `wgsl()` need gets a chunk of its own: the
// static import closure of their two files, taken from the module graph so that a new
// import there joins it without a list to keep. `program()` and `parseManifest()` stay
// out: they pull in the validator and the manifest schema, which the runtime shares.
const MAIN_THREAD_ROOTS = ['src/client/create-runtime.ts', 'src/program/wgsl-program.ts'].map((file) => resolve(file));
/** @type {Set<string> | undefined} */
let mainThreadModules;

/** @type {import('rolldown').CodeSplittingNameFunction} */
function mainThreadChunk(id, ctx) {
  mainThreadModules ??= staticClosure(MAIN_THREAD_ROOTS, ctx);
  return mainThreadModules.has(id) ? 'main-thread' : null;
}

rmSync('dist', { recursive: true, force: true });
await build({
  configFile: false,
  base: './',
  logLevel: 'warn',
  plugins: [canonicalWorkerUrl],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    minify: false,
    sourcemap: true,
    rolldownOptions: { output: { banner: BANNER, codeSplitting: { groups: [{ name: mainThreadChunk, debugName: 'main-thread' }] } } },
    lib: {
      entry: { index: 'src/index.ts', kernels: 'src/kernels/index.ts', reference: 'src/reference.ts' },
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
  },
  // The worker's files are minified (with source maps): the copy recipes (esbuild, Rollup, a CDN)
  // serve them as they are, and the start-up core is fetched and compiled before the runtime can
  // answer (131 KB against 303 KB unminified). The entry modules stay readable.
  worker: { format: 'es', rolldownOptions: { output: { ...workerOutput(), banner: BANNER, minify: true } } },
});

const workerFiles = readdirSync('dist').filter((name) => /^worker.*\.js$/.test(name));
// The entry is imported by nothing, and imports nothing statically (scripts/worker-chunks.mjs): it asks for
// the adapter before the core loads, and a chunk importing it would start a second runtime.
if (/(?:^|[;}])\s*import\s*[^\s(.]/m.test(readFileSync(`dist/${WORKER_FILE}`, 'utf8'))) throw new Error(`build-lib: dist/${WORKER_FILE} has a static import; the worker's entry must ask for its adapter before the core loads (src/worker/boot.ts).`);
for (const file of workerFiles.filter((name) => name !== WORKER_FILE)) {
  if (readFileSync(`dist/${file}`, 'utf8').includes(`"./${WORKER_FILE}"`)) throw new Error(`build-lib: dist/${file} imports ./${WORKER_FILE}; the worker entry must stay a chunk of its own (scripts/worker-chunks.mjs).`);
}
if (!workerFiles.some((name) => name.startsWith('worker-tier-lookup-'))) throw new Error(`build-lib: no worker-tier-lookup-*.js among [${workerFiles.join(', ')}]; the worker's compile path is no longer a chunk of its own (src/pipeline/compile-path.ts).`);
if (!workerFiles.some((name) => name.startsWith('worker-wgsl-artifact-'))) throw new Error(`build-lib: no worker-wgsl-artifact-*.js among [${workerFiles.join(', ')}]; the compile path's WGSL reflection is no longer a chunk of its own (src/pipeline/wgsl-slot.ts).`);
const chunks = readdirSync('dist').filter((name) => name.endsWith('.js') && !workerFiles.includes(name)).map((name) => `dist/${name}`);
const mainThread = chunks.filter((file) => /^dist\/main-thread-[\w-]+\.js$/.test(file));
if (mainThread.length !== 1) {
  throw new Error(`build-lib: expected one dist/main-thread-*.js, found [${mainThread.join(', ')}]; the codeSplitting group no longer applies (rolldown changed the option?).`);
}
// createRuntime() lives in the main-thread chunk, so that is the one file that spawns the worker.
const spawners = chunks.filter((file) => readFileSync(file, 'utf8').includes('new Worker('));
if (spawners.join() !== mainThread.join() || !readFileSync(mainThread[0], 'utf8').includes(`new Worker(${CANONICAL_WORKER_URL}`)) {
  throw new Error(`build-lib: ${mainThread[0]} does not spawn its worker with the canonical new Worker(new URL("./worker.js", import.meta.url)) form (spawners: [${spawners.join(', ')}]); Vite changed its output, update VITE_WORKER_URL.`);
}
for (const file of readdirSync('dist').filter((name) => name.endsWith('.js')).map((name) => `dist/${name}`)) {
  // Minified files too: `import{a as b}from"x"` has no space before its braces.
  if (/(?:^|[;}])\s*(?:import|export)\s*[^;(]*?from\s*["'`][^./]/m.test(readFileSync(file, 'utf8'))) {
    throw new Error(`build-lib: ${file} still has a bare import; every import in dist/ must be relative.`);
  }
}
execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
console.log(`built dist/ (index.js, ${workerFiles.join(', ')}, types/)`);
