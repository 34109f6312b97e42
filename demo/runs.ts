/**
 * The benchmark runs. Each compiles a workload's pipelines one after another and
 * dispatches each once, recording per compile the tier that served it, its honest
 * `cacheHit`, and its latency; the runs differ only in what the cache holds beforehand.
 */
import { createRuntime, type CacheHit, type CacheSnapshot, type CompileTier, type MissReason, type Runtime, type StartupTimings } from '../src/index.ts';
import type { Workload, WorkloadItem } from './workloads.ts';

export const RUN_KINDS = ['cold', 'warm', 'after-reload', 'startup-plain', 'startup-prewarm', 'startup-prewarm-long'] as const;
export type RunKind = (typeof RUN_KINDS)[number];

/** What the startup replay set out to warm and what it warmed (pipeline ids, in its order). */
export type StartupReplay = NonNullable<CacheSnapshot['startupReplay']>;

/** One compile + first dispatch. Plain data: results survive the reload in sessionStorage. */
export interface PipelineSample {
  readonly name: string;
  /** The compile's pipeline id: what the startup replay lists. */
  readonly pipelineId: string;
  readonly tier: CompileTier;
  readonly cacheHit: CacheHit;
  /** Wall time of `runtime.compile` on the main thread: what the app waits for. */
  readonly compileMs: number;
  /** The worker's own `timings.total` and `timings.gpuCompile`. */
  readonly workerMs: number;
  readonly gpuCompileMs: number;
  /** Persistent tier only: `timings.firstGpuCompile`, the GPU compile when the artifact was first compiled. */
  readonly firstGpuCompileMs: number | null;
  readonly missReason: MissReason | null;
  /** The first dispatch after the compile. */
  readonly dispatchMs: number;
}

export interface RunResult {
  readonly kind: RunKind;
  readonly workloadId: string;
  readonly workloadLabel: string;
  readonly samples: readonly PipelineSample[];
  /** From `firstResultFrom` to the first pipeline's first dispatch output. */
  readonly firstResultMs: number;
  readonly firstResultFrom: string;
  /** From the same start to the last pipeline's first output. */
  readonly allResultsMs: number;
  /** When the run started a runtime: how long `createRuntime` took. */
  readonly runtimeStartMs: number | null;
  /** When the run used a runtime it (or its page load) started: that runtime's `startup`. */
  readonly startup: StartupTimings | null;
  /** Beside `startup`: a bare `requestAdapter()` + `requestDevice()` on the page, just before the run. */
  readonly bareDeviceMs: number | null;
  /** With `prewarmOnStart`: the replay as it stood when the workload was done. */
  readonly replay: StartupReplay | null;
  readonly finishedAt: string;
}

/** How the run's runtime started, for runs that started one. */
interface StartFacts {
  readonly runtimeStartMs: number;
  readonly startup: StartupTimings;
  readonly bareDeviceMs: number | null;
  readonly replay: StartupReplay | null;
}

/** Called before each compile (`done` of `total` finished so far) and once at the end. */
export type ProgressListener = (done: number, total: number, next: string | null) => void;

interface Timed {
  readonly samples: PipelineSample[];
  readonly firstResultAt: number;
  readonly allResultsAt: number;
}

/** Compiles and dispatches every item in order; times are `performance.now()` values. */
async function compileAndDispatch(runtime: Runtime, items: readonly WorkloadItem[], onProgress: ProgressListener): Promise<Timed> {
  const samples: PipelineSample[] = [];
  let firstResultAt = Number.NaN;
  const total = items.length;
  for (const [index, item] of items.entries()) {
    onProgress(index, total, item.name);
    const compileStarted = performance.now();
    const build = await runtime.compile(item.program);
    const compiled = performance.now();
    await build.pipeline.dispatch(item.inputs(), item.options);
    const dispatched = performance.now();
    if (index === 0) firstResultAt = dispatched;
    samples.push({
      name: item.name,
      pipelineId: build.manifest.pipelineId,
      tier: build.tier,
      cacheHit: build.cacheHit,
      compileMs: compiled - compileStarted,
      workerMs: build.timings.total,
      gpuCompileMs: build.timings.gpuCompile,
      firstGpuCompileMs: build.timings.firstGpuCompile,
      missReason: build.missReason,
      dispatchMs: dispatched - compiled,
    });
  }
  onProgress(total, total, null);
  return { samples, firstResultAt, allResultsAt: performance.now() };
}

function result(kind: RunKind, workload: Workload, timed: Timed, start: number, from: string, facts: StartFacts | null): RunResult {
  return {
    kind,
    workloadId: workload.id,
    workloadLabel: workload.label,
    samples: timed.samples,
    firstResultMs: timed.firstResultAt - start,
    firstResultFrom: from,
    allResultsMs: timed.allResultsAt - start,
    runtimeStartMs: facts?.runtimeStartMs ?? null,
    startup: facts?.startup ?? null,
    bareDeviceMs: facts?.bareDeviceMs ?? null,
    replay: facts?.replay ?? null,
    finishedAt: new Date().toISOString(),
  };
}

/**
 * Cold: both tiers cleared, so every pipeline is lowered and compiled. Chrome's own
 * shader cache cannot be cleared from a page; on a real GPU it may still make the GPU
 * compile of a pipeline seen in an earlier session faster.
 */
export async function runCold(runtime: Runtime, workload: Workload, onProgress: ProgressListener): Promise<RunResult> {
  const items = workload.items;
  await runtime.clearCache({ memory: true, persistent: true });
  const start = performance.now();
  return result('cold', workload, await compileAndDispatch(runtime, items, onProgress), start, 'the first compile', null);
}

/** Warm in this page: the same runtime again, so the worker still holds every pipeline. */
export async function runWarm(runtime: Runtime, workload: Workload, onProgress: ProgressListener): Promise<RunResult> {
  const items = workload.items;
  const start = performance.now();
  return result('warm', workload, await compileAndDispatch(runtime, items, onProgress), start, 'the first compile', null);
}

/**
 * A bare `requestAdapter()` + `requestDevice()` on the page's main thread: what any WebGPU
 * app waits for before its first compile, to hold `runtime.startup` against. Measured
 * after a run, never during one, so it does not compete with the run it is shown beside.
 * `null` when there is no adapter.
 */
export async function timeBareDevice(): Promise<number | null> {
  const started = performance.now();
  const adapter = await navigator.gpu.requestAdapter();
  const device = await adapter?.requestDevice({ label: 'demo: bare requestDevice timing' });
  const ms = performance.now() - started;
  device?.destroy();
  return device === undefined ? null : ms;
}

/**
 * After reload: the page's runtime was created by this page load, so its memory tier is
 * empty and pipelines come from IndexedDB. `runtimeStartMs` is the time from navigation
 * start to the runtime being ready, measured by the caller.
 */
export async function runAfterReload(runtime: Runtime, workload: Workload, runtimeStartMs: number, onProgress: ProgressListener): Promise<RunResult> {
  const items = workload.items;
  const start = performance.now();
  const timed = await compileAndDispatch(runtime, items, onProgress);
  const facts = { runtimeStartMs, startup: runtime.startup, bareDeviceMs: await timeBareDevice(), replay: null };
  return result('after-reload', workload, timed, start, 'the first compile', facts);
}

/** Busy main thread, like an app parsing and rendering before it asks for the GPU. */
function simulateAppStartup(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Spin on purpose: timers would let the main thread idle, which real start-up does not.
  }
}

/** The start-up runs: with or without `prewarmOnStart`, and how long the app keeps the main thread busy. */
export const STARTUP_SCENARIOS = {
  'startup-plain': { prewarm: false, workMs: 100 },
  'startup-prewarm': { prewarm: true, workMs: 100 },
  // Long enough for the replay to warm a compile-heavy pipeline or two before the app asks.
  'startup-prewarm-long': { prewarm: true, workMs: 300 },
} as const satisfies Partial<Record<RunKind, { readonly prewarm: boolean; readonly workMs: number }>>;

export type StartupKind = keyof typeof STARTUP_SCENARIOS;

/**
 * Startup: a new runtime, with or without `prewarmOnStart`, then the app's own start-up
 * work, then the workload; timed from the `createRuntime` call. With prewarm the worker
 * replays the stored working set while the main thread is busy, so the compiles that
 * follow find the pipelines in memory (or join a compile already in flight).
 */
export async function runStartup(kind: StartupKind, workload: Workload, onProgress: ProgressListener): Promise<RunResult> {
  const { prewarm, workMs } = STARTUP_SCENARIOS[kind];
  const items = workload.items;
  const start = performance.now();
  const runtime = await createRuntime({ prewarmOnStart: prewarm });
  const runtimeStartMs = performance.now() - start;
  let timed: Timed;
  let replay: StartupReplay | null;
  try {
    simulateAppStartup(workMs);
    timed = await compileAndDispatch(runtime, items, onProgress);
    replay = (await runtime.cacheSnapshot()).startupReplay;
  } finally {
    await runtime.dispose();
  }
  const facts = { runtimeStartMs, startup: runtime.startup, bareDeviceMs: await timeBareDevice(), replay };
  return result(kind, workload, timed, start, 'createRuntime()', facts);
}

/** Counts of each tier and hit state in a run, for summaries. */
export function tally(samples: readonly PipelineSample[]): { tiers: Record<CompileTier, number>; hits: number; misses: number; unknowns: number } {
  const tiers: Record<CompileTier, number> = { compiled: 0, memory: 0, persistent: 0 };
  let hits = 0;
  let misses = 0;
  let unknowns = 0;
  for (const s of samples) {
    tiers[s.tier]++;
    if (s.cacheHit === true) hits++;
    else if (s.cacheHit === false) misses++;
    else unknowns++;
  }
  return { tiers, hits, misses, unknowns };
}
