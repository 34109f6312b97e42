/**
 * Textures pooled by size, format and usage, like buffers: a per-frame image filter gets
 * the same textures back every frame instead of allocating ~8 MB per 1080p image. A
 * texture comes with its one default view, so bind groups over it are cached too.
 */
import type { GpuCounters } from './gpu-stats.ts';

/**
 * Idle textures kept per class, bounded by bytes: a chain of kept 1080p frames (8 MB each)
 * gets its textures back instead of new ones the browser must allocate and zero (on an H200
 * three new ones per 8-step chain showed), while 4K float textures keep one or two.
 */
const MAX_IDLE_BYTES_PER_CLASS = 96 * 1024 * 1024;
const MAX_IDLE_PER_CLASS = 16;

/** How many idle textures of `bytes` each a class keeps: at least one, at most {@link MAX_IDLE_PER_CLASS}. */
export function idleLimit(bytes: number): number {
  return Math.max(1, Math.min(MAX_IDLE_PER_CLASS, Math.floor(MAX_IDLE_BYTES_PER_CLASS / Math.max(1, bytes))));
}

export interface PooledTexture {
  readonly texture: GPUTexture;
  readonly view: GPUTextureView;
}

export class TexturePool {
  private readonly idle = new Map<string, GPUTexture[]>();
  private readonly views = new WeakMap<GPUTexture, GPUTextureView>();
  private readonly sizes = new WeakMap<GPUTexture, number>();

  constructor(
    private readonly device: GPUDevice,
    private readonly stats: GpuCounters,
    /** Told about a texture view about to be destroyed, so bind groups over it are dropped. */
    private readonly onDestroy: (view: GPUTextureView) => void,
  ) {}

  /** @param texelBytes - bytes per texel of `format`, for the idle bound. */
  acquire(width: number, height: number, format: GPUTextureFormat, usage: GPUTextureUsageFlags, label: string, texelBytes: number): PooledTexture {
    const spare = this.idle.get(classOf(width, height, format, usage))?.pop();
    if (spare !== undefined) {
      this.stats.textureReuses++;
      return { texture: spare, view: this.viewOf(spare) };
    }
    this.stats.texturesCreated++;
    const texture = this.device.createTexture({ label, size: [width, height, 1], format, usage });
    this.sizes.set(texture, width * height * texelBytes);
    return { texture, view: this.viewOf(texture) };
  }

  release(texture: GPUTexture): void {
    const key = classOf(texture.width, texture.height, texture.format, texture.usage);
    const list = this.idle.get(key) ?? [];
    if (list.length >= idleLimit(this.sizes.get(texture) ?? 0)) {
      this.destroy(texture);
      return;
    }
    list.push(texture);
    this.idle.set(key, list);
  }

  /** Destroys every idle texture. */
  clear(): void {
    for (const list of this.idle.values()) for (const texture of list) this.destroy(texture);
    this.idle.clear();
  }

  private viewOf(texture: GPUTexture): GPUTextureView {
    let view = this.views.get(texture);
    if (view === undefined) {
      view = texture.createView({ label: `${texture.label} view` });
      this.views.set(texture, view);
    }
    return view;
  }

  private destroy(texture: GPUTexture): void {
    const view = this.views.get(texture);
    if (view !== undefined) this.onDestroy(view);
    texture.destroy();
  }
}

function classOf(width: number, height: number, format: string, usage: number): string {
  return `${width}x${height}:${format}:${usage}`;
}
