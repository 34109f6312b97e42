/**
 * Binds a dispatch's image resources: textures from the pool, filled from the caller's
 * pixels (`writeTexture`) or image (`copyExternalImageToTexture`), samplers cached per
 * descriptor, and storage textures copied out after the dispatch into staging buffers
 * whose rows WebGPU pads to 256 bytes — the padding is dropped when they are read.
 */
import { invariant, VyreError } from '../errors.ts';
import type { ImagePlan, PlannedTexture } from '../dispatch/plan-images.ts';
import { texelArrayOver, type TexelFormat } from '../dispatch/texel-formats.ts';
import type { ResidentTextureRef, WireImage } from '../protocol/images.ts';
import type { BindingEntry } from './bind-group-cache.ts';
import type { BufferPool } from './buffer-pool.ts';
import { stagingUsage } from './resident-registry.ts';
import type { StagedUploads } from './staged-uploads.ts';
import type { TexturePool } from './texture-pool.ts';

/** WebGPU's row alignment for texture ↔ buffer copies. */
const ROW_ALIGNMENT = 256;

export interface TextureReadback {
  readonly name: string;
  readonly texture: GPUTexture;
  readonly staging: GPUBuffer;
  readonly width: number;
  readonly height: number;
  readonly format: string;
  readonly texel: TexelFormat;
  readonly paddedRow: number;
}

/** The bytes of a texture read-back once its rows are unpadded. */
export function tightBytes(readback: TextureReadback): number {
  return readback.width * readback.texel.bytes * readback.height;
}

export interface BoundImages {
  readonly entries: readonly { readonly group: number; readonly entry: BindingEntry }[];
  readonly readbacks: readonly TextureReadback[];
  /** Pooled textures to give back after the dispatch. */
  readonly textures: readonly GPUTexture[];
  /** Outputs kept on the GPU, by binding name. */
  readonly kept?: ReadonlyMap<string, ResidentTextureRef>;
  /** Every texture bound, by binding name: the next batch item's `previousOutput` binds from here. */
  readonly bound: ReadonlyMap<string, BoundTexture>;
  /** Staged pixels to copy into their textures before the passes ({@link ImageBinder.encodeUploads}). */
  readonly copies?: readonly StagedCopy[];
}

/** A texture's contents, staged ahead in a buffer (protocol/staging.ts). */
interface StagedCopy {
  readonly source: GPUBuffer;
  readonly bytesPerRow: number;
  readonly texture: GPUTexture;
  readonly width: number;
  readonly height: number;
}

/** A texture with the one view it is bound through. */
interface BoundTexture {
  readonly texture: GPUTexture;
  readonly view: GPUTextureView;
}

export class ImageBinder {
  private readonly samplers = new Map<string, GPUSampler>();
  private readonly resident = new Map<number, BoundTexture>();
  private nextResidentId = 1;

  constructor(
    private readonly device: GPUDevice,
    private readonly textures: TexturePool,
    private readonly staging: BufferPool,
    /** Names this runtime in resident-texture references, so another runtime's are refused. */
    private readonly runtimeId: string,
    /** Where staged pixels wait for their dispatch. */
    private readonly staged: StagedUploads,
  ) {}

  /**
   * The view of a kept texture.
   * @throws VyreError `invalid-input` for a destroyed texture or another runtime's.
   */
  residentView(ref: ResidentTextureRef): GPUTextureView {
    return this.residentOf(ref).view;
  }

  private residentOf(ref: ResidentTextureRef): BoundTexture {
    const entry = ref.runtimeId === this.runtimeId ? this.resident.get(ref.id) : undefined;
    if (entry === undefined) {
      throw new VyreError('invalid-input', `Resident texture #${ref.id} is destroyed or belongs to another runtime.`, 'pass a texture this runtime kept and has not destroyed.', { texture: ref.id });
    }
    return entry;
  }

  /**
   * Frees a kept texture: its handle stops working at once, and the texture goes back to
   * the pool (which destroys it, and forgets its bind groups, only when it has too many).
   */
  destroyResident(ref: ResidentTextureRef): void {
    const entry = ref.runtimeId === this.runtimeId ? this.resident.get(ref.id) : undefined;
    if (entry === undefined) return;
    this.resident.delete(ref.id);
    this.textures.release(entry.texture);
  }

  /** Acquires, fills and binds every image of `plan`; the caller encodes {@link ImageBinder.encodeReadbacks} after the dispatch. */
  bind(plan: ImagePlan, label: string, previous?: BoundImages): BoundImages {
    const entries: { group: number; entry: BindingEntry }[] = [];
    const readbacks: TextureReadback[] = [];
    const textures: GPUTexture[] = [];
    const kept = new Map<string, ResidentTextureRef>();
    const bound = new Map<string, BoundTexture>();
    const copies: StagedCopy[] = [];
    try {
      for (const planned of plan.textures) {
        const { texture, view } = planned.upload?.kind === 'previous' ? previousTexture(previous, planned.upload.name) : this.viewFor(planned, label, { textures, kept, copies });
        bound.set(planned.resource.name, { texture, view });
        entries.push({ group: planned.resource.group, entry: { binding: planned.resource.binding, view, shape: textureShape(texture) } });
        if (planned.readBack) readbacks.push(this.readbackOf(planned, texture, label));
      }
    } catch (error) {
      // Nothing leaks: what this item took goes back before the error does.
      this.release({ entries, readbacks, textures, bound });
      for (const ref of kept.values()) this.destroyResident(ref);
      throw error;
    }
    for (const { resource, descriptor, key } of plan.samplers) {
      let sampler = this.samplers.get(key);
      if (sampler === undefined) {
        sampler = this.device.createSampler(descriptor);
        this.samplers.set(key, sampler);
      }
      entries.push({ group: resource.group, entry: { binding: resource.binding, sampler, shape: `sampler ${key}` } });
    }
    return { entries, readbacks, textures, bound, ...(kept.size === 0 ? {} : { kept }), ...(copies.length === 0 ? {} : { copies }) };
  }

  /** The view to bind for `planned`: a kept texture's, a new kept one's, or a pooled texture's, filled. */
  private viewFor(planned: PlannedTexture, label: string, into: { textures: GPUTexture[]; kept: Map<string, ResidentTextureRef>; copies: StagedCopy[] }): BoundTexture {
    const { textures, kept, copies } = into;
    if (planned.upload?.kind === 'resident') return this.residentOf(planned.upload.ref);
    if (planned.keep) {
      // From the pool too, and back to it on destroy(): a chain of kept frames reuses the same few textures.
      const { texture, view } = this.textures.acquire(planned.width, planned.height, planned.format as GPUTextureFormat, usageOf(planned), `${label} ${planned.resource.name} (kept)`, planned.texel.bytes);
      // A kept read_write storage texture starts from the caller's pixels like any other.
      this.fill(planned, texture, copies);
      const id = this.nextResidentId++;
      this.resident.set(id, { texture, view });
      kept.set(planned.resource.name, { kind: 'vyre-resident-texture', id, runtimeId: this.runtimeId, width: planned.width, height: planned.height, format: planned.format });
      return { texture, view };
    }
    const pooled = this.textures.acquire(planned.width, planned.height, planned.format as GPUTextureFormat, usageOf(planned), `${label} ${planned.resource.name}`, planned.texel.bytes);
    textures.push(pooled.texture);
    this.fill(planned, pooled.texture, copies);
    return pooled;
  }

  /** Copies staged pixels into their textures: encode before the passes that read them. */
  encodeUploads(encoder: GPUCommandEncoder, bound: BoundImages): void {
    for (const copy of bound.copies ?? []) {
      encoder.copyBufferToTexture({ buffer: copy.source, bytesPerRow: copy.bytesPerRow, rowsPerImage: copy.height }, { texture: copy.texture }, [copy.width, copy.height, 1]);
    }
  }

  /** Copies each storage texture into its staging buffer (after the passes that write it). */
  encodeReadbacks(encoder: GPUCommandEncoder, readbacks: readonly TextureReadback[]): void {
    for (const readback of readbacks) {
      encoder.copyTextureToBuffer({ texture: readback.texture }, { buffer: readback.staging, bytesPerRow: readback.paddedRow, rowsPerImage: readback.height }, [readback.width, readback.height, 1]);
    }
  }

  /**
   * The mapped texels of `readback`, rows unpadded, as a wire image.
   * @param landing - memory made for them while the GPU worked (landing.ts), if any.
   */
  collect(readback: TextureReadback, landing?: ArrayBuffer): WireImage {
    const row = readback.width * readback.texel.bytes;
    const mapped = new Uint8Array(readback.staging.getMappedRange(0, readback.paddedRow * readback.height));
    const bytes = tightBytes(readback);
    const tight = landing?.byteLength === bytes ? new Uint8Array(landing) : new Uint8Array(bytes);
    if (row === readback.paddedRow) tight.set(mapped);
    else for (let y = 0; y < readback.height; y++) tight.set(mapped.subarray(y * readback.paddedRow, y * readback.paddedRow + row), y * row);
    readback.staging.unmap();
    return { kind: 'vyre-image', data: texelArrayOver(readback.texel, tight.buffer), width: readback.width, height: readback.height, format: readback.format };
  }

  /** Returns textures and staging buffers to their pools. */
  release(bound: BoundImages): void {
    for (const texture of bound.textures) this.textures.release(texture);
    for (const readback of bound.readbacks) this.staging.release(readback.staging);
  }

  /**
   * The caller's contents. An output is not cleared: a texel the shader does not write is
   * zero in a new texture and the last frame's in a pooled one. Clearing a 1080p output
   * cost as much as the blur itself on SwiftShader (docs/benchmarks.md, "Images").
   */
  private fill(planned: PlannedTexture, texture: GPUTexture, copies: StagedCopy[]): void {
    const size = [planned.width, planned.height, 1];
    const upload = planned.upload;
    if (upload?.kind === 'staged') {
      copies.push({ source: this.staged.buffer(upload.id), bytesPerRow: upload.bytesPerRow, texture, width: planned.width, height: planned.height });
    } else if (upload?.kind === 'pixels') {
      this.device.queue.writeTexture({ texture }, upload.data as GPUAllowSharedBufferSource, { bytesPerRow: upload.bytesPerRow, rowsPerImage: planned.height }, size);
    } else if (upload?.kind === 'external') {
      copyImage(this.device, upload.source, texture, size, planned.resource.name);
    }
  }

  private readbackOf(planned: PlannedTexture, texture: GPUTexture, label: string): TextureReadback {
    const paddedRow = Math.ceil((planned.width * planned.texel.bytes) / ROW_ALIGNMENT) * ROW_ALIGNMENT;
    const staging = this.staging.acquire(paddedRow * planned.height, stagingUsage(), label, planned.resource.name);
    return { name: planned.resource.name, texture, staging, width: planned.width, height: planned.height, format: planned.format, texel: planned.texel, paddedRow };
  }
}

/** The texture the previous batch item bound as `name` (planning checked that it wrote one). */
function previousTexture(previous: BoundImages | undefined, name: string): BoundTexture {
  const texture = previous?.bound.get(name);
  invariant(texture, `the previous batch item bound "${name}"`);
  return texture;
}

/** What WebGPU validates of a bound texture: its size, format and usage (bind-group-cache.ts, "shape"). */
function textureShape(texture: GPUTexture): string {
  return `texture ${texture.width}x${texture.height}x${texture.depthOrArrayLayers}:${texture.format}:${texture.usage}:${texture.mipLevelCount}`;
}

/** Sampled inputs take uploads (and render-attachment, which `copyExternalImageToTexture` needs); storage textures are copied out, and bound as the next dispatch's input when kept. */
function usageOf(planned: PlannedTexture): GPUTextureUsageFlags {
  const copy = GPUTextureUsage.COPY_DST | GPUTextureUsage.COPY_SRC;
  if (planned.resource.kind === 'texture') return GPUTextureUsage.TEXTURE_BINDING | copy | (planned.upload?.kind === 'external' ? GPUTextureUsage.RENDER_ATTACHMENT : 0);
  // TEXTURE_BINDING too: a kept output is the next dispatch's sampled input.
  return GPUTextureUsage.STORAGE_BINDING | GPUTextureUsage.TEXTURE_BINDING | copy;
}

/**
 * `copyExternalImageToTexture`, with the browser's refusals as `invalid-input`: a bitmap
 * of a cross-origin image without CORS is "origin-unclean" (SecurityError), a closed one
 * unusable (InvalidStateError).
 */
function copyImage(device: GPUDevice, source: ImageBitmap, texture: GPUTexture, size: number[], name: string): void {
  try {
    device.queue.copyExternalImageToTexture({ source }, { texture }, size);
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new VyreError(
      'invalid-input',
      `The image for "${name}" cannot be read (${reason}).`,
      'a cross-origin image needs crossOrigin = "anonymous" and CORS headers from its server; pass an ImageBitmap that is not closed.',
      { binding: name },
    );
  }
}
