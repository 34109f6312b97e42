/**
 * The public shape of a runtime and of the pipelines it compiles (main thread).
 */
import type { AdapterOptions, DeviceSummary } from '../gpu/device.ts';
import type { PipelinePrewarmReport } from '../gpu/compiler.ts';
import type { PrewarmProgress } from '../gpu/engine.ts';
import type { GpuStats } from '../gpu/gpu-stats.ts';
import type { PipelineCacheAuditReport } from '../pipeline/audit.ts';
import type { CacheHit, CompileTier, CompileTimings } from '../pipeline/build.ts';
import type { DispatchOptions } from '../pipeline/dispatch-plan.ts';
import type { PipelineReproManifest } from '../pipeline/manifest.ts';
import type { MissReason } from '../pipeline/miss-reason.ts';
import type { DispatchPolicy } from '../pipeline/policy.ts';
import type { CacheSnapshot } from '../pipeline/snapshot.ts';
import type { IrProgram } from '../program/ir.ts';
import type { BufferDeclaration, ElementArray, ElementType, WorkgroupSize } from '../program/types.ts';
import type { WgslProgram } from '../program/wgsl-program.ts';
import type { StorageStatus } from '../store/open-database.ts';
import type { ResidentBuffer } from './resident-buffer.ts';

export interface RuntimeOptions {
  /** Adapter selection, passed to `requestAdapter`. */
  readonly adapter?: AdapterOptions;
  /**
   * Where the worker script lives. Default: the worker file shipped next to this module,
   * which bundlers (Vite, webpack 5) pick up on their own. Override only for unusual hosting.
   */
  readonly workerUrl?: string | URL;
  /**
   * `false` runs the runtime in the calling thread, with the same API: for measurement, and
   * for apps that already run inside a worker. Default: a dedicated worker.
   */
  readonly worker?: boolean;
  /**
   * Bounds of the memory tier (compiled pipelines held by the worker). Defaults: 256
   * entries, 256 MiB (an estimate per artifact). Invalid values fall back with a warning.
   */
  readonly cache?: { readonly maxEntries?: number; readonly maxBytes?: number };
  /**
   * The persistent tier: IndexedDB database name (default `vyre-web`) and bounds
   * (defaults 1,024 entries, 64 MiB), or `false` to keep everything in memory.
   */
  readonly persistent?: false | { readonly dbName?: string; readonly maxEntries?: number; readonly maxBytes?: number };
  /**
   * Replay the working set stored for this device (most recently used first) in the
   * background at start, so the app's first compiles find warm pipelines. `true` means
   * up to 64 pipelines.
   */
  readonly prewarmOnStart?: boolean | { readonly limit?: number };
}

/** A program any runtime method accepts: WGSL source (`wgsl()`) or the IR (`program()`). */
export type Program = WgslProgram | IrProgram;

/** Inputs named by buffer: typed arrays, or resident buffers of the same runtime. */
export type RuntimeInputs = Readonly<Record<string, ElementArray | ResidentBuffer>>;

/** Outputs of a dispatch: every `output` and `read-write` buffer, read back. */
export type Outputs = Record<string, ElementArray>;

/** Outputs when some were kept on the GPU (`keep`): those come back as resident buffers. */
export type OutputsWithKept = Record<string, ElementArray | ResidentBuffer>;

export interface DispatchTiming {
  /** Wall time in the worker from planning to the last readback, ms. */
  readonly wallMs: number;
  /** GPU time of the compute pass from timestamp queries, ms; `null` without `timestamp-query`. */
  readonly gpuMs: number | null;
}

/** A compiled pipeline: dispatch it as often as you like with new inputs. */
export interface CompiledPipeline {
  /** Stable id of the pipeline within its device (derived from the cache identity). */
  readonly id: string;
  readonly entryPoint: string;
  readonly workgroupSize: WorkgroupSize;
  readonly buffers: readonly BufferDeclaration[];
  /**
   * Runs the kernel once.
   * @param inputs - typed arrays (or resident buffers) named by buffer; every `read` buffer is required.
   * @param options - output sizes, grid, params, `keep`, `timing`, `transfer`; see {@link DispatchOptions}.
   * @returns every `output` and `read-write` buffer by name, transferred from the worker;
   *   with `timing: true`, `{ outputs, timing }`.
   * @throws VyreError `invalid-input` (wrong type, unknown or missing buffer, too large, a
   *   handle of another runtime or a destroyed one), `gpu-error`, `device-lost`, `disposed`,
   *   `worker-terminated`.
   */
  dispatch(inputs: RuntimeInputs, options: DispatchOptions & { readonly timing: true }): Promise<{ outputs: OutputsWithKept; timing: DispatchTiming }>;
  dispatch(inputs: RuntimeInputs, options: DispatchOptions & { readonly keep: readonly string[] }): Promise<OutputsWithKept>;
  dispatch(inputs: RuntimeInputs, options?: DispatchOptions): Promise<Outputs>;
  /** Records every item into one command encoder and one submit: one worker round trip. */
  dispatchBatch(batch: readonly RuntimeInputs[], options?: DispatchOptions): Promise<Outputs[]>;
}

/** What `compile` resolves to. */
export interface CompiledPipelineBuild {
  readonly pipeline: CompiledPipeline;
  /** `true`: provably reused; `false`: compiled now; `null`: the browser's cache decided, unseen. */
  readonly cacheHit: CacheHit;
  readonly tier: CompileTier;
  readonly timings: CompileTimings;
  /** Why the persistent tier missed; `null` unless `tier` is `compiled`. */
  readonly missReason: MissReason | null;
  readonly manifest: PipelineReproManifest;
}

export interface PrewarmOptions {
  /** Called in the main thread after each program is warm. */
  readonly onProgress?: (progress: PrewarmProgress) => void;
  /** Compiles in flight at once (default 2). */
  readonly concurrency?: number;
}

/** A WebGPU runtime, in a worker (default) or in the calling thread. */
export interface Runtime {
  /** The adapter and device the runtime got. */
  readonly device: DeviceSummary;
  /** The device fingerprint that keys the persistent tier, and its readable summary. */
  readonly deviceFingerprint: { readonly digest: string; readonly readable: string };
  /** Where compiled artifacts persisted when the runtime started; `cacheSnapshot()` has the current state. */
  readonly storage: StorageStatus;
  /**
   * Compiles `program`, or reuses the pipeline compiled for it before.
   * @param policy - code-generation switches (e.g. a workgroup-size override for IR programs);
   *   part of the cache key. Launch-time settings belong in dispatch options instead.
   * @throws VyreError `invalid-program`, `invalid-policy`, `shader-compilation`, `device-lost`,
   *   `disposed`, `worker-terminated`.
   */
  compile(program: Program, policy?: DispatchPolicy): Promise<CompiledPipelineBuild>;
  /**
   * Compiles without dispatching, so later compiles are memory-tier hits.
   * @returns one report per program, in order.
   */
  prewarm(programs: readonly Program[], options?: PrewarmOptions): Promise<PipelinePrewarmReport[]>;
  /** A buffer that stays on the GPU: from a typed array, or zero-filled `{ type, length }`. */
  createBuffer(source: ElementArray | { readonly type: ElementType; readonly length: number }): Promise<ResidentBuffer>;
  /** Reads a resident buffer back. */
  read(buffer: ResidentBuffer): Promise<ElementArray>;
  /**
   * Hit rate over every compile and prewarm of this runtime, in basis points over hits +
   * misses (unknowns excluded; `null` without data), with an alarm when the rate is
   * strictly below `alarmThresholdBps` (0 disables it).
   * @throws VyreError `invalid-input` for a threshold outside 0…10000.
   */
  cacheAudit(alarmThresholdBps?: number): Promise<PipelineCacheAuditReport>;
  /** Per-tier counters, entry counts and bytes, and the storage mode. */
  cacheSnapshot(): Promise<CacheSnapshot>;
  /** GPU objects created and reused by the dispatcher, dispatches, submits, device losses. */
  gpuStats(): Promise<GpuStats>;
  /** The reproducibility manifests of every stored pipeline, most recently used first. */
  manifests(): Promise<PipelineReproManifest[]>;
  /** Clears the memory tier, the persistent tier, or both (the default). */
  clearCache(which?: { readonly memory?: boolean; readonly persistent?: boolean }): Promise<void>;
  /** Makes faults happen for real, to test how an app copes with them. */
  readonly simulate: {
    /** Destroys the GPU device as a driver reset would; the runtime recovers on its own. */
    deviceLoss(): Promise<void>;
    /** Ends the worker abruptly; pending and later calls reject with `worker-terminated`. */
    workerCrash(): Promise<void>;
  };
  /** Releases the device and ends the worker; pending and later calls reject with `disposed`. */
  dispose(): Promise<void>;
}
