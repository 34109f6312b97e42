/**
 * Charts: per run, compile latency of each pipeline as points coloured by the tier that
 * served it (uPlot, log scale: a memory hit is ~1000× faster than a compile, and both
 * must stay visible); across runs, time to first result as plain bars.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { TIER_COLORS, TIERS, el, fill, formatMs, hitWord } from './dom.ts';
import type { RunResult } from './runs.ts';

const charts = new WeakMap<HTMLElement, { plot: uPlot; observer: ResizeObserver }>();

/** uPlot's log scale cannot show 0; a memory hit can take under a microsecond. */
const FLOOR_MS = 0.001;

function logRange(values: readonly number[]): [number, number] {
  const finite = values.filter((v) => Number.isFinite(v) && v > 0);
  const low = Math.max(FLOOR_MS, Math.min(...finite, 1));
  const high = Math.max(...finite, 1);
  return [10 ** Math.floor(Math.log10(low)), 10 ** Math.ceil(Math.log10(high) + 0.01)];
}

/** Drops the chart in `container`, if any, and empties it. */
export function clearChart(container: HTMLElement, message: string): void {
  const old = charts.get(container);
  old?.observer.disconnect();
  old?.plot.destroy();
  charts.delete(container);
  container.dataset['points'] = '0';
  fill(container, message && el('p', { class: 'chart-empty' }, message));
}

/**
 * Plots `run` into `container`: x = pipeline index (1-based), one series per tier.
 * Sets `data-points` to the number of points plotted, for tests and for anyone reading
 * the DOM.
 */
export function renderRunChart(container: HTMLElement, run: RunResult): void {
  clearChart(container, '');
  const { samples } = run;
  const xs = samples.map((_, i) => i + 1);
  const ys = samples.map((s) => Math.max(FLOOR_MS, s.compileMs));
  const series = TIERS.map((tier) => samples.map((s, i) => (s.tier === tier ? (ys[i] ?? null) : null)));
  const [yMin, yMax] = logRange(ys);
  const opts: uPlot.Options = {
    width: Math.max(280, container.clientWidth),
    height: 220,
    cursor: { drag: { x: false, y: false }, points: { size: 10 } },
    legend: { live: true },
    scales: {
      x: { time: false, range: [0.5, samples.length + 0.5] },
      y: { distr: 3, log: 10, range: [yMin, yMax] },
    },
    axes: [
      {
        label: 'pipeline #',
        space: 24,
        incrs: [1, 2, 5, 10],
        values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? String(v) : '')),
      },
      // uPlot passes null for log-scale splits it wants unlabelled.
      { label: 'compile (main thread)', size: 70, values: (_u, splits) => splits.map((v) => (Number.isFinite(v) ? formatMs(v) : '')) },
    ],
    series: [
      { label: 'pipeline', value: (_u, v) => (v === null ? '—' : `${v} ${samples[v - 1]?.name ?? ''}`) },
      ...TIERS.map((tier): uPlot.Series => ({
        label: `${tier} · ${hitWord(tier === 'memory' ? true : tier === 'compiled' ? false : null)}`,
        stroke: TIER_COLORS[tier],
        fill: TIER_COLORS[tier],
        // Points only: pipelines are separate things, not a time series to join up.
        paths: () => null,
        points: { show: true, size: 9, fill: TIER_COLORS[tier] },
        value: (_u, v) => (v === null ? '—' : formatMs(v)),
      })),
    ],
  };
  const plot = new uPlot(opts, [xs, ...series], container);
  const observer = new ResizeObserver(() => {
    const width = Math.max(280, container.clientWidth);
    if (Math.abs(width - plot.width) > 1) plot.setSize({ width, height: 220 });
  });
  observer.observe(container);
  charts.set(container, { plot, observer });
  container.dataset['points'] = String(series.flat().filter((v) => v !== null).length);
}

/** Short run names, for the bars and the start-up table. */
export const RUN_TITLES: Readonly<Record<RunResult['kind'], string>> = {
  cold: 'cold',
  warm: 'warm (memory)',
  'after-reload': 'after reload (IndexedDB)',
  'startup-plain': 'start-up, no prewarm',
  'startup-prewarm': 'start-up, prewarm',
  'startup-prewarm-long': 'start-up, prewarm, 300 ms',
};

/** The parts of a run's time to first result, in the order they happen. */
function segments(run: RunResult): { part: string; label: string; ms: number }[] {
  const first = run.samples[0];
  const compile = first?.compileMs ?? 0;
  const dispatch = first?.dispatchMs ?? 0;
  const parts: { part: string; label: string; ms: number }[] = [];
  // Start-up runs time from createRuntime(): the worker start and the app's own work come first.
  if (run.firstResultFrom === 'createRuntime()' && run.runtimeStartMs !== null) {
    parts.push({ part: 'runtime', label: 'createRuntime()', ms: run.runtimeStartMs });
    parts.push({ part: 'app', label: 'app start-up work', ms: Math.max(0, run.firstResultMs - run.runtimeStartMs - compile - dispatch) });
  }
  parts.push({ part: `compile-${first?.tier ?? 'compiled'}`, label: `compile (${first?.tier ?? '—'})`, ms: compile });
  parts.push({ part: 'dispatch', label: 'first dispatch', ms: dispatch });
  return parts;
}

/**
 * One stacked horizontal bar per finished run, on a shared linear scale: time to the
 * first pipeline's first result, split into what it was spent on.
 */
export function renderFirstResultBars(container: HTMLElement, runs: readonly RunResult[]): void {
  container.dataset['points'] = String(runs.length);
  if (runs.length === 0) {
    fill(container, el('p', { class: 'chart-empty' }, 'No runs yet. Start with "Run cold" below.'));
    return;
  }
  const max = Math.max(...runs.map((r) => r.firstResultMs), 1e-6);
  fill(
    container,
    ...runs.map((run) =>
      el(
        'div',
        { class: 'bar-row', 'data-run': run.kind },
        el('span', { class: 'bar-label' }, RUN_TITLES[run.kind]),
        el(
          'span',
          { class: 'bar-track' },
          ...segments(run).map((s) =>
            el('span', { class: `seg seg-${s.part}`, title: `${s.label}: ${formatMs(s.ms)}`, style: `width: ${((100 * s.ms) / max).toFixed(2)}%` }),
          ),
        ),
        el('span', { class: 'bar-value' }, formatMs(run.firstResultMs)),
        el('span', { class: 'bar-note' }, `from ${run.firstResultFrom}`),
      ),
    ),
    el(
      'p',
      { class: 'bar-legend' },
      ...[['runtime', 'createRuntime()'], ['app', 'app start-up work'], ['compile-compiled', 'compile'], ['dispatch', 'first dispatch']].map(([part, label]) =>
        el('span', {}, el('span', { class: `swatch seg-${part ?? ''}` }), label ?? ''),
      ),
      el('span', { class: 'muted' }, 'compile is coloured by tier; hover a bar for its parts'),
    ),
  );
}
