/**
 * The contract between the main thread and the worker: what the worker exposes through
 * Comlink. Everything here is plain structured-clone data (or transferred ArrayBuffers);
 * both sides import these definitions from here and neither imports the other. The worker
 * still validates every argument, because the caller may be untyped JavaScript.
 *
 * Reading this folder tells the whole wire contract:
 *   program.ts, ir.ts, elements.ts  what `compile` takes
 *   compile.ts                      what a compile and a prewarm report, the manifest
 *   dispatch.ts, resident.ts        what a dispatch sends and returns
 *   staging.ts                      large inputs sent in bands ahead of their dispatch
 *   cache.ts, device.ts             snapshot, audit, storage, device, GPU counters
 *   error-transfer.ts               how a VyreError crosses intact
 *   tuning.ts                       tunable kernels and the tuner's report (the tuner runs on
 *                                   the main thread; only its compiles and dispatches cross)
 */
import type { ResidentTextureRef } from './images.ts';
import type { CacheBounds, CacheSnapshot, PipelineCacheAuditReport, StorageStatus } from './cache.ts';
import type { CompileReport, PipelinePrewarmReport, PipelineReproManifest, PrewarmProgress } from './compile.ts';
import type { AdapterOptions, DeviceFingerprintSummary, DeviceSummary, GpuStats, StartupTimings } from './device.ts';
import type { DispatchOptions, DispatchReply, WireInputs } from './dispatch.ts';
import type { ElementArray, ElementType } from './elements.ts';
import type { DispatchPolicy, Program } from './program.ts';
import type { ResidentBufferRef } from './resident.ts';
import type { StagedBand } from './staging.ts';

/** Settings of the persistent tier: database name and bounds (defaults `vyre-web`, 1,024 entries, 64 MiB). */
export interface PersistentOptions extends Partial<CacheBounds> {
  readonly dbName?: string;
}

/** The app's options as they reach the worker; bad limits fall back to defaults with a warning. */
export interface WorkerInitOptions {
  readonly adapter?: AdapterOptions;
  /** Bounds of the memory tier. */
  readonly cache?: Partial<CacheBounds>;
  /** IndexedDB settings of the persistent tier, or `false` for memory only. */
  readonly persistent: false | PersistentOptions;
  /** Replay the stored working set of this device in the background after start. */
  readonly prewarmOnStart: false | { readonly limit: number };
  /** Unique per runtime: names its resident buffers. */
  readonly runtimeId: string;
  /** A Web Lock the worker holds for its lifetime, so the main thread learns when it dies. */
  readonly lockName?: string;
  /** When `createRuntime` was called: `performance.timeOrigin + performance.now()` in the caller's thread. */
  readonly calledAt: number;
}

/** What the worker tells the main thread once it holds a device. */
export interface WorkerInitResult {
  readonly device: DeviceSummary;
  readonly deviceFingerprint: DeviceFingerprintSummary;
  readonly storage: StorageStatus;
  readonly startup: StartupTimings;
}

/** What `createBuffer` takes: initial contents, or a zero-filled buffer of a type and length. */
export type ResidentBufferSource = ElementArray | { readonly type: ElementType; readonly length: number };

/** Which tiers `clearCache` clears. */
export interface ClearCacheRequest {
  readonly memory: boolean;
  readonly persistent: boolean;
}

/** Faults the worker can be asked to cause for real, for resilience tests. */
export type SimulatedFault = 'device-loss' | 'worker-crash';

/** Every method rejects with a `VyreError` (rebuilt on the main thread by the error transfer handler). */
export interface WorkerApi {
  /** Acquires the device and opens the store; must be called once before anything else. */
  init(options: WorkerInitOptions): Promise<WorkerInitResult>;
  compile(program: Program, policy?: DispatchPolicy): Promise<CompileReport>;
  /** A compile served only by a tier that already holds the program (memory or persistent); `null` when none does. */
  compileStored(program: Program, policy?: DispatchPolicy): Promise<CompileReport | null>;
  /** Memory-tier fast path by pipeline id (no program crosses); `null` when not held. */
  compileKnown(pipelineId: string): Promise<CompileReport | null>;
  /** `onProgress` is a Comlink proxy back to the main thread. */
  prewarm(programs: readonly Program[], concurrency?: number, onProgress?: (progress: PrewarmProgress) => unknown): Promise<PipelinePrewarmReport[]>;
  /** One dispatch per item of `batch`, in one submit; arrays come back transferred, not copied. */
  /** With `recycle`, every input `ArrayBuffer` of ≥ 64 KiB comes back in `recycled` (the client's own copies only: it never asks when it sent the caller's arrays). */
  dispatch(pipelineId: string, batch: readonly WireInputs[], options?: DispatchOptions, recycle?: boolean): Promise<DispatchReply>;
  /**
   * Writes one band of a large input to the GPU ahead of the dispatch that names it
   * (staging.ts). The worker entry calls it for each band message, not Comlink. A bad band
   * is not thrown: the dispatch that names its upload reports it.
   */
  stage(band: StagedBand): void;
  createBuffer(source: ResidentBufferSource): Promise<ResidentBufferRef>;
  readBuffer(ref: ResidentBufferRef): Promise<ElementArray>;
  destroyBuffer(ref: ResidentBufferRef): Promise<void>;
  /** Frees a texture kept by a dispatch (`keep`). */
  destroyTexture(ref: ResidentTextureRef): Promise<void>;
  gpuStats(): Promise<GpuStats>;
  /** Resilience testing: lose the device, or make the worker die. */
  simulate(event: SimulatedFault): Promise<void>;
  cacheAudit(alarmThresholdBps: number): Promise<PipelineCacheAuditReport>;
  cacheSnapshot(): Promise<CacheSnapshot>;
  manifests(): Promise<PipelineReproManifest[]>;
  clearCache(which: ClearCacheRequest): Promise<void>;
  /** Releases the device; the client terminates the worker right after. */
  dispose(): Promise<void>;
}
