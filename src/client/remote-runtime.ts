/**
 * The Runtime object apps hold: a thin facade over a {@link WorkerLink}. Every call goes
 * through the link, so it rejects when the runtime is disposed or its worker dies.
 */
import { proxy } from 'comlink';
import type { CacheSnapshot, PipelineCacheAuditReport, StorageStatus } from '../protocol/cache.ts';
import type { CompileReport, PipelinePrewarmReport, PipelineReproManifest } from '../protocol/compile.ts';
import type { DeviceFingerprintSummary, DeviceSummary, GpuStats, StartupTimings } from '../protocol/device.ts';
import type { ElementArray } from '../protocol/elements.ts';
import type { BufferSignature } from '../protocol/ir.ts';
import type { DispatchPolicy, Program, SignatureOf } from '../protocol/program.ts';
import type { ResidentBufferRef } from '../protocol/resident.ts';
import type { ResidentBufferSource, WorkerInitResult } from '../protocol/worker-api.ts';
import { CopyPool } from './input-copies.ts';
import { RemotePipeline } from './remote-pipeline.ts';
import { ResidentBuffer } from './resident-buffer.ts';
import type { CompiledPipelineBuild, PrewarmOptions, Runtime, TunedBuild } from './runtime-types.ts';
import type { TunableKernel, TuneOptions, TuningShape } from '../protocol/tuning.ts';
import type { WorkerLink } from './worker-link.ts';

export class RemoteRuntime implements Runtime {
  readonly device: DeviceSummary;
  readonly deviceFingerprint: DeviceFingerprintSummary;
  readonly storage: StorageStatus;
  readonly startup: StartupTimings;
  readonly simulate: Runtime['simulate'];
  readonly #link: WorkerLink;
  /**
   * Pipelines compiled from frozen program objects (what program() and wgsl() return), by
   * object and policy. A frozen program cannot change, so compiling the same object again
   * may skip sending, validating and hashing it: the worker only checks its memory tier.
   */
  readonly #known = new WeakMap<object, Map<string, string>>();
  readonly #destroy = (ref: ResidentBufferRef): Promise<void> => this.#link.call((remote) => remote.destroyBuffer(ref));
  /** The last `compileTuned` in line; the next one starts when it has settled. */
  #tuning: Promise<unknown> = Promise.resolve();
  /** Buffers the worker moved back after uploading the copies of large inputs, reused by the next copies. */
  readonly #copies = new CopyPool();
  /** Whether large inputs go in bands ahead of their dispatch (`inputBands`, staged-inputs.ts). */
  readonly #bands: boolean;

  constructor(link: WorkerLink, init: WorkerInitResult, bands: boolean) {
    this.#link = link;
    this.#bands = bands;
    this.device = init.device;
    this.deviceFingerprint = init.deviceFingerprint;
    this.storage = init.storage;
    this.startup = init.startup;
    this.simulate = {
      deviceLoss: () => link.call((remote) => remote.simulate('device-loss')),
      // Not awaited through the link: the worker dies before it could answer.
      workerCrash: async () => void link.callUnguarded((remote) => remote.simulate('worker-crash')).catch(() => undefined),
    };
  }

  async compile<P extends Program>(program: P, policy?: DispatchPolicy): Promise<CompiledPipelineBuild<SignatureOf<P>>> {
    const frozen = typeof program === 'object' && program !== null && Object.isFrozen(program);
    const key = policy === undefined ? '' : JSON.stringify(policy);
    const pipelineId = frozen ? this.#known.get(program)?.get(key) : undefined;
    const fast = pipelineId === undefined ? null : await this.#link.call((remote) => remote.compileKnown(pipelineId));
    const report = fast ?? (await this.#link.call((remote) => remote.compile(program, policy)));
    if (frozen) {
      const byPolicy = this.#known.get(program) ?? new Map<string, string>();
      byPolicy.set(key, report.pipelineId);
      this.#known.set(program, byPolicy);
    }
    return this.#toBuild(report);
  }

  compileTuned<Shape extends TuningShape>(kernel: TunableKernel<Shape>, options?: TuneOptions<Shape>): Promise<TunedBuild<Shape>> {
    // One tuning at a time: two at once would time each other's load, and a second call for
    // the same kernel, waiting, then finds the first one's choice instead of timing again.
    const run = this.#tuning.then(() => this.#tune(kernel, options));
    this.#tuning = run.catch(() => undefined);
    return run;
  }

  async #tune<Shape extends TuningShape>(kernel: TunableKernel<Shape>, options: TuneOptions<Shape> | undefined): Promise<TunedBuild<Shape>> {
    // Loaded on first use: an app that never tunes keeps the tuner out of its main-thread entry (issue #14's budget).
    const { compileTuned } = await import('./tune-kernel.ts');
    return compileTuned(
      {
        features: this.device.features,
        compile: (program, policy) => this.compile(program, policy),
        compileStored: async (program, policy) => {
          const report = await this.#link.call((remote) => remote.compileStored(program, policy));
          return report === null ? null : this.#toBuild(report);
        },
        createBuffer: (source) => this.createBuffer(source),
      },
      kernel,
      options,
    );
  }

  prewarm(programs: readonly Program[], options: PrewarmOptions = {}): Promise<PipelinePrewarmReport[]> {
    const onProgress = options.onProgress ? proxy(options.onProgress) : undefined;
    return this.#link.call((remote) => remote.prewarm(programs, options.concurrency, onProgress));
  }

  async createBuffer(source: ResidentBufferSource): Promise<ResidentBuffer> {
    const ref = await this.#link.call((remote) => remote.createBuffer(source));
    return new ResidentBuffer(ref, this.#destroy);
  }

  read(buffer: ResidentBuffer): Promise<ElementArray> {
    // An untyped caller may pass the plain reference; the worker checks it either way.
    const ref: ResidentBufferRef = buffer instanceof ResidentBuffer ? buffer.ref : (buffer as ResidentBufferRef);
    // Comlink's Remote<> spreads the union return type into a union of promises; re-join it.
    return this.#link.call<ElementArray>((remote) => remote.readBuffer(ref) as unknown as Promise<ElementArray>);
  }

  cacheAudit(alarmThresholdBps = 0): Promise<PipelineCacheAuditReport> {
    return this.#link.call((remote) => remote.cacheAudit(alarmThresholdBps));
  }

  cacheSnapshot(): Promise<CacheSnapshot> {
    return this.#link.call((remote) => remote.cacheSnapshot());
  }

  gpuStats(): Promise<GpuStats> {
    return this.#link.call((remote) => remote.gpuStats());
  }

  manifests(): Promise<PipelineReproManifest[]> {
    return this.#link.call((remote) => remote.manifests());
  }

  clearCache(which: { readonly memory?: boolean; readonly persistent?: boolean } = {}): Promise<void> {
    return this.#link.call((remote) => remote.clearCache({ memory: which.memory ?? true, persistent: which.persistent ?? true }));
  }

  async dispose(): Promise<void> {
    if (this.#link.state() !== 'open') return;
    // Stop new calls first, then give the worker a moment to destroy its device.
    const goodbye = this.#link.callUnguarded((remote) => remote.dispose());
    this.#link.terminate('disposed', goodbye);
    await this.#link.closed();
  }

  #toBuild<S extends BufferSignature>(report: CompileReport): CompiledPipelineBuild<S> {
    return {
      pipeline: new RemotePipeline<S>(report, this.#link, this.#destroy, { copies: this.#copies, bands: this.#bands }),
      cacheHit: report.cacheHit,
      tier: report.tier,
      timings: report.timings,
      missReason: report.missReason,
      manifest: report.manifest,
    };
  }
}
