// The WGSL suite's tables (issue #13): declaring a 300-line shader on both threads against
// the 2 ms goal, and the uniform-struct dispatch against raw WebGPU (goal ≤ 1.10×), as the
// ratio of the medians and the median of same-round ratios (the ways take turns, so round i
// of one ran right beside round i of the other).
import { cpus, loadavg } from 'node:os';
import { fmt, summarize } from './stats.mjs';

const REFLECTION_GOAL_MS = 2;
const DISPATCH_GOAL = 1.1;
// On the development VM Chrome answers a SwiftShader map request at once (≈0.5 ms a call) or
// on its next polling tick (≈2.5 ms): rounds are split at this line to show both regimes.
const FAST_CALL_MS = 1.5;

const cell = (s) => `${fmt(s.median)} | ${fmt(s.p95)}`;

/** Prints the reflection table; returns the summaries by thread and way. */
export function printReflection({ ways, main, worker, compile }, browser) {
  console.log(`\nDeclaring a ${compile.lines}-line WGSL module (two entry points; Chrome ${browser}), main thread and worker in alternating blocks; ${summarize(worker.samples[ways.goal]).n} rounds each`);
  console.log(`timers cross-origin isolated (5 µs): worker ${worker.crossOriginIsolated}, main thread ${main.crossOriginIsolated}`);
  console.log('| measurement | worker median | worker p95 | main thread median | main thread p95 |');
  console.log('|---|---:|---:|---:|---:|');
  const summary = { worker: {}, main: {} };
  for (const name of Object.keys(worker.samples)) {
    summary.worker[name] = summarize(worker.samples[name]);
    summary.main[name] = summarize(main.samples[name] ?? []);
    console.log(`| ${name} | ${cell(summary.worker[name])} | ${cell(summary.main[name])} |`);
  }
  const cold = (first) => (first === undefined ? '–' : `${fmt(first.reflect)} + ${fmt(first.digest)}`);
  console.log(`| the thread's first reflectModule + first programDigest (cold JIT, one call each) | ${cold(worker.first)} | | ${cold(main.first)} | |`);
  const goal = summary.worker[ways.goal];
  const met = goal.median <= REFLECTION_GOAL_MS;
  console.log(`goal (issue #13): reflection + digest of a 300-line shader ≤ ${REFLECTION_GOAL_MS} ms in the worker: ${met ? 'met' : 'NOT met'} (median ${fmt(goal.median)}, p95 ${fmt(goal.p95)})`);
  const share = (name) => `${((100 * summary.worker[name].median) / summary.worker[ways.goal].median).toFixed(0)}%`;
  console.log(`in the worker, of the goal figure's median: parse ${share(ways.parse)} (tokenizing alone ${share(ways.tokenize)}), reflectModule ${share(ways.reflect)}, wgslArtifact ${share(ways.artifact)}, programDigest ${share(ways.digest)}`);
  const problems = [...compile.messages, ...compile.rawErrors];
  // Other people's browsers share this machine: its load says how much CPU the suite got.
  console.log(`load average while it ran (1 / 5 min): ${loadavg().slice(0, 2).map((l) => l.toFixed(1)).join(' / ')} on ${cpus().length} cores`);
  console.log(`the shader compiles in Chrome: ${problems.length === 0 ? 'yes' : 'NO'} (entry points ${compile.entryPoints.join(', ')}; vyre-web tiers ${compile.vyreTiers.join(', ')})${problems.length === 0 ? '' : `\n  ${problems.join('\n  ')}`}`);
  return { ...summary, first: { worker: worker.first, main: main.first }, goalMet: met, loadAverage: loadavg() };
}

/** Prints the dispatch table, its ratios and the outputs check; returns the figures. */
export function printUniformDispatch({ ways: names, samples, check }) {
  console.log('\nUniform-struct kernel, 4 KiB in + read back, inside a worker, in shuffled turns (the dispatch suite\'s array-only kernel taking the same turns)');
  console.log('| way | n | median | p95 |');
  console.log('|---|---:|---:|---:|');
  const summaries = {};
  for (const name of [names.raw, names.vyre, names.arraysRaw, names.arraysVyre]) {
    summaries[name] = summarize(samples[name]);
    console.log(`| ${name} | ${summaries[name].n} | ${cell(summaries[name])} |`);
  }
  const ratios = (vyre, raw) => {
    const pairs = samples[vyre].slice(0, samples[raw].length).map((value, i) => [value, samples[raw][i]]);
    const regime = (keep) => {
      const kept = pairs.filter(keep);
      return { rounds: kept.length, paired: summarize(kept.map(([a, b]) => a / b)).median, difference: summarize(kept.map(([a, b]) => a - b)).median };
    };
    return {
      ofMedians: summaries[vyre].median / summaries[raw].median,
      paired: summarize(pairs.map(([a, b]) => a / b)).median,
      bothFast: regime(([a, b]) => a < FAST_CALL_MS && b < FAST_CALL_MS),
      bothSlow: regime(([a, b]) => a >= FAST_CALL_MS && b >= FAST_CALL_MS),
    };
  };
  const uniform = ratios(names.vyre, names.raw);
  const arrays = ratios(names.arraysVyre, names.arraysRaw);
  const met = uniform.ofMedians <= DISPATCH_GOAL && uniform.paired <= DISPATCH_GOAL;
  console.log(`engine / raw, uniform-struct kernel: ${uniform.ofMedians.toFixed(2)}× of the medians, ${uniform.paired.toFixed(2)}× median of same-round ratios; goal (issue #13) ≤ ${DISPATCH_GOAL.toFixed(2)}× in the worker: ${met ? 'met' : 'NOT met'}`);
  console.log(`engine / raw, array-only kernel (reference): ${arrays.ofMedians.toFixed(2)}× of the medians, ${arrays.paired.toFixed(2)}× median of same-round ratios`);
  const regimes = (r) => `both calls < ${FAST_CALL_MS} ms in ${r.bothFast.rounds} rounds: ${r.bothFast.paired.toFixed(2)}× (${fmt(r.bothFast.difference)} more); both ≥ ${FAST_CALL_MS} ms in ${r.bothSlow.rounds}: ${r.bothSlow.paired.toFixed(2)}×`;
  console.log(`same-round ratios by regime (map answered at once, or on Chrome's polling tick): uniform-struct kernel ${regimes(uniform)}; array-only kernel ${regimes(arrays)}`);
  const show = (values) => values.map((v) => String(v)).join(', ');
  console.log(`outputs: ${check.calls.raw} + ${check.calls.vyre} calls of ${check.elements} elements, vyre-web bit-identical to raw in every round: ${check.identical ? 'yes' : 'NO'}; max |y − f64 reference| ${check.maxAbsErrorVsReference.toExponential(2)}; y[0..3] = ${show(check.sample.slice(0, 4))}; y[998..1001] = ${show(check.sample.slice(4))} (n = 1000: y[1000..] keep their input)`);
  console.log(`load average (1 / 5 min): ${loadavg().slice(0, 2).map((l) => l.toFixed(1)).join(' / ')} on ${cpus().length} cores`);
  return { summaries, uniform, arrays, goalMet: met, check, loadAverage: loadavg() };
}
