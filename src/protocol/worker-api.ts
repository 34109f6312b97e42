/**
 * The contract between the main thread and the worker: what the worker exposes
 * through Comlink. Type-only; both sides import it, neither imports the other.
 */
import type { DeviceSummary, AdapterOptions } from '../gpu/device.ts';
import type { StorageStatus } from '../store/open-database.ts';
import type { CompileReport } from '../pipeline/build.ts';
import type { DispatchOptions, DispatchOutputs } from '../pipeline/dispatch-plan.ts';

export interface WorkerInitOptions {
  readonly adapter?: AdapterOptions;
  /** IndexedDB database of the persistent tier (default name `vyre-web`), or `false` for memory only. */
  readonly persistent: false | { readonly dbName: string | undefined };
}

export interface WorkerInitResult {
  readonly device: DeviceSummary;
  readonly storage: StorageStatus;
}

/** Every method rejects with a `VyreError` (rebuilt on the main thread by the error transfer handler). */
export interface WorkerApi {
  /** Acquires the device; must be called once before anything else. */
  init(options: WorkerInitOptions): Promise<WorkerInitResult>;
  compile(program: unknown, policy?: unknown): Promise<CompileReport>;
  /** Outputs come back transferred, not copied. */
  dispatch(pipelineId: string, inputs: unknown, options?: DispatchOptions): Promise<DispatchOutputs>;
  /** Releases the device; the client terminates the worker right after. */
  dispose(): Promise<void>;
}
