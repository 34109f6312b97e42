// Builds the published library into dist/:
//   dist/index.js        ESM entry; comlink and idb are bundled in, no bare imports remain
//   dist/kernels.js      the `vyre-web/kernels` subpath (the kernel library)
//   dist/reference.js    the `vyre-web/reference` subpath (the CPU reference interpreter)
//   dist/worker.js       the module worker, self-contained, a same-origin file next to the entry
//   dist/*-<hash>.js     chunks the entries import relatively (code they share, the same-thread runtime)
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
    rolldownOptions: { output: { banner: BANNER } },
    lib: {
      entry: { index: 'src/index.ts', kernels: 'src/kernels/index.ts', reference: 'src/reference.ts' },
      formats: ['es'],
      fileName: (_format, name) => `${name}.js`,
    },
  },
  worker: { format: 'es', rolldownOptions: { output: { entryFileNames: WORKER_FILE, banner: BANNER } } },
});

const entry = readFileSync('dist/index.js', 'utf8');
if (!entry.includes(`new Worker(${CANONICAL_WORKER_URL}`)) {
  throw new Error('build-lib: dist/index.js does not spawn its worker with the canonical new Worker(new URL("./worker.js", import.meta.url)) form; Vite changed its output, update VITE_WORKER_URL.');
}
for (const file of readdirSync('dist').filter((name) => name.endsWith('.js')).map((name) => `dist/${name}`)) {
  if (/^\s*import\s.+from\s+["'][^./]/m.test(readFileSync(file, 'utf8'))) {
    throw new Error(`build-lib: ${file} still has a bare import; every import in dist/ must be relative.`);
  }
}
execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
console.log('built dist/ (index.js, worker.js, types/)');
