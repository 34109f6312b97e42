/**
 * GPU timing with timestamp queries. A timer (query set, resolve buffer, read buffer) is
 * created once per capacity and reused, so `{ timing: true }` on every dispatch does not
 * allocate three GPU objects per call. Timers in use by a dispatch in flight are not
 * handed out twice.
 */
import { stagingUsage } from './resident-registry.ts';

/** Idle timers kept for reuse; more are destroyed when released. */
const MAX_IDLE_TIMERS = 4;

export interface PassTimer {
  /** Timestamp writes of item `item`'s compute pass. */
  writes(item: number): GPUComputePassTimestampWrites;
  /** Encodes resolving the queries and copying them to the read buffer. */
  resolve(encoder: GPUCommandEncoder): void;
  /** GPU milliseconds per item, once the submitted work has run; the timer goes back to the pool. */
  read(): Promise<number[]>;
  /** The dispatch failed before `read()`: frees the timer's GPU objects. */
  discard(): void;
}

interface TimerResources {
  readonly capacity: number;
  readonly querySet: GPUQuerySet;
  readonly resolveBuffer: GPUBuffer;
  readonly readBuffer: GPUBuffer;
}

export class TimerPool {
  private readonly idle: TimerResources[] = [];

  constructor(private readonly device: GPUDevice) {}

  /** A timer for `items` passes; undefined when the device has no timestamp queries. */
  acquire(items: number): PassTimer | undefined {
    if (!this.device.features.has('timestamp-query')) return undefined;
    const at = this.idle.findIndex((resources) => resources.capacity >= items);
    const resources = at >= 0 ? this.idle.splice(at, 1)[0] : undefined;
    return this.wrap(resources ?? this.create(items), items);
  }

  clear(): void {
    for (const resources of this.idle.splice(0)) destroy(resources);
  }

  private create(items: number): TimerResources {
    // Power-of-two capacity, so batches of similar size share timers.
    let capacity = 1;
    while (capacity < items) capacity *= 2;
    const count = capacity * 2;
    return {
      capacity,
      querySet: this.device.createQuerySet({ label: 'vyre-web timing', type: 'timestamp', count }),
      resolveBuffer: this.device.createBuffer({ label: 'vyre-web timing resolve', size: count * 8, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC }),
      readBuffer: this.device.createBuffer({ label: 'vyre-web timing read', size: count * 8, usage: stagingUsage() }),
    };
  }

  private release(resources: TimerResources): void {
    if (this.idle.length < MAX_IDLE_TIMERS) this.idle.push(resources);
    else destroy(resources);
  }

  private wrap(resources: TimerResources, items: number): PassTimer {
    const count = items * 2;
    const { querySet, resolveBuffer, readBuffer } = resources;
    return {
      writes: (item) => ({ querySet, beginningOfPassWriteIndex: item * 2, endOfPassWriteIndex: item * 2 + 1 }),
      resolve(encoder) {
        encoder.resolveQuerySet(querySet, 0, count, resolveBuffer, 0);
        encoder.copyBufferToBuffer(resolveBuffer, 0, readBuffer, 0, count * 8);
      },
      read: async () => {
        try {
          await readBuffer.mapAsync(GPUMapMode.READ, 0, count * 8);
        } catch (error) {
          destroy(resources);
          throw error;
        }
        const stamps = new BigUint64Array(readBuffer.getMappedRange(0, count * 8).slice(0));
        readBuffer.unmap();
        this.release(resources);
        return Array.from({ length: items }, (_, item) => Number((stamps[item * 2 + 1] ?? 0n) - (stamps[item * 2] ?? 0n)) / 1e6);
      },
      discard: () => destroy(resources),
    };
  }
}

function destroy(resources: TimerResources): void {
  resources.querySet.destroy();
  resources.resolveBuffer.destroy();
  resources.readBuffer.destroy();
}
