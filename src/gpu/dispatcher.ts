/**
 * The dispatcher: runs planned dispatches with no avoidable work per call.
 *
 *   once per size class  storage, uniform and staging buffers (pooled)
 *   once per buffer set  the bind group (cached per pipeline)
 *   per call             uploads of the caller's bytes, one clear per runtime-allocated
 *                        buffer, one pass per item, copies of exactly the bytes read back
 *   per batch            one command encoder, one submit, one map of every staging buffer
 *
 * Everything runs inside a validation error scope, and every allocation inside an
 * out-of-memory scope, so a stray error becomes a `gpu-error` instead of a silently wrong
 * result, while a dispatch that allocates nothing pays for one scope only.
 */
import { VyreError } from '../errors.ts';
import type { DispatchOutputs, DispatchPlan } from '../pipeline/dispatch-plan.ts';
import type { ResidentBufferRef } from '../protocol/resident.ts';
import { ELEMENT_BYTES, arrayConstructorFor } from '../program/types.ts';
import { BindGroupCache } from './bind-group-cache.ts';
import { BufferPool, createCheckedBuffer } from './buffer-pool.ts';
import type { GpuPipeline } from './compile-pipeline.ts';
import type { GpuStats } from './gpu-stats.ts';
import { storageUsage, type ResidentRegistry } from './resident-registry.ts';

/** What one dispatch returns: arrays read back, and handles of outputs kept on the GPU. */
export type DispatchResult = Record<string, DispatchOutputs[string] | ResidentBufferRef>;

export interface TimedResult {
  readonly outputs: DispatchResult;
  readonly timing: { readonly wallMs: number; readonly gpuMs: number | null };
}

export interface PipelineTarget {
  readonly pipelineId: string;
  readonly gpu: GpuPipeline;
  readonly label: string;
}

interface Readback {
  readonly item: number;
  readonly name: string;
  readonly type: Parameters<typeof arrayConstructorFor>[0];
  readonly staging: GPUBuffer;
  readonly bytes: number;
}

export class Dispatcher {
  private readonly pool: BufferPool;
  private readonly bindGroups: BindGroupCache;

  constructor(
    private readonly device: GPUDevice,
    private readonly residents: ResidentRegistry,
    private readonly stats: GpuStats,
  ) {
    this.pool = new BufferPool(device, stats);
    this.bindGroups = new BindGroupCache(device, stats);
  }

  /** Runs every plan of a batch in one encoder and one submit; results in order. */
  async run(target: PipelineTarget, plans: readonly DispatchPlan[], timing = false): Promise<TimedResult[]> {
    const started = performance.now();
    const device = this.device;
    const acquired: GPUBuffer[] = [];
    const readbacks: Readback[] = [];
    const kept: Map<string, ResidentBufferRef>[] = plans.map(() => new Map());
    const timer = timing && device.features.has('timestamp-query') ? this.createTimer(plans.length) : undefined;
    device.pushErrorScope('validation');
    let scopesOpen = true;
    try {
      const encoder = device.createCommandEncoder({ label: `${target.label} encoder` });
      plans.forEach((plan, item) => {
        const entries = plan.buffers.map((planned) => {
          const bytes = Math.max(ELEMENT_BYTES, planned.length * ELEMENT_BYTES);
          let buffer: GPUBuffer;
          if (planned.resident !== undefined) {
            buffer = this.residents.buffer(planned.resident);
            // Kept in place: the caller's resident buffer is the output.
            if (planned.keep) kept[item]?.set(planned.declaration.name, planned.resident);
          } else if (planned.keep) {
            buffer = createCheckedBuffer(device, { label: `${target.label} ${planned.declaration.name} (kept)`, size: bytes, usage: storageUsage() }, this.pool.allocationChecks);
            kept[item]?.set(planned.declaration.name, this.residents.adopt(buffer, planned.declaration.type, planned.length));
          } else {
            buffer = this.pool.acquire(bytes, storageUsage(), `${target.label} ${planned.declaration.name}`);
            acquired.push(buffer);
            if (planned.data === undefined) encoder.clearBuffer(buffer, 0, bytes);
          }
          if (planned.data !== undefined && planned.data.byteLength > 0) {
            device.queue.writeBuffer(buffer, 0, planned.data.buffer as ArrayBuffer, planned.data.byteOffset, planned.data.byteLength);
          }
          return { binding: planned.declaration.binding, buffer, size: bytes };
        });
        if (plan.params !== undefined) {
          const uniform = this.pool.acquire(plan.params.bytes.byteLength, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, `${target.label} params`);
          acquired.push(uniform);
          device.queue.writeBuffer(uniform, 0, plan.params.bytes);
          entries.push({ binding: plan.params.binding, buffer: uniform, size: plan.params.bytes.byteLength });
        }
        const bindGroup = this.bindGroups.get(target.pipelineId, target.gpu.bindGroupLayout, entries, target.label);
        const [x, y, z] = plan.grid;
        if (x > 0 && y > 0 && z > 0) {
          const pass = encoder.beginComputePass({ label: `${target.label} pass`, ...(timer ? { timestampWrites: timer.writes(item) } : {}) });
          pass.setPipeline(target.gpu.pipeline);
          pass.setBindGroup(0, bindGroup);
          pass.dispatchWorkgroups(x, y, z);
          pass.end();
          this.stats.dispatches++;
        }
        plan.buffers.forEach((planned, index) => {
          const entry = entries[index];
          if (planned.declaration.access === 'read' || planned.keep || planned.length === 0 || entry === undefined) return;
          const bytes = planned.length * ELEMENT_BYTES;
          const staging = this.pool.acquire(bytes, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST, `${target.label} ${planned.declaration.name} staging`);
          encoder.copyBufferToBuffer(entry.buffer, 0, staging, 0, bytes);
          readbacks.push({ item, name: planned.declaration.name, type: planned.declaration.type, staging, bytes });
        });
      });
      timer?.resolve(encoder);
      device.queue.submit([encoder.finish()]);
      this.stats.submits++;
      // Release in reverse order so the next same-sized dispatch gets the same buffers back in the same roles.
      for (const buffer of acquired.reverse()) this.pool.release(buffer);

      // Pop both scopes now and wait for them together with the maps: one wait, not three in a row.
      scopesOpen = false;
      const scopes = Promise.all([device.popErrorScope(), ...this.pool.allocationChecks.splice(0)]);
      const maps = Promise.allSettled(readbacks.map(({ staging }) => staging.mapAsync(GPUMapMode.READ)));
      const [scopeErrors, mapped] = await Promise.all([scopes, maps]);
      const scopeError = scopeErrors.find((error) => error !== null) ?? null;
      if (scopeError !== null) {
        throw new VyreError('gpu-error', `WebGPU rejected the dispatch of "${target.label}": ${scopeError.message}`, 'check the grid and buffer sizes against the device limits; if they are within them, this is a vyre-web bug.', { gpuMessage: scopeError.message });
      }
      const failedMap = mapped.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
      if (failedMap !== undefined) throw failedMap.reason;
      const results: DispatchResult[] = plans.map((_, item) => Object.fromEntries(kept[item] ?? []));
      for (const readback of readbacks) {
        const ArrayType = arrayConstructorFor(readback.type);
        // slice() copies out of the mapped range, which unmap() invalidates; only the bytes asked for.
        const result = results[readback.item];
        if (result) result[readback.name] = new ArrayType(readback.staging.getMappedRange(0, readback.bytes).slice(0));
        readback.staging.unmap();
        this.pool.release(readback.staging);
      }
      plans.forEach((plan, item) => {
        for (const planned of plan.buffers) {
          const result = results[item];
          if (result && planned.declaration.access !== 'read' && !planned.keep && planned.length === 0) {
            result[planned.declaration.name] = new (arrayConstructorFor(planned.declaration.type))(0);
          }
        }
      });
      const gpuMs = timer ? await timer.read() : null;
      const wallMs = performance.now() - started;
      return results.map((outputs, item) => ({ outputs, timing: { wallMs, gpuMs: gpuMs?.[item] ?? null } }));
    } finally {
      if (scopesOpen) {
        // A synchronous throw left our scope pushed; pop it so later calls are not misattributed.
        await device.popErrorScope().catch(() => null);
      }
    }
  }

  /** Frees a resident buffer and the bind groups that refer to it. */
  destroyResident(ref: ResidentBufferRef): void {
    const buffer = this.residents.destroy(ref);
    if (buffer !== undefined) this.bindGroups.forget(buffer);
  }

  /** Reads a resident buffer back. */
  async readResident(ref: ResidentBufferRef): Promise<DispatchOutputs[string]> {
    const buffer = this.residents.buffer(ref);
    const bytes = ref.length * ELEMENT_BYTES;
    const ArrayType = arrayConstructorFor(ref.type);
    if (bytes === 0) return new ArrayType(0);
    const staging = this.pool.acquire(bytes, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST, 'vyre-web resident read staging');
    const encoder = this.device.createCommandEncoder({ label: 'vyre-web resident read' });
    encoder.copyBufferToBuffer(buffer, 0, staging, 0, bytes);
    this.device.queue.submit([encoder.finish()]);
    const [allocationErrors] = await Promise.all([Promise.all(this.pool.allocationChecks.splice(0)), staging.mapAsync(GPUMapMode.READ)]);
    const outOfMemory = allocationErrors.find((error) => error !== null);
    if (outOfMemory) throw new VyreError('gpu-error', `WebGPU could not allocate a staging buffer: ${outOfMemory.message}`, 'free resident buffers you no longer need.', { gpuMessage: outOfMemory.message });
    const data = new ArrayType(staging.getMappedRange(0, bytes).slice(0));
    staging.unmap();
    this.pool.release(staging);
    return data;
  }

  clear(): void {
    this.pool.clear();
    this.bindGroups.clear();
  }

  private createTimer(items: number): { writes(item: number): GPUComputePassTimestampWrites; resolve(encoder: GPUCommandEncoder): void; read(): Promise<number[]> } {
    const device = this.device;
    const count = items * 2;
    const querySet = device.createQuerySet({ label: 'vyre-web timing', type: 'timestamp', count });
    const resolveBuffer = device.createBuffer({ label: 'vyre-web timing resolve', size: count * 8, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
    const readBuffer = device.createBuffer({ label: 'vyre-web timing read', size: count * 8, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    return {
      writes: (item) => ({ querySet, beginningOfPassWriteIndex: item * 2, endOfPassWriteIndex: item * 2 + 1 }),
      resolve(encoder) {
        encoder.resolveQuerySet(querySet, 0, count, resolveBuffer, 0);
        encoder.copyBufferToBuffer(resolveBuffer, 0, readBuffer, 0, count * 8);
      },
      async read() {
        await readBuffer.mapAsync(GPUMapMode.READ);
        const stamps = new BigUint64Array(readBuffer.getMappedRange().slice(0));
        readBuffer.unmap();
        querySet.destroy();
        resolveBuffer.destroy();
        readBuffer.destroy();
        return Array.from({ length: items }, (_, item) => Number((stamps[item * 2 + 1] ?? 0n) - (stamps[item * 2] ?? 0n)) / 1e6);
      },
    };
  }
}
