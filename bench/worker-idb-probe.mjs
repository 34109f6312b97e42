// Issue #14: what does a worker's start cost on this machine with nothing of vyre-web in it?
// The page's own bare requestAdapter() + requestDevice() (the baseline of the goal), and a
// hand-written module worker that only asks for the GPU adapter and device, or only opens
// an IndexedDB database, or does both at once (as createRuntime's worker does), timed from
// `new Worker()` on the page (after the page has loaded and sat idle --idle ms). Each mode gets a
// fresh profile: a cold start, then a browser restart on the same profile.
//   node bench/worker-idb-probe.mjs [--rounds 6] [--idle 300] [--port 5398]
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { CHROME_PATH, CHROME_WEBGPU_FLAGS } from '../scripts/chrome-flags.mjs';

const option = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};
const ROUNDS = option('rounds', 6);
const PORT = option('port', 5398);
const IDLE_MS = option('idle', 300);
const MODES = ['main thread: gpu', 'gpu', 'idb', 'gpu+idb'];

const WORKER = `
const mark = () => performance.timeOrigin + performance.now();
const out = { began: mark() };
const gpu = self.name.includes('gpu') ? (async () => {
  const adapter = await navigator.gpu.requestAdapter();
  out.adapter = mark();
  await adapter.requestDevice();
  out.device = mark();
})() : Promise.resolve();
const idb = self.name.includes('idb') ? new Promise((resolve, reject) => {
  const request = indexedDB.open('probe-db', 1);
  request.onupgradeneeded = () => request.result.createObjectStore('s');
  request.onsuccess = () => { out.idb = mark(); resolve(); };
  request.onerror = () => reject(request.error);
}) : Promise.resolve();
Promise.all([gpu, idb]).then(() => self.postMessage(out));`;

const PAGE = `<!doctype html><script type="module">
window.go = async (mode) => {
  const called = performance.timeOrigin + performance.now();
  if (mode.startsWith('main')) {
    const adapter = await navigator.gpu.requestAdapter();
    const atAdapter = performance.timeOrigin + performance.now();
    await adapter.requestDevice();
    window.result = { adapter: atAdapter - called, device: performance.timeOrigin + performance.now() - called };
    return;
  }
  const worker = new Worker('worker.js', { type: 'module', name: mode });
  worker.onmessage = (event) => {
    window.result = Object.fromEntries(Object.entries(event.data).map(([step, at]) => [step, at - called]));
  };
};
</script>`;

const server = createServer((request, response) => {
  const isWorker = request.url?.startsWith('/worker.js');
  response.writeHead(200, { 'content-type': isWorker ? 'text/javascript' : 'text/html', 'cache-control': 'no-cache' });
  response.end(isWorker ? WORKER : PAGE);
}).listen(PORT);

const rows = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const mode of MODES) {
    const profile = mkdtempSync(join(tmpdir(), 'vyre-worker-idb-probe-'));
    try {
      for (const start of ['cold', 'restart']) {
        const context = await chromium.launchPersistentContext(profile, { executablePath: CHROME_PATH, args: CHROME_WEBGPU_FLAGS, headless: true });
        const page = context.pages()[0] ?? (await context.newPage());
        await page.goto(`http://localhost:${PORT}/`);
        await page.waitForTimeout(IDLE_MS);
        await page.evaluate((name) => window.go(name), mode);
        await page.waitForFunction(() => window.result, null, { timeout: 60_000 });
        rows.push({ mode, start, ...(await page.evaluate(() => window.result)) });
        await context.close();
      }
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
  }
}
server.close();

const median = (values) => {
  const sorted = values.filter((value) => value !== undefined).sort((a, b) => a - b);
  return sorted.length === 0 ? '–' : `${sorted[Math.floor((sorted.length - 1) / 2)].toFixed(1)} ms`;
};
console.log(`Worker start with nothing of vyre-web: ms from new Worker() (medians of ${ROUNDS})`);
console.log('| worker does | start | script began | adapter | device | IndexedDB open |');
console.log('|---|---|---:|---:|---:|---:|');
for (const mode of MODES) {
  for (const start of ['cold', 'restart']) {
    const mine = rows.filter((row) => row.mode === mode && row.start === start);
    console.log(`| ${mode} | ${start} | ${['began', 'adapter', 'device', 'idb'].map((step) => median(mine.map((row) => row[step]))).join(' | ')} |`);
  }
}
