// The benchmark command (npm run bench): prints tables and writes bench-results/*.json.
//   npm run bench [-- --only <suite>] [--repetitions 30] [--warmup-repetitions 5] [--scenario <list>] [--browser chrome|firefox]
// --browser firefox runs compile-tiers, store-lookup and dispatch in Firefox ESR (wgpu) instead
// of Chrome, raw WebGPU beside vyre-web in the same Firefox page (default suites: those three).
// Suites:
//   ir-costs       digest, validation and lowering of 100 / 1,000 / 10,000-node programs (Node, V8)
//   compile-tiers  compile latency per tier over the kernel library, in the worker and from
//                  the main thread, beside raw createComputePipelineAsync (headless Chrome)
//   store-lookup   persistent-tier lookups with 10,000 records (headless Chrome, IndexedDB)
//   warmup         cold / warm in page / after a browser restart / startup prewarm, beside
//                  hand-written raw WebGPU, with real restarts of headless Chrome on one
//                  profile (bench/warmup.mjs), for the 13 kernels and for compile-heavy WGSL
//                  shaders, with a table of issue #14's goals. Repetitions: --warmup-repetitions,
//                  else an explicit --repetitions, else 5 (each one restarts Chrome 17 times).
//                  --scenario cold,warm,restart,prewarm,raw,raw-worker,heavy picks scenarios (implies
//                  --only warmup when --only is not given). --library bundle (default:
//                  src/ built into a temporary production bundle first) or src (the
//                  source modules through the dev server). --app-work-tasks 20 runs the
//                  app's start-up work as 20 ms tasks with yields (default 0: one block).
//                  --app-yield 5 leaves the main thread idle 5 ms before the app's work.
//                  --trace-starts 'kernels restart #1' writes a Chrome trace of each start whose
//                  label matches (bench/start-trace.mjs).
//                  --bundle-via vite serves the bundle through Vite's dev server (default
//                  static: as built, bench/static-bundle.mjs). --worker-chunks one builds
//                  the worker as one file (its compile path inside it, as before it was a chunk).
//   wgsl           issue #13: wgsl() + programDigest() of a 300-line shader and its parts, in a
//                  worker and on the main thread; a uniform-struct kernel through the engine
//                  inside a worker beside raw WebGPU in that worker (headless Chrome, bench/wgsl.html)
//   images         issue #17: a 1920×1080 box blur per frame, ImageData in and out and over kept
//                  textures, beside raw WebGPU in the same page (Chrome, or Firefox with --browser).
//                  Rounds: --image-rounds, else 10.
//   kernels        issue #15: matmul 256 / 512, relu and saxpy over 4 MiB, a 100-op chain: vyre-web
//                  beside hand-written WGSL and tfjs's WebGPU backend in one page, interleaved,
//                  GPU time (timestamp queries) and end to end, results checked (bench/kernels.mjs).
//                  Rounds: --kernel-rounds, else an explicit --repetitions, else 20.
//                  --matmul-layout direct|shared picks the raw matmul (default direct);
//                  --kernel-workloads matmul-256,relu-4mib,… runs only those.
// See docs/benchmarks.md.
// Timings are medians and p95 over the repetitions; the machine is named in the output.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, searchForWorkspaceRoot } from 'vite';
import { BUNDLE_PREFIX, staticBundle } from './static-bundle.mjs';
import { BENCH_BROWSERS, FIREFOX_SUITES, launchBenchBrowser } from './bench-browser.mjs';
import { dispatchRatios, printDispatchRatios } from './dispatch-ratios.mjs';
import { KERNELS_OPTIMIZE_DEPS, runKernels } from './kernels.mjs';
import { fmt, summarize } from './stats.mjs';
import { buildLibrary, runWarmup, WARMUP_SCENARIOS } from './warmup.mjs';
import { printWarmup } from './warmup-report.mjs';
import { printReflection, printUniformDispatch } from './wgsl-report.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && args[at + 1] !== undefined ? args[at + 1] : fallback;
};
const scenarioOption = option('scenario', undefined);
const only = option('only', scenarioOption === undefined ? undefined : 'warmup');
const repetitions = Number(option('repetitions', 30));
const library = option('library', 'bundle');
const warmupRepetitions = Number(option('warmup-repetitions', option('repetitions', 5)));
const scenarios = scenarioOption === undefined ? WARMUP_SCENARIOS : scenarioOption.split(',').map((s) => s.trim()).filter(Boolean);
const kernelRounds = Number(option('kernel-rounds', option('repetitions', 20)));
const matmulLayout = option('matmul-layout', 'direct');
const kernelWorkloads = option('kernel-workloads', undefined)?.split(',').map((s) => s.trim()).filter(Boolean);
const SUITES = ['ir-costs', 'compile-tiers', 'store-lookup', 'dispatch', 'warmup', 'wgsl', 'kernels', 'images'];
const unknownScenario = scenarios.find((s) => !WARMUP_SCENARIOS.includes(s));
if ((only !== undefined && !SUITES.includes(only)) || unknownScenario !== undefined || !(repetitions >= 1) || !(warmupRepetitions >= 1) || !['bundle', 'src'].includes(library) || !(kernelRounds >= 1) || !['direct', 'shared'].includes(matmulLayout)) {
  console.error(`usage: node bench/run.mjs [--only ${SUITES.join('|')}] [--repetitions N] [--warmup-repetitions N] [--scenario ${WARMUP_SCENARIOS.join(',')}] [--library bundle|src] [--kernel-rounds N] [--matmul-layout direct|shared] [--kernel-workloads id,…]`);
  process.exit(2);
}
const browserName = option('browser', 'chrome');
if (!BENCH_BROWSERS.includes(browserName) || (browserName === 'firefox' && only !== undefined && !FIREFOX_SUITES.includes(only))) {
  console.error(`--browser is one of ${BENCH_BROWSERS.join(', ')}; Firefox runs only ${FIREFOX_SUITES.join(', ')}`);
  process.exit(2);
}
const wants = (suite) => (browserName === 'firefox' ? FIREFOX_SUITES.includes(suite) : true) && (!only || only === suite);
const machine = `${hostname()}: ${cpus().length}× ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`;
const results = { machine, browser: browserName, date: new Date().toISOString(), repetitions, suites: {} };

/** Issue #17's goals from the images suite's samples: per-round pairs, chains per blur. */
function printImageGoals(samples, agree) {
  const pick = (prefix) => Object.entries(samples).find(([name]) => name.startsWith(prefix))?.[1] ?? [];
  const pairs = (a, b, f) => a.slice(0, Math.min(a.length, b.length)).map((value, i) => f(value, b[i]));
  const chain = pairs(pick('vyre-web, 8 blurs over kept'), pick('raw WebGPU, 8'), (v, r) => v / r);
  const batched = pairs(pick('vyre-web, 8 blurs in one dispatchBatch'), pick('raw WebGPU, 8'), (v, r) => v / r);
  const median = (values) => summarize(values).median;
  const raw = pick('raw WebGPU, ImageData');
  for (const [name, values] of Object.entries(samples).filter(([way]) => /^vyre-web (from the main thread|same-thread)/.test(way))) {
    console.log(`image in / image out − raw, ${name.replace(/^vyre-web /, '')}: ${median(pairs(values, raw, (v, r) => v - r)).toFixed(2)} ms (median of same-round pairs; goal ≤ +1 ms)`);
  }
  console.log(`resident chain / raw chain, dispatch by dispatch over kept textures: ${median(chain).toFixed(2)}× (goal ≤ 1.10×)`);
  if (batched.length > 0) console.log(`resident chain / raw chain, one dispatchBatch with previousOutput: ${median(batched).toFixed(2)}× (goal ≤ 1.10×)`);
  console.log(`vyre-web and raw gave the same pixels: ${agree}`);
}

function printSamples(title, samples) {
  console.log(`\n${title}`);
  console.log('| measurement | n | median | p95 |');
  console.log('|---|---:|---:|---:|');
  const summary = {};
  for (const [name, values] of Object.entries(samples)) {
    const s = summarize(values);
    summary[name] = s;
    // Rates carry their unit in brackets ("[GB/s]"); everything else is milliseconds.
    const show = (v) => (name.includes('[') ? v.toFixed(v < 10 ? 2 : 0) : fmt(v));
    console.log(`| ${name} | ${s.n} | ${show(s.median)} | ${show(s.p95)} |`);
  }
  return summary;
}

// Cross-origin isolation gives performance.now() 5 µs resolution instead of 100 µs.
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
// The warmup suite measures the library as apps ship it: built once, served by this server.
const bundleDir = wants('warmup') && library === 'bundle' ? mkdtempSync(join(tmpdir(), 'vyre-bench-lib-')) : undefined;
// `--worker-chunks one` builds the worker as one file, as before its compile path became a chunk (an A/B of that split).
const workerChunks = option('worker-chunks', 'split');
const bundle = bundleDir === undefined ? undefined : await buildLibrary(bundleDir, { workerInOneFile: workerChunks === 'one' }).catch((error) => {
  rmSync(bundleDir, { recursive: true, force: true });
  throw new Error(`warmup: building the library from src/ failed (try --library src to see the source error in the browser): ${error instanceof Error ? error.message : String(error)}`, { cause: error });
});
const fs = bundleDir === undefined ? {} : { fs: { allow: [searchForWorkspaceRoot(process.cwd()), bundleDir] } };
// The bundle goes out as built (bench/static-bundle.mjs); `--bundle-via vite` serves it through Vite's dev server as before.
const bundleVia = option('bundle-via', 'static');
const bundlePlugins = bundleDir !== undefined && bundleVia === 'static' ? { plugins: [staticBundle(bundleDir, ISOLATION)] } : {};
// tfjs is imported only by the kernels page: pre-bundled up front, or Vite reloads the page mid-run.
const optimizeDeps = wants('kernels') ? { optimizeDeps: { include: KERNELS_OPTIMIZE_DEPS } } : {};
const server = await createServer({ configFile: 'vite.config.ts', logLevel: 'error', server: { port: 0, hmr: false, watch: null, headers: ISOLATION, ...fs }, ...optimizeDeps, ...bundlePlugins });
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
  if (wants('compile-tiers') || wants('store-lookup') || wants('dispatch') || wants('wgsl') || wants('kernels') || wants('images')) {
    const browser = await launchBenchBrowser(browserName);
    try {
      const page = await browser.newPage();
      await page.goto(new URL('bench/bench.html', server.resolvedUrls.local[0]).href);
      await page.waitForFunction(() => window.benchReady === true, 60_000);
      const browserVersion = browser.version();
      const isolated = await page.evaluate(() => self.crossOriginIsolated);
      console.log(`\nbrowser page cross-origin isolated (5 µs timers): ${isolated}`);
      if (wants('compile-tiers')) {
        const { samples, device } = await page.evaluate((r) => window.bench.compileTiers(r), repetitions);
        results.suites['compile-tiers'] = { device, browser: browserVersion, summary: printSamples(`Compile latency per tier, 13 kernels (${browserVersion}, ${device}; memory tier ×${repetitions})`, samples), samples };
        console.log('goals (issue #4): memory-tier compile ≤ 50 µs median in the worker, ≤ 0.5 ms from the main thread');
      }
      if (wants('store-lookup')) {
        const { samples, stored } = await page.evaluate(() => window.bench.storeLookup(10_000, 200));
        results.suites['store-lookup'] = { browser: browserVersion, stored, summary: printSamples(`Persistent store holding ${stored} records (${browserVersion}, IndexedDB)`, samples), samples };
        console.log('goal (issue #4): lookup ≤ 2 ms median at 10,000 records');
      }
      if (wants('dispatch')) {
        const small = await page.evaluate((r) => window.bench.smallDispatch(r), Math.max(repetitions, 200));
        const chained = await page.evaluate((r) => window.bench.chainedResident(r), repetitions);
        const bandwidth = await page.evaluate((r) => window.bench.bandwidth(r), Math.min(repetitions, 5));
        results.suites['dispatch'] = {
          browser: browserVersion,
          small: printSamples(`One small dispatch, 4 KiB in and read back (${browserVersion}; raw WebGPU baseline in the same page)`, small),
          chained: printSamples('1,000 chained dispatches over resident buffers, then one readback', chained),
          bandwidth: printSamples('Element-wise kernel over 64 MiB (reads x and y, writes y: 192 MiB moved per dispatch)', bandwidth),
          samples: { small, chained, bandwidth },
        };
        const ratios = dispatchRatios({ small, chained, bandwidth });
        results.suites['dispatch'].ratios = ratios;
        printDispatchRatios(ratios);
      }
      if (wants('wgsl')) {
        // A page of its own: its first wgsl() call is the main thread's first.
        const wgslPage = await browser.newPage();
        await wgslPage.goto(new URL('bench/wgsl.html', server.resolvedUrls.local[0]).href);
        await wgslPage.waitForFunction(() => window.benchReady === true, 60_000);
        const reflection = await wgslPage.evaluate((r) => window.wgslBench.wgslReflection(r), Math.max(repetitions, 200));
        const uniform = await wgslPage.evaluate((r) => window.wgslBench.uniformDispatch(r), Math.max(repetitions, 400));
        results.suites.wgsl = {
          browser: browserVersion,
          reflection: { summary: printReflection(reflection, browserVersion), ...reflection },
          uniformDispatch: { summary: printUniformDispatch(uniform), ...uniform },
        };
      }
      if (wants('images')) {
        const { samples, agree } = await page.evaluate((r) => window.bench.imageBlur(r), Number(option('image-rounds', 10)));
        // inputBands 'auto' sends large inputs in bands from 4 logical cores (src/client/create-runtime.ts).
        const cores = await page.evaluate(() => navigator.hardwareConcurrency);
        results.suites.images = { browser: browserVersion, cores, agree, summary: printSamples(`1920×1080 box blur (radius 1) per frame (${browserVersion}, ${cores} logical cores: the default sends inputs ${cores >= 4 ? 'in bands' : 'whole'}; raw WebGPU in the same page)`, samples), samples };
        printImageGoals(samples, agree);
      }
      if (wants('kernels')) {
        results.suites.kernels = await runKernels(browser.raw, server.resolvedUrls.local[0], { rounds: kernelRounds, layout: matmulLayout, ...(kernelWorkloads ? { workloads: kernelWorkloads } : {}) });
      }
    } finally {
      await browser.close();
    }
  }
  if (wants('warmup')) {
    const pageUrl = new URL('bench/bench.html', server.resolvedUrls.local[0]).href;
    const libraryUrl = bundleDir === undefined ? null : bundleVia === 'static' ? `${BUNDLE_PREFIX}${bundle.entry}` : `/@fs${join(bundleDir, bundle.entry)}`;
    const rawWorkerUrl = bundleDir === undefined ? null : bundleVia === 'static' ? `${BUNDLE_PREFIX}${bundle.rawWorker}` : `/@fs${join(bundleDir, bundle.rawWorker)}`;
    const warmup = await runWarmup({ pageUrl, libraryUrl, rawWorkerUrl, library: bundleDir === undefined ? library : `${library} (${bundleVia === 'static' ? 'served as built' : "through Vite's dev server"}${workerChunks === 'one' ? ', worker in one file' : ''})`, repetitions: warmupRepetitions, scenarios, appWorkTaskMs: Number(option('app-work-tasks', 0)), appYieldMs: Number(option('app-yield', 0)), traceStarts: option('trace-starts', undefined) });
    results.suites.warmup = { ...warmup, ...(bundle ? { bundleBuildSeconds: bundle.seconds } : {}) };
    printWarmup(warmup);
  }
} finally {
  await server.close();
  if (bundleDir !== undefined) rmSync(bundleDir, { recursive: true, force: true });
}
mkdirSync('bench-results', { recursive: true });
const file = `bench-results/bench-${Date.now()}.json`;
writeFileSync(file, JSON.stringify(results, null, 2));
console.log(`\nmachine: ${machine}\nwrote ${file}`);
