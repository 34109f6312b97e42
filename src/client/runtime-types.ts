/**
 * The public shape of a runtime and of the pipelines it compiles (main thread).
 */
import type { AdapterOptions, DeviceSummary } from '../gpu/device.ts';
import type { CacheHit, CompileTier, CompileTimings } from '../pipeline/build.ts';
import type { DispatchInputs, DispatchOptions, DispatchOutputs } from '../pipeline/dispatch-plan.ts';
import type { PipelineReproManifest } from '../pipeline/manifest.ts';
import type { BufferDeclaration, WorkgroupSize } from '../program/types.ts';
import type { WgslProgram } from '../program/wgsl-program.ts';
import type { IrProgram } from '../program/ir.ts';
import type { DispatchPolicy } from '../pipeline/policy.ts';
import type { StorageStatus } from '../store/open-database.ts';

export interface RuntimeOptions {
  /** Adapter selection, passed to `requestAdapter`. */
  readonly adapter?: AdapterOptions;
  /**
   * Where the worker script lives. Default: the worker file shipped next to this module,
   * which bundlers (Vite, webpack 5) pick up on their own. Override only for unusual hosting.
   */
  readonly workerUrl?: string | URL;
  /**
   * The IndexedDB database compiled artifacts persist in (default name `vyre-web`),
   * or `false` to keep everything in memory.
   */
  readonly persistent?: false | { readonly dbName?: string };
}

/** A program any runtime method accepts: WGSL source (`wgsl()`) or the IR (`program()`). */
export type Program = WgslProgram | IrProgram;

/** A compiled pipeline: dispatch it as often as you like with new inputs. */
export interface CompiledPipeline {
  /** Stable id of the pipeline within its device (derived from the cache identity). */
  readonly id: string;
  readonly entryPoint: string;
  readonly workgroupSize: WorkgroupSize;
  readonly buffers: readonly BufferDeclaration[];
  /**
   * Runs the kernel once.
   * @param inputs - typed arrays named by buffer; every `read` buffer is required.
   * @param options - output sizes and grid; see {@link DispatchOptions}.
   * @returns every `output` and `read-write` buffer by name, transferred from the worker.
   * @throws VyreError `invalid-input` (wrong type, unknown or missing buffer, too large),
   *   `gpu-error`, `disposed`, `worker-terminated`.
   */
  dispatch(inputs: DispatchInputs, options?: DispatchOptions): Promise<DispatchOutputs>;
}

/** What `compile` resolves to. */
export interface CompiledPipelineBuild {
  readonly pipeline: CompiledPipeline;
  /** `true`: provably reused; `false`: compiled now; `null`: the browser's cache decided, unseen. */
  readonly cacheHit: CacheHit;
  readonly tier: CompileTier;
  readonly timings: CompileTimings;
  readonly manifest: PipelineReproManifest;
}

/** A worker-owned WebGPU runtime. */
export interface Runtime {
  /** The adapter and device the worker got. */
  readonly device: DeviceSummary;
  /** Where compiled artifacts persist: IndexedDB, or memory only (with the reason). */
  readonly storage: StorageStatus;
  /**
   * Compiles `program`, or reuses the pipeline compiled for it before.
   * @param policy - code-generation switches (e.g. a workgroup-size override for IR programs);
   *   part of the cache key. Launch-time settings belong in dispatch options instead.
   * @throws VyreError `invalid-program`, `invalid-policy`, `shader-compilation`, `disposed`,
   *   `worker-terminated`.
   */
  compile(program: Program, policy?: DispatchPolicy): Promise<CompiledPipelineBuild>;
  /** Releases the device and terminates the worker; pending and later calls reject with `disposed`. */
  dispose(): Promise<void>;
}
