/**
 * Resident buffers of one runtime: GPU buffers the app keeps on the device between
 * dispatches, named by small integer ids. References from another runtime, destroyed
 * buffers and buffers of a lost device are refused with a code that says which.
 */
import { VyreError } from '../errors.ts';
import type { ResidentBufferRef } from '../protocol/resident.ts';
import { ELEMENT_BYTES, type ElementType } from '../protocol/elements.ts';
import type { GpuCounters } from './gpu-stats.ts';

/** Usage of every storage buffer we create. A function: GPUBufferUsage may not exist when this module loads (Node + Dawn sets it later). */
export function storageUsage(): GPUBufferUsageFlags {
  return GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
}

/** Usage of every staging buffer results are read back through. */
export function stagingUsage(): GPUBufferUsageFlags {
  return GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST;
}

interface Entry {
  readonly ref: ResidentBufferRef;
  readonly buffer: GPUBuffer;
}

export class ResidentRegistry {
  private readonly live = new Map<number, Entry>();
  private readonly lost = new Set<number>();
  private nextId = 1;

  constructor(
    readonly runtimeId: string,
    private device: GPUDevice,
    private readonly stats: GpuCounters,
  ) {}

  /** A new zero-filled resident buffer, or one holding `data`. */
  create(type: ElementType, length: number, data?: ArrayBufferView): ResidentBufferRef {
    const buffer = this.device.createBuffer({ label: `vyre-web resident ${type}[${length}]`, size: Math.max(ELEMENT_BYTES, length * ELEMENT_BYTES), usage: storageUsage() });
    if (data !== undefined && data.byteLength > 0) this.device.queue.writeBuffer(buffer, 0, data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
    return this.adopt(buffer, type, length);
  }

  /**
   * Registers a buffer the dispatcher allocated for a kept output, or lends it one dispatch's
   * staged input (staged-uploads.ts), which {@link ResidentRegistry.forget} ends.
   */
  adopt(buffer: GPUBuffer, type: ElementType, length: number): ResidentBufferRef {
    const ref: ResidentBufferRef = { kind: 'vyre-resident-buffer', id: this.nextId++, runtimeId: this.runtimeId, type, length };
    this.live.set(ref.id, { ref, buffer });
    this.stats.residentBuffers = this.live.size;
    return ref;
  }

  /** Ends a loan: the reference stops working, the buffer is the lender's again (not destroyed). */
  forget(ref: ResidentBufferRef): void {
    this.live.delete(ref.id);
    this.stats.residentBuffers = this.live.size;
  }

  /** @throws VyreError `invalid-input` (another runtime's, unknown or destroyed), `device-lost`. */
  buffer(ref: ResidentBufferRef): GPUBuffer {
    if (ref.runtimeId !== this.runtimeId) {
      throw new VyreError('invalid-input', `Resident buffer ${ref.id} belongs to another runtime.`, 'pass resident buffers only to the runtime that created them.', { bufferId: ref.id });
    }
    if (this.lost.has(ref.id)) {
      throw new VyreError('device-lost', `Resident buffer ${ref.id} lived on a GPU device that was lost.`, 'create it again (and re-run what produced it): its contents are gone.', { bufferId: ref.id });
    }
    const entry = this.live.get(ref.id);
    if (entry === undefined) {
      throw new VyreError('invalid-input', `Resident buffer ${ref.id} was destroyed or never existed.`, 'do not use a resident buffer after destroy().', { bufferId: ref.id });
    }
    return entry.buffer;
  }

  /** Frees the buffer; later use of the reference is refused. */
  destroy(ref: ResidentBufferRef): GPUBuffer | undefined {
    const entry = this.live.get(ref.id);
    if (entry === undefined || ref.runtimeId !== this.runtimeId) return undefined;
    this.live.delete(ref.id);
    entry.buffer.destroy();
    this.stats.residentBuffers = this.live.size;
    return entry.buffer;
  }

  /** The device was lost: every buffer on it is gone; the registry continues on `device`. */
  deviceLost(device: GPUDevice): void {
    for (const id of this.live.keys()) this.lost.add(id);
    this.live.clear();
    this.stats.residentBuffers = 0;
    this.device = device;
  }

  destroyAll(): void {
    for (const entry of this.live.values()) entry.buffer.destroy();
    this.live.clear();
  }
}
