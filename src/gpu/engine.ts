/**
 * The GPU engine: owns the device, wires the pipeline cache (tiers, telemetry) to the
 * dispatcher (pools, bind groups, residents), and survives device loss: a lost device is
 * replaced, pipelines are rebuilt from their artifacts on demand, calls in flight reject
 * with `device-lost`, and later calls work without the app doing anything.
 *
 * Nothing here knows about threads: the worker exposes it through Comlink, same-thread
 * mode calls it directly, and under Node it runs on Dawn.
 */
import { VyreError, isVyreError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { DispatchPlan, PlanLimits } from '../dispatch/dispatch-plan.ts';
import { planImageBatch } from '../dispatch/plan-image-batch.ts';
import type { ImageLimits } from '../dispatch/plan-images.ts';
import { parseResidentSource } from '../dispatch/resident-source.ts';
import { LOWERING_VERSION } from '../lower/lowering-version.ts';
import type { ArtifactStore } from '../pipeline/artifact-store.ts';
import { deviceFingerprint, type BrowserFacts, type DeviceFingerprint } from '../pipeline/fingerprint.ts';
import { PipelineCache, type CompiledEntry } from '../pipeline/pipeline-cache.ts';
import { prewarmPrograms, type PrewarmRequest } from '../pipeline/prewarm.ts';
import type { CacheBounds, CacheSnapshot, PipelineCacheAuditReport } from '../protocol/cache.ts';
import type { CompileReport, PipelinePrewarmReport, PipelineReproManifest } from '../protocol/compile.ts';
import type { AdapterOptions, DeviceSummary, GpuStats } from '../protocol/device.ts';
import type { DispatchOptions, DispatchReply } from '../protocol/dispatch.ts';
import type { ElementArray } from '../protocol/elements.ts';
import type { ResidentBufferRef } from '../protocol/resident.ts';
import type { ResidentTextureRef } from '../protocol/images.ts';
import { LIBRARY_VERSION } from '../version.ts';
import { compilePipeline, type GpuPipeline } from './compile-pipeline.ts';
import { acquireDevice, type AcquiredDevice } from './device.ts';
import { Dispatcher } from './dispatcher.ts';
import { warmUpDispatch, type DispatchSample } from './dispatch-warm-up.ts';
import { endLoans, lendStagedInputs, stagedIdsOf } from './staged-uploads.ts';
import { mapWaitFor } from './map-read.ts';
import { createGpuStats } from './gpu-stats.ts';
import { ResidentRegistry } from './resident-registry.ts';

export interface EngineOptions {
  readonly adapter?: AdapterOptions;
  /** The browser's name and version, or their reading: the device is requested meanwhile. */
  readonly browser: BrowserFacts | Promise<BrowserFacts>;
  /** The artifact store, or its opening: the device is requested while the store opens. */
  readonly store: ArtifactStore | Promise<ArtifactStore>;
  readonly memoryBounds: CacheBounds;
  readonly persistentBounds: CacheBounds;
  readonly logger: Logger;
  /** Names this runtime in resident-buffer references, so another runtime's are refused. */
  readonly runtimeId: string;
  /** Told when the first adapter and device are had, for the start-up breakdown. */
  readonly onStartupStep?: (step: 'adapter' | 'device') => void;
  /** An adapter already asked for with `adapter`'s options (the worker's boot); used for the first device only. */
  readonly earlyAdapter?: Promise<GPUAdapter | null>;
  /** Told each time a pipeline build has been asked of the GPU process (the thread is free until it answers). */
  readonly onBuildIssued?: () => void;
}

/**
 * Acquires a device from `gpu` and returns an engine bound to it.
 * @throws VyreError `webgpu-unavailable`, `adapter-unavailable`
 */
export async function createEngine(gpu: GPU | undefined, options: EngineOptions): Promise<Engine> {
  // All wait on other processes (GPU, storage, the browser): ask for all at once. If the
  // store fails, the device is not left behind (a failed device is the caller's to report;
  // it closes the store).
  const acquiring = acquireDevice(gpu, options.adapter, options.onStartupStep, options.earlyAdapter);
  const [acquired, store, browser] = await Promise.all([acquiring, options.store, options.browser]).catch(async (error: unknown) => {
    (await acquiring.catch(() => undefined))?.device.destroy();
    throw error;
  });
  return new Engine(gpu, acquired, store, { ...options, browser });
}

/** One device, its pipeline cache and its dispatcher. Made by {@link createEngine}. */
export class Engine {
  readonly summary: DeviceSummary;
  readonly fingerprint: DeviceFingerprint;
  readonly #gpu: GPU | undefined;
  readonly #options: EngineOptions & { readonly browser: BrowserFacts };
  readonly #store: ArtifactStore;
  readonly #cache: PipelineCache<GpuPipeline>;
  readonly #stats = createGpuStats();
  readonly #residents: ResidentRegistry;
  readonly #limits: PlanLimits;
  #acquired: AcquiredDevice;
  #dispatcher: Dispatcher;
  #recovering: Promise<void> | undefined;
  #disposed = false;

  /** @internal Use {@link createEngine}. */
  constructor(gpu: GPU | undefined, acquired: AcquiredDevice, store: ArtifactStore, options: EngineOptions & { readonly browser: BrowserFacts }) {
    this.#gpu = gpu;
    this.#options = options;
    this.#store = store;
    this.#acquired = acquired;
    this.summary = acquired.summary;
    this.fingerprint = fingerprintOf(acquired.summary, options.browser);
    this.#residents = new ResidentRegistry(options.runtimeId, acquired.device, this.#stats);
    this.#dispatcher = new Dispatcher(acquired.device, this.#residents, this.#stats, mapWaitFor(options.browser));
    this.#cache = new PipelineCache<GpuPipeline>({
      build: (artifact, label) => {
        const built = compilePipeline(this.#acquired.device, artifact, label);
        options.onBuildIssued?.();
        return built;
      },
      limits: this.summary.limits,
      fingerprint: this.fingerprint,
      browser: `${options.browser.name} ${options.browser.version}`,
      store,
      memoryBounds: options.memoryBounds,
      persistentBounds: options.persistentBounds,
      logger: options.logger,
    });
    this.#limits = {
      maxStorageBufferBindingSize: this.summary.limits.maxStorageBufferBindingSize,
      maxComputeWorkgroupsPerDimension: this.summary.limits.maxComputeWorkgroupsPerDimension,
      checkResident: (ref) => void this.#residents.buffer(ref),
    };
    this.#watch(acquired.device);
  }

  compile(program: unknown, policy?: unknown): Promise<CompileReport> {
    return this.#onDevice(() => this.#cache.compile(program, policy));
  }

  /** The program from a tier that already holds it; `null` when none does (nothing is compiled). */
  compileStored(program: unknown, policy?: unknown): Promise<CompileReport | null> {
    return this.#onDevice(() => this.#cache.compileStored(program, policy));
  }

  compileKnown(pipelineId: string): Promise<CompileReport | null> {
    return this.#onDevice(async () => this.#cache.compileKnown(pipelineId));
  }

  prewarm(programs: unknown, request: PrewarmRequest): Promise<PipelinePrewarmReport[]> {
    return prewarmPrograms(programs, request, (program) => this.compile(program), this.#options.logger);
  }

  /**
   * Runs `sample` through a dispatcher of its own on this device, for the code it runs
   * (dispatch-warm-up.ts). A failure because the runtime was disposed or its device lost
   * meanwhile is no failure of the warm-up: it resolves.
   */
  async warmUpDispatch(sample: DispatchSample): Promise<void> {
    const device = this.#acquired.device;
    const target = { device, mapWait: mapWaitFor(this.#options.browser), limits: this.#limits, imageLimits: this.#imageLimits() };
    try {
      await warmUpDispatch(target, sample);
    } catch (error) {
      if (!this.#disposed && this.#acquired.device === device) throw error;
    }
  }

  /** Builds last visit's first pipeline ahead (see {@link PipelineCache.buildFirstAhead}). */
  buildFirstAhead(): Promise<void> {
    return this.#cache.buildFirstAhead();
  }

  /** Replays the stored working set of this device (see {@link PipelineCache.replayWorkingSet}). */
  replayWorkingSet(limit: number, onStarted?: () => void): Promise<number> {
    return this.#cache.replayWorkingSet(limit, onStarted);
  }

  /**
   * One dispatch per item of `batch`, in one encoder and one submit. Staged inputs it names
   * end with it, whatever happens; their bands' memory comes back in `recycled`.
   */
  async dispatch(pipelineId: string, batch: readonly unknown[], options?: DispatchOptions): Promise<DispatchReply> {
    const ids = Array.isArray(batch) ? stagedIdsOf(batch) : [];
    // The common dispatch names no staged input: nothing to lend, nothing to end.
    if (ids.length === 0) return this.#onDevice(() => this.#dispatchNow(pipelineId, batch, options));
    const staged = this.#dispatcher.staged;
    // Claimed as the message arrives, before anything awaits: later bands never displace these.
    staged.claim(ids);
    try {
      return await this.#onDevice(async () => {
        const loans = lendStagedInputs(batch, ids, staged, this.#residents);
        try {
          const reply = await this.#dispatchNow(pipelineId, loans.batch, options);
          return { ...reply, recycled: endLoans(loans, staged, this.#residents) };
        } catch (error) {
          endLoans(loans, staged, this.#residents);
          throw error;
        }
      });
    } finally {
      // Uploads named but never lent (the pipeline id was unknown) end here too.
      staged.finish(ids);
    }
  }

  async #dispatchNow(pipelineId: string, batch: readonly unknown[], options: DispatchOptions | undefined): Promise<DispatchReply> {
    const entry = this.#cache.pipelineInMemory(pipelineId) ?? (await this.#entryOf(pipelineId));
    const plans: DispatchPlan[] = planImageBatch(entry.artifact, batch, options, this.#limits, this.#imageLimits());
    return this.#dispatcher.run(entry, plans, options?.timing === true);
  }

  /** Writes one band of a staged input (protocol/staging.ts). */
  stage(band: unknown): void {
    this.#dispatcher.staged.write(band);
  }

  #imageLimits(): ImageLimits {
    return { maxTextureDimension2D: this.#acquired.device.limits.maxTextureDimension2D, features: this.summary.features, checkResident: (ref) => this.#dispatcher.checkTexture(ref) };
  }

  /** @throws VyreError `invalid-input` */
  createBuffer(source: unknown): ResidentBufferRef {
    const request = parseResidentSource(source, this.summary.limits.maxStorageBufferBindingSize);
    return this.#residents.create(request.type, request.length, request.data);
  }

  readBuffer(ref: ResidentBufferRef): Promise<ElementArray> {
    return this.#onDevice(() => this.#dispatcher.readResident(ref));
  }

  destroyTexture(ref: ResidentTextureRef): void {
    this.#dispatcher.destroyTexture(ref);
  }

  destroyBuffer(ref: ResidentBufferRef): void {
    this.#dispatcher.destroyResident(ref);
  }

  cacheAudit(alarmThresholdBps: unknown): PipelineCacheAuditReport {
    return this.#cache.telemetry.audit.report(alarmThresholdBps as number);
  }

  cacheSnapshot(): Promise<CacheSnapshot> {
    return this.#cache.snapshot();
  }

  gpuStats(): GpuStats {
    return { ...this.#stats };
  }

  async manifests(): Promise<PipelineReproManifest[]> {
    await this.#cache.writesSettled();
    return this.#store.manifests();
  }

  clearCache(which: { readonly memory: boolean; readonly persistent: boolean }): Promise<void> {
    return this.#cache.clear(which);
  }

  /** Destroys the device as a driver reset would; the engine recovers. For resilience tests. */
  loseDevice(): void {
    this.#acquired.device.destroy();
  }

  /** Releases the device; the store's held-back uses are written before its connection closes. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    this.#residents.destroyAll();
    this.#dispatcher.clear();
    this.#acquired.device.destroy();
    // The client terminates the worker once this resolves: an unfinished write would be lost.
    await this.#cache.writesSettled();
    await this.#store.flush();
    this.#store.close();
  }

  #watch(device: GPUDevice): void {
    const { logger } = this.#options;
    // Dispatches repeat validated commands without an error scope; anything that slips
    // past every scope lands here, counted and logged rather than silent.
    device.addEventListener('uncapturederror', (event) => {
      this.#stats.uncapturedErrors++;
      logger.warn('uncaptured-gpu-error', `WebGPU reported an error no scope caught: ${(event as GPUUncapturedErrorEvent).error.message}`);
    });
    void device.lost.then((info) => {
      if (this.#disposed || device !== this.#acquired.device) return;
      this.#stats.deviceLosses++;
      logger.warn('device-lost', `The GPU device was lost (${info.reason}): ${info.message}. Requesting a new one.`);
      this.#recovering = this.#recover().finally(() => (this.#recovering = undefined));
    });
  }

  async #recover(): Promise<void> {
    const next = await acquireDevice(this.#gpu, this.#options.adapter);
    this.#acquired = next;
    this.#residents.deviceLost(next.device);
    this.#dispatcher = new Dispatcher(next.device, this.#residents, this.#stats, mapWaitFor(this.#options.browser));
    this.#cache.reset();
    this.#watch(next.device);
  }

  /** Runs `work` on the current device; failures caused by losing that device become `device-lost`. */
  async #onDevice<T>(work: () => Promise<T>): Promise<T> {
    if (this.#recovering) await this.#recovering;
    const device = this.#acquired.device;
    try {
      return await work();
    } catch (error) {
      if (isVyreError(error) && error.code !== 'gpu-error' && error.code !== 'shader-compilation' && error.code !== 'internal') throw error;
      const lost = await Promise.race([device.lost.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 100))]);
      if (!lost) throw error;
      throw new VyreError('device-lost', 'The GPU device was lost while this call ran.', 'retry the call: the runtime has requested a new device and rebuilds pipelines on demand.', {}, { cause: error });
    }
  }

  async #entryOf(pipelineId: unknown): Promise<CompiledEntry<GpuPipeline>> {
    const entry = typeof pipelineId === 'string' ? await this.#cache.pipeline(pipelineId) : undefined;
    if (entry === undefined) {
      throw new VyreError('invalid-input', `No compiled pipeline has the id "${String(pipelineId)}" in this runtime.`, 'dispatch through the pipeline returned by runtime.compile() of this runtime.', { pipelineId: String(pipelineId) });
    }
    return entry;
  }
}

function fingerprintOf(summary: DeviceSummary, browser: BrowserFacts): DeviceFingerprint {
  return deviceFingerprint({
    adapterInfo: summary.adapterInfo,
    isFallbackAdapter: summary.isFallbackAdapter,
    features: summary.features,
    limits: { ...summary.limits },
    browser,
    libraryVersion: LIBRARY_VERSION,
    loweringVersion: LOWERING_VERSION,
  });
}
