/**
 * GPU buffers pooled by usage and power-of-two size class, so a pipeline dispatched a
 * thousand times with same-sized inputs allocates its buffers once.
 *
 * Releasing right after `queue.submit` is safe: WebGPU executes queue operations in order,
 * so a later `writeBuffer` into a reused buffer lands after the work that read it.
 */
import type { GpuCounters } from './gpu-stats.ts';

/** The smallest class: tiny buffers share one size instead of fragmenting. */
const MIN_CLASS_BYTES = 256;
/** At most this many idle buffers per class; the rest are destroyed on release. */
const MAX_IDLE_PER_CLASS = 8;

export class BufferPool {
  /** Idle buffers by usage, then size class. Numbers, not a joined string key: this is the hot path. */
  private readonly idle = new Map<GPUBufferUsageFlags, Map<number, GPUBuffer[]>>();
  private readonly classOf = new WeakMap<GPUBuffer, GPUBuffer[]>();
  constructor(
    private readonly device: GPUDevice,
    private readonly stats: GpuCounters,
    /**
     * Error-scope outcomes of the allocations since the last drain. Only allocations can
     * run out of memory, so the hot path (every buffer reused) pays for no scope at all.
     */
    readonly allocationChecks: Promise<GPUError | null>[],
  ) {}

  /**
   * A buffer of at least `bytes` with exactly `usage`. Its contents are whatever was there.
   * The label is `owner` and `role`, joined only when a buffer is created.
   */
  acquire(bytes: number, usage: GPUBufferUsageFlags, owner: string, role: string): GPUBuffer {
    const size = sizeClass(bytes);
    const list = this.idleList(usage, size);
    const reused = list.pop();
    if (reused !== undefined) {
      this.stats.bufferReuses++;
      return reused;
    }
    this.stats.buffersCreated++;
    const buffer = createCheckedBuffer(this.device, { label: `${owner} ${role}${usage & GPUBufferUsage.MAP_READ ? ' staging' : ''} (pool ${size} B)`, size, usage }, this.allocationChecks);
    this.classOf.set(buffer, list);
    return buffer;
  }

  release(buffer: GPUBuffer): void {
    const list = this.classOf.get(buffer);
    if (list === undefined) return;
    if (list.length >= MAX_IDLE_PER_CLASS) {
      buffer.destroy();
      return;
    }
    list.push(buffer);
  }

  /** Destroys every idle buffer (device loss, dispose). */
  clear(): void {
    for (const bySize of this.idle.values()) for (const list of bySize.values()) for (const buffer of list.splice(0)) buffer.destroy();
  }

  /** The idle list of one usage and size class, created on first use and kept. */
  private idleList(usage: GPUBufferUsageFlags, size: number): GPUBuffer[] {
    let bySize = this.idle.get(usage);
    if (bySize === undefined) {
      bySize = new Map();
      this.idle.set(usage, bySize);
    }
    let list = bySize.get(size);
    if (list === undefined) {
      list = [];
      bySize.set(size, list);
    }
    return list;
  }
}

/** Power-of-two size class, at least MIN_CLASS_BYTES; a multiple of 4 as storage bindings need. */
export function sizeClass(bytes: number): number {
  let size = MIN_CLASS_BYTES;
  while (size < bytes) size *= 2;
  return size;
}

/**
 * Creates a buffer inside its own out-of-memory and validation scopes and records their
 * outcomes (e.g. a size class over `maxBufferSize` is a validation error).
 */
export function createCheckedBuffer(device: GPUDevice, descriptor: GPUBufferDescriptor, checks: Promise<GPUError | null>[]): GPUBuffer {
  device.pushErrorScope('validation');
  device.pushErrorScope('out-of-memory');
  const buffer = device.createBuffer(descriptor);
  checks.push(device.popErrorScope(), device.popErrorScope());
  return buffer;
}
