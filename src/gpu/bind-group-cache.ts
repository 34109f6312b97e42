/**
 * Bind groups cached per pipeline and buffer set. Pooled buffers come back in the same
 * order for same-sized dispatches, so the same bind group serves them all.
 *
 * Each cached group has a numeric id: the dispatcher names an already-validated command
 * by (bind group id, grid), since a bind group pins every buffer and size it binds.
 */
import type { GpuCounters } from './gpu-stats.ts';

/** Per-pipeline bound; the oldest bind group is dropped first. */
const MAX_PER_PIPELINE = 32;

/** One entry of a bind group: a buffer range, a texture view or a sampler. */
export type BindingEntry =
  | { readonly binding: number; readonly buffer: GPUBuffer; readonly size: number }
  | { readonly binding: number; readonly view: GPUTextureView }
  | { readonly binding: number; readonly sampler: GPUSampler };

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
  readonly id: number;
  readonly group: GPUBindGroup;
  readonly entries: readonly BindingEntry[];
}

export class BindGroupCache {
  private readonly byPipeline = new Map<string, Map<string, CachedBindGroup>>();
  /** The group each pipeline used last: a batch over the same buffers skips building keys. */
  private readonly lastUsed = new Map<string, CachedBindGroup>();
  private readonly ids = new WeakMap<object, number>();
  private nextBufferId = 1;
  private nextGroupId = 1;

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
      this.stats.bindGroupsCreated++;
      this.device.pushErrorScope('validation');
      const group = this.device.createBindGroup({
        label: `${label} bind group`,
        layout,
        entries: entries.map((entry) => ({ binding: entry.binding, resource: bindingResource(entry) })),
      });
      this.creationChecks.push(this.device.popErrorScope());
      if (cache.size >= MAX_PER_PIPELINE) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      cached = { id: this.nextGroupId++, group, entries: [...entries] };
      cache.set(key, cached);
    }
    this.lastUsed.set(pipelineId, cached);
    return cached;
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

function sameEntries(a: readonly BindingEntry[], b: readonly BindingEntry[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined || y === undefined || resourceOf(x) !== resourceOf(y) || x.binding !== y.binding || sizeOf(x) !== sizeOf(y)) return false;
  }
  return true;
}
