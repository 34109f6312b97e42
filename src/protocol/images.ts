/**
 * Images across the worker boundary: what a texture binding accepts, what a storage
 * texture comes back as, and the sampler options of a dispatch.
 *
 * In: an `ImageBitmap` (8-bit colour, uploaded with `copyExternalImageToTexture`), an
 * `ImageData` (its bytes, uploaded as they are), or raw pixels {@link RawImage}. The client
 * turns canvases, `<img>` elements and `VideoFrame`s into an `ImageBitmap` first (a copy).
 * Out: a {@link WireImage} of tightly packed rows, which the client hands back as
 * `ImageData` for `rgba8unorm` (unless `imageOutputs: 'raw'`), or as an `ImageBitmap` with
 * `imageOutputs: 'bitmap'`.
 */

/** Typed arrays that can hold texels: each format takes the one its channels fit. */
export type TexelArray = Uint8Array | Uint8ClampedArray | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array;

/**
 * Raw pixels: rows top to bottom, tightly packed (no row padding), `width × height` texels
 * of `format`. Without a format, one follows from the array and the binding: 8-bit arrays
 * are `rgba8unorm` for a float texture (`rgba8uint` / `rgba8sint` for integer ones),
 * `Uint16Array` is `rgba16float` (half floats) or `rgba16uint`, 32-bit arrays `rgba32*`.
 */
export interface RawImage {
  readonly data: TexelArray;
  readonly width: number;
  readonly height: number;
  readonly format?: string;
}

/** A storage texture read back: tightly packed rows of `format` texels. */
export interface WireImage {
  readonly kind: 'vyre-image';
  readonly data: TexelArray;
  readonly width: number;
  readonly height: number;
  readonly format: string;
}

/** The size of an image output, in texels: `options.outputs[name]` for a storage texture. */
export interface ImageSize {
  readonly width: number;
  readonly height: number;
}

/** WebGPU's address modes, filters and compare functions, spelled out: the published types must not need `@webgpu/types`. */
export type AddressMode = 'clamp-to-edge' | 'repeat' | 'mirror-repeat';
export type FilterMode = 'nearest' | 'linear';
export type CompareFunction = 'never' | 'less' | 'equal' | 'less-equal' | 'greater' | 'not-equal' | 'greater-equal' | 'always';

/**
 * A sampler's settings (the fields of `GPUSamplerDescriptor`). Defaults: linear
 * `magFilter` and `minFilter`, `nearest` mipmap filter, clamp-to-edge on every axis; a
 * comparison sampler compares `less`.
 */
export interface SamplerOptions {
  readonly addressModeU?: AddressMode;
  readonly addressModeV?: AddressMode;
  readonly addressModeW?: AddressMode;
  readonly magFilter?: FilterMode;
  readonly minFilter?: FilterMode;
  readonly mipmapFilter?: FilterMode;
  readonly lodMinClamp?: number;
  readonly lodMaxClamp?: number;
  readonly compare?: CompareFunction;
  readonly maxAnisotropy?: number;
}

/**
 * A storage texture kept on the GPU (`keep: ['dst']`): the next dispatch takes it as the
 * input of a `texture_2d` or storage texture without a read-back. Free it with `destroy()`
 * on its handle.
 */
export interface ResidentTextureRef {
  readonly kind: 'vyre-resident-texture';
  readonly id: number;
  readonly runtimeId: string;
  readonly width: number;
  readonly height: number;
  readonly format: string;
}

/** True for a {@link ResidentTextureRef}. */
export function isResidentTextureRef(value: unknown): value is ResidentTextureRef {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'vyre-resident-texture';
}

/**
 * An input of a `dispatchBatch` item that binds the **previous item's** storage-texture
 * output `name` as it is on the GPU: a chain of filters recorded into one submit, with no
 * read-back, kept texture or round trip between steps. The output it takes is consumed:
 * the previous item neither reads it back nor keeps it. Make one with `previousOutput(name)`.
 */
export interface PreviousOutput {
  readonly kind: 'vyre-previous-output';
  readonly name: string;
}

/**
 * The input that binds the previous batch item's output `name` (see {@link PreviousOutput}).
 * @example
 * ```ts
 * // Three blurs, one submit, one read-back:
 * const [, , last] = await blur.dispatchBatch([
 *   { src: image, params },
 *   { src: previousOutput('dst'), params },
 *   { src: previousOutput('dst'), params },
 * ]);
 * ```
 */
export function previousOutput(name: string): PreviousOutput {
  return { kind: 'vyre-previous-output', name };
}

/** True for a {@link PreviousOutput}. */
export function isPreviousOutput(value: unknown): value is PreviousOutput {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'vyre-previous-output';
}

/** True for a {@link WireImage}. */
export function isWireImage(value: unknown): value is WireImage {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'vyre-image';
}
