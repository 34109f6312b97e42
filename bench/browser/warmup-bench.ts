/**
 * Cache-warmup scenarios, one page load (one browser start) at a time; `bench/warmup.mjs`
 * drives them through Playwright and restarts the browser between them.
 *
 * Every scenario runs one app of `warmup-workloads.ts` (the 13 small kernels, or the
 * compile-heavy WGSL shaders): start (createRuntime, or requestAdapter + requestDevice for
 * raw WebGPU), compile the first program, dispatch it once and read the result back (time
 * to first result), then compile the others one after another (time to all compiled).
 * Times are main-thread wall clock from the start.
 */
import * as vyre from '../../test/support/vyre-all.ts';
import type { RawWorkerMessage } from './raw-worker-protocol.ts';
import { workload, type ResultCheck, type WorkloadName } from './warmup-workloads.ts';

/** One program's compile, seen from the main thread (and from the worker, for vyre-web). */
export interface PipelineSample {
  readonly name: string;
  /** Main-thread wall time of `runtime.compile` (or of createShaderModule + createComputePipelineAsync). */
  readonly ms: number;
  /** vyre-web only: the tier that served it, its cache-hit flag and the worker's own timings. */
  readonly tier?: vyre.CompileTier;
  readonly cacheHit?: vyre.CacheHit;
  readonly inWorker?: number;
  readonly gpuCompile?: number;
  /** The worker's program check and key hashing, and its persistent-tier read (ms). */
  readonly digest?: number;
  readonly storeRead?: number;
  /** Lowering (IR) or WGSL reflection, and the persistent-tier write, of a `compiled` compile (ms). */
  readonly lower?: number;
  readonly storeWrite?: number;
}

/**
 * Where a runtime's start went, as `runtime.startup` reports it: per step, ms from the
 * createRuntime call until it was done. Read only when the runtime has it (it is being
 * added to the library; older builds lack it).
 */
export interface StartupBreakdown {
  /** When the worker's global scope was made (its `performance.timeOrigin`). */
  readonly workerCreated?: number | null;
  readonly workerBoot?: number | null;
  readonly workerScript: number | null;
  readonly adapter: number;
  readonly device: number;
  readonly store: number;
  readonly ready: number;
}

export interface ScenarioRun {
  readonly workload: WorkloadName;
  /** createRuntime (or requestAdapter + requestDevice) until it resolved; 0 when the runtime already existed. */
  readonly startup: number;
  /** vyre-web: `runtime.startup`, when the library reports it. */
  readonly startupBreakdown?: StartupBreakdown;
  /** From the start until the first program's first dispatch came back. */
  readonly firstResult: number;
  /** From the start until every program was compiled (includes that one dispatch). */
  readonly allCompiled: number;
  readonly pipelines: readonly PipelineSample[];
  /** The first result matched its reference. */
  readonly resultOk: boolean;
  /** Programs whose tier was not what the scenario expects (empty when all were). */
  readonly unexpectedTiers: readonly string[];
  /** The adapter, as `runtime.deviceFingerprint.readable` (vyre-web) or `adapter.info` (raw). */
  readonly device: string;
  /** vyre-web: the id of the first program's pipeline, to find it in the startup replay. */
  readonly firstPipelineId?: string;
  readonly cacheSnapshot?: vyre.CacheSnapshot;
  readonly storage?: vyre.StorageStatus;
}

/** What the scenarios use of the library: src/ by default, or a built bundle. */
interface Library {
  readonly createRuntime: typeof vyre.createRuntime;
}
let library: Library = vyre;

/**
 * Picks the library the scenarios run: `url` of a built bundle's entry, or `null` for
 * src/ through the dev server. Call it before the clock starts (an app loads its script first).
 */
export async function useLibrary(url: string | null): Promise<void> {
  library = url === null ? vyre : ((await import(/* @vite-ignore */ url)) as Library);
}

/** Runtime kept between scenarios of one page load (cold, then warm), with its app. */
let current: { runtime: vyre.Runtime; workload: WorkloadName } | undefined;

/** Tasks the app's start-up work is cut into (ms each); 0: one synchronous block. See {@link setAppWorkTasks}. */
let appWorkTaskMs = 0;

/**
 * How the app's start-up work is shaped: one block (0, the default), or tasks of `taskMs`
 * with a yield to the event loop between them, as apps that follow Chrome's long-task
 * advice run. It matters: Chrome starts a worker only between main-thread tasks, so a
 * worker created before one long block starts after it.
 */
export function setAppWorkTasks(taskMs: number): void {
  appWorkTaskMs = taskMs;
}

/** Idle ms before the app's work (0: none). See {@link setAppYield}. */
let appYieldMs = 0;

/**
 * Lets the main thread go for `ms` between calling `createRuntime()` (raw: `requestAdapter()`)
 * and the app's work, as an app that yields once before its own start-up would. Chrome
 * creates a worker in main-thread tasks of its own after a round trip to the browser process:
 * a yield of one task is too short for them, a few milliseconds are not (docs/benchmarks.md).
 */
export function setAppYield(ms: number): void {
  appYieldMs = ms;
}

/** Busy main thread for `ms`: the app's own start-up work (script evaluation, first render). */
async function appWork(ms: number): Promise<void> {
  if (appYieldMs > 0) await new Promise((resolve) => setTimeout(resolve, appYieldMs));
  const until = performance.now() + ms;
  let x = 0;
  while (performance.now() < until) {
    const taskEnd = appWorkTaskMs > 0 ? Math.min(until, performance.now() + appWorkTaskMs) : until;
    while (performance.now() < taskEnd) x = (x * 31 + 7) % 1_000_003;
    if (appWorkTaskMs > 0 && performance.now() < until) await new Promise((resolve) => setTimeout(resolve, 0));
  }
  if (x < 0) console.log(x);
}

type AppRun = Omit<ScenarioRun, 'workload' | 'startup' | 'device'>;

async function compileAll(runtime: vyre.Runtime, name: WorkloadName, t0: number, expected: readonly vyre.CompileTier[]): Promise<AppRun> {
  const app = workload(name);
  const pipelines: PipelineSample[] = [];
  const unexpectedTiers: string[] = [];
  let firstResult = Number.NaN;
  let check: ResultCheck = () => false;
  let firstPipelineId: string | undefined;
  for (const [index, { name: programName, program }] of app.programs.entries()) {
    const started = performance.now();
    const build = await runtime.compile(program);
    pipelines.push({ name: programName, ms: performance.now() - started, tier: build.tier, cacheHit: build.cacheHit, inWorker: build.timings.total, gpuCompile: build.timings.gpuCompile, digest: build.timings.digest, storeRead: build.timings.storeRead, lower: build.timings.lower, storeWrite: build.timings.storeWrite });
    if (!expected.includes(build.tier)) unexpectedTiers.push(`${programName}: ${build.tier}`);
    if (index === 0) {
      check = await app.dispatchFirst(build.pipeline);
      firstResult = performance.now() - t0;
      firstPipelineId = build.pipeline.id;
    }
  }
  const allCompiled = performance.now() - t0;
  return { firstResult, allCompiled, pipelines, resultOk: check(), unexpectedTiers, ...(firstPipelineId === undefined ? {} : { firstPipelineId }) };
}

/**
 * A new runtime on `dbName`, then the app `workload`: first result, all compiled. The
 * runtime stays open for {@link warmInPage}.
 * @param expected - the tiers this start should see: `compiled` on a fresh profile,
 *   `persistent` after a restart, `memory`/`persistent` with startup prewarm.
 * @param appWorkMs - main-thread work between calling createRuntime and awaiting it.
 */
export async function startRuntime(options: { dbName: string; workload: WorkloadName; prewarmOnStart: boolean; appWorkMs: number; expected: vyre.CompileTier[] }): Promise<ScenarioRun> {
  if (current !== undefined) throw new Error('a runtime is already open in this page');
  workload(options.workload);
  const t0 = performance.now();
  const pending = library.createRuntime({ persistent: { dbName: options.dbName }, prewarmOnStart: options.prewarmOnStart });
  if (options.appWorkMs > 0) await appWork(options.appWorkMs);
  const runtime = await pending;
  const startup = performance.now() - t0;
  current = { runtime, workload: options.workload };
  const run = await compileAll(runtime, options.workload, t0, options.expected);
  const breakdown = (runtime as { startup?: StartupBreakdown }).startup;
  return {
    workload: options.workload,
    startup,
    ...(breakdown === undefined ? {} : { startupBreakdown: breakdown }),
    ...run,
    device: runtime.deviceFingerprint.readable,
    storage: runtime.storage,
    cacheSnapshot: await runtime.cacheSnapshot(),
  };
}

/** The runtime of {@link startRuntime}, compiling its app again: the memory tier. */
export async function warmInPage(): Promise<ScenarioRun> {
  if (current === undefined) throw new Error('warmInPage needs startRuntime first');
  const t0 = performance.now();
  const run = await compileAll(current.runtime, current.workload, t0, ['memory']);
  return { workload: current.workload, startup: 0, ...run, device: current.runtime.deviceFingerprint.readable };
}

/**
 * Where the first program stands in the stored records by recency (0 = most recently
 * used), and how many there are. Call it last: reading manifests does not change the
 * order, but it costs a round trip.
 */
export async function workingSetPosition(): Promise<{ position: number; of: number }> {
  if (current === undefined) throw new Error('workingSetPosition needs startRuntime first');
  const first = workload(current.workload).programs[0];
  if (first === undefined) throw new Error('the app has no programs');
  const build = await current.runtime.compile(first.program);
  const manifests = await current.runtime.manifests();
  return { position: manifests.findIndex((m) => m.pipelineId === build.pipeline.id), of: manifests.length };
}

export async function closeRuntime(): Promise<void> {
  await current?.runtime.dispose();
  current = undefined;
}

/**
 * Hand-written raw WebGPU on the main thread, no vyre-web: the app `workload` with the
 * same WGSL in the same order (first program, one dispatch with its buffers, then the
 * others), a fresh device. `startup` with no app work is the bare device a runtime's
 * start is compared with.
 */
export async function rawWebGpu(options: { workload: WorkloadName; appWorkMs: number }): Promise<ScenarioRun> {
  const app = workload(options.workload);
  const t0 = performance.now();
  const pendingAdapter = navigator.gpu.requestAdapter();
  if (options.appWorkMs > 0) await appWork(options.appWorkMs);
  const adapter = await pendingAdapter;
  if (adapter === null) throw new Error('no WebGPU adapter');
  const device = await adapter.requestDevice();
  const startup = performance.now() - t0;
  const pipelines: PipelineSample[] = [];
  let firstResult = Number.NaN;
  let check: ResultCheck = () => false;
  for (const [index, shader] of app.raw.entries()) {
    const started = performance.now();
    const pipeline = await shader.compile(device);
    pipelines.push({ name: shader.name, ms: performance.now() - started });
    if (index === 0) {
      check = await app.rawDispatchFirst(device, pipeline);
      firstResult = performance.now() - t0;
    }
  }
  const allCompiled = performance.now() - t0;
  const info = adapter.info;
  device.destroy();
  return { workload: options.workload, startup, firstResult, allCompiled, pipelines, resultOk: check(), unexpectedTiers: [], device: [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' / ') };
}

/** The raw worker's script (raw-worker.ts): the bundle's copy, set by {@link setRawWorkerUrl}, or the dev server's. */
let rawWorkerUrl: string | null = null;

/** Serves raw-worker.ts from `url` (built beside the library's bundle), or from the dev server with `null`. */
export function setRawWorkerUrl(url: string | null): void {
  rawWorkerUrl = url;
}

/**
 * Hand-written raw WebGPU in a dedicated worker, no vyre-web: the same app as
 * {@link rawWebGpu}, with the device where vyre-web has it. The floor of a worker-owned
 * device on this browser and machine. `startup` is when the page hears the worker has its
 * device, as `createRuntime()` resolves once the worker is ready; the worker gets the whole
 * app in one message and does not wait for the page between steps.
 */
export async function rawWebGpuInWorker(options: { workload: WorkloadName; appWorkMs: number }): Promise<ScenarioRun> {
  const app = workload(options.workload);
  const job = app.rawWorkerJob();
  const t0 = performance.now();
  const worker = rawWorkerUrl === null
    ? new Worker(new URL('./raw-worker.ts', import.meta.url), { type: 'module' })
    : new Worker(rawWorkerUrl, { type: 'module' });
  const heard = rawWorkerMessages(worker);
  worker.postMessage(job);
  if (options.appWorkMs > 0) await appWork(options.appWorkMs);
  try {
    const device = await heard.next('device');
    const startup = performance.now() - t0;
    const first = await heard.next('first-result');
    const firstResult = performance.now() - t0;
    const all = await heard.next('all-compiled');
    const allCompiled = performance.now() - t0;
    const since = (at: number): number => at - (performance.timeOrigin + t0);
    return {
      workload: options.workload, startup, firstResult, allCompiled,
      startupBreakdown: { workerCreated: since(device.createdAt), workerBoot: since(device.adapterAskedAt), workerScript: null, adapter: since(device.adapterAt), device: since(device.deviceAt), store: since(all.databaseAt), ready: Math.max(since(device.deviceAt), since(all.databaseAt)) },
      pipelines: all.compileMs.map((ms, index) => ({ name: job.shaders[index]?.name ?? '?', ms })),
      resultOk: app.checkRawWorkerOutput(first.output)(), unexpectedTiers: [], device: device.adapter,
    };
  } finally {
    worker.terminate();
  }
}

type MessageOf<K extends RawWorkerMessage['kind']> = Extract<RawWorkerMessage, { kind: K }>;

/** The raw worker's messages in order: `next(kind)` waits for the next one, which must be `kind`. */
function rawWorkerMessages(worker: Worker): { next<K extends RawWorkerMessage['kind']>(kind: K): Promise<MessageOf<K>> } {
  const queue: RawWorkerMessage[] = [];
  let wake: (() => void) | undefined;
  worker.onmessage = (event: MessageEvent<RawWorkerMessage>) => {
    queue.push(event.data);
    wake?.();
  };
  worker.onerror = (event) => {
    queue.push({ kind: 'failed', message: event.message || 'the raw worker did not load' });
    wake?.();
  };
  return {
    async next(kind) {
      while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const message = queue.shift() as RawWorkerMessage;
      if (message.kind === 'failed') throw new Error(`raw WebGPU in a worker: ${message.message}`);
      if (message.kind !== kind) throw new Error(`raw WebGPU in a worker: expected ${kind}, heard ${message.kind}`);
      return message as MessageOf<typeof kind>;
    },
  };
}

/** The browser as the page sees it, for naming the machine (the full version: the user agent string is reduced). */
export async function browserFacts(): Promise<{ browser: string; userAgent: string; crossOriginIsolated: boolean; cores: number }> {
  const data = (navigator as { userAgentData?: { getHighEntropyValues(hints: string[]): Promise<{ fullVersionList?: { brand: string; version: string }[] }> } }).userAgentData;
  const brands = (await data?.getHighEntropyValues(['fullVersionList']).catch(() => undefined))?.fullVersionList ?? [];
  const brand = brands.find((b) => b.brand === 'Google Chrome') ?? brands.find((b) => b.brand === 'Chromium');
  const browser = brand === undefined ? navigator.userAgent : `${brand.brand} ${brand.version}`;
  return { browser, userAgent: navigator.userAgent, crossOriginIsolated: self.crossOriginIsolated, cores: navigator.hardwareConcurrency };
}
