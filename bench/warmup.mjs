// The `warmup` suite of the benchmark command: cache warmup as a user meets it, in headless
// Chrome driven by Playwright, with real browser restarts on one profile.
//
// Per repetition, two fresh profiles (temporary user-data dirs):
//   raw profile    raw WebGPU cold → restart → restart with app start-up work
//   vyre profile   cold (+ warm in the same page) → restart → restart without prewarm,
//                  with app work → restart with prewarmOnStart, with app work
//                  (the last two swap places every other repetition)
// Each start loads the same page from the same server (same origin, so IndexedDB and
// Chrome's shader cache survive the restart) and runs one app: start, compile the first
// kernel (saxpy), dispatch it once (first result), compile the other 12 (all compiled).
// The raw baseline runs in its own profile: in the vyre profile Chrome's shader cache
// would already hold every shader, and "cold" would not be cold.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { build } from 'vite';
import { CHROME_PATH, CHROME_WEBGPU_FLAGS } from '../scripts/chrome-flags.mjs';
import { fmt, summarize } from './stats.mjs';

export const WARMUP_SCENARIOS = ['cold', 'warm', 'restart', 'prewarm', 'raw'];

/**
 * Builds the library from src/ into `outDir` as an app's production build ships it: one
 * main-thread module and one self-contained, minified module worker. Measuring the source
 * modules through the dev server instead would charge createRuntime for ~60 separate
 * module requests in the new worker (about 3× the start-up time of the bundle).
 * @returns the file names to import, relative to `outDir`
 */
export async function buildLibrary(outDir) {
  const startedAt = performance.now();
  await build({
    configFile: false,
    root: process.cwd(),
    base: './',
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, target: 'es2022', minify: true, sourcemap: false, lib: { entry: 'src/index.ts', formats: ['es'], fileName: () => 'index.js' } },
    worker: { format: 'es', rolldownOptions: { output: { entryFileNames: 'worker.js' } } },
  });
  return { entry: 'index.js', seconds: (performance.now() - startedAt) / 1000 };
}

/**
 * @param {object} options
 * @param {string} options.pageUrl - the bench page, served by the one Vite server of this run
 * @param {number} options.repetitions - browser-start cycles per scenario
 * @param {readonly string[]} options.scenarios - which of WARMUP_SCENARIOS to report
 * @param {string | null} [options.libraryUrl] - the built library's entry (see buildLibrary), or null for src/ through the dev server
 * @param {string} [options.library] - a name for it in the output ('bundle' or 'src')
 * @param {number} [options.appWorkMs] - simulated app start-up work (main thread, busy)
 * @returns the suite's JSON: machine, every run with all its samples, the summary rows, checks
 */
export async function runWarmup({ pageUrl, libraryUrl = null, library = 'src', repetitions, scenarios, appWorkMs = 100 }) {
  const wants = (scenario) => scenarios.includes(scenario);
  const runs = [];
  const facts = { cpu: `${cpus().length}× ${cpus()[0]?.model ?? 'unknown CPU'}`, browser: undefined, userAgent: undefined, crossOriginIsolated: undefined, adapter: undefined, rawAdapter: undefined };
  const consoleMessages = [];
  const started = performance.now();

  /** One browser start on `profile`: loads the page, runs `body(page)`, closes the browser. */
  async function start(profile, label, body) {
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROME_PATH, headless: true, args: CHROME_WEBGPU_FLAGS });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      page.on('console', (message) => {
        if (message.type() === 'warning' || message.type() === 'error') consoleMessages.push(`${label}: ${message.type()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => consoleMessages.push(`${label}: page error: ${error.message}`));
      await page.goto(pageUrl);
      await page.waitForFunction(() => window.benchReady === true, undefined, { timeout: 60_000 });
      // Loaded before any clock starts, like an app's own script.
      await page.evaluate((url) => window.bench.useLibrary(url), libraryUrl);
      if (facts.browser === undefined) {
        const seen = await page.evaluate(() => window.bench.browserFacts());
        facts.browser = seen.browser;
        facts.userAgent = seen.userAgent;
        facts.crossOriginIsolated = seen.crossOriginIsolated;
      }
      return await body(page);
    } catch (error) {
      const seen = consoleMessages.filter((m) => m.startsWith(`${label}: `));
      throw new Error(`warmup, ${label}: ${error instanceof Error ? error.message : String(error)}${seen.length ? `\nbrowser console:\n  ${seen.join('\n  ')}` : ''}`, { cause: error });
    } finally {
      await context.close();
    }
  }
  const record = (rep, scenario, variant, run, extra = {}) => runs.push({ repetition: rep, scenario, variant, ...extra, ...run });

  for (let rep = 0; rep < repetitions; rep++) {
    if (wants('raw')) {
      const profile = mkdtempSync(join(tmpdir(), 'vyre-bench-raw-'));
      try {
        for (const [variant, work] of [['cold', 0], ['restart', 0], ['restart + app work', appWorkMs]]) {
          const run = await start(profile, `raw ${variant} #${rep}`, (page) => page.evaluate((ms) => window.bench.rawWebGpu({ appWorkMs: ms }), work));
          facts.rawAdapter ??= run.device;
          record(rep, 'raw', variant, run, { appWorkMs: work });
        }
      } finally {
        rmSync(profile, { recursive: true, force: true });
      }
    }
    if (wants('cold') || wants('warm') || wants('restart') || wants('prewarm')) {
      const profile = mkdtempSync(join(tmpdir(), 'vyre-bench-warmup-'));
      const dbName = `vyre-bench-warmup-${rep}`;
      // The first kernel's place in the stored working set when the next start begins.
      let position;
      const vyreStart = (label, options, body) =>
        start(profile, `${label} #${rep}`, async (page) => {
          const run = await page.evaluate((o) => window.bench.startRuntime(o), { dbName, ...options });
          facts.adapter ??= run.device;
          const more = body ? await body(page) : undefined;
          const before = position;
          position = await page.evaluate(() => window.bench.workingSetPosition());
          await page.evaluate(() => window.bench.closeRuntime());
          return { run, more, positionAtStart: before };
        });
      try {
        // Cold (always: the later scenarios need its stored artifacts), then warm in the same page.
        const cold = await vyreStart('cold', { prewarmOnStart: false, appWorkMs: 0, expected: ['compiled'] }, (page) =>
          wants('warm') ? page.evaluate(() => window.bench.warmInPage()) : undefined);
        if (wants('cold')) record(rep, 'cold', 'cold', cold.run);
        if (wants('warm')) record(rep, 'warm', 'warm in page', cold.more);
        if (wants('restart')) {
          const restart = await vyreStart('restart', { prewarmOnStart: false, appWorkMs: 0, expected: ['persistent'] });
          record(rep, 'restart', 'restart', restart.run);
        }
        if (wants('prewarm')) {
          const order = rep % 2 === 0 ? [false, true] : [true, false];
          for (const prewarmOnStart of order) {
            const variant = prewarmOnStart ? 'restart + app work, prewarmOnStart' : 'restart + app work, no prewarm';
            const { run, positionAtStart } = await vyreStart(variant, { prewarmOnStart, appWorkMs, expected: ['memory', 'persistent'] });
            record(rep, 'prewarm', variant, run, { appWorkMs, firstKernelWorkingSetPosition: positionAtStart });
          }
        }
      } finally {
        rmSync(profile, { recursive: true, force: true });
      }
    }
  }
  const wallSeconds = (performance.now() - started) / 1000;
  const rows = summaryRows(runs);
  const checks = checksOf(runs);
  return { machine: facts, library, repetitions, appWorkMs, scenarios, wallSeconds, rows, checks, consoleMessages, runs };
}

/** Every measurement of the table: which runs, which number, and its baseline. */
const ROWS = [
  // [scenario, variant, label of the variant, baseline variant (raw) or null]
  ['raw', 'cold', 'raw WebGPU, cold (fresh profile)', null],
  ['cold', 'cold', 'vyre-web, cold (fresh profile)', ['raw', 'cold']],
  ['warm', 'warm in page', 'vyre-web, warm in page (memory tier)', ['raw', 'cold']],
  ['raw', 'restart', 'raw WebGPU, after restart', ['raw', 'cold']],
  ['restart', 'restart', 'vyre-web, after restart (persistent tier)', ['raw', 'restart']],
  ['raw', 'restart + app work', 'raw WebGPU, after restart + app work', ['raw', 'restart']],
  ['prewarm', 'restart + app work, no prewarm', 'vyre-web, after restart + app work, no prewarm', ['raw', 'restart + app work']],
  ['prewarm', 'restart + app work, prewarmOnStart', 'vyre-web, after restart + app work, prewarmOnStart', ['raw', 'restart + app work'], ['prewarm', 'restart + app work, no prewarm']],
];
const MEASUREMENTS = [
  ['startup', 'start (createRuntime / requestAdapter+requestDevice)', (run) => (run.startup > 0 ? [run.startup] : [])],
  ['firstResult', 'time to first result', (run) => [run.firstResult]],
  ['allCompiled', 'time to all 13 compiled', (run) => [run.allCompiled]],
  ['perPipeline', 'compile, per pipeline (main thread)', (run) => run.pipelines.map((p) => p.ms)],
];
const BASELINE_NAMES = { cold: 'raw cold', restart: 'raw after restart', 'restart + app work': 'raw after restart + app work', 'restart + app work, no prewarm': 'without prewarm' };

function summaryRows(runs) {
  const samplesOf = (scenario, variant, pick) => runs.filter((r) => r.scenario === scenario && r.variant === variant).flatMap(pick);
  const rows = [];
  for (const [scenario, variant, label, baseline, second] of ROWS) {
    for (const [key, measurement, pick] of MEASUREMENTS) {
      const samples = samplesOf(scenario, variant, pick);
      if (samples.length === 0) continue;
      const s = summarize(samples);
      const ratios = [];
      for (const base of [baseline, second]) {
        if (!base) continue;
        const b = summarize(samplesOf(base[0], base[1], pick));
        if (b.n > 0) ratios.push({ against: BASELINE_NAMES[base[1]], ratio: s.median / b.median });
      }
      rows.push({ scenario, variant, label, measurement: key, name: measurement, ...s, isBaseline: baseline === null, ratios });
    }
  }
  return rows;
}

function checksOf(runs) {
  const vyre = runs.filter((r) => r.scenario !== 'raw');
  const byVariant = {};
  for (const run of vyre) {
    const v = (byVariant[run.variant] ??= { runs: 0, allExpectedTiers: 0, unexpected: [] });
    v.runs++;
    if (run.unexpectedTiers.length === 0) v.allExpectedTiers++;
    else v.unexpected.push(`#${run.repetition}: ${run.unexpectedTiers.join(', ')}`);
  }
  const prewarmed = runs.filter((r) => r.variant === 'restart + app work, prewarmOnStart');
  return {
    tiers: byVariant,
    wrongResults: runs.filter((r) => !r.resultOk).map((r) => `${r.variant} #${r.repetition}`),
    storage: [...new Set(vyre.filter((r) => r.storage !== undefined).map((r) => (r.storage.mode === 'persistent' ? 'persistent' : `memory-only (${r.storage.reason})`)))],
    prewarm: prewarmed.map((r) => ({
      repetition: r.repetition,
      firstKernelTier: r.pipelines[0]?.tier,
      memoryTierKernels: r.pipelines.filter((p) => p.tier === 'memory').length,
      startupPrewarmed: r.cacheSnapshot?.counters.startupPrewarmed,
      firstKernelWorkingSetPosition: r.firstKernelWorkingSetPosition,
    })),
  };
}

/** Prints the suite's table and checks (markdown). */
export function printWarmup(result) {
  const { machine, library, repetitions, appWorkMs, rows, checks } = result;
  console.log(`\nCache warmup, 13 kernels, ${repetitions} browser-start cycles per scenario (median / p95 over runs; ratios of medians); vyre-web ${library === 'bundle' ? 'as a production bundle' : 'from src/ through the dev server'}`);
  console.log(`machine: ${machine.cpu}; ${machine.browser ?? 'browser ?'} (headless); adapter: ${machine.adapter ?? machine.rawAdapter ?? '?'}; cross-origin isolated: ${machine.crossOriginIsolated}`);
  console.log('| scenario | measurement | n | median | p95 | ratio |');
  console.log('|---|---|---:|---:|---:|---|');
  for (const row of rows) {
    const ratio = row.isBaseline ? 'baseline' : row.ratios.length === 0 ? '– (its baseline did not run)' : row.ratios.map((r) => `${r.ratio.toFixed(2)}× ${r.against}`).join('; ');
    console.log(`| ${row.label} | ${row.name} | ${row.n} | ${fmt(row.median)} | ${fmt(row.p95)} | ${ratio} |`);
  }
  if (rows.some((row) => row.variant.includes('app work'))) console.log(`app work: ${appWorkMs} ms of busy main thread between calling createRuntime (or requestAdapter) and awaiting it.`);
  for (const [variant, t] of Object.entries(checks.tiers)) {
    const line = `tiers, ${variant}: as expected in ${t.allExpectedTiers}/${t.runs} runs`;
    console.log(t.unexpected.length ? `${line} — NOT as expected: ${t.unexpected.join(' | ')}` : line);
  }
  if (checks.wrongResults.length) console.log(`WRONG first result in: ${checks.wrongResults.join(', ')}`);
  else console.log('first results: all correct (y = 2x + y, exact)');
  if (checks.storage.length) console.log(`vyre-web storage mode: ${checks.storage.join(', ')}`);
  for (const p of checks.prewarm) {
    console.log(`prewarm #${p.repetition}: saxpy served by ${p.firstKernelTier}, ${p.memoryTierKernels}/13 kernels from memory, ${p.startupPrewarmed} prewarmed; saxpy was #${(p.firstKernelWorkingSetPosition?.position ?? -2) + 1} of ${p.firstKernelWorkingSetPosition?.of ?? '?'} in the replay order`);
  }
  if (result.consoleMessages.length) console.log(`browser console: ${result.consoleMessages.length} warnings/errors (in the JSON); first: ${result.consoleMessages[0]}`);
  console.log(`suite wall time: ${result.wallSeconds.toFixed(0)} s`);
}
