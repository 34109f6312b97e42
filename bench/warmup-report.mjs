// The warmup suite's tables (bench/warmup.mjs measures): every measurement with its ratio
// to the raw baseline of the same run, the goals of issue #14 with met / not met, the
// start-up breakdown the runtime reports, and the correctness checks.
import { fmt, summarize } from './stats.mjs';

// A run is found by its app (workload), scenario and variant.
const k = (scenario, variant) => ({ workload: 'kernels', scenario, variant });
const h = (scenario, variant) => ({ workload: 'heavy', scenario, variant });
const same = (a, b) => a.workload === b.workload && a.scenario === b.scenario && a.variant === b.variant;

/** Every measurement of the detailed table: which runs, and its baselines (raw first). */
const rowsOf = ({ appWorkMs, heavyAppWorkMs }) => [
  { of: k('raw', 'cold'), short: 'raw cold', label: 'raw WebGPU, cold (fresh profile)' },
  { of: k('raw-worker', 'cold'), short: 'raw in a worker, cold', label: 'raw WebGPU in a worker, cold (fresh profile)', against: [k('raw', 'cold')] },
  { of: k('cold', 'cold'), label: 'vyre-web, cold (fresh profile)', against: [k('raw', 'cold'), k('raw-worker', 'cold')] },
  { of: k('warm', 'warm in page'), label: 'vyre-web, warm in page (memory tier)', against: [k('raw', 'cold')] },
  { of: k('raw', 'restart'), short: 'raw after restart', label: 'raw WebGPU, after restart', against: [k('raw', 'cold')] },
  { of: k('raw-worker', 'restart'), short: 'raw in a worker after restart', label: 'raw WebGPU in a worker, after restart', against: [k('raw', 'restart')] },
  { of: k('restart', 'restart'), label: 'vyre-web, after restart (persistent tier)', against: [k('raw', 'restart'), k('raw-worker', 'restart')] },
  { of: k('raw', 'restart + app work'), short: 'raw after restart + app work', label: `raw WebGPU, after restart + ${appWorkMs} ms app work`, against: [k('raw', 'restart')] },
  { of: k('raw-worker', 'restart + app work'), short: 'raw in a worker after restart + app work', label: `raw WebGPU in a worker, after restart + ${appWorkMs} ms app work`, against: [k('raw', 'restart + app work')] },
  { of: k('prewarm', 'restart + app work, no prewarm'), short: 'without prewarm', label: `vyre-web, after restart + ${appWorkMs} ms app work, no prewarm`, against: [k('raw', 'restart + app work'), k('raw-worker', 'restart + app work')] },
  { of: k('prewarm', 'restart + app work, prewarmOnStart'), label: `vyre-web, after restart + ${appWorkMs} ms app work, prewarmOnStart`, against: [k('raw', 'restart + app work'), k('raw-worker', 'restart + app work'), k('prewarm', 'restart + app work, no prewarm')] },
  { of: h('raw', 'cold'), short: 'raw cold', label: 'heavy: raw WebGPU, cold (fresh profile)' },
  { of: h('raw-worker', 'cold'), short: 'raw in a worker, cold', label: 'heavy: raw WebGPU in a worker, cold (fresh profile)', against: [h('raw', 'cold')] },
  { of: h('heavy', 'cold'), label: 'heavy: vyre-web, cold (fresh profile)', against: [h('raw', 'cold'), h('raw-worker', 'cold')] },
  { of: h('raw', 'restart + app work'), short: 'raw after restart + app work', label: `heavy: raw WebGPU, after restart + ${heavyAppWorkMs} ms app work`, against: [h('raw', 'cold')] },
  { of: h('raw-worker', 'restart + app work'), short: 'raw in a worker after restart + app work', label: `heavy: raw WebGPU in a worker, after restart + ${heavyAppWorkMs} ms app work`, against: [h('raw', 'restart + app work')] },
  { of: h('heavy', 'restart + app work, no prewarm'), short: 'without prewarm', label: `heavy: vyre-web, after restart + ${heavyAppWorkMs} ms app work, no prewarm`, against: [h('raw', 'restart + app work'), h('raw-worker', 'restart + app work')] },
  { of: h('heavy', 'restart + app work, prewarmOnStart'), label: `heavy: vyre-web, after restart + ${heavyAppWorkMs} ms app work, prewarmOnStart`, against: [h('raw', 'restart + app work'), h('raw-worker', 'restart + app work'), h('heavy', 'restart + app work, no prewarm')] },
];
const MEASUREMENTS = [
  ['startup', 'start (createRuntime / requestAdapter+requestDevice)', (run) => (run.startup > 0 ? [run.startup] : [])],
  ['firstResult', 'time to first result', (run) => [run.firstResult]],
  ['allCompiled', 'time to all compiled', (run) => [run.allCompiled]],
  ['perPipeline', 'compile, per pipeline (main thread)', (run) => run.pipelines.map((p) => p.ms)],
];
const pickOf = (key) => MEASUREMENTS.find(([name]) => name === key)[2];
const samplesOf = (runs, keys, pick) => runs.filter((run) => keys.some((key) => same(run, key))).flatMap(pick);

/** The detailed table: n, median, p95 and ratios of medians per scenario and measurement. */
export function summaryRows(runs, settings) {
  const rows = rowsOf(settings);
  const shortOf = (key) => rows.find((row) => same(row.of, key))?.short ?? key.variant;
  const out = [];
  for (const { of, label, against = [] } of rows) {
    for (const [measurement, name, pick] of MEASUREMENTS) {
      const s = summarize(samplesOf(runs, [of], pick));
      if (s.n === 0) continue;
      const ratios = against
        .map((base) => ({ against: shortOf(base), base: summarize(samplesOf(runs, [base], pick)) }))
        .filter(({ base }) => base.n > 0)
        .map(({ against: name, base }) => ({ against: name, ratio: s.median / base.median }));
      out.push({ ...of, label, measurement, name, ...s, isBaseline: against.length === 0, ratios });
    }
  }
  return out;
}

/**
 * The "Done when" of issue #14, one row each: vyre-web's median against raw WebGPU's
 * median of the same run, and the goal: `{ ratio }` (vyre ≤ ratio × raw) or `{ plusMs }`
 * (vyre ≤ raw + plusMs); rows without a goal are there to compare.
 */
const goalsOf = ({ appWorkMs, heavyAppWorkMs }) => [
  { row: 'createRuntime ready vs bare device, cold (fresh profile)', measurement: 'startup', vyre: [k('cold', 'cold'), h('heavy', 'cold')], raw: [k('raw', 'cold'), h('raw', 'cold')], goal: { plusMs: 30 } },
  { row: 'createRuntime ready vs bare device, after restart', measurement: 'startup', vyre: [k('restart', 'restart')], raw: [k('raw', 'restart')], goal: { plusMs: 30 } },
  { row: 'first result, cold', measurement: 'firstResult', vyre: [k('cold', 'cold')], raw: [k('raw', 'cold')], goal: { ratio: 1.2 } },
  { row: 'first result, after restart', measurement: 'firstResult', vyre: [k('restart', 'restart')], raw: [k('raw', 'restart')], goal: { ratio: 1.0 } },
  { row: `first result, restart + ${appWorkMs} ms app work, prewarmOnStart`, measurement: 'firstResult', vyre: [k('prewarm', 'restart + app work, prewarmOnStart')], raw: [k('raw', 'restart + app work')], goal: { ratio: 0.8 } },
  { row: `first result, restart + ${appWorkMs} ms app work, no prewarm`, measurement: 'firstResult', vyre: [k('prewarm', 'restart + app work, no prewarm')], raw: [k('raw', 'restart + app work')], goal: null },
  { row: 'heavy: first result, cold', measurement: 'firstResult', vyre: [h('heavy', 'cold')], raw: [h('raw', 'cold')], goal: null },
  { row: `heavy: first result, restart + ${heavyAppWorkMs} ms app work, prewarmOnStart`, measurement: 'firstResult', vyre: [h('heavy', 'restart + app work, prewarmOnStart')], raw: [h('raw', 'restart + app work')], goal: { ratio: 0.5 } },
  { row: `heavy: first result, restart + ${heavyAppWorkMs} ms app work, no prewarm`, measurement: 'firstResult', vyre: [h('heavy', 'restart + app work, no prewarm')], raw: [h('raw', 'restart + app work')], goal: null },
  { row: `heavy: all compiled, restart + ${heavyAppWorkMs} ms app work, prewarmOnStart`, measurement: 'allCompiled', vyre: [h('heavy', 'restart + app work, prewarmOnStart')], raw: [h('raw', 'restart + app work')], goal: null },
  { row: `heavy: all compiled, restart + ${heavyAppWorkMs} ms app work, no prewarm`, measurement: 'allCompiled', vyre: [h('heavy', 'restart + app work, no prewarm')], raw: [h('raw', 'restart + app work')], goal: null },
];

/**
 * The goal table's rows (only those whose runs both sides have). With `inWorker`, the same
 * rows against raw WebGPU in a worker instead, without goals: how far vyre-web is from the
 * floor of its own architecture, a device owned by a worker.
 */
export function goalRows(runs, settings, { inWorker = false } = {}) {
  const rows = [];
  for (const goalRow of goalsOf(settings)) {
    const { row, measurement, vyre } = goalRow;
    const raw = inWorker ? goalRow.raw.map((key) => ({ ...key, scenario: 'raw-worker' })) : goalRow.raw;
    const goal = inWorker ? null : goalRow.goal;
    const pick = pickOf(measurement);
    const v = summarize(samplesOf(runs, vyre, pick));
    const r = summarize(samplesOf(runs, raw, pick));
    if (v.n === 0 || r.n === 0) continue;
    const met = goal === null ? null : goal.ratio !== undefined ? v.median <= goal.ratio * r.median : v.median <= r.median + goal.plusMs;
    rows.push({ row, measurement, vyre: v, raw: r, ratio: v.median / r.median, difference: v.median - r.median, goal, met });
    if (inWorker && measurement === 'startup') {
      // createRuntime resolves once the worker's database is open too: the floor's database opens beside its device.
      const both = summarize(samplesOf(runs, raw, withDatabase));
      const bare = summarize(samplesOf(runs, goalRow.raw, pickOf('startup')));
      if (both.n > 0) rows.push({ row: row.replace('vs bare device', 'vs bare device and database'), measurement, vyre: v, raw: both, ratio: v.median / both.median, difference: v.median - both.median, goal, met, bare });
    }
  }
  return rows;
}

/** The page heard of the floor's device, and its database had opened (raw-worker.ts). */
const withDatabase = (run) => (run.startup > 0 && Number.isFinite(run.startupBreakdown?.store) ? [Math.max(run.startup, run.startupBreakdown.store)] : []);

const STEPS = ['workerCreated', 'workerBoot', 'workerScript', 'adapter', 'device', 'store', 'ready'];

/** Medians of `runtime.startup` per vyre-web start that reported it, beside createRuntime's own time. */
export function startupBreakdown(runs, settings) {
  const out = [];
  for (const { of, label } of rowsOf(settings)) {
    const reported = runs.filter((run) => same(run, of) && run.startupBreakdown !== undefined);
    if (reported.length === 0) continue;
    const steps = Object.fromEntries(STEPS.map((step) => [step, summarize(reported.map((run) => run.startupBreakdown[step] ?? Number.NaN)).median]));
    out.push({ ...of, label, n: reported.length, ...steps, resolved: summarize(reported.map((run) => run.startup)).median });
  }
  return out;
}

/**
 * Where a vyre-web compile's time goes, per start: medians over every program but the app's
 * first (whose lookup starts the store's read-ahead) of the main thread's compile, the round
 * trip to the worker, and the worker's digest, store read and GPU build.
 */
export function compileBreakdown(runs, settings) {
  const out = [];
  for (const { of, label } of rowsOf(settings)) {
    const pipelines = runs.filter((run) => same(run, of)).flatMap((run) => run.pipelines.slice(1)).filter((p) => p.inWorker !== undefined);
    if (pipelines.length === 0) continue;
    const median = (pick) => summarize(pipelines.map(pick).filter(Number.isFinite)).median;
    out.push({ label, n: pipelines.length, main: median((p) => p.ms), roundTrip: median((p) => p.ms - p.inWorker), digest: median((p) => p.digest ?? Number.NaN), storeRead: median((p) => p.storeRead ?? Number.NaN), gpu: median((p) => p.gpuCompile ?? Number.NaN) });
  }
  return out;
}

/**
 * Where the time to the first result goes, per start (raw WebGPU's and vyre-web's alike):
 * medians of the start (createRuntime / bare device), the first program's compile on the main
 * thread (for vyre-web also its GPU build in the worker) and the first dispatch with its read-back
 * (the rest of the first result: first result − start − first compile).
 */
export function firstResultBreakdown(runs, settings) {
  const out = [];
  for (const { of, label } of rowsOf(settings)) {
    const starts = runs.filter((run) => same(run, of) && run.pipelines.length > 0 && run.startup > 0);
    if (starts.length === 0) continue;
    const median = (pick) => summarize(starts.map(pick).filter(Number.isFinite)).median;
    const first = (run) => run.pipelines[0];
    out.push({
      label, n: starts.length, start: median((run) => run.startup), compile: median((run) => first(run).ms),
      gpuBuild: median((run) => first(run).gpuCompile ?? Number.NaN),
      dispatch: median((run) => run.firstResult - run.startup - first(run).ms), firstResult: median((run) => run.firstResult),
    });
  }
  return out;
}

/** Tiers, first results, storage mode, and what startup prewarm did for the first program. */
export function checksOf(runs) {
  const vyre = runs.filter((r) => r.scenario !== 'raw' && r.scenario !== 'raw-worker');
  const tiers = {};
  for (const run of vyre) {
    const t = (tiers[`${run.workload}: ${run.variant}`] ??= { runs: 0, allExpectedTiers: 0, unexpected: [] });
    t.runs++;
    if (run.unexpectedTiers.length === 0) t.allExpectedTiers++;
    else t.unexpected.push(`#${run.repetition}: ${run.unexpectedTiers.join(', ')}`);
  }
  return {
    tiers,
    wrongResults: runs.filter((r) => !r.resultOk).map((r) => `${r.workload} ${r.scenario} ${r.variant} #${r.repetition}`),
    storage: [...new Set(vyre.filter((r) => r.storage !== undefined).map((r) => (r.storage.mode === 'persistent' ? 'persistent' : `memory-only (${r.storage.reason})`)))],
    prewarm: runs.filter((r) => r.variant === 'restart + app work, prewarmOnStart').map(prewarmCheck),
  };
}

function prewarmCheck(run) {
  const replay = run.cacheSnapshot?.startupReplay;
  return {
    workload: run.workload,
    repetition: run.repetition,
    first: run.pipelines[0]?.name,
    firstTier: run.pipelines[0]?.tier,
    memoryTier: run.pipelines.filter((p) => p.tier === 'memory').length,
    of: run.pipelines.length,
    startupPrewarmed: run.cacheSnapshot?.counters.startupPrewarmed,
    firstByRecency: run.firstProgramWorkingSetPosition,
    // Present once the library reports its startup replay (cacheSnapshot().startupReplay).
    ...(replay ? { firstInReplay: replay.order.indexOf(run.firstPipelineId), replayLength: replay.order.length, firstWarmedByReplay: replay.warmed.includes(run.firstPipelineId) } : {}),
  };
}

const goalText = (goal) => (goal === null ? '–' : goal.ratio !== undefined ? `≤ ${goal.ratio.toFixed(1)}× raw` : `≤ raw + ${goal.plusMs} ms`);
const metText = (met) => (met === null ? '–' : met ? 'met' : 'NOT met');
const ratioText = (g) => (g.goal?.plusMs !== undefined ? `${g.difference >= 0 ? '+' : '−'}${fmt(Math.abs(g.difference))} (${g.ratio.toFixed(2)}×)` : `${g.ratio.toFixed(2)}×`);

/** Prints the suite's tables and checks (markdown). */
export function printWarmup(result) {
  const { machine, library, repetitions, appWorkMs, heavyAppWorkMs, rows, goals, breakdown, checks } = result;
  console.log(`\nCache warmup: 13 kernels, and ${result.heavyShaders?.length ?? '?'} compile-heavy WGSL shaders; ${repetitions} browser-start cycles per scenario (median / p95 over runs; ratios of medians); vyre-web ${library.startsWith('bundle') ? `as a production bundle, ${library.slice('bundle'.length).trim().replace(/^\(|\)$/g, '') || 'through Vite\'s dev server'}` : 'from src/ through the dev server'}`);
  console.log(`machine: ${machine.cpu}; ${machine.browser ?? 'browser ?'} (headless); adapter: ${machine.adapter ?? machine.rawAdapter ?? '?'}; cross-origin isolated: ${machine.crossOriginIsolated}`);
  console.log('| scenario | measurement | n | median | p95 | ratio |');
  console.log('|---|---|---:|---:|---:|---|');
  for (const row of rows) {
    const ratio = row.isBaseline ? 'baseline' : row.ratios.length === 0 ? '– (its baseline did not run)' : row.ratios.map((r) => `${r.ratio.toFixed(2)}× ${r.against}`).join('; ');
    console.log(`| ${row.label} | ${row.name} | ${row.n} | ${fmt(row.median)} | ${fmt(row.p95)} | ${ratio} |`);
  }
  const blocks = result.appWorkTaskMs > 0 ? `in ${result.appWorkTaskMs} ms tasks with a yield between them` : 'as one synchronous block';
  const shape = result.appYieldMs > 0 ? `${blocks}, after ${result.appYieldMs} ms idle` : blocks;
  console.log(`app work: busy main thread between calling createRuntime (or requestAdapter) and awaiting it: ${appWorkMs} ms with the kernels, ${heavyAppWorkMs} ms with the heavy shaders, ${shape}.`);
  if (goals.length) {
    console.log(`\nGoals of issue #14 (medians of the same run; raw = hand-written WebGPU on the main thread)`);
    console.log('| row | vyre-web median | raw median | ratio | goal | met |');
    console.log('|---|---:|---:|---:|---|---|');
    for (const g of goals) console.log(`| ${g.row} | ${fmt(g.vyre.median)} | ${fmt(g.raw.median)} | ${ratioText(g)} | ${goalText(g.goal)} | ${metText(g.met)} |`);
  }
  printFloor(result.floor ?? []);
  printBreakdown(breakdown);
  printCompiles(result.compiles ?? []);
  printFirstResults(result.firstResults ?? []);
  printChecks(checks);
  if (result.consoleMessages.length) console.log(`browser console: ${result.consoleMessages.length} warnings/errors (in the JSON); first: ${result.consoleMessages[0]}`);
  console.log(`suite wall time: ${result.wallSeconds.toFixed(0)} s`);
}

function printFloor(floor) {
  if (floor.length === 0) return;
  console.log(`\nThe same rows against raw WebGPU in a worker (the same app, hand-written, its device in a dedicated worker: the floor of vyre-web's architecture; no goals)`);
  console.log('| row | vyre-web median | raw in a worker median | ratio |');
  console.log('|---|---:|---:|---:|');
  for (const g of floor) console.log(`| ${g.row.replace('vs bare device and database', 'vs the worker\'s device and database').replace('vs bare device', 'vs the worker\'s device')} | ${fmt(g.vyre.median)} | ${fmt(g.raw.median)} | ${g.measurement === 'startup' ? `${g.difference >= 0 ? '+' : '−'}${fmt(Math.abs(g.difference))} (${g.ratio.toFixed(2)}×)` : `${g.ratio.toFixed(2)}×`} |`);
  // The createRuntime goal allows the bare device on the main thread + 30 ms: how much of that the floor itself takes.
  for (const g of floor.filter((row) => row.bare !== undefined && row.bare.n > 0)) {
    const over = g.raw.median - g.bare.median;
    console.log(`the floor, ${g.row.replace(/^createRuntime ready vs bare device and database, /, '')}: its device and database ready at ${fmt(g.raw.median)}, the page's bare device at ${fmt(g.bare.median)}: ${over >= 0 ? '+' : '−'}${fmt(Math.abs(over))} before any library code (the goal allows +30 ms)`);
  }
}

function printBreakdown(breakdown) {
  if (breakdown.length === 0) {
    console.log('\nstart-up breakdown: this build of the library does not report runtime.startup');
    return;
  }
  console.log('\nStart-up breakdown (runtime.startup: ms from the createRuntime call until each step was done; medians)');
  console.log('| start | n | worker created | boot (adapter asked) | worker script | adapter | device | store | ready (worker) | createRuntime resolved (main) |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const b of breakdown) console.log(`| ${b.label} | ${b.n} | ${fmt(b.workerCreated ?? Number.NaN)} | ${fmt(b.workerBoot ?? Number.NaN)} | ${fmt(b.workerScript ?? Number.NaN)} | ${fmt(b.adapter)} | ${fmt(b.device)} | ${fmt(b.store)} | ${fmt(b.ready)} | ${fmt(b.resolved)} |`);
}

function printFirstResults(firstResults) {
  if (firstResults.length === 0) return;
  console.log('\nFirst result breakdown (medians per start; ms; a start without app work is only the start and the first compile and dispatch; raw in a worker: its first compile timed in the worker)');
  console.log('| start | n | start (createRuntime / bare device) | first compile (main thread) | its GPU build (worker) | first dispatch + read-back | first result |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  // Raw WebGPU in a worker does not wait for the page between steps: with app work it may be done before the page hears
  // of its device, and its phases are then not the page's (a negative rest prints as –).
  for (const f of firstResults) console.log(`| ${f.label} | ${f.n} | ${fmt(f.start)} | ${fmt(f.compile)} | ${Number.isFinite(f.gpuBuild) ? fmt(f.gpuBuild) : '–'} | ${f.dispatch >= 0 ? fmt(f.dispatch) : '–'} | ${fmt(f.firstResult)} |`);
}

function printCompiles(compiles) {
  if (compiles.length === 0) return;
  console.log('\nCompile breakdown (vyre-web, every program but the first of each start; medians; ms)');
  console.log('| start | n | compile (main thread) | round trip | digest | store read | GPU build |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const c of compiles) console.log(`| ${c.label} | ${c.n} | ${fmt(c.main)} | ${fmt(c.roundTrip)} | ${fmt(c.digest)} | ${fmt(c.storeRead)} | ${fmt(c.gpu)} |`);
}

function printChecks(checks) {
  for (const [variant, t] of Object.entries(checks.tiers)) {
    const line = `tiers, ${variant}: as expected in ${t.allExpectedTiers}/${t.runs} runs`;
    console.log(t.unexpected.length ? `${line} — NOT as expected: ${t.unexpected.join(' | ')}` : line);
  }
  if (checks.wrongResults.length) console.log(`WRONG first result in: ${checks.wrongResults.join(', ')}`);
  else console.log('first results: all correct (saxpy exact; heavy: the tiled matmul, exact on small integers)');
  if (checks.storage.length) console.log(`vyre-web storage mode: ${checks.storage.join(', ')}`);
  for (const p of checks.prewarm) {
    const recency = p.firstByRecency ? `; #${p.firstByRecency.position + 1} of ${p.firstByRecency.of} by recency` : '';
    const replay = p.firstInReplay === undefined ? '' : `; #${p.firstInReplay + 1} of ${p.replayLength} in the replay order, ${p.firstWarmedByReplay ? 'warmed by the replay' : 'not warmed by the replay'}`;
    console.log(`prewarm, ${p.workload} #${p.repetition}: ${p.first} served by ${p.firstTier}, ${p.memoryTier}/${p.of} from memory, ${p.startupPrewarmed} prewarmed${replay}${recency}`);
  }
}
