/**
 * The public shape of a runtime and of the pipelines it compiles (main thread). Built
 * from the wire vocabulary of `protocol/`; what a dispatch returns is derived from its
 * options, so `keep` and `timing` change the result type exactly as they change the value.
 */
import type { CacheBounds, CacheSnapshot, PipelineCacheAuditReport, StorageStatus } from '../protocol/cache.ts';
import type { CacheHit, CompileTier, CompileTimings, MissReason, PipelinePrewarmReport, PipelineReproManifest, PrewarmProgress } from '../protocol/compile.ts';
import type { AdapterOptions, DeviceFingerprintSummary, DeviceSummary, GpuStats, StartupTimings } from '../protocol/device.ts';
import type { DispatchOptions, DispatchOutputs, FieldValue, LaunchOptions } from '../protocol/dispatch.ts';
import type { PreviousOutput } from '../protocol/images.ts';
import type { BufferDeclaration, ElementArray, OutputArray, WorkgroupSize } from '../protocol/elements.ts';
import type { BufferSignature, ValueType } from '../protocol/ir.ts';
import type { DispatchPolicy, Program, SignatureOf } from '../protocol/program.ts';
import type { PersistentOptions, ResidentBufferSource } from '../protocol/worker-api.ts';
import type { ResidentBuffer } from './resident-buffer.ts';
import type { TunableKernel, TunableVariant, TuneOptions, TuningReport, TuningShape } from '../protocol/tuning.ts';

/** What `createRuntime` takes. Every field is optional. */
export interface RuntimeOptions {
  /** Adapter selection, passed to `requestAdapter`. */
  readonly adapter?: AdapterOptions;
  /**
   * Where the worker script lives: a string, a URL, or a Trusted Types `TrustedScriptURL`
   * (on a page whose CSP has `require-trusted-types-for 'script'`, `new Worker()` accepts
   * only that; lib.dom has no Trusted Types, hence the structural type). Default: the worker
   * file next to this module, which Vite, webpack 5 and Parcel emit on their own; with
   * esbuild or Rollup, copy it (README, "Bundling").
   */
  readonly workerUrl?: string | URL | { toJSON(): string };
  /**
   * `false` runs the runtime in the calling thread, with the same API: for measurement, and
   * for apps that already run inside a worker. Default: a dedicated worker.
   */
  readonly worker?: boolean;
  /**
   * Bounds of the memory tier (compiled pipelines held by the worker). Defaults: 256
   * entries, 256 MiB (an estimate per artifact). Invalid values fall back with a warning.
   */
  readonly cache?: Partial<CacheBounds>;
  /**
   * The persistent tier: IndexedDB database name (default `vyre-web`) and bounds
   * (defaults 1,024 entries, 64 MiB), or `false` to keep everything in memory.
   */
  readonly persistent?: false | PersistentOptions;
  /**
   * Replay the working set stored for this device in the background at start, so the
   * app's first compiles find warm pipelines. `true` means up to 64 pipelines.
   */
  readonly prewarmOnStart?: boolean | { readonly limit?: number };
  /**
   * Whether large inputs you keep (2 MiB or more, not moved with `transfer`, not shared) go
   * to the worker in 1 MiB bands ahead of their dispatch, the worker uploading each band
   * while the next is copied (docs/wgsl.md). `'auto'` (default) does so where
   * `navigator.hardwareConcurrency` is at least 4: the overlap needs the main thread, the
   * worker and the GPU process on a core each, and on two cores the extra messages cost
   * more than the overlap saves (docs/benchmarks.md). `'always'` and `'never'` decide for you.
   */
  readonly inputBands?: 'auto' | 'always' | 'never';
}

/**
 * One input: a typed array, a resident buffer of the same runtime, raw bytes (`ArrayBuffer`,
 * `DataView`, any typed array whose element type matches the binding) or, for a uniform or
 * struct binding, a {@link FieldValue}; in a `dispatchBatch` item, `previousOutput(name)`
 * for a texture. The rules per buffer type: docs/wgsl.md.
 */
export type DispatchInput = ElementArray | ResidentBuffer | ArrayBuffer | ArrayBufferView | FieldValue | PreviousOutput;

/** Inputs named by buffer (by variable name, for WGSL). */
export type DispatchInputs = Readonly<Record<string, DispatchInput>>;

/**
 * The typed array a buffer of element type `T` reads back as (`bool` travels as u32 words;
 * a vector buffer as the flat array of its components).
 */
export type ArrayOf<T extends ValueType> = T extends 'f32' | `vec${number}<f32>` ? Float32Array : T extends 'i32' | `vec${number}<i32>` ? Int32Array : Uint32Array;

/** Names of the buffers of `S` that a dispatch reads back (`output` and `read-write`). */
type ReadBackNames<S extends BufferSignature> = { [K in keyof S]: S[K]['access'] extends 'output' | 'read-write' ? K : never }[keyof S] & string;

/** True when `S` is the loose signature (nothing known of the buffers). */
type IsLoose<S extends BufferSignature> = string extends keyof S ? true : false;

/**
 * The outputs of a program whose buffers are known: each read-back buffer by name, as its
 * typed array; a misspelled name is a type error. For a loose signature, {@link DispatchOutputs}.
 */
export type OutputsOf<S extends BufferSignature> = IsLoose<S> extends true ? DispatchOutputs : { [K in ReadBackNames<S>]: ArrayOf<S[K]['type']> };

/** Outputs of a dispatch that kept the buffers `K` on the GPU: those are resident buffers. */
export type KeptOutputs<K extends string, S extends BufferSignature = BufferSignature> =
  IsLoose<S> extends true
    ? { readonly [name in K]: ResidentBuffer } & { readonly [name: string]: OutputArray | ResidentBuffer }
    : { [N in keyof OutputsOf<S>]: N extends K ? ResidentBuffer : OutputsOf<S>[N] };

/** Outputs of a dispatch that may have kept any of its buffers (a `keep` list not known when compiling). */
type MaybeKeptOutputs<S extends BufferSignature> =
  IsLoose<S> extends true ? Record<string, OutputArray | ResidentBuffer> : { [N in keyof OutputsOf<S>]: OutputsOf<S>[N] | ResidentBuffer };

/** GPU and worker time of one dispatch. */
export interface DispatchTiming {
  /** Wall time in the worker from planning to the last readback, ms. */
  readonly wallMs: number;
  /** GPU time of the compute pass from timestamp queries, ms; `null` without `timestamp-query`. */
  readonly gpuMs: number | null;
}

/** GPU and worker time of one batch. */
export interface BatchTiming {
  /** Wall time of the whole batch in the worker, ms. */
  readonly wallMs: number;
  /** GPU time per item, ms; `null` without `timestamp-query`. */
  readonly gpuMs: readonly (number | null)[];
}

/** A dispatch's outputs with its timing (`timing: true`). */
export interface TimedOutputs<T, Timing> {
  readonly outputs: T;
  readonly timing: Timing;
}

type KeepOf<O> = 'keep' extends keyof O ? (O extends { readonly keep?: infer List } ? List : undefined) : undefined;
type TimingOf<O> = 'timing' extends keyof O ? (O extends { readonly timing?: infer Flag } ? Flag : undefined) : undefined;

/**
 * The outputs `options` ask for, of a program with buffers `S`: typed arrays; with
 * `keep: ['y']`, `y` is a {@link ResidentBuffer}; with a `keep` list not known when
 * compiling, any output may be.
 */
export type OutputsFor<O, S extends BufferSignature = BufferSignature> =
  KeepOf<O> extends undefined ? OutputsOf<S>
  : KeepOf<O> extends readonly (infer K extends string)[] ? ([K] extends [never] ? OutputsOf<S> : string extends K ? MaybeKeptOutputs<S> : KeptOutputs<K, S>)
  : MaybeKeptOutputs<S>;

/** Adds timing when `options.timing` is `true`; either shape when it is a `boolean` not known when compiling. */
type WithTiming<O, T, Timing> =
  true extends TimingOf<O> ? (TimingOf<O> extends true ? TimedOutputs<T, Timing> : T | TimedOutputs<T, Timing>) : T;

/** What `pipeline.dispatch(inputs, options)` resolves to, for these options and buffers. */
export type DispatchResult<O, S extends BufferSignature = BufferSignature> = WithTiming<O, OutputsFor<O, S>, DispatchTiming>;

/** What `pipeline.dispatchBatch(batch, options)` resolves to, for these options and buffers. */
export type BatchResult<O, S extends BufferSignature = BufferSignature> = WithTiming<O, OutputsFor<O, S>[], BatchTiming>;

/**
 * A compiled pipeline: dispatch it as often as you like with new inputs. `S` is what the
 * type system knows of its buffers (from the program), so results are typed per buffer.
 */
export interface CompiledPipeline<S extends BufferSignature = BufferSignature> {
  /** Stable id of the pipeline within its device (derived from the cache identity). */
  readonly id: string;
  readonly entryPoint: string;
  readonly workgroupSize: WorkgroupSize;
  readonly buffers: readonly BufferDeclaration[];
  /**
   * Runs the kernel once.
   * @param inputs - typed arrays (or resident buffers) named by buffer; every `read` buffer is required.
   * @param options - output sizes, grid, params, `keep`, `timing`, `transfer`; see {@link DispatchOptions}.
   * @returns every `output` and `read-write` buffer by name, transferred from the worker; the
   *   names in `keep` as resident buffers; with `timing: true`, `{ outputs, timing }`.
   * @throws VyreError `invalid-input` (wrong type, unknown or missing buffer, too large, a
   *   handle of another runtime or a destroyed one), `gpu-error`, `device-lost`, `disposed`,
   *   `worker-terminated`.
   * @example
   * ```ts
   * const { y } = await pipeline.dispatch({ x }, { keep: ['y'] }); // y: ResidentBuffer
   * const { outputs, timing } = await pipeline.dispatch({ x, y }, { timing: true });
   * ```
   */
  dispatch<const O extends DispatchOptions = Record<never, never>>(inputs: DispatchInputs, options?: O): Promise<DispatchResult<O, S>>;
  /**
   * Records every item into one command encoder and one submit: one worker round trip.
   * Options apply to every item; the result follows them as `dispatch` does, per item.
   */
  dispatchBatch<const O extends DispatchOptions = Record<never, never>>(batch: readonly DispatchInputs[], options?: O): Promise<BatchResult<O, S>>;
}

/** What `compile` resolves to; `S`: the program's buffers as the type system knows them. */
export interface CompiledPipelineBuild<S extends BufferSignature = BufferSignature> {
  readonly pipeline: CompiledPipeline<S>;
  /** `true`: provably reused; `false`: compiled now; `null`: the browser's cache decided, unseen. */
  readonly cacheHit: CacheHit;
  readonly tier: CompileTier;
  readonly timings: CompileTimings;
  /** Why the persistent tier missed; `null` unless `tier` is `compiled`. */
  readonly missReason: MissReason | null;
  readonly manifest: PipelineReproManifest;
}

/** What `runtime.compileTuned` resolves to: the chosen variant's build, how to dispatch it, and why it was chosen. */
export interface TunedBuild<Shape extends TuningShape> extends CompiledPipelineBuild {
  readonly variant: TunableVariant<Shape>;
  /** The chosen variant's dispatch options for `shape`. */
  readonly options: (shape: Shape) => LaunchOptions;
  readonly tuning: TuningReport;
}

/** What `prewarm` takes besides the programs. */
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
  readonly deviceFingerprint: DeviceFingerprintSummary;
  /** Where compiled artifacts persisted when the runtime started; `cacheSnapshot()` has the current state. */
  readonly storage: StorageStatus;
  /** Where the start went: milliseconds from the `createRuntime` call until each step was done. */
  readonly startup: StartupTimings;
  /**
   * Compiles `program`, or reuses the pipeline compiled for it before.
   * @param policy - code-generation switches (e.g. a workgroup-size override for IR programs);
   *   part of the cache key. Launch-time settings belong in dispatch options instead.
   * @throws VyreError `invalid-program`, `invalid-policy`, `shader-compilation`, `device-lost`,
   *   `disposed`, `worker-terminated`.
   */
  compile<P extends Program>(program: P, policy?: DispatchPolicy): Promise<CompiledPipelineBuild<SignatureOf<P>>>;
  /**
   * Compiles the variant of `kernel` that is fastest on this device. The first time (per
   * device, kernel, shape and float policy) it compiles every variant and times them on a
   * trial workload; the choice is stored with the chosen artifact, so later calls — in this
   * page or after a reload — find it in the memory or persistent tier and time nothing.
   * Calls run one at a time, so a second call for the same kernel finds the first one's
   * choice; dispatch little while one tunes (its timing would count your work).
   * @example
   * ```ts
   * import { matmulX4Tunable } from 'vyre-web/kernels';
   * const { pipeline, options, tuning } = await runtime.compileTuned(matmulX4Tunable);
   * const { c } = await pipeline.dispatch({ a, b }, options({ M, N, K }));
   * ```
   * @throws VyreError `invalid-input` (malformed kernel, shape or rounds), and what `compile`
   *   and `dispatch` throw for a variant.
   */
  compileTuned<Shape extends TuningShape>(kernel: TunableKernel<Shape>, options?: TuneOptions<Shape>): Promise<TunedBuild<Shape>>;
  /**
   * Compiles without dispatching, so later compiles are memory-tier hits.
   * @returns one report per program, in order.
   */
  prewarm(programs: readonly Program[], options?: PrewarmOptions): Promise<PipelinePrewarmReport[]>;
  /** A buffer that stays on the GPU: from a typed array, or zero-filled `{ type, length }`. */
  createBuffer(source: ResidentBufferSource): Promise<ResidentBuffer>;
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
