// The dispatch suite's figures against their raw baselines, two ways: the ratio (or
// difference) of the medians, and the median of per-round ratios. The ways run in turns,
// so round i of one way ran right beside round i of its baseline: pairing them cancels
// the slow stretches this shared VM goes through.
import { summarize } from './stats.mjs';

const median = (values) => summarize(values).median;

function samplesOf(table, name) {
  const values = table[name];
  if (values === undefined) throw new Error(`dispatch bench: no samples named "${name}"`);
  return values;
}

function figure(label, table, name, baseline, { difference = false, goal = '—' } = {}) {
  const a = samplesOf(table, name);
  const b = samplesOf(table, baseline);
  const pairs = a.slice(0, Math.min(a.length, b.length)).map((value, i) => (difference ? value - b[i] : value / b[i]));
  const whole = difference ? median(a) - median(b) : median(a) / median(b);
  return { label, ofMedians: whole, paired: median(pairs), difference, goal };
}

/** Every figure of issue #5's goals, from the suite's three sample tables. */
export function dispatchRatios({ small, chained, bandwidth }) {
  const rate = (text) => `${text} [dispatches/s]`;
  return [
    figure('engine inside a worker / raw WebGPU inside a worker', small, 'vyre-web engine inside a worker', 'raw WebGPU inside a worker (baseline)', { goal: '≤ 1.10×' }),
    figure('same-thread mode / raw WebGPU, main thread', small, 'vyre-web same-thread mode on the main thread', 'raw WebGPU on the main thread (baseline)'),
    figure('from the main thread through the worker − raw WebGPU, main thread', small, 'vyre-web from the main thread (its worker, through Comlink)', 'raw WebGPU on the main thread (baseline)', { difference: true, goal: '≤ +0.15 ms' }),
    figure('from the main thread through the worker / raw WebGPU with a nudged map (the best raw read-back in Firefox)', small, 'vyre-web from the main thread (its worker, through Comlink)', 'raw WebGPU, map nudged with empty submits'),
    { label: 'bare postMessage round trip, same bytes (floor of the line above)', ofMedians: median(samplesOf(small, 'postMessage round trip to a worker, same bytes, no GPU (floor of any worker design)')), paired: null, difference: true, absolute: true, goal: '—' },
    { label: 'Comlink call, same bytes, no GPU (floor through Comlink)', ofMedians: median(samplesOf(small, 'Comlink call to a worker, same bytes, no GPU (floor of any design through Comlink)')), paired: null, difference: true, absolute: true, goal: '—' },
    figure('1,000-dispatch resident chain from the main thread / raw', chained, rate('vyre-web dispatchBatch from the main thread (its worker)'), rate('raw WebGPU on the main thread, one encoder (baseline)'), { goal: '≥ 0.95×' }),
    figure('1,000-dispatch resident chain inside a worker / raw', chained, rate('vyre-web dispatchBatch inside a worker (engine, same-thread mode)'), rate('raw WebGPU inside a worker, one encoder (baseline)'), { goal: '≥ 0.95×' }),
    figure('64 MiB element-wise kernel, GB/s / raw', bandwidth, 'vyre-web, resident buffers [GB/s]', 'raw WebGPU (baseline) [GB/s]'),
  ];
}

export function printDispatchRatios(rows) {
  const show = (row, value) => (value === null ? '—' : row.difference ? `${value >= 0 && !row.absolute ? '+' : ''}${value.toFixed(3)} ms` : `${value.toFixed(2)}×`);
  console.log('\nAgainst raw WebGPU (issue #5 goals)');
  console.log('| figure | of the medians | median of same-round pairs | goal |');
  console.log('|---|---:|---:|---|');
  for (const row of rows) console.log(`| ${row.label} | ${show(row, row.ofMedians)} | ${show(row, row.paired)} | ${row.goal} |`);
}
