/**
 * "Tuned for this device": the library's tunable kernels through `runtime.compileTuned`.
 * The first time a device sees them it times their variants and stores the choice with the
 * chosen artifact; after a reload the same button reads the choice back from the
 * persistent tier and times nothing, which is the point of showing it here.
 */
import type { Runtime } from '../src/index.ts';
import { matmulX4Tunable, sumU32Tunable, reluF32Tunable } from '../src/kernels/index.ts';
import type { TuningReport } from '../src/protocol/tuning.ts';
import { el, fill, formatMs } from './dom.ts';

interface TunedRow {
  readonly label: string;
  readonly tier: string;
  readonly report: TuningReport;
}

/** Tunes (or finds the stored choice of) each tunable kernel, at a size that tunes in about a second on a CPU adapter. */
export async function tuneForDevice(runtime: Runtime): Promise<TunedRow[]> {
  const rows: TunedRow[] = [];
  const matmul = await runtime.compileTuned(matmulX4Tunable);
  rows.push({ label: 'matmul, 256×256·256×256', tier: matmul.tier, report: matmul.tuning });
  const relu = await runtime.compileTuned(reluF32Tunable);
  rows.push({ label: 'ReLU, 1 Mi floats', tier: relu.tier, report: relu.tuning });
  const sum = await runtime.compileTuned(sumU32Tunable);
  rows.push({ label: 'u32 sum, 1 Mi elements', tier: sum.tier, report: sum.tuning });
  return rows;
}

const SOURCE_WORDS: Record<TuningReport['source'], string> = {
  tuned: 'timed now, choice stored',
  stored: 'stored choice, nothing timed',
  only: 'one variant runs here',
};

export function renderTuning(container: HTMLElement, rows: readonly TunedRow[]): void {
  fill(
    container,
    el('table', {},
      el('thead', {}, el('tr', {}, el('th', {}, 'kernel'), el('th', {}, 'chosen'), el('th', {}, 'how'), el('th', {}, 'tier'), el('th', {}, 'variants (per dispatch)'), el('th', { class: 'num' }, 'took'))),
      el('tbody', {},
        ...rows.map(({ label, tier, report }) =>
          el('tr', { 'data-family': report.family, 'data-source': report.source, 'data-tier': tier, 'data-chosen': report.chosen },
            el('td', {}, label),
            el('td', {}, report.chosen),
            el('td', {}, SOURCE_WORDS[report.source]),
            el('td', {}, tier),
            el('td', {}, report.trials.length === 0 ? '—' : report.trials.map((trial) => `${trial.variant} ${formatMs(trial.medianMs)}`).join(', ')),
            el('td', { class: 'num' }, formatMs(report.totalMs)),
          ),
        ),
      ),
    ),
  );
}
