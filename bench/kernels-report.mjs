// The kernels suite's tables (issue #15): per workload, each contender's GPU time and
// end-to-end time (median / p95), its ratio to tfjs and to the raw WGSL as the median of
// per-round ratios (the contenders take turns, so round i of one ran right beside round i
// of the others: pairing them cancels the slow stretches a shared VM goes through), the
// goals, and whether its results stayed within the workload's tolerance.
import { fmt, summarize } from './stats.mjs';

/** The goal of issue #15 for every ratio: at most this many times the baseline. */
export const KERNEL_GOAL = 1.1;

const median = (values) => summarize(values).median;

/** Median over rounds of a[i] / b[i], skipping rounds where either is missing; NaN when none. */
export function pairedRatio(a, b) {
  const ratios = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (typeof a[i] === 'number' && typeof b[i] === 'number' && b[i] > 0) ratios.push(a[i] / b[i]);
  }
  return ratios.length === 0 ? Number.NaN : median(ratios);
}

/** One contender's figures against the two baselines. */
export function kernelFigures(result) {
  const tfjs = result.contenders['tfjs webgpu'];
  const raw = result.contenders['raw WGSL'];
  // Absent from results recorded before it was added.
  const rawExact = result.contenders['raw WGSL exact'];
  return Object.entries(result.contenders).map(([name, s]) => ({
    name,
    gpu: summarize(s.gpuMs.filter((v) => v !== null)),
    endToEnd: summarize(s.endToEndMs),
    gpuVsTfjs: pairedRatio(s.gpuMs, tfjs.gpuMs),
    gpuVsRaw: pairedRatio(s.gpuMs, raw.gpuMs),
    endToEndVsTfjs: pairedRatio(s.endToEndMs, tfjs.endToEndMs),
    endToEndVsRaw: pairedRatio(s.endToEndMs, raw.endToEndMs),
    gpuVsRawExact: rawExact === undefined ? Number.NaN : pairedRatio(s.gpuMs, rawExact.gpuMs),
    endToEndVsRawExact: rawExact === undefined ? Number.NaN : pairedRatio(s.endToEndMs, rawExact.endToEndMs),
    check: s.check,
  }));
}

const ratio = (value) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : '–');
const goal = (...values) => (values.some((v) => !Number.isFinite(v)) ? '–' : values.every((v) => v <= KERNEL_GOAL) ? 'met' : 'not met');

function checkCell(check) {
  if (check === null) return '–';
  if (!check.ok) return `FAIL (${check.mismatches} elements; worst ${check.worstOfTolerance.toExponential(1)}× tol.)`;
  if (check.exact) return 'exact';
  return `ok (worst ${check.worstOfTolerance.toExponential(1)}× tol.)`;
}

/** Prints one workload's table; returns its figures for the JSON results. */
export function printKernelTable(result) {
  const figures = kernelFigures(result);
  console.log(`\n${result.label}: ${result.rounds} rounds; ratios are medians of per-round ratios`);
  console.log(`tolerance: ${result.tolerance}`);
  console.log('| contender | GPU median / p95 | end-to-end median / p95 | GPU vs tfjs | GPU vs raw | e2e vs tfjs | e2e vs raw | goal ≤ 1.1× tfjs (GPU, e2e) | goal ≤ 1.1× raw (GPU, e2e) | result |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---|---|---|');
  for (const f of figures) {
    const goals = !f.name.startsWith('vyre-web') ? ['—', '—'] : [goal(f.gpuVsTfjs, f.endToEndVsTfjs), goal(f.gpuVsRaw, f.endToEndVsRaw)];
    console.log(`| ${f.name} | ${fmt(f.gpu.median)} / ${fmt(f.gpu.p95)} | ${fmt(f.endToEnd.median)} / ${fmt(f.endToEnd.p95)} | ${ratio(f.gpuVsTfjs)} | ${ratio(f.gpuVsRaw)} | ${ratio(f.endToEndVsTfjs)} | ${ratio(f.endToEndVsRaw)} | ${goals[0]} | ${goals[1]} | ${checkCell(f.check)} |`);
  }
  return figures;
}

/** What each vyre-web contender runs, as the goal table says it. */
const RUNS = {
  'vyre-web': 'its kernel library',
  'vyre-web fast': "its kernel library, floats 'fast'",
  'vyre-web shared': 'its kernel library, inputs in SharedArrayBuffers (e2e only)',
  'vyre-web wgsl()': 'the raw WGSL via wgsl()',
};

/** The goals of issue #15 in one table: vyre-web against both baselines, per workload. */
export function printKernelGoals(results) {
  console.log('\nIssue #15 goals for vyre-web (≤ 1.1×, median of per-round ratios); "raw exact": the hand-written WGSL with every product rounded on its own, as the exact policy promises (saxpy and the chain; the same kernel as raw elsewhere)');
  console.log('| workload | vyre-web runs | GPU vs tfjs | e2e vs tfjs | GPU vs raw | e2e vs raw | GPU vs raw exact | e2e vs raw exact | every contender within tolerance |');
  console.log('|---|---|---:|---:|---:|---:|---:|---:|---|');
  const mark = (v) => `${ratio(v)} ${Number.isFinite(v) ? (v <= KERNEL_GOAL ? '✓' : '✗') : ''}`.trim();
  for (const result of results) {
    const failed = Object.entries(result.contenders).filter(([, s]) => !s.check?.ok).map(([name]) => name);
    const checks = failed.length === 0 ? 'yes' : `NO: ${failed.join(', ')}`;
    for (const f of kernelFigures(result).filter((figure) => figure.name.startsWith('vyre-web'))) {
      const runs = RUNS[f.name] ?? f.name;
      console.log(`| ${result.id} | ${runs} | ${mark(f.gpuVsTfjs)} | ${mark(f.endToEndVsTfjs)} | ${mark(f.gpuVsRaw)} | ${mark(f.endToEndVsRaw)} | ${mark(f.gpuVsRawExact)} | ${mark(f.endToEndVsRawExact)} | ${checks} |`);
    }
  }
}
