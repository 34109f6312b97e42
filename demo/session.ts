/**
 * What the page keeps across its own reload: earlier run results (so the after-reload
 * chart sits next to the cold and warm ones), the picked workload and threshold, and the
 * "continue with the after-reload run" request. sessionStorage, because it survives
 * `location.reload()` but not a new tab; a profile that blocks it only loses this memory.
 */
import { RUN_KINDS, type RunKind, type RunResult } from './runs.ts';

// v2: runs carry start-up figures and first GPU compiles; a v1 result would lack them.
const KEY = 'vyre-demo-state-v2';

export interface PageState {
  readonly workloadId: string;
  readonly thresholdBps: number;
  readonly results: Partial<Record<RunKind, RunResult>>;
  /** Set just before the reload; the next page load runs it and clears it. */
  readonly pending: 'after-reload' | null;
}

export const DEFAULT_STATE: PageState = { workloadId: 'all', thresholdBps: 8000, results: {}, pending: null };

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null; // Access throws SecurityError where the profile blocks storage.
  }
}

/** Whether state can survive a reload here; the reload button says so when not. */
export function canKeepState(): boolean {
  const store = storage();
  if (store === null) return false;
  try {
    store.setItem(`${KEY}-probe`, '1');
    store.removeItem(`${KEY}-probe`);
    return true;
  } catch {
    return false;
  }
}

/** The saved state, or the defaults when there is none or it does not parse. */
export function loadState(): PageState {
  const text = storage()?.getItem(KEY);
  if (!text) return DEFAULT_STATE;
  try {
    const data = JSON.parse(text) as Partial<PageState>;
    const results: Partial<Record<RunKind, RunResult>> = {};
    for (const kind of RUN_KINDS) {
      const run = data.results?.[kind];
      if (run && Array.isArray(run.samples)) results[kind] = run;
    }
    return {
      workloadId: typeof data.workloadId === 'string' ? data.workloadId : DEFAULT_STATE.workloadId,
      thresholdBps: typeof data.thresholdBps === 'number' ? data.thresholdBps : DEFAULT_STATE.thresholdBps,
      results,
      pending: data.pending === 'after-reload' ? 'after-reload' : null,
    };
  } catch {
    return DEFAULT_STATE; // A state from an older page version: start over.
  }
}

/** Saves `state`; false when the browser refused (blocked or full storage). */
export function saveState(state: PageState): boolean {
  try {
    storage()?.setItem(KEY, JSON.stringify(state));
    return storage() !== null;
  } catch {
    return false;
  }
}
