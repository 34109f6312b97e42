/** The dispatcher's counters, mutable inside the worker; the app reads a copy as {@link GpuStats}. */
import type { GpuStats } from '../protocol/device.ts';

export type GpuCounters = { -readonly [K in keyof GpuStats]: number };

export function createGpuStats(): GpuCounters {
  return { buffersCreated: 0, bufferReuses: 0, texturesCreated: 0, textureReuses: 0, bindGroupsCreated: 0, bindGroupReuses: 0, dispatches: 0, submits: 0, validatedSubmits: 0, uncapturedErrors: 0, residentBuffers: 0, stagedUploads: 0, deviceLosses: 0 };
}
