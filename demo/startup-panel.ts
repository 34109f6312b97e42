/**
 * What the runtime says about its own start and about the browser's shader cache: the
 * start-up steps of each run that started a runtime (`runtime.startup`) beside a bare
 * adapter + device request, the startup replay of a `prewarmOnStart` run, and, for
 * persistent-tier compiles, the GPU compile now against the one when first compiled.
 */
import type { StartupTimings } from '../src/index.ts';
import { RUN_TITLES } from './charts.ts';
import { el, fill, formatMs, formatRatio } from './dom.ts';
import type { RunResult } from './runs.ts';

/** The steps of `runtime.startup`, in the order they usually finish. */
const STEPS: readonly (readonly [keyof StartupTimings, string])[] = [
  ['workerCreated', 'worker created'],
  ['workerBoot', 'worker boot'],
  ['workerScript', 'worker script'],
  ['adapter', 'adapter'],
  ['device', 'device'],
  ['store', 'IndexedDB open'],
  ['replay', 'replay began'],
  ['ready', 'ready'],
];

function msCell(ms: number | null, step: string): HTMLTableCellElement {
  return el('td', { class: 'num', 'data-step': step, 'data-ms': ms === null ? '' : String(ms) }, ms === null ? '—' : formatMs(ms));
}

/** One row per run that started a runtime (after reload, start-up): its steps and the bare request beside them. */
export function renderStartupTable(container: HTMLElement, runs: readonly RunResult[]): void {
  const started = runs.filter((run) => run.startup !== null);
  if (started.length === 0) {
    fill(container, el('p', { class: 'muted' }, 'No run has started a runtime yet: run 3, 4a, 4b or 4c.'));
    return;
  }
  fill(
    container,
    el('table', {},
      el('thead', {}, el('tr', {}, el('th', {}, 'run'), el('th', { class: 'num' }, 'bare adapter + device'), ...STEPS.map(([, label]) => el('th', { class: 'num' }, label)))),
      el('tbody', {},
        ...started.map((run) =>
          el('tr', { 'data-run': run.kind },
            el('td', {}, RUN_TITLES[run.kind]),
            msCell(run.bareDeviceMs, 'bare'),
            ...STEPS.map(([step]) => msCell(run.startup?.[step] ?? null, step)),
          ),
        ),
      ),
    ),
  );
}

/** "GPU compile now vs when first compiled", summed over the run's persistent-tier compiles; false when it has none. */
export function gpuNowVsFirst(run: RunResult): HTMLElement | false {
  const pairs = run.samples.flatMap((s) => (s.firstGpuCompileMs === null ? [] : [[s.gpuCompileMs, s.firstGpuCompileMs] as const]));
  if (pairs.length === 0) return false;
  const now = pairs.reduce((sum, [n]) => sum + n, 0);
  const first = pairs.reduce((sum, [, f]) => sum + f, 0);
  return el('div', { class: 'summary-line', 'data-testid': `gpu-vs-first-${run.kind}` },
    el('span', {}, `GPU compile now ${formatMs(now)} vs ${formatMs(first)} when first compiled (${formatRatio(now, first)}), ${pairs.length} persistent-tier compile${pairs.length === 1 ? '' : 's'}`),
  );
}

/** The startup replay's order, each pipeline marked by who compiled it first; false without a replay. */
export function replayLine(run: RunResult): HTMLElement | false {
  const { replay } = run;
  if (replay === null) return false;
  const names = new Map(run.samples.map((s) => [s.pipelineId, s.name]));
  const warmed = new Set(replay.warmed);
  return el('div', { class: 'replay', 'data-testid': `replay-${run.kind}` },
    el('span', {}, `Startup replay: the worker warmed ${replay.warmed.length} of ${replay.order.length} stored pipelines itself; ${replay.done ? 'the app asked for the rest first' : 'it was still going'}. In replay order: `),
    el('ol', { class: 'replay-order' },
      ...replay.order.map((id) =>
        el('li', { class: warmed.has(id) ? 'replay-warmed' : 'replay-app', title: `${id}: ${warmed.has(id) ? 'warmed by the replay' : 'the app asked first'}` },
          names.get(id) ?? `${id.slice(0, 10)}…`),
      ),
    ),
  );
}
