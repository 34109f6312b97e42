// The `warmup` suite of the benchmark command: cache warmup as a user meets it, in headless
// Chrome driven by Playwright, with real browser restarts on one profile.
//
// Two apps (bench/browser/warmup-workloads.ts): the kernel library (13 small kernels) and
// the compile-heavy WGSL shaders. Per repetition, fresh profiles (temporary user-data dirs):
//   raw profile     kernels, raw WebGPU: cold → restart → restart with app start-up work
//   raw worker      the same, raw WebGPU in a dedicated worker (bench/browser/raw-worker.ts)
//   vyre profile    kernels: cold (+ warm in the same page) → restart → restart without
//                   prewarm, with app work → restart with prewarmOnStart, with app work
//                   (the last two swap places every other repetition)
//   heavy raw       heavy shaders, raw WebGPU: cold → restart with (more) app work
//   heavy raw worker  the same in a worker
//   heavy vyre      heavy shaders: cold → restart without prewarm, with app work → restart
//                   with prewarmOnStart, with app work (swapping like the kernels')
// Each start loads the same page from the same server (same origin, so IndexedDB and
// Chrome's shader cache survive the restart) and runs one app: start, compile the first
// program, dispatch it once (first result), compile the others (all compiled).
// Raw baselines run in their own profiles: in a vyre profile Chrome's shader cache would
// already hold every shader, and "cold" would not be cold.
// The tables are bench/warmup-report.mjs.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { build as esbuild } from 'esbuild';
import { build } from 'vite';
import { CHROME_PATH, CHROME_WEBGPU_FLAGS } from '../scripts/chrome-flags.mjs';
import { workerOutput } from '../scripts/worker-chunks.mjs';
import { checksOf, compileBreakdown, firstResultBreakdown, goalRows, startupBreakdown, summaryRows } from './warmup-report.mjs';
import { traceStart } from './start-trace.mjs';

/**
 * `raw` is the kernels' raw baseline; `raw-worker` the same in a worker, for both apps (the
 * floor of a worker-owned device); `heavy` runs vyre-web and raw WebGPU on the heavy shaders.
 */
export const WARMUP_SCENARIOS = ['cold', 'warm', 'restart', 'prewarm', 'raw', 'raw-worker', 'heavy'];

/**
 * Builds the library from src/ into `outDir` as an app's production build ships it: one
 * main-thread module and a minified module worker, whose compile path is a chunk beside it
 * (pipeline/compile-path.ts), or inside it with `workerInOneFile`. Measuring the source
 * modules through the dev server instead would charge createRuntime for ~60 separate
 * module requests in the new worker (about 3× the start-up time of the bundle).
 * @returns the file names to import, relative to `outDir`
 */
export async function buildLibrary(outDir, { workerInOneFile = false } = {}) {
  const startedAt = performance.now();
  await build({
    configFile: false,
    root: process.cwd(),
    base: './',
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, target: 'es2022', minify: true, sourcemap: false, lib: { entry: 'src/index.ts', formats: ['es'], fileName: () => 'index.js' } },
    // As scripts/build-lib.mjs lays them out (scripts/worker-chunks.mjs): the worker's chunks beside it, in one folder (the static server serves one).
    worker: { format: 'es', rolldownOptions: { output: workerOutput({ inOneFile: workerInOneFile }) } },
  });
  // The raw-in-a-worker baseline's script, minified and served beside the library like it.
  await esbuild({ entryPoints: ['bench/browser/raw-worker.ts'], outfile: join(outDir, 'raw-worker.js'), bundle: true, format: 'esm', minify: true, target: 'es2022', logLevel: 'warning' });
  return { entry: 'index.js', rawWorker: 'raw-worker.js', seconds: (performance.now() - startedAt) / 1000 };
}

/**
 * @param {object} options
 * @param {string} options.pageUrl - the bench page, served by the one Vite server of this run
 * @param {number} options.repetitions - browser-start cycles per scenario
 * @param {readonly string[]} options.scenarios - which of WARMUP_SCENARIOS to report
 * @param {string | null} [options.libraryUrl] - the built library's entry (see buildLibrary), or null for src/ through the dev server
 * @param {string | null} [options.rawWorkerUrl] - the raw worker's built script beside it, or null for the dev server's
 * @param {string} [options.library] - a name for it in the output ('bundle' or 'src')
 * @param {number} [options.appWorkMs] - simulated app start-up work (main thread, busy), kernels app
 * @param {number} [options.heavyAppWorkMs] - the same for the heavy app, whose goal is stated with 300 ms
 * @param {number} [options.appWorkTaskMs] - app work cut into tasks of this many ms with yields between (0: one block)
 * @param {number} [options.appYieldMs] - idle ms between the start call and the app work (0: none)
 * @param {string} [options.traceStarts] - a RegExp source: the starts whose label matches are traced (bench/start-trace.mjs)
 * @returns the suite's JSON: machine, every run with all its samples, the tables, checks
 */
export async function runWarmup({ pageUrl, libraryUrl = null, rawWorkerUrl = null, library = 'src', repetitions, scenarios, appWorkMs = 100, heavyAppWorkMs = 300, appWorkTaskMs = 0, appYieldMs = 0, traceStarts = undefined }) {
  const wants = (scenario) => scenarios.includes(scenario);
  const runs = [];
  const facts = { cpu: `${cpus().length}× ${cpus()[0]?.model ?? 'unknown CPU'}`, browser: undefined, userAgent: undefined, crossOriginIsolated: undefined, adapter: undefined, rawAdapter: undefined };
  const consoleMessages = [];
  const started = performance.now();
  const start = browserStarts({ pageUrl, libraryUrl, rawWorkerUrl, appWorkTaskMs, appYieldMs, traceStarts, facts, consoleMessages });
  const record = (repetition, scenario, variant, run, extra = {}) => {
    if (scenario === 'raw' || scenario === 'raw-worker') facts.rawAdapter ??= run.device;
    else facts.adapter ??= run.device;
    runs.push({ repetition, scenario, variant, ...extra, ...run });
  };
  for (let rep = 0; rep < repetitions; rep++) {
    const kernelsSteps = [['cold', 0], ['restart', 0], ['restart + app work', appWorkMs]];
    const heavySteps = [['cold', 0], ['restart + app work', heavyAppWorkMs]];
    if (wants('raw')) await rawCycle(start, rep, 'kernels', kernelsSteps, record);
    if (wants('raw-worker')) await rawCycle(start, rep, 'kernels', kernelsSteps, record, 'raw-worker');
    if (wants('cold') || wants('warm') || wants('restart') || wants('prewarm')) await kernelsCycle(start, rep, wants, appWorkMs, record);
    if (wants('heavy')) await rawCycle(start, rep, 'heavy', heavySteps, record);
    if (wants('raw-worker')) await rawCycle(start, rep, 'heavy', heavySteps, record, 'raw-worker');
    if (wants('heavy')) await heavyCycle(start, rep, heavyAppWorkMs, record);
  }
  const wallSeconds = (performance.now() - started) / 1000;
  const settings = { appWorkMs, heavyAppWorkMs, appWorkTaskMs };
  return {
    machine: facts, library, repetitions, appWorkMs, heavyAppWorkMs, appWorkTaskMs, appYieldMs, scenarios, wallSeconds,
    heavyShaders: runs.find((run) => run.workload === 'heavy')?.pipelines.map((p) => p.name) ?? [],
    rows: summaryRows(runs, settings), goals: goalRows(runs, settings), floor: goalRows(runs, settings, { inWorker: true }), breakdown: startupBreakdown(runs, settings), compiles: compileBreakdown(runs, settings), firstResults: firstResultBreakdown(runs, settings), checks: checksOf(runs),
    consoleMessages, runs,
  };
}

/**
 * @returns `start(profile, label, body)`: one browser start on `profile` that loads the
 *   page and the library, runs `body(page)` and closes the browser, whatever happens.
 */
function browserStarts({ pageUrl, libraryUrl, rawWorkerUrl, appWorkTaskMs, appYieldMs, traceStarts, facts, consoleMessages }) {
  return async function start(profile, label, body) {
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
      await page.evaluate((url) => window.bench.setRawWorkerUrl(url), rawWorkerUrl);
      await page.evaluate((taskMs) => window.bench.setAppWorkTasks(taskMs), appWorkTaskMs);
      await page.evaluate((ms) => window.bench.setAppYield(ms), appYieldMs);
      if (facts.browser === undefined) {
        const seen = await page.evaluate(() => window.bench.browserFacts());
        facts.browser = seen.browser;
        facts.userAgent = seen.userAgent;
        facts.crossOriginIsolated = seen.crossOriginIsolated;
      }
      const stopTrace = await traceStart(context, page, label, traceStarts);
      const answer = await body(page);
      await stopTrace();
      return answer;
    } catch (error) {
      const seen = consoleMessages.filter((m) => m.startsWith(`${label}: `));
      throw new Error(`warmup, ${label}: ${error instanceof Error ? error.message : String(error)}${seen.length ? `\nbrowser console:\n  ${seen.join('\n  ')}` : ''}`, { cause: error });
    } finally {
      await context.close();
    }
  };
}

/** A fresh profile for `body(profile)`, removed afterwards. */
async function withProfile(prefix, body) {
  const profile = mkdtempSync(join(tmpdir(), prefix));
  try {
    return await body(profile);
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/**
 * Raw WebGPU starts of one app on one fresh profile: `[variant, app work ms]` in order, on the
 * page's main thread (`raw`) or in a worker (`raw-worker`).
 */
function rawCycle(start, rep, workload, steps, record, scenario = 'raw') {
  return withProfile(`vyre-bench-${scenario}-${workload}-`, async (profile) => {
    for (const [variant, appWorkMs] of steps) {
      const options = { workload, appWorkMs };
      const run = await start(profile, `${scenario} ${workload} ${variant} #${rep}`, (page) =>
        scenario === 'raw' ? page.evaluate((o) => window.bench.rawWebGpu(o), options) : page.evaluate((o) => window.bench.rawWebGpuInWorker(o), options));
      record(rep, scenario, variant, run, { appWorkMs });
    }
  });
}

/**
 * vyre-web starts on one fresh profile and database: `body(vyreStart)`, where
 * `vyreStart(label, options, more)` runs one start (createRuntime, the app, then
 * `more(page)` if given) and says where the first program stood by recency when it began.
 */
function withVyreProfile(start, prefix, dbName, body) {
  return withProfile(prefix, async (profile) => {
    let position;
    const vyreStart = (label, options, more) =>
      start(profile, label, async (page) => {
        const run = await page.evaluate((o) => window.bench.startRuntime(o), { dbName, ...options });
        const extra = more ? await more(page) : undefined;
        const before = position;
        position = await page.evaluate(() => window.bench.workingSetPosition());
        await page.evaluate(() => window.bench.closeRuntime());
        return { run, more: extra, positionAtStart: before };
      });
    return body(vyreStart);
  });
}

/** Two restarts with app work, without and with prewarmOnStart; their order swaps every other repetition. */
async function prewarmPair(vyreStart, rep, workload, scenario, appWorkMs, record) {
  for (const prewarmOnStart of rep % 2 === 0 ? [false, true] : [true, false]) {
    const variant = prewarmOnStart ? 'restart + app work, prewarmOnStart' : 'restart + app work, no prewarm';
    const { run, positionAtStart } = await vyreStart(`${workload} ${variant} #${rep}`, { workload, prewarmOnStart, appWorkMs, expected: ['memory', 'persistent'] });
    record(rep, scenario, variant, run, { appWorkMs, firstProgramWorkingSetPosition: positionAtStart });
  }
}

/** The kernels app on vyre-web: cold (+ warm), restart, the prewarm pair. */
function kernelsCycle(start, rep, wants, appWorkMs, record) {
  return withVyreProfile(start, 'vyre-bench-warmup-', `vyre-bench-warmup-${rep}`, async (vyreStart) => {
    // Cold (always: the later scenarios need its stored artifacts), then warm in the same page.
    const cold = await vyreStart(`kernels cold #${rep}`, { workload: 'kernels', prewarmOnStart: false, appWorkMs: 0, expected: ['compiled'] }, (page) =>
      wants('warm') ? page.evaluate(() => window.bench.warmInPage()) : undefined);
    if (wants('cold')) record(rep, 'cold', 'cold', cold.run);
    if (wants('warm')) record(rep, 'warm', 'warm in page', cold.more);
    if (wants('restart')) {
      const restart = await vyreStart(`kernels restart #${rep}`, { workload: 'kernels', prewarmOnStart: false, appWorkMs: 0, expected: ['persistent'] });
      record(rep, 'restart', 'restart', restart.run);
    }
    if (wants('prewarm')) await prewarmPair(vyreStart, rep, 'kernels', 'prewarm', appWorkMs, record);
  });
}

/** The heavy app on vyre-web, its own profile and database: cold, then the prewarm pair. */
function heavyCycle(start, rep, appWorkMs, record) {
  return withVyreProfile(start, 'vyre-bench-heavy-', `vyre-bench-heavy-${rep}`, async (vyreStart) => {
    const cold = await vyreStart(`heavy cold #${rep}`, { workload: 'heavy', prewarmOnStart: false, appWorkMs: 0, expected: ['compiled'] });
    record(rep, 'heavy', 'cold', cold.run);
    await prewarmPair(vyreStart, rep, 'heavy', 'heavy', appWorkMs, record);
  });
}
