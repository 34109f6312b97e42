/**
 * Bind groups cached per pipeline and buffer set. Pooled buffers come back in the same
 * order for same-sized dispatches, so the same bind group serves them all.
 *
 * Each cached group also has a **shape**: its pipeline and, per entry, what WebGPU
 * validates of it (a buffer's size, usage and bound size; a texture's size, format and
 * usage; the sampler's descriptor) and which entries bind the same object (aliasing is
 * what validation forbids). Two groups of one shape over live objects validate alike, so
 * a group whose shape was already created without error skips the validation scope, and
 * the dispatcher names an already-validated command by (shapes, grid, read-backs): a chain
 * of kept textures, which binds new pooled textures of the same size at every step, then
 * pays no round trip to the GPU process per step.
 */
import type { GpuCounters } from './gpu-stats.ts';

/** Per-pipeline bound; the oldest bind group is dropped first. */
const MAX_PER_PIPELINE = 32;

/** One entry of a bind group: a buffer range, a texture view or a sampler. */
export type BindingEntry =
  | { readonly binding: number; readonly buffer: GPUBuffer; readonly size: number }
  | { readonly binding: number; readonly view: GPUTextureView; readonly shape: string }
  | { readonly binding: number; readonly sampler: GPUSampler; readonly shape: string };

/** The GPU object an entry binds: what the cache keys and compares by. */
function resourceOf(entry: BindingEntry): object {
  return 'buffer' in entry ? entry.buffer : 'view' in entry ? entry.view : entry.sampler;
}

function sizeOf(entry: BindingEntry): number {
  return 'size' in entry ? entry.size : 0;
}

function bindingResource(entry: BindingEntry): GPUBindingResource {
  if ('buffer' in entry) return { buffer: entry.buffer, offset: 0, size: entry.size };
  return 'view' in entry ? entry.view : entry.sampler;
}

export interface CachedBindGroup {
  /** Its pipeline and what validation sees of its entries (see the file's comment). */
  readonly shape: string;
  readonly group: GPUBindGroup;
  readonly entries: readonly BindingEntry[];
}

export class BindGroupCache {
  private readonly byPipeline = new Map<string, Map<string, CachedBindGroup>>();
  /** The group each pipeline used last: a batch over the same buffers skips building keys. */
  private readonly lastUsed = new Map<string, CachedBindGroup>();
  private readonly ids = new WeakMap<object, number>();
  private nextBufferId = 1;
  /** Shapes whose creation passed validation on this device. */
  private readonly validShapes = new Set<string>();

  constructor(
    private readonly device: GPUDevice,
    private readonly stats: GpuCounters,
    /** Where the validation-scope outcome of each bind group created goes (the dispatcher drains it). */
    private readonly creationChecks: Promise<GPUError | null>[],
  ) {}

  get(pipelineId: string, layout: GPUBindGroupLayout, entries: readonly BindingEntry[], label: string): CachedBindGroup {
    const last = this.lastUsed.get(pipelineId);
    if (last !== undefined && sameEntries(last.entries, entries)) {
      this.stats.bindGroupReuses++;
      return last;
    }
    const key = entries.map((entry) => `${entry.binding}:${this.idOf(resourceOf(entry))}:${sizeOf(entry)}`).join('|');
    let cache = this.byPipeline.get(pipelineId);
    if (cache === undefined) {
      cache = new Map();
      this.byPipeline.set(pipelineId, cache);
    }
    let cached = cache.get(key);
    if (cached !== undefined) {
      this.stats.bindGroupReuses++;
    } else {
      const shape = `${pipelineId}|${shapeOf(entries)}`;
      const group = this.create(layout, entries, label, shape);
      if (cache.size >= MAX_PER_PIPELINE) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      cached = { shape, group, entries: [...entries] };
      cache.set(key, cached);
    }
    this.lastUsed.set(pipelineId, cached);
    return cached;
  }

  /** Creates a group, in a validation scope unless its shape already passed one. */
  private create(layout: GPUBindGroupLayout, entries: readonly BindingEntry[], label: string, shape: string): GPUBindGroup {
    this.stats.bindGroupsCreated++;
    const known = this.validShapes.has(shape);
    if (!known) this.device.pushErrorScope('validation');
    const group = this.device.createBindGroup({
      label: `${label} bind group`,
      layout,
      entries: entries.map((entry) => ({ binding: entry.binding, resource: bindingResource(entry) })),
    });
    if (!known) {
      const check = this.device.popErrorScope();
      this.creationChecks.push(check);
      void check.then((error) => (error === null ? this.validShapes.add(shape) : undefined), () => undefined);
    }
    return group;
  }

  /** Forgets every bind group that refers to `buffer` (a buffer or texture view being destroyed). */
  forget(buffer: object): void {
    const id = this.ids.get(buffer);
    if (id === undefined) return;
    const needle = `:${id}:`;
    for (const cache of this.byPipeline.values()) {
      for (const key of [...cache.keys()]) if (`|${key}|`.includes(needle)) cache.delete(key);
    }
    for (const [pipelineId, last] of this.lastUsed) {
      if (last.entries.some((entry) => resourceOf(entry) === buffer)) this.lastUsed.delete(pipelineId);
    }
  }

  clear(): void {
    this.byPipeline.clear();
    this.lastUsed.clear();
    this.validShapes.clear();
  }

  private idOf(buffer: object): number {
    let id = this.ids.get(buffer);
    if (id === undefined) {
      id = this.nextBufferId++;
      this.ids.set(buffer, id);
    }
    return id;
  }
}

/** What validation sees of `entries`, with `=k` where an entry binds the same object as entry k. */
function shapeOf(entries: readonly BindingEntry[]): string {
  const resources = entries.map(resourceOf);
  return entries
    .map((entry, index) => {
      const first = resources.indexOf(resources[index] as object);
      const alias = first === index ? '' : `=${first}`;
      const what = 'buffer' in entry ? `buffer ${entry.buffer.size}:${entry.buffer.usage}:${entry.size}` : entry.shape;
      return `${entry.binding}:${what}${alias}`;
    })
    .join('|');
}

function sameEntries(a: readonly BindingEntry[], b: readonly BindingEntry[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined || y === undefined || resourceOf(x) !== resourceOf(y) || x.binding !== y.binding || sizeOf(x) !== sizeOf(y)) return false;
  }
  return true;
}
