/**
 * The contract between the main thread and the worker: what the worker exposes
 * through Comlink. Type-only; both sides import it, neither imports the other.
 */
import type { AdapterOptions, DeviceSummary } from '../gpu/device.ts';
import type { PipelinePrewarmReport } from '../gpu/compiler.ts';
import type { PrewarmProgress } from '../gpu/engine.ts';
import type { DispatchReply } from '../gpu/dispatcher.ts';
import type { GpuStats } from '../gpu/gpu-stats.ts';
import type { ResidentBufferRef } from '../protocol/resident.ts';
import type { ElementArray } from '../program/types.ts';
import type { PipelineCacheAuditReport } from '../pipeline/audit.ts';
import type { CompileReport } from '../pipeline/build.ts';
import type { DispatchOptions } from '../pipeline/dispatch-plan.ts';
import type { PipelineReproManifest } from '../pipeline/manifest.ts';
import type { CacheSnapshot } from '../pipeline/snapshot.ts';
import type { StorageStatus } from '../store/open-database.ts';

/** Raw options from the app; the worker checks them (bad limits fall back to defaults with a warning). */
export interface WorkerInitOptions {
  readonly adapter?: AdapterOptions;
  readonly cache?: unknown;
  /** IndexedDB settings of the persistent tier, or `false` for memory only. */
  readonly persistent: false | { readonly dbName?: unknown; readonly maxEntries?: unknown; readonly maxBytes?: unknown };
  /** Replay the stored working set of this device in the background after start. */
  readonly prewarmOnStart: false | { readonly limit: number };
  /** Unique per runtime: names its resident buffers. */
  readonly runtimeId: string;
  /** A Web Lock the worker holds for its lifetime, so the main thread learns when it dies. */
  readonly lockName?: string;
}

export interface WorkerInitResult {
  readonly device: DeviceSummary;
  readonly deviceFingerprint: { readonly digest: string; readonly readable: string };
  readonly storage: StorageStatus;
}

/** Every method rejects with a `VyreError` (rebuilt on the main thread by the error transfer handler). */
export interface WorkerApi {
  /** Acquires the device and opens the store; must be called once before anything else. */
  init(options: WorkerInitOptions): Promise<WorkerInitResult>;
  compile(program: unknown, policy?: unknown): Promise<CompileReport>;
  /** Memory-tier fast path by pipeline id (no program crosses); `null` when not held. */
  compileKnown(pipelineId: string): Promise<CompileReport | null>;
  prewarm(programs: unknown, concurrency: unknown, onProgress?: (progress: PrewarmProgress) => unknown): Promise<PipelinePrewarmReport[]>;
  /** Outputs per item of `batch` (arrays come back transferred, not copied), timing when asked for. */
  dispatch(pipelineId: string, batch: unknown, options?: DispatchOptions): Promise<DispatchReply>;
  createBuffer(source: unknown): Promise<ResidentBufferRef>;
  readBuffer(ref: ResidentBufferRef): Promise<ElementArray>;
  destroyBuffer(ref: ResidentBufferRef): Promise<void>;
  gpuStats(): Promise<GpuStats>;
  /** Resilience testing: lose the device, or make the worker die. */
  simulate(event: 'device-loss' | 'worker-crash'): Promise<void>;
  cacheAudit(alarmThresholdBps: unknown): Promise<PipelineCacheAuditReport>;
  cacheSnapshot(): Promise<CacheSnapshot>;
  manifests(): Promise<PipelineReproManifest[]>;
  clearCache(which: { memory: boolean; persistent: boolean }): Promise<void>;
  /** Releases the device; the client terminates the worker right after. */
  dispose(): Promise<void>;
}
