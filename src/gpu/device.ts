/**
 * Adapter and device acquisition. Takes the `GPU` object as a parameter instead of
 * reading `navigator.gpu`, so the same code runs in a browser worker and under Node
 * with Dawn (`webgpu` package).
 */
import { VyreError } from '../errors.ts';
import type { AdapterOptions, DeviceLimits, DeviceSummary } from '../protocol/device.ts';


const REQUESTED_LIMITS = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupsPerDimension',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupSizeZ',
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupStorageSize',
  'maxUniformBufferBindingSize',
  'maxBindingsPerBindGroup',
] as const satisfies readonly (keyof DeviceLimits)[];

/** Optional features we enable when the adapter has them. */
// float32-filterable: a sampled rgba32float / r32float input texture binds as a filterable float texture.
const WANTED_FEATURES = ['timestamp-query', 'shader-f16', 'subgroups', 'float32-filterable'] as const;

export interface AcquiredDevice {
  readonly adapter: GPUAdapter;
  readonly device: GPUDevice;
  readonly summary: DeviceSummary;
}

/**
 * Requests an adapter (or takes `early`, one already requested with `options`) and a device
 * with the adapter's full compute limits.
 * @throws VyreError `webgpu-unavailable` when `gpu` is missing;
 *   `adapter-unavailable` when no adapter or device can be had.
 */
export async function acquireDevice(gpu: GPU | undefined, options: AdapterOptions = {}, onStep?: (step: 'adapter' | 'device') => void, early?: Promise<GPUAdapter | null>): Promise<AcquiredDevice> {
  if (gpu === undefined || gpu === null || typeof gpu.requestAdapter !== 'function') {
    throw new VyreError(
      'webgpu-unavailable',
      'This environment has no WebGPU (navigator.gpu is missing).',
      'use a browser with WebGPU (Chrome/Edge 113+, Safari 26+, Firefox 141+) on a secure context (https:// or http://localhost).',
    );
  }
  // An adapter asked for with the same options as the worker booted (worker/boot.ts); asked again if that request failed.
  const adapter = (await early) ?? await gpu.requestAdapter(options.powerPreference ? { powerPreference: options.powerPreference } : {});
  if (adapter === null) {
    throw new VyreError(
      'adapter-unavailable',
      'WebGPU is present but the browser offered no GPU adapter.',
      'check chrome://gpu for a blocklisted GPU or disabled hardware acceleration; on a machine without a GPU, Chrome needs --enable-unsafe-swiftshader.',
    );
  }
  onStep?.('adapter');
  const requiredLimits: Record<string, number> = {};
  for (const name of REQUESTED_LIMITS) requiredLimits[name] = adapter.limits[name];
  const requiredFeatures = WANTED_FEATURES.filter((feature) => adapter.features.has(feature));
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice({ label: 'vyre-web device', requiredLimits, requiredFeatures });
  } catch (cause) {
    throw new VyreError(
      'adapter-unavailable',
      `The GPU adapter refused to create a device: ${describe(cause)}.`,
      'close other tabs using the GPU and retry; if it persists, the GPU driver may be in a bad state.',
      {},
      { cause },
    );
  }
  onStep?.('device');
  return { adapter, device, summary: summarize(adapter, device) };
}

function summarize(adapter: GPUAdapter, device: GPUDevice): DeviceSummary {
  const info = adapter.info;
  const limits = {} as Record<keyof DeviceLimits, number>;
  for (const name of REQUESTED_LIMITS) limits[name] = device.limits[name];
  return {
    adapterInfo: { ...readAdapterInfo(info), vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description },
    // `isFallbackAdapter` moved from GPUAdapter to GPUAdapterInfo; read whichever exists.
    isFallbackAdapter: Boolean((info as { isFallbackAdapter?: boolean }).isFallbackAdapter ??
      (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter),
    features: [...device.features].sort(),
    limits,
  };
}

/** All scalar fields of GPUAdapterInfo, including ones newer than our type definitions. */
function readAdapterInfo(info: GPUAdapterInfo): Record<string, string | number | boolean> {
  const fields: Record<string, string | number | boolean> = {};
  // WebIDL attributes are enumerable getters on the prototype, so for…in sees them.
  for (const key in info) {
    const value: unknown = (info as unknown as Record<string, unknown>)[key];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields[key] = value;
  }
  return fields;
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
