/**
 * One card per run: what the run does and what to expect, its button, a one-line summary,
 * the latency chart and a per-pipeline table. Built from {@link RUN_CARDS} so the five
 * cards stay alike.
 */
import { clearChart, renderRunChart } from './charts.ts';
import { TIERS, el, fill, formatMs, formatRatio, hitBadge } from './dom.ts';
import { STARTUP_SCENARIOS, tally, type PipelineSample, type RunKind, type RunResult } from './runs.ts';
import { gpuNowVsFirst, replayLine } from './startup-panel.ts';

interface CardSpec {
  readonly kind: RunKind;
  /** Which section of the page the card sits in. */
  readonly group: 'warmup' | 'startup';
  readonly title: string;
  readonly button: string;
  readonly explain: string;
}

export const RUN_CARDS: readonly CardSpec[] = [
  {
    kind: 'cold',
    group: 'warmup',
    title: '1 · Cold',
    button: 'Run cold',
    explain: 'Clears both tiers, then compiles and dispatches every pipeline. Expect compiled · miss.',
  },
  {
    kind: 'warm',
    group: 'warmup',
    title: '2 · Warm in this page',
    button: 'Run warm',
    explain: 'The same runtime again: the worker still holds each pipeline. Expect memory · hit.',
  },
  {
    kind: 'after-reload',
    group: 'warmup',
    title: '3 · After reload',
    button: 'Reload page and run',
    explain: 'Reloads the page, which starts a new worker with an empty memory tier; the run then continues on its own. Expect persistent · unknown.',
  },
  {
    kind: 'startup-plain',
    group: 'startup',
    title: '4a · Start-up, no prewarm',
    button: 'Start without prewarm',
    explain: `createRuntime(), ${STARTUP_SCENARIOS['startup-plain'].workMs} ms of app start-up work, then the workload: each compile reads IndexedDB and re-issues the GPU compile. Expect persistent · unknown.`,
  },
  {
    kind: 'startup-prewarm',
    group: 'startup',
    title: '4b · Start-up, prewarm',
    button: 'Start with prewarm',
    explain: `createRuntime({ prewarmOnStart: true }): the worker compiles the stored pipelines during the ${STARTUP_SCENARIOS['startup-prewarm'].workMs} ms of app work. Expect memory · hit (persistent where the app asked first).`,
  },
  {
    kind: 'startup-prewarm-long',
    group: 'startup',
    title: '4c · Start-up, prewarm, 300 ms work',
    button: 'Start with prewarm',
    explain: `Restart with prewarmOnStart + ${STARTUP_SCENARIOS['startup-prewarm-long'].workMs} ms of app work: time for the replay to compile a large shader or two before the app asks. Try it with the compile-heavy workload.`,
  },
];

function buildCard(card: CardSpec, onRun: (kind: RunKind) => void): HTMLElement {
  const button = el('button', { type: 'button', 'data-testid': `run-${card.kind}`, class: 'run-button', disabled: '' }, card.button);
  button.addEventListener('click', () => onRun(card.kind));
  return el(
    'article',
    { class: 'card run-card', 'data-run': card.kind },
    el('header', { class: 'card-head' }, el('h3', {}, card.title), button),
    el('p', { class: 'explain' }, card.explain),
    el('div', { class: 'summary', 'data-testid': `run-summary-${card.kind}`, 'data-tier': '' }, 'Not run yet.'),
    el('div', { class: 'chart', 'data-testid': `chart-${card.kind}`, 'data-points': '0' }),
    el('details', { class: 'samples' }, el('summary', {}, 'Every pipeline'), el('div', { class: 'table-scroll', 'data-testid': `samples-${card.kind}` })),
  );
}

/** Builds the cards into their sections; `onRun` is called with the card's run kind. */
export function buildRunCards(sections: Readonly<Record<CardSpec['group'], HTMLElement>>, onRun: (kind: RunKind) => void): void {
  for (const section of Object.values(sections)) fill(section);
  for (const card of RUN_CARDS) sections[card.group].append(buildCard(card, onRun));
  for (const card of RUN_CARDS) renderRun(card.kind, undefined);
}

function part(node: HTMLElement, kind: RunKind, role: 'summary' | 'chart' | 'samples'): HTMLElement {
  const id = role === 'summary' ? `run-summary-${kind}` : `${role}-${kind}`;
  const found = node.querySelector<HTMLElement>(`[data-testid="${id}"]`);
  if (found === null) throw new Error(`run card ${kind} has no ${role}`);
  return found;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Shows `run` in its card, or the empty state when `run` is undefined. */
export function renderRun(kind: RunKind, run: RunResult | undefined): void {
  const card = document.querySelector<HTMLElement>(`.run-card[data-run="${kind}"]`);
  if (card === null) return;
  const summary = part(card, kind, 'summary');
  const chart = part(card, kind, 'chart');
  const samples = part(card, kind, 'samples');
  if (run === undefined) {
    summary.dataset['tier'] = '';
    fill(summary, 'Not run yet.');
    clearChart(chart, '');
    fill(samples);
    return;
  }
  const counts = tally(run.samples);
  const present = TIERS.filter((tier) => counts.tiers[tier] > 0);
  summary.dataset['tier'] = present.length === 1 ? (present[0] ?? '') : 'mixed';
  fill(
    summary,
    el('div', { class: 'summary-line' },
      el('span', { class: 'tiers' }, ...present.map((tier) => el('span', { class: `tier tier-${tier}` }, `${tier} ×${counts.tiers[tier]}`))),
      el('span', { class: 'hits' }, `${counts.hits} hit · ${counts.misses} miss · ${counts.unknowns} unknown`),
    ),
    el('div', { class: 'summary-line metrics' },
      el('span', {}, 'first result ', el('b', { 'data-testid': `first-result-${kind}` }, formatMs(run.firstResultMs)), ` from ${run.firstResultFrom}`),
      el('span', {}, `all ${run.samples.length} results ${formatMs(run.allResultsMs)}`),
      el('span', {}, `median compile ${formatMs(median(run.samples.map((s) => s.compileMs)))}`),
      run.runtimeStartMs !== null && el('span', {}, `${kind === 'after-reload' ? 'page load → runtime ready' : 'createRuntime()'} ${formatMs(run.runtimeStartMs)}`),
    ),
    gpuNowVsFirst(run),
    replayLine(run),
    el('div', { class: 'summary-line muted' }, `${run.workloadLabel} · ${new Date(run.finishedAt).toLocaleTimeString()}`),
  );
  renderRunChart(chart, run);
  fill(samples, samplesTable(run.samples));
}

/**
 * One row per compile. compile: main-thread wall time; GPU: the worker's GPU-compile step;
 * GPU first: for a persistent-tier compile, the GPU compile recorded when the artifact was
 * first compiled from scratch, and now ÷ first; worker: the worker's own total.
 */
function samplesTable(samples: readonly PipelineSample[]): HTMLTableElement {
  // The GPU pair right after the main-thread compile: in a narrow card it stays in view.
  const head = ['#', 'pipeline', 'tier', 'cache', 'compile', 'GPU', 'GPU first', 'now ÷ first', 'worker', 'dispatch', 'miss reason'];
  return el('table', { class: 'compact' },
    el('thead', {}, el('tr', {}, ...head.map((h) => el('th', {}, h)))),
    el('tbody', {}, ...samples.map(sampleRow)),
  );
}

function sampleRow(s: PipelineSample, i: number): HTMLTableRowElement {
  const first = s.firstGpuCompileMs;
  return el('tr', { 'data-tier': s.tier },
    el('td', { class: 'num' }, String(i + 1)),
    el('td', {}, s.name),
    el('td', {}, el('span', { class: `tier tier-${s.tier}` }, s.tier)),
    el('td', {}, hitBadge(s.cacheHit)),
    el('td', { class: 'num' }, formatMs(s.compileMs)),
    el('td', { class: 'num', 'data-col': 'gpu' }, s.gpuCompileMs > 0 ? formatMs(s.gpuCompileMs) : '—'),
    el('td', { class: 'num', 'data-col': 'gpu-first', 'data-ms': first === null ? '' : String(first) }, first === null ? '—' : formatMs(first)),
    el('td', { class: 'num', 'data-col': 'gpu-ratio' }, first === null ? '—' : formatRatio(s.gpuCompileMs, first)),
    el('td', { class: 'num' }, formatMs(s.workerMs)),
    el('td', { class: 'num' }, formatMs(s.dispatchMs)),
    el('td', {}, s.missReason ?? '—'),
  );
}
