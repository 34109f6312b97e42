/**
 * The cache-warmup benchmark page: pick a workload, run it cold, warm, after a reload and
 * at app start-up with and without prewarm, and read the runtime's own telemetry beside
 * the charts. Wiring only; the runs, charts and panels live in their own files.
 */
import { createRuntime, isVyreError, type Runtime } from '../src/index.ts';
import { renderFirstResultBars } from './charts.ts';
import { byTestId, el, fill } from './dom.ts';
import { downloadJson, renderAudit, renderDevice, renderManifests, renderSnapshot } from './panels.ts';
import { buildRunCards, renderRun } from './run-cards.ts';
import { renderStartupTable } from './startup-panel.ts';
import { renderTuning, tuneForDevice } from './tuning-panel.ts';
import { RUN_KINDS, runAfterReload, runCold, runStartup, runWarm, type ProgressListener, type RunKind, type RunResult } from './runs.ts';
import { canKeepState, loadState, saveState, type PageState } from './session.ts';
import { WORKLOADS, workloadById } from './workloads.ts';

let state: PageState = loadState();
let runtime: Runtime | null = null;
/** performance.now() when this page's runtime was ready: navigation start → ready. */
let runtimeReadyAt = Number.NaN;
const keepsState = canKeepState();

function setState(next: Partial<PageState>): void {
  state = { ...state, ...next };
  saveState(state);
}

function setStatus(text: string): void {
  byTestId('status').textContent = text;
}

/** A readable message for any failure; the page stays usable for what still works. */
function showError(error: unknown): void {
  const titles: Partial<Record<string, string>> = {
    'webgpu-unavailable': 'This browser has no WebGPU here',
    'adapter-unavailable': 'WebGPU is present, but there is no GPU adapter',
  };
  const box = byTestId('error');
  box.hidden = false;
  box.dataset['code'] = isVyreError(error) ? error.code : 'unexpected';
  fill(
    box,
    el('strong', {}, isVyreError(error) ? (titles[error.code] ?? `The runtime reported ${error.code}`) : 'Unexpected error'),
    el('p', {}, error instanceof Error ? error.message : String(error)),
    isVyreError(error) && el('p', { class: 'muted' }, `Error code: ${error.code}. The page needs WebGPU (Chrome or Edge 113+, Safari 26+, on localhost or https).`),
  );
}

function notice(text: string, testId: string): void {
  byTestId('notices').append(el('p', { class: 'notice', 'data-testid': testId }, text));
}

/** Disables every action while one runs: runs share the cache and would skew each other. */
function setBusy(busy: boolean): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-action], .run-button')) {
    button.disabled = busy || runtime === null || (button.dataset['testid'] === 'run-after-reload' && !keepsState);
  }
  byTestId<HTMLSelectElement>('workload').disabled = busy;
  document.body.dataset['busy'] = String(busy);
}

const onProgress: ProgressListener = (done, total, next) => {
  const bar = byTestId<HTMLProgressElement>('progress');
  bar.max = Math.max(1, total);
  bar.value = done;
  byTestId('progress-label').textContent = next === null ? `Done: ${total} of ${total} pipelines compiled and dispatched.` : `Compiling ${done + 1} of ${total}: ${next}…`;
};

function renderResults(): void {
  for (const kind of RUN_KINDS) renderRun(kind, state.results[kind]);
  const runs = RUN_KINDS.flatMap((kind) => state.results[kind] ?? []);
  renderFirstResultBars(byTestId('chart-first-result'), runs);
  renderStartupTable(byTestId('startup-table'), runs);
}

async function refreshPanels(): Promise<void> {
  if (runtime === null) return;
  await renderAudit(runtime, state.thresholdBps);
  await renderSnapshot(runtime);
  await renderManifests(runtime);
}

/** Runs one benchmark and shows its result; the after-reload run starts by reloading. */
async function perform(kind: RunKind): Promise<void> {
  if (runtime === null) return;
  const workload = workloadById(state.workloadId);
  if (kind === 'after-reload' && state.pending === null) {
    setState({ pending: 'after-reload' });
    setBusy(true);
    setStatus('Reloading: the run continues after the page loads again…');
    location.reload();
    return;
  }
  setBusy(true);
  byTestId('error').hidden = true; // An earlier run's error no longer applies.
  setStatus(`Running "${kind}" on ${workload.label}…`);
  try {
    let run: RunResult;
    switch (kind) {
      case 'cold': run = await runCold(runtime, workload, onProgress); break;
      case 'warm': run = await runWarm(runtime, workload, onProgress); break;
      // performance.now() counts from navigation start: the time to a ready runtime.
      case 'after-reload': run = await runAfterReload(runtime, workload, runtimeReadyAt, onProgress); break;
      case 'startup-plain':
      case 'startup-prewarm':
      case 'startup-prewarm-long': run = await runStartup(kind, workload, onProgress); break;
    }
    setState({ results: { ...state.results, [kind]: run }, pending: null });
    renderResults();
    setStatus(`Finished "${kind}" on ${workload.label}.`);
    document.body.dataset['lastRun'] = kind;
  } catch (error) {
    setState({ pending: null });
    showError(error);
    setStatus(`"${kind}" stopped with an error (see above).`);
  } finally {
    await refreshPanels().catch(showError);
    setBusy(false);
  }
}

async function clearTiers(memory: boolean, persistent: boolean): Promise<void> {
  if (runtime === null) return;
  setBusy(true);
  try {
    await runtime.clearCache({ memory, persistent });
    setStatus(`Cleared ${memory && persistent ? 'both tiers' : memory ? 'the memory tier' : 'the persistent tier'}.`);
  } catch (error) {
    showError(error);
  } finally {
    await refreshPanels().catch(showError);
    setBusy(false);
  }
}

function wireControls(): void {
  const picker = byTestId<HTMLSelectElement>('workload');
  fill(picker, ...WORKLOADS.map((w) => el('option', { value: w.id }, w.label)));
  picker.value = workloadById(state.workloadId).id;
  picker.addEventListener('change', () => setState({ workloadId: picker.value }));

  const threshold = byTestId<HTMLInputElement>('audit-threshold');
  threshold.value = String(state.thresholdBps);
  threshold.addEventListener('input', () => {
    const value = Number(threshold.value);
    const valid = threshold.value !== '' && Number.isInteger(value) && value >= 0 && value <= 10_000;
    threshold.setCustomValidity(valid ? '' : 'a whole number of basis points, 0…10000');
    byTestId('audit-threshold-error').textContent = valid ? '' : 'Enter a whole number from 0 to 10000 (0 turns the alarm off).';
    if (!valid || runtime === null) return;
    setState({ thresholdBps: value });
    void renderAudit(runtime, value).catch(showError);
  });

  const actions: Record<string, () => Promise<void>> = {
    'clear-memory': () => clearTiers(true, false),
    'clear-persistent': () => clearTiers(false, true),
    'clear-both': () => clearTiers(true, true),
    'download-manifests': async () => {
      if (runtime !== null) downloadJson('vyre-web-manifests.json', await runtime.manifests());
    },
    tune: async () => {
      if (runtime === null) return;
      setBusy(true);
      try {
        renderTuning(byTestId('tuning'), await tuneForDevice(runtime));
        await refreshPanels();
      } finally {
        setBusy(false);
      }
    },
  };
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-action]')) {
    const action = actions[button.dataset['action'] ?? ''];
    button.addEventListener('click', () => void action?.().catch(showError));
  }
  buildRunCards({ warmup: byTestId('runs-warmup'), startup: byTestId('runs-startup') }, (kind) => void perform(kind));
  if (!keepsState) notice('This profile blocks sessionStorage, so the page cannot continue a run across a reload; "After reload" is off.', 'notice-session');
}

async function main(): Promise<void> {
  wireControls();
  renderResults();
  setBusy(true);
  setStatus('Starting the GPU worker…');
  try {
    runtime = await createRuntime();
    runtimeReadyAt = performance.now();
  } catch (error) {
    setState({ pending: null });
    showError(error);
    setStatus('No runtime: the benchmark cannot run in this browser.');
    document.body.dataset['state'] = 'error';
    return;
  }
  renderDevice(runtime);
  if (runtime.storage.mode === 'memory-only') {
    notice(`The persistent tier is off: ${runtime.storage.reason}. Nothing survives a reload, so "After reload" and "prewarm" compile from scratch.`, 'notice-storage');
  }
  await refreshPanels();
  setBusy(false);
  document.body.dataset['state'] = 'ready';
  if (state.pending === 'after-reload') {
    await perform('after-reload');
  } else {
    setStatus(`Ready on ${runtime.deviceFingerprint.readable.split(' · ')[0] ?? 'this GPU'}. Pick a workload and start with "Run cold".`);
  }
}

main().catch((error: unknown) => {
  showError(error);
  setBusy(false);
});
