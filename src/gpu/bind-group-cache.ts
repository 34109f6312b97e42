/**
 * Bind groups cached per pipeline and buffer set. Pooled buffers come back in the same
 * order for same-sized dispatches, so the same bind group serves them all.
 */
import type { GpuStats } from './gpu-stats.ts';

/** Per-pipeline bound; the oldest bind group is dropped first. */
const MAX_PER_PIPELINE = 32;

export class BindGroupCache {
  private readonly byPipeline = new Map<string, Map<string, GPUBindGroup>>();
  private readonly ids = new WeakMap<GPUBuffer, number>();
  private nextId = 1;

  constructor(
    private readonly device: GPUDevice,
    private readonly stats: GpuStats,
  ) {}

  get(pipelineId: string, layout: GPUBindGroupLayout, entries: readonly { binding: number; buffer: GPUBuffer; size: number }[], label: string): GPUBindGroup {
    const key = entries.map((entry) => `${entry.binding}:${this.idOf(entry.buffer)}:${entry.size}`).join('|');
    const cache = this.byPipeline.get(pipelineId) ?? new Map<string, GPUBindGroup>();
    this.byPipeline.set(pipelineId, cache);
    const cached = cache.get(key);
    if (cached !== undefined) {
      this.stats.bindGroupReuses++;
      return cached;
    }
    this.stats.bindGroupsCreated++;
    const group = this.device.createBindGroup({
      label: `${label} bind group`,
      layout,
      entries: entries.map((entry) => ({ binding: entry.binding, resource: { buffer: entry.buffer, offset: 0, size: entry.size } })),
    });
    if (cache.size >= MAX_PER_PIPELINE) {
      const oldest = cache.keys().next().value;
      if (oldest !== undefined) cache.delete(oldest);
    }
    cache.set(key, group);
    return group;
  }

  /** Forgets every bind group that refers to `buffer` (it is being destroyed). */
  forget(buffer: GPUBuffer): void {
    const id = this.ids.get(buffer);
    if (id === undefined) return;
    const needle = `:${id}:`;
    for (const cache of this.byPipeline.values()) {
      for (const key of [...cache.keys()]) if (`|${key}|`.includes(needle)) cache.delete(key);
    }
  }

  clear(): void {
    this.byPipeline.clear();
  }

  private idOf(buffer: GPUBuffer): number {
    let id = this.ids.get(buffer);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(buffer, id);
    }
    return id;
  }
}
