/**
 * The GPU engine: owns one device and wires the compiler (tiers, telemetry) to the
 * dispatcher. The worker exposes it through Comlink; nothing here knows about threads,
 * so the same engine runs under Node with Dawn.
 */
import { VyreError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import { LOWERING_VERSION } from '../lower/lower-program.ts';
import type { PipelineCacheAuditReport } from '../pipeline/audit.ts';
import type { CompileReport } from '../pipeline/build.ts';
import { planDispatch, type DispatchOptions, type DispatchOutputs } from '../pipeline/dispatch-plan.ts';
import { deviceFingerprint, type BrowserFacts, type DeviceFingerprint } from '../pipeline/fingerprint.ts';
import type { PipelineReproManifest } from '../pipeline/manifest.ts';
import type { CacheBounds } from '../pipeline/memory-cache.ts';
import type { CacheSnapshot } from '../pipeline/snapshot.ts';
import type { ArtifactStore } from '../store/artifact-store.ts';
import { LIBRARY_VERSION } from '../version.ts';
import { createCompiler, type PipelinePrewarmReport } from './compiler.ts';
import { acquireDevice, type AdapterOptions, type DeviceSummary } from './device.ts';
import { runDispatch } from './run-dispatch.ts';

export interface EngineOptions {
  readonly adapter?: AdapterOptions;
  readonly browser: BrowserFacts;
  readonly store: ArtifactStore;
  readonly memoryBounds: CacheBounds;
  readonly persistentBounds: CacheBounds;
  readonly logger: Logger;
}

export interface PrewarmProgress {
  readonly completed: number;
  readonly total: number;
  readonly report: PipelinePrewarmReport;
}

export interface Engine {
  readonly summary: DeviceSummary;
  readonly fingerprint: DeviceFingerprint;
  /** @throws VyreError `invalid-program`, `invalid-policy`, `shader-compilation` */
  compile(program: unknown, policy?: unknown): Promise<CompileReport>;
  /** Memory-tier fast path for a pipeline this runtime handed out; `null` when not held. */
  compileKnown(pipelineId: string): Promise<CompileReport | null>;
  /** Compiles without dispatching; one report per program, in order. */
  prewarm(programs: unknown, options: { concurrency?: unknown; onProgress?: (progress: PrewarmProgress) => void }): Promise<PipelinePrewarmReport[]>;
  /** Replays the stored working set of this device in the background of startup. */
  prewarmFromStore(limit: number): Promise<number>;
  /** @throws VyreError `invalid-input`, `gpu-error` */
  dispatch(pipelineId: string, inputs: unknown, options?: DispatchOptions): Promise<DispatchOutputs>;
  cacheAudit(alarmThresholdBps: unknown): PipelineCacheAuditReport;
  cacheSnapshot(): Promise<CacheSnapshot>;
  manifests(): Promise<PipelineReproManifest[]>;
  clearCache(which: { memory: boolean; persistent: boolean }): Promise<void>;
  dispose(): void;
}

/**
 * Acquires a device from `gpu` and returns an engine bound to it.
 * @throws VyreError `webgpu-unavailable`, `adapter-unavailable`
 */
export async function createEngine(gpu: GPU | undefined, options: EngineOptions): Promise<Engine> {
  const { device, summary } = await acquireDevice(gpu, options.adapter);
  const fingerprint = deviceFingerprint({
    adapterInfo: summary.adapterInfo,
    isFallbackAdapter: summary.isFallbackAdapter,
    features: summary.features,
    limits: { ...summary.limits },
    browser: options.browser,
    libraryVersion: LIBRARY_VERSION,
    loweringVersion: LOWERING_VERSION,
  });
  const compiler = createCompiler({
    device,
    summary,
    fingerprint,
    browser: `${options.browser.name} ${options.browser.version}`,
    store: options.store,
    memoryBounds: options.memoryBounds,
    persistentBounds: options.persistentBounds,
    logger: options.logger,
  });

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
    const worker = async (): Promise<void> => {
      while (next < programs.length) {
        const index = next++;
        const report = await compiler.compile(programs[index]);
        reports[index] = { pipelineId: report.pipelineId, cacheHit: report.cacheHit, tier: report.tier, manifest: report.manifest };
        completed++;
        // A failing progress callback (e.g. a closed page) must not fail the prewarm.
        try {
          prewarmOptions.onProgress?.({ completed, total: programs.length, report: reports[index] });
        } catch (error) {
          options.logger.warn('progress-callback-failed', 'The prewarm progress callback threw.', { error: String(error) });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, programs.length) }, worker));
    return reports;
  }

  async function dispatch(pipelineId: string, inputs: unknown, dispatchOptions?: DispatchOptions): Promise<DispatchOutputs> {
    const entry = typeof pipelineId === 'string' ? await compiler.pipeline(pipelineId) : undefined;
    if (entry === undefined) {
      throw new VyreError(
        'invalid-input',
        `No compiled pipeline has the id "${String(pipelineId)}" in this runtime.`,
        'dispatch through the pipeline returned by runtime.compile() of this runtime.',
        { pipelineId: String(pipelineId) },
      );
    }
    const plan = planDispatch(entry.artifact, inputs, dispatchOptions, summary.limits);
    return runDispatch(device, entry.gpu, plan, entry.label);
  }

  return {
    summary,
    fingerprint,
    compile: compiler.compile,
    compileKnown: compiler.compileKnown,
    prewarm,
    prewarmFromStore: compiler.prewarmFromStore,
    dispatch,
    cacheAudit: (threshold) => compiler.audit.report(threshold as number),
    cacheSnapshot: compiler.snapshot,
    manifests: () => options.store.manifests(),
    clearCache: compiler.clear,
    dispose: () => {
      options.store.close();
      device.destroy();
    },
  };
}
