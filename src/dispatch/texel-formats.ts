/**
 * The texel formats vyre-web uploads and reads back: bytes per texel, what a shader reads
 * them as, and the typed array that holds their channels. Compressed, depth and sRGB
 * formats are left out: a compute shader reads none of them through these paths.
 */
import type { TexelArray } from '../protocol/images.ts';

/** What a shader reads a texel format as: WebGPU's texture sample types. */
export type TexelSample = 'float' | 'unfilterable-float' | 'uint' | 'sint';

/** The typed-array kinds, by constructor name. */
export type TexelArrayName = 'Uint8Array' | 'Int8Array' | 'Uint16Array' | 'Int16Array' | 'Uint32Array' | 'Int32Array' | 'Float32Array';

export interface TexelFormat {
  readonly bytes: number;
  readonly sample: TexelSample;
  /** The array of its channels; `Uint8ClampedArray` is accepted wherever `Uint8Array` is. */
  readonly array: TexelArrayName;
}

export const TEXEL_FORMATS: Readonly<Record<string, TexelFormat>> = {
  r8unorm: { bytes: 1, sample: 'float', array: 'Uint8Array' },
  r8uint: { bytes: 1, sample: 'uint', array: 'Uint8Array' },
  r8sint: { bytes: 1, sample: 'sint', array: 'Int8Array' },
  rg8unorm: { bytes: 2, sample: 'float', array: 'Uint8Array' },
  rgba8unorm: { bytes: 4, sample: 'float', array: 'Uint8Array' },
  bgra8unorm: { bytes: 4, sample: 'float', array: 'Uint8Array' },
  rgba8snorm: { bytes: 4, sample: 'float', array: 'Int8Array' },
  rgba8uint: { bytes: 4, sample: 'uint', array: 'Uint8Array' },
  rgba8sint: { bytes: 4, sample: 'sint', array: 'Int8Array' },
  r16float: { bytes: 2, sample: 'float', array: 'Uint16Array' },
  rgba16float: { bytes: 8, sample: 'float', array: 'Uint16Array' },
  rgba16uint: { bytes: 8, sample: 'uint', array: 'Uint16Array' },
  rgba16sint: { bytes: 8, sample: 'sint', array: 'Int16Array' },
  r32float: { bytes: 4, sample: 'unfilterable-float', array: 'Float32Array' },
  r32uint: { bytes: 4, sample: 'uint', array: 'Uint32Array' },
  r32sint: { bytes: 4, sample: 'sint', array: 'Int32Array' },
  rg32float: { bytes: 8, sample: 'unfilterable-float', array: 'Float32Array' },
  rgba32float: { bytes: 16, sample: 'unfilterable-float', array: 'Float32Array' },
  rgba32uint: { bytes: 16, sample: 'uint', array: 'Uint32Array' },
  rgba32sint: { bytes: 16, sample: 'sint', array: 'Int32Array' },
};

/** The format raw pixels take when the caller names none: by array, for the binding's sample type. */
const DEFAULT_FORMATS: Readonly<Record<'float' | 'uint' | 'sint', Partial<Record<TexelArrayName, string>>>> = {
  float: { Uint8Array: 'rgba8unorm', Uint16Array: 'rgba16float', Float32Array: 'rgba32float' },
  uint: { Uint8Array: 'rgba8uint', Uint16Array: 'rgba16uint', Uint32Array: 'rgba32uint' },
  sint: { Int8Array: 'rgba8sint', Int16Array: 'rgba16sint', Int32Array: 'rgba32sint' },
};

/** The kind of a texel array (a `Uint8ClampedArray` counts as `Uint8Array`); undefined for anything else. */
export function texelArrayName(data: unknown): TexelArrayName | undefined {
  if (data instanceof Uint8Array || data instanceof Uint8ClampedArray) return 'Uint8Array';
  if (data instanceof Int8Array) return 'Int8Array';
  if (data instanceof Uint16Array) return 'Uint16Array';
  if (data instanceof Int16Array) return 'Int16Array';
  if (data instanceof Uint32Array) return 'Uint32Array';
  if (data instanceof Int32Array) return 'Int32Array';
  if (data instanceof Float32Array) return 'Float32Array';
  return undefined;
}

/** The kind of a typed array by its constructor's name (a staged array's, protocol/staging.ts); undefined for any other name. */
export function texelArrayNameOf(constructorName: string): TexelArrayName | undefined {
  if (constructorName === 'Uint8ClampedArray') return 'Uint8Array';
  return TEXEL_ARRAY_NAMES.find((name) => name === constructorName);
}

const TEXEL_ARRAY_NAMES: readonly TexelArrayName[] = ['Uint8Array', 'Int8Array', 'Uint16Array', 'Int16Array', 'Uint32Array', 'Int32Array', 'Float32Array'];

/** The default format for `array` bound to a texture of `sample` type; undefined when none fits. */
export function defaultTexelFormat(sample: 'float' | 'uint' | 'sint', array: TexelArrayName): string | undefined {
  return DEFAULT_FORMATS[sample][array];
}

/** A new array of `format`'s channels over `buffer` (what a read-back comes back as). */
export function texelArrayOver(format: TexelFormat, buffer: ArrayBuffer): TexelArray {
  switch (format.array) {
    case 'Uint8Array': return new Uint8Array(buffer);
    case 'Int8Array': return new Int8Array(buffer);
    case 'Uint16Array': return new Uint16Array(buffer);
    case 'Int16Array': return new Int16Array(buffer);
    case 'Uint32Array': return new Uint32Array(buffer);
    case 'Int32Array': return new Int32Array(buffer);
    case 'Float32Array': return new Float32Array(buffer);
  }
}
