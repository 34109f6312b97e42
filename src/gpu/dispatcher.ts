/**
 * The dispatcher: runs planned dispatches with no avoidable work per call.
 *
 *   once per size class   storage, uniform and staging buffers (pooled)
 *   once per buffer set   the bind group (cached per pipeline)
 *   once per command      a validation error scope around the first run of each
 *                         (bind group, grid): see {@link ValidatedCommands}
 *   per call              uploads of the caller's bytes, one clear per runtime-allocated
 *                         buffer, copies of exactly the bytes read back
 *   per batch             one command encoder, one compute pass (one per item when timed),
 *                         one submit, one map of every staging buffer
 *
 * Every allocation and bind group is created inside its own error scopes, so a stray
 * error becomes a `gpu-error` instead of a silently wrong result.
 */
import { VyreError } from '../errors.ts';
import type { DispatchPlan } from '../dispatch/dispatch-plan.ts';
import type { DispatchReply, WireOutputs } from '../protocol/dispatch.ts';
import type { ResidentBufferRef } from '../protocol/resident.ts';
import { readBackArray } from '../dispatch/binding-bytes.ts';
import { ELEMENT_BYTES, arrayConstructorFor, type ElementArray, type ElementType } from '../protocol/elements.ts';
import type { WgslType } from '../protocol/wgsl-module.ts';
import { BindGroupCache, type BindingEntry, type CachedBindGroup } from './bind-group-cache.ts';
import { BufferPool, createCheckedBuffer } from './buffer-pool.ts';
import type { GpuPipeline } from './compile-pipeline.ts';
import type { GpuCounters } from './gpu-stats.ts';
import { stagingUsage, storageUsage, type ResidentRegistry } from './resident-registry.ts';
import { TimerPool, type PassTimer } from './timestamp-timer.ts';
import { ValidatedCommands } from './validated-commands.ts';
import { copyOut, landAhead, type Landings } from './landing.ts';
import { mapForReading, type MapWait } from './map-read.ts';
import { ImageBinder, tightBytes, type BoundImages } from './image-binder.ts';
import { TexturePool } from './texture-pool.ts';
import { StagedUploads } from './staged-uploads.ts';
import type { ResidentTextureRef } from '../protocol/images.ts';

export interface PipelineTarget {
  readonly pipelineId: string;
  readonly gpu: GpuPipeline;
  readonly label: string;
}

interface Readback {
  readonly name: string;
  readonly type: ElementType;
  /** The WGSL layout the bytes follow, for a reflected module's buffer: read back by its leaf scalar. */
  readonly layout: WgslType | undefined;
  readonly source: GPUBuffer;
  readonly staging: GPUBuffer;
  readonly bytes: number;
}

/** One batch item, bound and ready to encode. */
interface BoundItem {
  /** One bind group per group index of the pipeline layout. */
  readonly bindGroups: readonly CachedBindGroup[];
  readonly grid: readonly [number, number, number];
  readonly readbacks: readonly Readback[];
  /** A read-back source is a resident buffer a later item may write: copy it right after this item. */
  readonly copyAtOnce: boolean;
  readonly kept: Map<string, ResidentBufferRef> | undefined;
  /** The item's textures and samplers, when its pipeline has image bindings. */
  readonly images: BoundImages | undefined;
}

interface Upload {
  readonly buffer: GPUBuffer;
  readonly data: ArrayBufferView;
}

/** What binding a batch collects: pooled buffers, staging buffers, uploads and clears. */
interface BatchWork {
  readonly acquired: GPUBuffer[];
  readonly staged: GPUBuffer[];
  readonly uploads: Upload[];
  readonly clears: { buffer: GPUBuffer; bytes: number }[];
  readonly images: BoundImages[];
}

export class Dispatcher {
  private readonly checks: Promise<GPUError | null>[] = [];
  private readonly pool: BufferPool;
  private readonly bindGroups: BindGroupCache;
  private readonly timers: TimerPool;
  private readonly textures: TexturePool;
  private readonly images: ImageBinder;
  private readonly validated = new ValidatedCommands();
  /** Large inputs written ahead of their dispatch (staged-uploads.ts); the engine lends and ends them. */
  readonly staged: StagedUploads;

  constructor(
    private readonly device: GPUDevice,
    private readonly residents: ResidentRegistry,
    private readonly stats: GpuCounters,
    /** How read-backs wait for their staging buffers (see map-read.ts). */
    private readonly mapWait: MapWait = 'plain',
  ) {
    this.pool = new BufferPool(device, stats, this.checks);
    this.bindGroups = new BindGroupCache(device, stats, this.checks);
    this.timers = new TimerPool(device);
    this.textures = new TexturePool(device, stats, (view) => this.bindGroups.forget(view));
    this.staged = new StagedUploads(device, this.pool, stats);
    this.images = new ImageBinder(device, this.textures, this.pool, residents.runtimeId, this.staged);
  }

  /** Runs every plan of a batch in one encoder and one submit; results in order. */
  async run(target: PipelineTarget, plans: readonly DispatchPlan[], timing = false): Promise<DispatchReply> {
    const started = performance.now();
    const device = this.device;
    const acquired: GPUBuffer[] = [];
    const staged: GPUBuffer[] = [];
    const uploads: Upload[] = [];
    const clears: { buffer: GPUBuffer; bytes: number }[] = [];
    let timer: PassTimer | undefined;
    let scoped = false;
    let submitted = false;
    // Every item's textures, as they are bound: returned to the pool in the end, whatever happens.
    const boundImages: BoundImages[] = [];
    try {
      // Everything that can allocate happens first, each allocation in its own scopes.
      const items = plans.map((plan) => this.bind(target, plan, { acquired, staged, uploads, clears, images: boundImages }));
      timer = timing ? this.timers.acquire(plans.length) : undefined;
      const commands = items.map((item) => ValidatedCommands.name(bindGroupsId(item.bindGroups), item.grid, item.readbacks.length + (item.images?.readbacks.length ?? 0)));
      scoped = timer !== undefined || !this.validated.hasAll(commands);
      if (scoped) device.pushErrorScope('validation');
      for (const { buffer, data } of uploads) device.queue.writeBuffer(buffer, 0, data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
      // No labels on per-call encoders and passes: they cost every call (≈5 µs in Chrome's
      // worker), and a validation message already names the labelled pipeline and bind group.
      const encoder = device.createCommandEncoder();
      for (const images of boundImages) this.images.encodeUploads(encoder, images);
      for (const { buffer, bytes } of clears) encoder.clearBuffer(buffer, 0, bytes);
      this.encodePasses(encoder, target, items, timer);
      timer?.resolve(encoder);
      device.queue.submit([encoder.finish()]);
      submitted = true;
      this.stats.submits++;
      if (scoped) this.stats.validatedSubmits++;
      // Release in reverse order so the next same-sized dispatch gets the same buffers back in the same roles.
      for (const buffer of acquired.reverse()) this.pool.release(buffer);

      // The scopes were popped before the maps were asked for, so they settle first: the
      // maps' wait covers both. A repeat of a validated command has no scope to wait for.
      const checks = this.checks.splice(0);
      if (scoped) checks.push(device.popErrorScope());
      scoped = false;
      const readbacks: Readback[] = [];
      for (const item of items) readbacks.push(...item.readbacks);
      const imageReadbacks = items.flatMap((item) => item.images?.readbacks ?? []);
      const landings = landAhead([...readbacks, ...imageReadbacks.map((readback) => ({ staging: readback.staging, bytes: tightBytes(readback) }))]);
      const mapped = await mapForReading(device, [...readbacks, ...imageReadbacks].map(({ staging }) => [staging] as const), this.mapWait);
      const scopeError = checks.length === 0 ? null : ((await Promise.all(checks)).find((error) => error !== null) ?? null);
      if (scopeError !== null) {
        throw new VyreError('gpu-error', `WebGPU rejected the dispatch of "${target.label}": ${scopeError.message}`, 'check the grid and buffer sizes against the device limits; if they are within them, this is a vyre-web bug.', { gpuMessage: scopeError.message });
      }
      if (checks.length > 0) this.validated.add(commands);
      const failedMap = mapped.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
      if (failedMap !== undefined) throw failedMap.reason;
      const results = items.map((item, index) => ({ ...collectOutputs(plans[index], item, landings), ...this.collectImages(item, landings) }));
      for (const readback of readbacks) this.pool.release(readback.staging);
      if (!timing) return { outputs: results };
      const gpuMs = timer ? await timer.read() : null;
      timer = undefined;
      return { outputs: results, timing: { wallMs: performance.now() - started, gpuMs: results.map((_, item) => gpuMs?.[item] ?? null) } };
    } finally {
      for (const images of boundImages) this.images.release(images);
      timer?.discard();
      if (!submitted) {
        // A synchronous throw (e.g. a resident buffer destroyed meanwhile): nothing was
        // submitted, so the buffers are free again and the checks belong to no later call.
        for (const buffer of [...acquired, ...staged]) this.pool.release(buffer);
        void Promise.all(this.checks.splice(0)).catch(() => undefined);
      }
      // A synchronous throw left our scope pushed; pop it so later calls are not misattributed.
      if (scoped) await device.popErrorScope().catch(() => null);
    }
  }

  /** Binds one plan: buffers (pooled, resident or new kept ones), uploads, clears, staging. */
  private bind(target: PipelineTarget, plan: DispatchPlan, work: BatchWork): BoundItem {
    const { acquired, staged, uploads, clears } = work;
    let kept: Map<string, ResidentBufferRef> | undefined;
    const layouts = target.gpu.bindGroupLayouts;
    const entries: BindingEntry[][] = layouts.length === 1 ? [[]] : layouts.map(() => []);
    const readbacks: Readback[] = [];
    let copyAtOnce = false;
    for (const planned of plan.buffers) {
      const { name, binding, type, access, layout } = planned.declaration;
      const bytes = Math.max(ELEMENT_BYTES, planned.byteLength);
      const readBackBytes = planned.readBackBytes ?? planned.byteLength;
      let buffer: GPUBuffer;
      if (planned.resident !== undefined) {
        buffer = this.residents.buffer(planned.resident);
        // Kept in place: the caller's resident buffer is the output.
        if (planned.keep) (kept ??= new Map()).set(name, planned.resident);
      } else if (planned.keep) {
        buffer = createCheckedBuffer(this.device, { label: `${target.label} ${name} (kept)`, size: bytes, usage: storageUsage() }, this.checks);
        // A resident buffer counts scalars of its type: a kept vec4 output of n vectors holds 4n.
        const scalars = layout === undefined ? planned.length : readBackBytes / ELEMENT_BYTES;
        (kept ??= new Map()).set(name, this.residents.adopt(buffer, type, scalars));
      } else {
        buffer = this.pool.acquire(bytes, planned.declaration.space === 'uniform' ? uniformUsage() : storageUsage(), target.label, name);
        acquired.push(buffer);
        if (planned.data === undefined && planned.packed === undefined) clears.push({ buffer, bytes });
      }
      const data = planned.packed ?? planned.data;
      if (data !== undefined && data.byteLength > 0) uploads.push({ buffer, data });
      entries[planned.declaration.group ?? 0]?.push({ binding, buffer, size: bytes });
      if (access !== 'read' && !planned.keep && readBackBytes > 0) {
        const staging = this.pool.acquire(readBackBytes, stagingUsage(), target.label, name);
        staged.push(staging);
        readbacks.push({ name, type, layout, source: buffer, staging, bytes: readBackBytes });
        if (planned.resident !== undefined) copyAtOnce = true;
      }
    }
    if (plan.params !== undefined) {
      const uniform = this.pool.acquire(plan.params.bytes.byteLength, uniformUsage(), target.label, 'params');
      acquired.push(uniform);
      uploads.push({ buffer: uniform, data: new Uint8Array(plan.params.bytes) });
      entries[0]?.push({ binding: plan.params.binding, buffer: uniform, size: plan.params.bytes.byteLength });
    }
    // The previous item's images: a `previousOutput` input binds its texture.
    const images = plan.images === undefined ? undefined : this.images.bind(plan.images, target.label, work.images.at(-1));
    if (images !== undefined) work.images.push(images);
    for (const { group, entry } of images?.entries ?? []) entries[group]?.push(entry);
    const bindGroups = layouts.map((layout, group) => this.bindGroups.get(group === 0 ? target.pipelineId : `${target.pipelineId}#${group}`, layout, entries[group] ?? [], target.label));
    return { bindGroups, grid: plan.grid, readbacks, copyAtOnce, kept, images };
  }

  /**
   * Encodes the items' dispatches into as few compute passes as the results allow: one for
   * the whole batch, since WebGPU orders the dispatches of a pass like separate passes.
   * A pass ends early after an item whose resident buffer is read back (a later item may
   * overwrite it) and after every item when timed (timestamps are per pass).
   */
  private encodePasses(encoder: GPUCommandEncoder, target: PipelineTarget, items: readonly BoundItem[], timer: PassTimer | undefined): void {
    let pass: GPUComputePassEncoder | undefined;
    let bound: readonly CachedBindGroup[] | undefined;
    const deferred: Readback[] = [];
    items.forEach((item, index) => {
      const [x, y, z] = item.grid;
      if (x > 0 && y > 0 && z > 0) {
        if (pass === undefined) {
          pass = encoder.beginComputePass(timer ? { timestampWrites: timer.writes(index) } : undefined);
          pass.setPipeline(target.gpu.pipeline);
          bound = undefined;
        }
        item.bindGroups.forEach((group, index) => {
          if (bound?.[index] !== group) pass?.setBindGroup(index, group.group);
        });
        bound = item.bindGroups;
        pass.dispatchWorkgroups(x, y, z);
        this.stats.dispatches++;
      }
      if (timer !== undefined || item.copyAtOnce) {
        pass?.end();
        pass = undefined;
        for (const readback of item.readbacks) encoder.copyBufferToBuffer(readback.source, 0, readback.staging, 0, readback.bytes);
      } else {
        deferred.push(...item.readbacks);
      }
    });
    (pass as GPUComputePassEncoder | undefined)?.end();
    for (const readback of deferred) encoder.copyBufferToBuffer(readback.source, 0, readback.staging, 0, readback.bytes);
    for (const item of items) if (item.images !== undefined) this.images.encodeReadbacks(encoder, item.images.readbacks);
  }

  /** An item's storage textures, read back (their staging buffers are mapped), and the ones kept. */
  private collectImages(item: BoundItem, landings: Landings): WireOutputs {
    const result: WireOutputs = {};
    for (const readback of item.images?.readbacks ?? []) result[readback.name] = this.images.collect(readback, landings.get(readback.staging));
    for (const [name, ref] of item.images?.kept ?? []) result[name] = ref;
    return result;
  }

  /** Frees a kept texture: back to the pool, which forgets the bind groups over the textures it destroys. */
  destroyTexture(ref: ResidentTextureRef): void {
    this.images.destroyResident(ref);
  }

  /** @throws VyreError `invalid-input` when `ref` is not a live texture of this runtime. */
  checkTexture(ref: ResidentTextureRef): void {
    this.images.residentView(ref);
  }

  /** Frees a resident buffer and the bind groups that refer to it. */
  destroyResident(ref: ResidentBufferRef): void {
    const buffer = this.residents.destroy(ref);
    if (buffer !== undefined) this.bindGroups.forget(buffer);
  }

  /** Reads a resident buffer back. */
  async readResident(ref: ResidentBufferRef): Promise<ElementArray> {
    const buffer = this.residents.buffer(ref);
    const bytes = ref.length * ELEMENT_BYTES;
    const ArrayType = arrayConstructorFor(ref.type);
    if (bytes === 0) return new ArrayType(0);
    const staging = this.pool.acquire(bytes, stagingUsage(), 'vyre-web resident read', 'staging');
    const encoder = this.device.createCommandEncoder({ label: 'vyre-web resident read' });
    encoder.copyBufferToBuffer(buffer, 0, staging, 0, bytes);
    this.device.queue.submit([encoder.finish()]);
    const landing = landAhead([{ staging, bytes }]).get(staging);
    const [allocationErrors, [mapped]] = await Promise.all([Promise.all(this.checks.splice(0)), mapForReading(this.device, [[staging]], this.mapWait)]);
    if (mapped?.status === 'rejected') throw mapped.reason;
    const failed = allocationErrors.find((error) => error !== null);
    if (failed) throw new VyreError('gpu-error', `WebGPU could not allocate a staging buffer: ${failed.message}`, 'free resident buffers you no longer need.', { gpuMessage: failed.message });
    const data = new ArrayType(copyOut(staging.getMappedRange(0, bytes), bytes, landing));
    staging.unmap();
    this.pool.release(staging);
    return data;
  }

  clear(): void {
    this.pool.clear();
    this.bindGroups.clear();
    this.timers.clear();
  }
}

/** Uniform buffers: bound as `uniform`, written from the host. A function: `GPUBufferUsage` exists only where WebGPU does. */
function uniformUsage(): GPUBufferUsageFlags {
  return GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST;
}

/** Names the bind groups of one item for {@link ValidatedCommands}: their shapes (bind-group-cache.ts). */
function bindGroupsId(groups: readonly CachedBindGroup[]): string {
  return groups.length === 1 ? (groups[0]?.shape ?? '') : groups.map((group) => group.shape).join('+');
}

/** A batch item's outputs: kept handles, arrays copied out of the mapped staging buffers. */
function collectOutputs(plan: DispatchPlan | undefined, item: BoundItem, landings: Landings): WireOutputs {
  const result: WireOutputs = item.kept === undefined ? {} : Object.fromEntries(item.kept);
  for (const readback of item.readbacks) {
    // Copied out of the mapped range, which unmap() invalidates; only the bytes asked for.
    const bytes = copyOut(readback.staging.getMappedRange(0, readback.bytes), readback.bytes, landings.get(readback.staging));
    result[readback.name] = readback.layout === undefined ? new (arrayConstructorFor(readback.type))(bytes) : readBackArray(readback.layout, bytes);
    readback.staging.unmap();
  }
  for (const planned of plan?.buffers ?? []) {
    if (planned.declaration.access === 'read' || planned.keep || (planned.readBackBytes ?? planned.byteLength) > 0) continue;
    const layout = planned.declaration.layout;
    result[planned.declaration.name] = layout === undefined ? new (arrayConstructorFor(planned.declaration.type))(0) : readBackArray(layout, new ArrayBuffer(0));
  }
  return result;
}
