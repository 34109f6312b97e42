// Issue #14: does HTTP caching (and with it Chrome's V8 code cache) cut the start of
// vyre-web's module worker after a browser restart? Measures, in headless Chromium launched
// exactly as the warmup suite launches it (bench/warmup.mjs), on real restarts of one
// persistent profile per mode:
//   (1) an empty module worker (one line): `new Worker(url, { type: 'module' })` until its
//       first message, and when its global scope began and its script ran (the control);
//   (2) `createRuntime()` from the library bundle the warmup suite builds (buildLibrary):
//       until it resolves, and the `runtime.startup` breakdown (workerScript … ready);
//   (3) bare `requestAdapter()` + `requestDevice()` on the main thread, in a separate page load;
//   (4) `createRuntime({ workerUrl })` with a six-line module worker that dynamic-imports a
//       copy of the bundle's worker (served as lib-worker.js): Chromium 156 keeps a code
//       cache for a worker's dynamic imports but, as (2) shows, not for its top-level script.
// The bundle is served by a plain node:http server (not Vite) in three modes, one fresh
// profile each: (a) `no-cache` + ETag (revalidated, like the dev server), (b) `public,
// max-age=31536000, immutable` (hashed production bundles), (c) `no-store`. The HTML pages
// are always `no-cache`, as an app's are. Nothing is timed before the page has loaded.
// The order of (1)/(2)/(4) rotates with the start index and the two page loads swap every
// start (all six orders in any six consecutive starts); the modes take turns at every index.
// Chrome produces a code cache only for a script it has seen before, so the first start is
// cold and any code cache shows from the 2nd or 3rd: summaries are over starts 3..N. After
// each start the profile's `Code Cache/js` is searched for the scripts' entries: an entry of
// ≈0.2 KiB only marks the script as seen; compiled code is a separate, content-hashed blob.
//   node bench/worker-start-probe.mjs [--restarts 8] [--port 5291] [--modes a,b,c]
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { chromium } from '@playwright/test';
import { CHROME_PATH, CHROME_WEBGPU_FLAGS } from '../scripts/chrome-flags.mjs';
import { fmt, summarize } from './stats.mjs';
import { buildLibrary } from './warmup.mjs';

const MODES = {
  a: { name: 'no-cache + ETag', cacheControl: 'no-cache', etag: true },
  b: { name: 'max-age=1y, immutable', cacheControl: 'public, max-age=31536000, immutable', etag: false },
  c: { name: 'no-store', cacheControl: 'no-store', etag: false },
};
// Cross-origin isolation gives performance.now() 5 µs resolution, as in bench/run.mjs.
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };
const EMPTY_WORKER = 'postMessage({ origin: performance.timeOrigin, evaluated: performance.timeOrigin + performance.now() });\n';
// Messages that arrive while the worker's code loads are held and replayed to its listeners
// (Comlink's), so nothing depends on when Chrome starts delivering them.
const IMPORT_ENTRY = `const held = [];
const hold = (event) => { held.push(event); event.stopImmediatePropagation(); };
addEventListener('message', hold);
await import('./lib-worker.js');
removeEventListener('message', hold);
for (const event of held) dispatchEvent(new MessageEvent('message', { data: event.data, ports: [...event.ports] }));
`;

const RUNTIME_PAGE = `<!doctype html><meta charset="utf-8"><title>worker start probe: runtime</title>
<script type="module">
import { createRuntime } from './index.js';
window.probe = {
  async emptyWorker() {
    const t0 = performance.now();
    const e0 = performance.timeOrigin + t0;
    const worker = new Worker('./empty-worker.js', { type: 'module' });
    const data = await new Promise((resolve, reject) => {
      worker.onmessage = (event) => resolve(event.data);
      worker.onerror = () => reject(new Error('the empty worker failed to load'));
    });
    const message = performance.now() - t0;
    worker.terminate();
    return { message, origin: data.origin - e0, evaluated: data.evaluated - e0 };
  },
  async runtime(workerUrl) {
    const t0 = performance.now();
    const runtime = await createRuntime(workerUrl === undefined ? {} : { workerUrl });
    const resolved = performance.now() - t0;
    const startup = runtime.startup;
    await runtime.dispose();
    return { resolved, ...startup };
  },
  async browserVersion() {
    const { fullVersionList = [] } = await navigator.userAgentData?.getHighEntropyValues(['fullVersionList']) ?? {};
    const chromium = fullVersionList.find((b) => /Chrom/.test(b.brand));
    return chromium === undefined ? navigator.userAgent : \`\${chromium.brand} \${chromium.version}\`;
  },
};
window.probeReady = true;
</script>`;

const DEVICE_PAGE = `<!doctype html><meta charset="utf-8"><title>worker start probe: bare device</title>
<script type="module">
window.probe = {
  async bareDevice() {
    const t0 = performance.now();
    const adapter = await navigator.gpu.requestAdapter();
    if (adapter === null) throw new Error('no WebGPU adapter');
    const device = await adapter.requestDevice();
    const ms = performance.now() - t0;
    device.destroy();
    return { ms };
  },
};
window.probeReady = true;
</script>`;

function parseArgs(argv) {
  const option = (name, fallback) => {
    const at = argv.indexOf(`--${name}`);
    return at >= 0 && argv[at + 1] !== undefined ? argv[at + 1] : fallback;
  };
  const restarts = Number(option('restarts', 8));
  const port = Number(option('port', 5291));
  const modes = option('modes', 'a,b,c').split(',').map((m) => m.trim()).filter(Boolean);
  if (!(restarts >= 3) || !(port > 0) || modes.some((m) => !(m in MODES))) {
    console.error('usage: node bench/worker-start-probe.mjs [--restarts N≥3] [--port 5291] [--modes a,b,c]');
    process.exit(2);
  }
  return { restarts, port, modes };
}

/** What the server answers for `/<mode>/<file>`: the two pages, the empty worker, the bundle's files. */
function loadFiles(bundleDir) {
  const files = new Map([['runtime.html', RUNTIME_PAGE], ['device.html', DEVICE_PAGE], ['empty-worker.js', EMPTY_WORKER], ['import-entry.js', IMPORT_ENTRY]]);
  for (const name of readdirSync(bundleDir)) files.set(name, readFileSync(join(bundleDir, name), 'utf8'));
  // Its own URL: a code cache entry is keyed by URL, and (2) loads worker.js as a top-level script.
  files.set('lib-worker.js', files.get('worker.js'));
  return new Map([...files].map(([name, text]) => {
    const body = Buffer.from(text);
    return [name, { body, etag: `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"` }];
  }));
}

/**
 * A static server for every mode at once, under `/<mode>/`. Scripts get the mode's
 * Cache-Control; pages are always `no-cache`. `log` collects `file status` per request.
 */
function serveFiles(files, port) {
  const log = [];
  const server = createServer((request, response) => {
    const [, mode, name] = new URL(request.url ?? '/', 'http://x').pathname.split('/');
    if (mode === 'favicon.ico') {
      response.writeHead(204, ISOLATION).end();
      return;
    }
    const file = files.get(name ?? '');
    const config = MODES[mode ?? ''];
    if (file === undefined || config === undefined) {
      response.writeHead(404, ISOLATION).end();
      return;
    }
    const isPage = name.endsWith('.html');
    const headers = { ...ISOLATION, 'Content-Type': TYPES[extname(name)], 'Cache-Control': isPage ? 'no-cache' : config.cacheControl };
    if (isPage || config.etag) headers.ETag = file.etag;
    const notModified = headers.ETag !== undefined && request.headers['if-none-match'] === file.etag;
    log.push(`${mode}/${name} ${notModified ? 304 : 200}`);
    if (notModified) response.writeHead(304, headers).end();
    else response.writeHead(200, headers).end(file.body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve({ server, log }));
  });
}

const STEPS = ['runtime', 'emptyWorker', 'viaImport'];
/** Scripts whose code cache is reported after each start (index.js, a page module, as a check). */
const CACHED_SCRIPTS = ['worker.js', 'lib-worker.js', 'index.js'];
const STEP_LETTERS = { runtime: 'R', emptyWorker: 'E', viaImport: 'I' };

/** Start `index` (1-based): which page loads first, and the order of (2), (1), (4) in the runtime page. */
function orderOf(index) {
  const shift = Math.floor((index - 1) / 2) % STEPS.length;
  return { deviceFirst: index % 2 === 0, steps: [...STEPS.slice(shift), ...STEPS.slice(0, shift)] };
}

/** One page load: go to `url`, wait for the page's module, then `body(page)`. */
async function onPage(page, url, body) {
  await page.goto(url);
  await page.waitForFunction(() => window.probeReady === true, undefined, { timeout: 60_000 });
  return body(page);
}

/** One browser start on `profile`: both page loads in `order`, then close. */
async function browserStart(profile, baseUrl, order) {
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROME_PATH, headless: true, args: CHROME_WEBGPU_FLAGS });
  const errors = [];
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });
    const sample = {};
    const runtimePage = () => onPage(page, `${baseUrl}runtime.html`, async () => {
      sample.browser = await page.evaluate(() => window.probe.browserVersion());
      for (const step of order.steps) {
        sample[step] = await page.evaluate((name) => (name === 'viaImport' ? window.probe.runtime('./import-entry.js') : window.probe[name]()), step);
      }
    });
    const devicePage = () => onPage(page, `${baseUrl}device.html`, async () => {
      sample.bareDevice = (await page.evaluate(() => window.probe.bareDevice())).ms;
    });
    for (const load of order.deviceFirst ? [devicePage, runtimePage] : [runtimePage, devicePage]) await load();
    return { ...sample, errors };
  } catch (error) {
    throw new Error(`worker-start-probe: ${error instanceof Error ? error.message : String(error)}${errors.length ? `\n  ${errors.join('\n  ')}` : ''}`, { cause: error });
  } finally {
    await context.close();
  }
}

/** The profile's JS code cache: the bytes of every entry file (a missing folder: none). */
function readCodeCache(profile) {
  const dir = join(profile, 'Default', 'Code Cache', 'js');
  let names = [];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('_0'));
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    try {
      return [readFileSync(join(dir, name))];
    } catch {
      return [];
    }
  });
}

/**
 * KiB of V8 code cache the profile holds for each of `urls`: the entry keyed by the URL plus
 * the blob it names by SHA-256 (Chrome stores large code once, keyed by its hash).
 */
function codeCacheKiB(profile, urls) {
  const entries = readCodeCache(profile);
  return Object.fromEntries(Object.entries(urls).map(([name, url]) => {
    const entry = entries.find((bytes) => bytes.includes(`_key${url}`));
    if (entry === undefined) return [name, 0];
    const hash = entry.toString('latin1').match(/[0-9A-F]{64}/)?.[0];
    const blob = hash === undefined ? undefined : entries.find((bytes) => bytes !== entry && bytes.includes(hash));
    return [name, (entry.length + (blob?.length ?? 0)) / 1024];
  }));
}

/**
 * Every mode's starts, the modes taking turns at each start index (their order rotating),
 * each on its own fresh profile. `baseUrl(mode)` is where the mode's files are served.
 */
async function runStarts({ restarts, modes, baseUrl, log }) {
  const profiles = Object.fromEntries(modes.map((mode) => [mode, mkdtempSync(join(tmpdir(), `vyre-worker-start-${mode}-`))]));
  const samples = Object.fromEntries(modes.map((mode) => [mode, []]));
  try {
    for (let index = 1; index <= restarts; index++) {
      const turn = modes.map((_, i) => modes[(i + index - 1) % modes.length]);
      for (const mode of turn) {
        const order = orderOf(index);
        const from = log.length;
        const sample = await browserStart(profiles[mode], baseUrl(mode), order);
        const requests = log.slice(from).filter((line) => line.startsWith(`${mode}/`) && !line.includes('.html'));
        const cache = codeCacheKiB(profiles[mode], Object.fromEntries(CACHED_SCRIPTS.map((name) => [name, `${baseUrl(mode)}${name}`])));
        samples[mode].push({ index, order, requests, cache, ...sample });
        process.stderr.write(`start ${index}/${restarts}, mode ${mode}: createRuntime ${fmt(sample.runtime.resolved)}\n`);
      }
    }
  } finally {
    for (const profile of Object.values(profiles)) rmSync(profile, { recursive: true, force: true });
  }
  return samples;
}

const ms = (v) => (Number.isFinite(v) ? v.toFixed(1) : '–');
/** `worker.js 304` → `304`; no request at all (served from the HTTP cache without asking) → `cache`. */
const statusOf = (requests, name) => requests.find((r) => r.split(' ')[0].endsWith(`/${name}`))?.split(' ')[1] ?? 'cache';

/** Per start: order, the measurements, what the server saw and the code cache held after it. */
function printStarts(mode, rows) {
  console.log(`\nMode ${mode}: ${MODES[mode].name} — per start, ms since new Worker / createRuntime / requestAdapter`);
  console.log('order: D = bare-device page, then the runtime page: E = (1) empty worker, R = (2) createRuntime, I = (4) createRuntime via import-entry.js');
  console.log('requests: the server\'s answer to worker.js, lib-worker.js, index.js ("cache": not asked, served from Chrome\'s HTTP cache)');
  console.log(`| start | order | (1) empty: origin / evaluated / message | (2) resolved | workerScript | adapter | device | store | ready | (4) resolved | (4) workerScript | (3) bare device | requests | code cache after, KiB: ${CACHED_SCRIPTS.join(' / ')} |`);
  console.log('|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|');
  for (const s of rows) {
    const order = `${s.order.deviceFirst ? 'D ' : ''}${s.order.steps.map((step) => STEP_LETTERS[step]).join('')}${s.order.deviceFirst ? '' : ' D'}`;
    const { emptyWorker: e, runtime: r, viaImport: v } = s;
    const requests = CACHED_SCRIPTS.map((n) => statusOf(s.requests, n)).join(', ');
    const cache = CACHED_SCRIPTS.map((n) => s.cache[n].toFixed(1)).join(' / ');
    console.log(`| ${s.index} | ${order} | ${ms(e.origin)} / ${ms(e.evaluated)} / ${ms(e.message)} | ${ms(r.resolved)} | ${ms(r.workerScript)} | ${ms(r.adapter)} | ${ms(r.device)} | ${ms(r.store)} | ${ms(r.ready)} | ${ms(v.resolved)} | ${ms(v.workerScript)} | ${ms(s.bareDevice)} | ${requests} | ${cache} |`);
  }
}

const MEASURES = [
  ['(1) empty worker: first message', (s) => s.emptyWorker.message],
  ['(1) empty worker: script evaluated', (s) => s.emptyWorker.evaluated],
  ['(2) createRuntime: resolved', (s) => s.runtime.resolved],
  ['(2) createRuntime: workerScript', (s) => s.runtime.workerScript],
  ['(2) createRuntime: device (in worker)', (s) => s.runtime.device],
  ['(2) createRuntime: ready (in worker)', (s) => s.runtime.ready],
  ['(2) createRuntime: resolved − workerScript', (s) => s.runtime.resolved - s.runtime.workerScript],
  ['(4) via import-entry.js: resolved', (s) => s.viaImport.resolved],
  ['(4) via import-entry.js: workerScript', (s) => s.viaImport.workerScript],
  ['(4) via import-entry.js: resolved − workerScript', (s) => s.viaImport.resolved - s.viaImport.workerScript],
  ['(3) bare device (main thread)', (s) => s.bareDevice],
  ['(2) − (3) bare device (same start)', (s) => s.runtime.resolved - s.bareDevice],
  ['(4) − (3) bare device (same start)', (s) => s.viaImport.resolved - s.bareDevice],
  ['(2) workerScript − (1) evaluated (same start)', (s) => s.runtime.workerScript - s.emptyWorker.evaluated],
  ['(4) workerScript − (1) evaluated (same start)', (s) => s.viaImport.workerScript - s.emptyWorker.evaluated],
];

/** Medians and p95 over starts 3..N, one column per mode. */
function printSummary(samples, restarts) {
  const modes = Object.keys(samples);
  console.log(`\nSummary over starts 3..${restarts} (n = ${restarts - 2} per mode): median / p95, ms`);
  console.log(`| measurement | ${modes.map((m) => `(${m}) ${MODES[m].name}`).join(' | ')} |`);
  console.log(`|---|${modes.map(() => '---:').join('|')}|`);
  for (const [name, pick] of MEASURES) {
    const cells = modes.map((m) => {
      const s = summarize(samples[m].filter((x) => x.index >= 3).map(pick));
      return `${ms(s.median)} / ${ms(s.p95)}`;
    });
    console.log(`| ${name} | ${cells.join(' | ')} |`);
  }
  const errors = modes.flatMap((m) => samples[m].flatMap((s) => s.errors.map((e) => `(${m}) start ${s.index}: ${e}`)));
  if (errors.length) console.log(`\nbrowser errors:\n  ${errors.join('\n  ')}`);
}

async function main() {
  const { restarts, port, modes } = parseArgs(process.argv.slice(2));
  const bundleDir = mkdtempSync(join(tmpdir(), 'vyre-worker-start-lib-'));
  try {
    const built = await buildLibrary(bundleDir);
    const files = loadFiles(bundleDir);
    const { server, log } = await serveFiles(files, port);
    try {
      const baseUrl = (mode) => `http://127.0.0.1:${port}/${mode}/`;
      const started = performance.now();
      const samples = await runStarts({ restarts, modes, baseUrl, log });
      const first = samples[modes[0]][0];
      console.log(`worker start probe: ${first.browser}, headless, flags as the warmup suite`);
      console.log(`bundle built in ${built.seconds.toFixed(1)} s: worker.js ${(files.get('worker.js').body.length / 1024).toFixed(0)} KiB, index.js ${(files.get('index.js').body.length / 1024).toFixed(0)} KiB; ${restarts} starts per mode in ${((performance.now() - started) / 1000).toFixed(0)} s`);
      for (const mode of modes) printStarts(mode, samples[mode]);
      printSummary(samples, restarts);
    } finally {
      server.close();
    }
  } finally {
    rmSync(bundleDir, { recursive: true, force: true });
  }
}

await main();
