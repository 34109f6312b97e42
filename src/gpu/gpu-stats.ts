/** Counters of GPU objects the dispatcher created or reused: what "no avoidable work" is checked with. */
export interface GpuStats {
  buffersCreated: number;
  bufferReuses: number;
  bindGroupsCreated: number;
  bindGroupReuses: number;
  dispatches: number;
  submits: number;
  residentBuffers: number;
  deviceLosses: number;
}

export function createGpuStats(): GpuStats {
  return { buffersCreated: 0, bufferReuses: 0, bindGroupsCreated: 0, bindGroupReuses: 0, dispatches: 0, submits: 0, residentBuffers: 0, deviceLosses: 0 };
}
