/**
 * What the app learns about the GPU: the adapter options it may pass, the device it got,
 * the fingerprint that keys the persistent tier, and the dispatcher's counters.
 */

/** Options for picking the adapter, passed to `requestAdapter`. */
export interface AdapterOptions {
  readonly powerPreference?: 'low-power' | 'high-performance';
}

/** The device limits vyre-web plans dispatches with. */
export interface DeviceLimits {
  readonly maxStorageBufferBindingSize: number;
  readonly maxBufferSize: number;
  readonly maxComputeWorkgroupsPerDimension: number;
  readonly maxComputeInvocationsPerWorkgroup: number;
  readonly maxComputeWorkgroupSizeX: number;
  readonly maxComputeWorkgroupSizeY: number;
  readonly maxComputeWorkgroupSizeZ: number;
  readonly maxStorageBuffersPerShaderStage: number;
  readonly maxComputeWorkgroupStorageSize: number;
  readonly maxUniformBufferBindingSize: number;
  readonly maxBindingsPerBindGroup: number;
}

/** The adapter and device a runtime got. */
export interface DeviceSummary {
  /** Every field of `GPUAdapterInfo` the browser gave; vendor, architecture, device and description may legally be empty. */
  readonly adapterInfo: {
    readonly vendor: string;
    readonly architecture: string;
    readonly device: string;
    readonly description: string;
    readonly [field: string]: string | number | boolean;
  };
  readonly isFallbackAdapter: boolean;
  readonly features: readonly string[];
  readonly limits: DeviceLimits;
}

/** The device fingerprint: a digest that keys the persistent tier, and its readable summary. */
export interface DeviceFingerprintSummary {
  readonly digest: string;
  readonly readable: string;
}

/** Counters of GPU objects the dispatcher created or reused: what "no avoidable work" is checked with. */
export interface GpuStats {
  readonly buffersCreated: number;
  readonly bufferReuses: number;
  /** Textures of image bindings (see `TexturePool`), created and taken from the pool. */
  readonly texturesCreated: number;
  readonly textureReuses: number;
  readonly bindGroupsCreated: number;
  readonly bindGroupReuses: number;
  readonly dispatches: number;
  readonly submits: number;
  /** Submits that ran inside a validation error scope: first runs of a command, and timed ones. */
  readonly validatedSubmits: number;
  /** WebGPU errors no error scope caught (reported by the device's uncapturederror event). */
  readonly uncapturedErrors: number;
  readonly residentBuffers: number;
  /** Large inputs that arrived in bands ahead of their dispatch (protocol/staging.ts). */
  readonly stagedUploads: number;
  readonly deviceLosses: number;
}

/**
 * Where a runtime's start went: for each step, the milliseconds from the `createRuntime`
 * call until that step was done (the worker's clock translated to the caller's through
 * `performance.timeOrigin`). Steps overlap: the adapter and device are requested while
 * the database opens, so `ready` is not their sum.
 */
export interface StartupTimings {
  /**
   * The browser had created the worker's global scope (its `performance.timeOrigin`), before
   * fetching and compiling its script; `null` in same-thread mode (no worker).
   */
  readonly workerCreated: number | null;
  /**
   * The worker's boot ran its first statement, the adapter request (worker/boot.ts): its
   * small script had been fetched and evaluated; `null` in same-thread mode (no worker).
   */
  readonly workerBoot: number | null;
  /**
   * The worker's runtime code (its start-up core, behind a small boot) was loaded and
   * evaluated; `null` in same-thread mode (no worker).
   */
  readonly workerScript: number | null;
  /**
   * The start had its adapter. In a worker, the boot asked for it before `workerScript`
   * (worker/boot.ts), so this is the later of its answer and the start's first await of it.
   */
  readonly adapter: number;
  /** `requestDevice` answered. */
  readonly device: number;
  /** The persistent tier's database was open (or memory-only mode decided). */
  readonly store: number;
  /** The runtime was ready in the worker (its lifetime lock held); the caller hears of it one message later. */
  readonly ready: number;
  /** The startup replay (`prewarmOnStart`) began, before `ready`; `null` without one. */
  readonly replay: number | null;
}

/**
 * Milliseconds since the epoch at `performance.now()` resolution: one clock for the page
 * and its worker, whose `performance.now()` origins differ.
 */
export function epochNow(): number {
  return performance.timeOrigin + performance.now();
}
