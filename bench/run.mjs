// The benchmark command (npm run bench): prints tables and writes bench-results/*.json.
//   npm run bench [-- --only <suite>] [--repetitions 30]
// Suites:
//   ir-costs       digest, validation and lowering of 100 / 1,000 / 10,000-node programs (Node, V8)
//   compile-tiers  compile latency per tier over the kernel library, in the worker and from
//                  the main thread, beside raw createComputePipelineAsync (headless Chrome)
//   store-lookup   persistent-tier lookups with 10,000 records (headless Chrome, IndexedDB)
// Timings are medians and p95 over the repetitions; the machine is named in the output.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, hostname } from 'node:os';
import { chromium } from '@playwright/test';
import { createServer } from 'vite';
import { CHROME_PATH, CHROME_WEBGPU_FLAGS } from '../scripts/chrome-flags.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && args[at + 1] !== undefined ? args[at + 1] : fallback;
};
const only = option('only', undefined);
const repetitions = Number(option('repetitions', 30));
const wants = (suite) => !only || only === suite;
const machine = `${hostname()}: ${cpus().length}× ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`;
const results = { machine, date: new Date().toISOString(), repetitions, suites: {} };

const fmt = (ms) => (!Number.isFinite(ms) ? '–' : ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`);
function summarize(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  return { n: sorted.length, median: at(0.5), p95: at(0.95) };
}
function printSamples(title, samples) {
  console.log(`\n${title}`);
  console.log('| measurement | n | median | p95 |');
  console.log('|---|---:|---:|---:|');
  const summary = {};
  for (const [name, values] of Object.entries(samples)) {
    const s = summarize(values);
    summary[name] = s;
    console.log(`| ${name} | ${s.n} | ${fmt(s.median)} | ${fmt(s.p95)} |`);
  }
  return summary;
}

// Cross-origin isolation gives performance.now() 5 µs resolution instead of 100 µs.
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
const server = await createServer({ configFile: 'vite.config.ts', logLevel: 'error', server: { port: 0, hmr: false, watch: null, headers: ISOLATION } });
await server.listen();
try {
  if (wants('ir-costs')) {
    const { measureIrCosts } = await server.ssrLoadModule('/bench/ir-costs.ts');
    const rows = measureIrCosts([100, 1000, 10_000], repetitions);
    results.suites['ir-costs'] = rows;
    console.log(`\nIR program costs on ${machine} (${repetitions} runs each; median / p95)`);
    console.log('| nodes | digest | validate | lower to WGSL |');
    console.log('|---:|---:|---:|---:|');
    for (const row of rows) {
      console.log(`| ${row.nodes} | ${fmt(row.digest.median)} / ${fmt(row.digest.p95)} | ${fmt(row.validate.median)} / ${fmt(row.validate.p95)} | ${fmt(row.lower.median)} / ${fmt(row.lower.p95)} |`);
    }
    console.log('goals (issue #3, 10,000 nodes): digest ≤ 5 ms, lower ≤ 20 ms');
  }
  if (wants('compile-tiers') || wants('store-lookup')) {
    const browser = await chromium.launch({ executablePath: CHROME_PATH, headless: true, args: CHROME_WEBGPU_FLAGS });
    try {
      const page = await browser.newPage();
      await page.goto(new URL('bench/bench.html', server.resolvedUrls.local[0]).href);
      await page.waitForFunction(() => window.benchReady === true, undefined, { timeout: 60_000 });
      const browserVersion = browser.version();
      const isolated = await page.evaluate(() => self.crossOriginIsolated);
      console.log(`\nbrowser page cross-origin isolated (5 µs timers): ${isolated}`);
      if (wants('compile-tiers')) {
        const { samples, device } = await page.evaluate((r) => window.bench.compileTiers(r), repetitions);
        results.suites['compile-tiers'] = { device, browser: browserVersion, summary: printSamples(`Compile latency per tier, 13 kernels (Chrome ${browserVersion}, ${device}; memory tier ×${repetitions})`, samples), samples };
        console.log('goals (issue #4): memory-tier compile ≤ 50 µs median in the worker, ≤ 0.5 ms from the main thread');
      }
      if (wants('store-lookup')) {
        const { samples, stored } = await page.evaluate(() => window.bench.storeLookup(10_000, 200));
        results.suites['store-lookup'] = { browser: browserVersion, stored, summary: printSamples(`Persistent store holding ${stored} records (Chrome ${browserVersion}, IndexedDB)`, samples), samples };
        console.log('goal (issue #4): lookup ≤ 2 ms median at 10,000 records');
      }
    } finally {
      await browser.close();
    }
  }
} finally {
  await server.close();
}
mkdirSync('bench-results', { recursive: true });
const file = `bench-results/bench-${Date.now()}.json`;
writeFileSync(file, JSON.stringify(results, null, 2));
console.log(`\nmachine: ${machine}\nwrote ${file}`);
