/** Counters of GPU objects the dispatcher created or reused: what "no avoidable work" is checked with. */
export interface GpuStats {
  buffersCreated: number;
  bufferReuses: number;
  bindGroupsCreated: number;
  bindGroupReuses: number;
  dispatches: number;
  submits: number;
  /** Submits that ran inside a validation error scope: first runs of a command, and timed ones. */
  validatedSubmits: number;
  /** WebGPU errors no error scope caught (reported by the device's uncapturederror event). */
  uncapturedErrors: number;
  residentBuffers: number;
  deviceLosses: number;
}

export function createGpuStats(): GpuStats {
  return { buffersCreated: 0, bufferReuses: 0, bindGroupsCreated: 0, bindGroupReuses: 0, dispatches: 0, submits: 0, validatedSubmits: 0, uncapturedErrors: 0, residentBuffers: 0, deviceLosses: 0 };
}
