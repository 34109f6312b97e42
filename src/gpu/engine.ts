/**
 * The GPU engine: owns the device, wires the compiler (tiers, telemetry) to the
 * dispatcher (pools, bind groups, residents), and survives device loss: a lost device is
 * replaced, pipelines are rebuilt from their artifacts on demand, calls in flight reject
 * with `device-lost`, and later calls work without the app doing anything.
 *
 * Nothing here knows about threads: the worker exposes it through Comlink, same-thread
 * mode calls it directly, and under Node it runs on Dawn.
 */
import { VyreError, isVyreError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { LOWERING_VERSION } from '../lower/lower-program.ts';
import type { CacheBounds, CacheSnapshot, PipelineCacheAuditReport } from '../protocol/cache.ts';
import type { CompileReport, PipelineReproManifest } from '../protocol/compile.ts';
import type { DispatchPlan, PlanLimits } from '../dispatch/dispatch-plan.ts';
import type { DispatchOptions } from '../protocol/dispatch.ts';
import { planBatch } from '../dispatch/repeat-plan.ts';
import { deviceFingerprint, type BrowserFacts, type DeviceFingerprint } from '../pipeline/fingerprint.ts';
import type { ResidentBufferRef } from '../protocol/resident.ts';
import { ELEMENT_TYPES, elementTypeOf, type ElementArray, type ElementType } from '../protocol/elements.ts';
import type { ArtifactStore } from '../pipeline/artifact-store.ts';
import { LIBRARY_VERSION } from '../version.ts';
import { createCompiler, type CompiledEntry } from '../pipeline/pipeline-cache.ts';
import { type PipelinePrewarmReport } from '../protocol/compile.ts';
import { acquireDevice } from './device.ts';
import { type AdapterOptions, type DeviceSummary, type GpuStats } from '../protocol/device.ts';
import { Dispatcher } from './dispatcher.ts';
import { type DispatchReply } from '../protocol/dispatch.ts';
import { createGpuStats } from './gpu-stats.ts';
import { ResidentRegistry } from './resident-registry.ts';

export interface EngineOptions {
  readonly adapter?: AdapterOptions;
  readonly browser: BrowserFacts;
  /** The artifact store, or its opening: the device is requested while the store opens. */
  readonly store: ArtifactStore | Promise<ArtifactStore>;
  readonly memoryBounds: CacheBounds;
  readonly persistentBounds: CacheBounds;
  readonly logger: Logger;
  /** Names this runtime in resident-buffer references, so another runtime's are refused. */
  readonly runtimeId: string;
}

export interface PrewarmProgress {
  readonly completed: number;
  readonly total: number;
  readonly report: PipelinePrewarmReport;
}

export interface Engine {
  readonly summary: DeviceSummary;
  readonly fingerprint: DeviceFingerprint;
  compile(program: unknown, policy?: unknown): Promise<CompileReport>;
  compileKnown(pipelineId: string): Promise<CompileReport | null>;
  prewarm(programs: unknown, options: { concurrency?: unknown; onProgress?: (progress: PrewarmProgress) => void }): Promise<PipelinePrewarmReport[]>;
  prewarmFromStore(limit: number): Promise<number>;
  /** One dispatch per item of `batch`, in one encoder and one submit. */
  dispatch(pipelineId: string, batch: readonly unknown[], options?: DispatchOptions): Promise<DispatchReply>;
  createBuffer(source: unknown): ResidentBufferRef;
  readBuffer(ref: ResidentBufferRef): Promise<ElementArray>;
  destroyBuffer(ref: ResidentBufferRef): void;
  cacheAudit(alarmThresholdBps: unknown): PipelineCacheAuditReport;
  cacheSnapshot(): Promise<CacheSnapshot>;
  gpuStats(): GpuStats;
  manifests(): Promise<PipelineReproManifest[]>;
  clearCache(which: { memory: boolean; persistent: boolean }): Promise<void>;
  /** Destroys the device as a driver reset would; the engine recovers. For resilience tests. */
  loseDevice(): void;
  dispose(): void;
}

/**
 * Acquires a device from `gpu` and returns an engine bound to it.
 * @throws VyreError `webgpu-unavailable`, `adapter-unavailable`
 */
export async function createEngine(gpu: GPU | undefined, options: EngineOptions): Promise<Engine> {
  // Both wait on other processes (GPU, storage): ask for both at once. If the store fails,
  // the device is not left behind (a failed device is the caller's to report; it closes the store).
  const acquiring = acquireDevice(gpu, options.adapter);
  const [first, store] = await Promise.all([acquiring, options.store]).catch(async (error: unknown) => {
    (await acquiring.catch(() => undefined))?.device.destroy();
    throw error;
  });
  let acquired = first;
  const summary = acquired.summary;
  const fingerprint = deviceFingerprint({
    adapterInfo: summary.adapterInfo,
    isFallbackAdapter: summary.isFallbackAdapter,
    features: summary.features,
    limits: { ...summary.limits },
    browser: options.browser,
    libraryVersion: LIBRARY_VERSION,
    loweringVersion: LOWERING_VERSION,
  });
  const stats = createGpuStats();
  const residents = new ResidentRegistry(options.runtimeId, acquired.device, stats);
  let dispatcher = new Dispatcher(acquired.device, residents, stats);
  let recovering: Promise<void> | undefined;
  let disposed = false;
  const compiler = createCompiler({
    device: () => acquired.device,
    summary,
    fingerprint,
    browser: `${options.browser.name} ${options.browser.version}`,
    store,
    memoryBounds: options.memoryBounds,
    persistentBounds: options.persistentBounds,
    logger: options.logger,
  });

  const watch = (device: GPUDevice): void => {
    // Dispatches repeat validated commands without an error scope; anything that slips
    // past every scope lands here, counted and logged rather than silent.
    device.addEventListener('uncapturederror', (event) => {
      stats.uncapturedErrors++;
      options.logger.warn('uncaptured-gpu-error', `WebGPU reported an error no scope caught: ${(event as GPUUncapturedErrorEvent).error.message}`);
    });
    void device.lost.then((info) => {
      if (disposed || device !== acquired.device) return;
      stats.deviceLosses++;
      options.logger.warn('device-lost', `The GPU device was lost (${info.reason}): ${info.message}. Requesting a new one.`);
      recovering = recover().finally(() => (recovering = undefined));
    });
  };
  const recover = async (): Promise<void> => {
    const next = await acquireDevice(gpu, options.adapter);
    acquired = next;
    residents.deviceLost(next.device);
    dispatcher = new Dispatcher(next.device, residents, stats);
    compiler.reset();
    watch(next.device);
  };
  watch(acquired.device);

  /** Runs `work` on the current device; failures caused by losing that device become `device-lost`. */
  async function onDevice<T>(work: () => Promise<T>): Promise<T> {
    if (recovering) await recovering;
    const device = acquired.device;
    try {
      return await work();
    } catch (error) {
      if (isVyreError(error) && error.code !== 'gpu-error' && error.code !== 'shader-compilation' && error.code !== 'internal') throw error;
      const lost = await Promise.race([device.lost.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 100))]);
      if (!lost) throw error;
      throw new VyreError('device-lost', 'The GPU device was lost while this call ran.', 'retry the call: the runtime has requested a new device and rebuilds pipelines on demand.', {}, { cause: error });
    }
  }

  async function entryOf(pipelineId: unknown): Promise<CompiledEntry> {
    const entry = typeof pipelineId === 'string' ? await compiler.pipeline(pipelineId) : undefined;
    if (entry === undefined) {
      throw new VyreError('invalid-input', `No compiled pipeline has the id "${String(pipelineId)}" in this runtime.`, 'dispatch through the pipeline returned by runtime.compile() of this runtime.', { pipelineId: String(pipelineId) });
    }
    return entry;
  }

  const limits: PlanLimits = {
    maxStorageBufferBindingSize: summary.limits.maxStorageBufferBindingSize,
    maxComputeWorkgroupsPerDimension: summary.limits.maxComputeWorkgroupsPerDimension,
    checkResident: (ref) => void residents.buffer(ref),
  };

  async function dispatch(pipelineId: string, batch: readonly unknown[], dispatchOptions?: DispatchOptions): Promise<DispatchReply> {
    return onDevice(async () => {
      const entry = compiler.pipelineInMemory(pipelineId) ?? (await entryOf(pipelineId));
      const plans: DispatchPlan[] = planBatch(entry.artifact, batch, dispatchOptions, limits);
      return dispatcher.run(entry, plans, dispatchOptions?.timing === true);
    });
  }

  async function prewarm(programs: unknown, prewarmOptions: { concurrency?: unknown; onProgress?: (progress: PrewarmProgress) => void }): Promise<PipelinePrewarmReport[]> {
    if (!Array.isArray(programs)) {
      throw new VyreError('invalid-program', 'prewarm() needs a list of programs.', 'pass an array: runtime.prewarm([programA, programB]).');
    }
    const concurrency = prewarmOptions.concurrency ?? 2;
    if (typeof concurrency !== 'number' || !Number.isInteger(concurrency) || concurrency < 1) {
      throw new VyreError('invalid-input', `prewarm concurrency is ${String(concurrency)}.`, 'pass a positive integer (2 is a good default).');
    }
    const reports: PipelinePrewarmReport[] = new Array(programs.length);
    let next = 0;
    let completed = 0;
    const lane = async (): Promise<void> => {
      while (next < programs.length) {
        const index = next++;
        const report = await onDevice(() => compiler.compile(programs[index]));
        const entry = { pipelineId: report.pipelineId, cacheHit: report.cacheHit, tier: report.tier, manifest: report.manifest };
        reports[index] = entry;
        completed++;
        // A failing progress callback (e.g. a closed page) must not fail the prewarm.
        try {
          prewarmOptions.onProgress?.({ completed, total: programs.length, report: entry });
        } catch (error) {
          options.logger.warn('progress-callback-failed', 'The prewarm progress callback threw.', { error: String(error) });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, programs.length) }, lane));
    return reports;
  }

  function createBuffer(source: unknown): ResidentBufferRef {
    const type = elementTypeOf(source);
    if (type !== undefined) {
      const data = source as ElementArray;
      return residents.create(type, data.length, data);
    }
    const spec = (typeof source === 'object' && source !== null ? source : {}) as { type?: unknown; length?: unknown };
    const length = spec.length;
    if (!(ELEMENT_TYPES as readonly unknown[]).includes(spec.type) || typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0) {
      throw new VyreError('invalid-input', 'createBuffer needs a typed array or { type, length }.', "pass new Float32Array(n) or { type: 'f32', length: n }.", {});
    }
    if (length * 4 > summary.limits.maxStorageBufferBindingSize) {
      throw new VyreError('invalid-input', `A buffer of ${length * 4} bytes is over maxStorageBufferBindingSize (${summary.limits.maxStorageBufferBindingSize}).`, 'use smaller buffers.', { limit: summary.limits.maxStorageBufferBindingSize });
    }
    return residents.create(spec.type as ElementType, length);
  }

  return {
    summary,
    fingerprint,
    compile: (program, policy) => onDevice(() => compiler.compile(program, policy)),
    compileKnown: (pipelineId) => onDevice(() => compiler.compileKnown(pipelineId)),
    prewarm,
    prewarmFromStore: compiler.prewarmFromStore,
    dispatch,
    createBuffer,
    readBuffer: (ref) => onDevice(() => dispatcher.readResident(ref)),
    destroyBuffer: (ref) => dispatcher.destroyResident(ref),
    cacheAudit: (threshold) => compiler.audit.report(threshold as number),
    cacheSnapshot: compiler.snapshot,
    gpuStats: () => ({ ...stats }),
    manifests: () => store.manifests(),
    clearCache: compiler.clear,
    loseDevice: () => acquired.device.destroy(),
    dispose: () => {
      disposed = true;
      residents.destroyAll();
      dispatcher.clear();
      store.close();
      acquired.device.destroy();
    },
  };
}
