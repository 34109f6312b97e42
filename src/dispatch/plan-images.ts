/**
 * Planning of a dispatch's image resources: for each texture the entry point uses, its
 * size, texel format and upload; for each storage texture written, its size and read-back;
 * for each sampler, its descriptor. Everything the caller can get wrong is checked here,
 * before any GPU object exists, and reported as `invalid-input` naming the binding.
 */
import { VyreError } from '../errors.ts';
import { isPreviousOutput, isResidentTextureRef, type ImageSize, type ResidentTextureRef, type SamplerOptions, type TexelArray } from '../protocol/images.ts';
import type { WgslImageResource } from '../protocol/wgsl-module.ts';
import { TEXEL_FORMATS, defaultTexelFormat, texelArrayName, texelArrayNameOf, type TexelArrayName, type TexelFormat } from './texel-formats.ts';
import { isStagedRef, STAGED_ROW_ALIGNMENT } from '../protocol/staging.ts';

type TextureResource = Extract<WgslImageResource, { kind: 'texture' | 'storage-texture' }>;
type SamplerResource = Extract<WgslImageResource, { kind: 'sampler' }>;

/** How a texture gets its contents: the caller's pixels, an image through the browser, or nothing (zeros). */
export type TextureUpload =
  | { readonly kind: 'pixels'; readonly data: TexelArray; readonly bytesPerRow: number }
  /** Pixels the client sent ahead in bands (protocol/staging.ts): in a GPU buffer, rows `bytesPerRow` apart. */
  | { readonly kind: 'staged'; readonly id: number; readonly bytesPerRow: number }
  | { readonly kind: 'external'; readonly source: ImageBitmap }
  | { readonly kind: 'resident'; readonly ref: ResidentTextureRef }
  /** The previous batch item's output of this name, bound as it is (`previousOutput`). */
  | { readonly kind: 'previous'; readonly name: string };

export interface PlannedTexture {
  readonly resource: TextureResource;
  readonly width: number;
  readonly height: number;
  readonly format: string;
  readonly texel: TexelFormat;
  readonly upload: TextureUpload | undefined;
  /** A storage texture the shader writes: read back after the dispatch, or kept (`keep`). */
  readonly readBack: boolean;
  /** Kept on the GPU as a new resident texture instead of read back. */
  readonly keep: boolean;
}

export interface PlannedSampler {
  readonly resource: SamplerResource;
  /** A `GPUSamplerDescriptor` (spelled with the package's own types: the published ones must not need `@webgpu/types`). */
  readonly descriptor: SamplerOptions & { readonly label: string };
  /** The descriptor as a string: samplers are cached per descriptor. */
  readonly key: string;
}

export interface ImagePlan {
  readonly textures: readonly PlannedTexture[];
  readonly samplers: readonly PlannedSampler[];
  /** The size of the first storage texture written (else of the first texture): the default grid covers it. */
  readonly gridSize: ImageSize | undefined;
}

export interface ImageLimits {
  readonly maxTextureDimension2D: number;
  readonly features: readonly string[];
  /** Throws `invalid-input` unless `ref` is a live texture of this runtime. */
  readonly checkResident?: (ref: ResidentTextureRef) => void;
}

/**
 * Linear filtering, clamp-to-edge. The mipmap filter stays WebGPU's default, `nearest`: the
 * textures vyre-web makes have one mip level, and a linear one made SwiftShader sample a
 * 1080p blur ≈ 40 % slower for nothing (docs/benchmarks.md, "Images").
 */
const DEFAULT_SAMPLER: SamplerOptions = {
  addressModeU: 'clamp-to-edge', addressModeV: 'clamp-to-edge', addressModeW: 'clamp-to-edge',
  magFilter: 'linear', minFilter: 'linear', mipmapFilter: 'nearest',
};

const ADDRESS_MODES = ['clamp-to-edge', 'repeat', 'mirror-repeat'];
const FILTERS = ['nearest', 'linear'];
const COMPARES = ['never', 'less', 'equal', 'less-equal', 'greater', 'not-equal', 'greater-equal', 'always'];

/** Each sampler setting and the values WebGPU takes for it (a number for the clamps and anisotropy). */
const SAMPLER_SETTINGS: Readonly<Record<string, readonly string[] | 'number'>> = {
  addressModeU: ADDRESS_MODES, addressModeV: ADDRESS_MODES, addressModeW: ADDRESS_MODES,
  magFilter: FILTERS, minFilter: FILTERS, mipmapFilter: FILTERS,
  lodMinClamp: 'number', lodMaxClamp: 'number', compare: COMPARES, maxAnisotropy: 'number',
};
const SAMPLER_KEYS = Object.keys(SAMPLER_SETTINGS);

/**
 * Plans the image resources of one dispatch.
 * @param images - the artifact's image resources.
 * @param inputs - the caller's inputs named by image resource (buffers taken out).
 * @param outputs - `options.outputs` entries naming image resources: `{ width, height }`.
 * @param samplers - `options.samplers`.
 * @throws VyreError `invalid-input` naming the binding.
 */
/**
 * @param previous - the previous batch item's planned textures, which `previousOutput`
 *   inputs bind; empty for a single dispatch or the first item.
 */
export function planImages(images: readonly WgslImageResource[], inputs: ReadonlyMap<string, unknown>, outputs: ReadonlyMap<string, unknown>, samplers: unknown, limits: ImageLimits, keep: ReadonlySet<string> = new Set(), previous: readonly PlannedTexture[] = []): ImagePlan {
  for (const name of keep) {
    const image = images.find((candidate) => candidate.name === name);
    if (image?.kind !== 'storage-texture' || image.access === 'read-only') throw invalidImage(name, `options.keep names "${name}", which is not a storage texture the shader writes.`, 'keep only outputs.');
  }
  for (const name of inputs.keys()) {
    const image = images.find((candidate) => candidate.name === name);
    if (image?.kind === 'sampler' || (image?.kind === 'storage-texture' && image.access === 'write-only')) {
      throw invalidImage(name, `"${name}" is a ${image.kind === 'sampler' ? 'sampler' : 'write-only storage texture'}: it takes no input.`, image.kind === 'sampler' ? `set it with { samplers: { ${name}: { magFilter: 'nearest' } } }.` : `leave it out; size it with { outputs: { ${name}: { width, height } } }.`);
    }
  }
  const textures: PlannedTexture[] = [];
  for (const image of images) {
    if (image.kind !== 'sampler' && inputs.has(image.name)) textures.push(planInputTexture(image, inputs.get(image.name), limits, previous));
  }
  const firstInput = textures[0];
  for (const image of images) {
    if (image.kind === 'storage-texture' && !inputs.has(image.name)) textures.push(planOutputTexture(image, outputs.get(image.name), firstInput, limits));
    if (image.kind === 'texture' && !inputs.has(image.name)) {
      throw invalidImage(image.name, `Texture "${image.name}" got no input.`, `pass it: { ${image.name}: imageBitmap | imageData | { data, width, height } }.`);
    }
  }
  const planned = textures.map((texture) => (keep.has(texture.resource.name) ? { ...texture, readBack: false, keep: true } : texture));
  const written = planned.find((texture) => texture.readBack || texture.keep) ?? planned[0];
  return {
    textures: planned,
    samplers: images.flatMap((image) => (image.kind === 'sampler' ? [planSampler(image, samplers)] : [])),
    gridSize: written === undefined ? undefined : { width: written.width, height: written.height },
  };
}

function planInputTexture(image: TextureResource, value: unknown, limits: ImageLimits, previous: readonly PlannedTexture[]): PlannedTexture {
  if (image.dimension !== '2d') throw invalidImage(image.name, `Texture "${image.name}" is ${image.dimension}; vyre-web uploads 2D textures only.`, 'declare it texture_2d, or pass the data in a buffer.');
  const readBack = image.kind === 'storage-texture' && image.access === 'read-write';
  if (isPreviousOutput(value)) return planPreviousOutput(image, value.name, previous, limits, readBack);
  if (isResidentTextureRef(value)) {
    limits.checkResident?.(value);
    if (readBack) throw invalidImage(image.name, `Storage texture "${image.name}" is read-write: it takes pixels, not a kept texture.`, 'bind the kept texture to a texture_2d, or pass its pixels.');
    checkGpuTexture(image, value.format, limits, `a kept ${value.format} texture`, 'keep an output of the format this binding reads.');
    return texture(image, value.width, value.height, value.format, { kind: 'resident', ref: value }, readBack);
  }
  if (typeof ImageBitmap !== 'undefined' && value instanceof ImageBitmap) {
    checkBitmapTarget(image);
    checkSize(image.name, value.width, value.height, limits);
    return texture(image, value.width, value.height, 'rgba8unorm', { kind: 'external', source: value }, readBack);
  }
  const raw = typeof ImageData !== 'undefined' && value instanceof ImageData ? { data: value.data, width: value.width, height: value.height } : value;
  if (typeof raw !== 'object' || raw === null) {
    throw invalidImage(image.name, `Texture "${image.name}" got ${describe(value)}.`, `pass an ImageBitmap, an ImageData or { data, width, height[, format] }.`);
  }
  const { data, width, height, format: named } = raw as { data?: unknown; width?: unknown; height?: unknown; format?: unknown };
  const pixels = pixelData(data);
  if (pixels === undefined || !isDimension(width) || !isDimension(height)) {
    throw invalidImage(image.name, `Texture "${image.name}" got ${describe(value)}.`, 'pass { data: Uint8Array | Uint16Array | Float32Array …, width, height } with positive integer sizes.');
  }
  checkSize(image.name, width, height, limits);
  const format = formatFor(image, pixels.array, named, limits);
  const texel = TEXEL_FORMATS[format] as TexelFormat;
  const expected = (width * height * texel.bytes) / pixels.elementBytes;
  if (pixels.length !== expected) {
    throw invalidImage(image.name, `Texture "${image.name}" is ${width}×${height} ${format} (${expected} values) but its data holds ${pixels.length}.`, `pass exactly width × height × ${texel.bytes / pixels.elementBytes} values, rows tightly packed.`);
  }
  return texture(image, width, height, format, uploadOf(data, width * texel.bytes), readBack);
}

/** Kind, element count and element size of raw pixels' data: a texel array, or one staged ahead. */
function pixelData(data: unknown): { readonly array: TexelArrayName; readonly length: number; readonly elementBytes: number } | undefined {
  if (isStagedRef(data)) {
    const array = texelArrayNameOf(data.array);
    return array === undefined ? undefined : { array, length: data.length, elementBytes: data.elementBytes };
  }
  const array = texelArrayName(data);
  return array === undefined ? undefined : { array, length: (data as TexelArray).length, elementBytes: (data as TexelArray).BYTES_PER_ELEMENT };
}

/** The upload of checked pixel data whose rows hold `rowBytes` each. */
function uploadOf(data: unknown, rowBytes: number): TextureUpload {
  if (!isStagedRef(data)) return { kind: 'pixels', data: data as TexelArray, bytesPerRow: rowBytes };
  const { bytesPerRow } = data;
  // Our client pads staged rows to WebGPU's copy alignment; anything else is not from it.
  if (bytesPerRow === undefined || !Number.isSafeInteger(bytesPerRow) || bytesPerRow < rowBytes || bytesPerRow % STAGED_ROW_ALIGNMENT !== 0) {
    throw new VyreError('internal', `Staged pixels have rows ${String(bytesPerRow)} bytes apart; ${rowBytes} or more, a multiple of ${STAGED_ROW_ALIGNMENT}, was expected.`, 'this is a vyre-web bug; please report it.');
  }
  return { kind: 'staged', id: data.id, bytesPerRow };
}

function planOutputTexture(image: Extract<WgslImageResource, { kind: 'storage-texture' }>, size: unknown, firstInput: PlannedTexture | undefined, limits: ImageLimits): PlannedTexture {
  if (image.dimension !== '2d') throw invalidImage(image.name, `Storage texture "${image.name}" is ${image.dimension}; vyre-web reads back 2D textures only.`, 'declare it texture_storage_2d.');
  if (image.access !== 'write-only') {
    throw invalidImage(image.name, `Storage texture "${image.name}" is ${image.access} and got no input.`, `pass its starting contents: { ${image.name}: { data, width, height } }.`);
  }
  const sized = size ?? (firstInput === undefined ? undefined : { width: firstInput.width, height: firstInput.height });
  const { width, height } = (sized ?? {}) as { width?: unknown; height?: unknown };
  if (!isDimension(width) || !isDimension(height)) {
    throw invalidImage(image.name, `Cannot size the storage texture "${image.name}": ${size === undefined ? 'no input texture to take its size from' : `options.outputs.${image.name} is ${describe(size)}`}.`, `pass { outputs: { ${image.name}: { width, height } } }.`);
  }
  checkSize(image.name, width, height, limits);
  return texture(image, width, height, image.format, undefined, true);
}

function texture(resource: TextureResource, width: number, height: number, format: string, upload: TextureUpload | undefined, readBack: boolean): PlannedTexture {
  return { resource, width, height, format, texel: TEXEL_FORMATS[format] as TexelFormat, upload, readBack, keep: false };
}

/** The texel format of raw pixels for `image`: the named one, checked, else the default for the array. */
function formatFor(image: TextureResource, array: NonNullable<ReturnType<typeof texelArrayName>>, named: unknown, limits: ImageLimits): string {
  const wanted = image.kind === 'storage-texture' ? image.format : undefined;
  const sample = image.kind === 'texture' ? (image.sampleType === 'depth' ? 'float' : image.sampleType) : (TEXEL_FORMATS[image.format]?.sample ?? 'float');
  const format = typeof named === 'string' ? named : wanted ?? defaultTexelFormat(sample === 'unfilterable-float' ? 'float' : sample, array);
  const texel = format === undefined ? undefined : TEXEL_FORMATS[format];
  if (format === undefined || texel === undefined || texel.array !== array) {
    throw invalidImage(image.name, `Texture "${image.name}" got a ${array}${typeof named === 'string' ? ` as ${named}` : ''}, which vyre-web cannot upload to it.`, `pass one of: ${Object.entries(TEXEL_FORMATS).filter(([, t]) => t.array === array).map(([f]) => f).join(', ') || 'another array type'} (as \`format\`).`);
  }
  if (wanted !== undefined && format !== wanted) throw invalidImage(image.name, `Storage texture "${image.name}" holds ${wanted} but got ${format} pixels.`, `pass ${wanted} pixels.`);
  const readsAs = texel.sample === 'unfilterable-float' ? 'float' : texel.sample;
  if (image.kind === 'texture' && readsAs !== (image.sampleType === 'depth' ? 'float' : image.sampleType)) {
    throw invalidImage(image.name, `Texture "${image.name}" reads ${image.sampleType} texels but got ${format}.`, `pass pixels of a ${image.sampleType} format.`);
  }
  checkFilterable(image, format, texel, limits);
  return format;
}

/** An input bound to the previous batch item's output `name`, checked like a kept texture. */
function planPreviousOutput(image: TextureResource, name: string, previous: readonly PlannedTexture[], limits: ImageLimits, readBack: boolean): PlannedTexture {
  const output = previous.find((planned) => planned.resource.name === name && planned.resource.kind === 'storage-texture' && planned.resource.access !== 'read-only');
  if (output === undefined) {
    throw invalidImage(image.name, `"${image.name}" takes previousOutput("${name}"), but ${previous.length === 0 ? 'this is the first item of the batch' : `the previous item writes no storage texture "${name}"`}.`, 'use previousOutput only from the second item of a dispatchBatch on, naming a storage texture the shader writes.');
  }
  if (readBack) throw invalidImage(image.name, `Storage texture "${image.name}" is read-write: it takes pixels, not a previous output.`, 'bind the previous output to a texture_2d.');
  checkGpuTexture(image, output.format, limits, `the previous item's ${output.format} "${name}"`, 'chain outputs of the format this binding reads.');
  return texture(image, output.width, output.height, output.format, { kind: 'previous', name }, false);
}

/**
 * A texture already on the GPU (kept, or the previous batch item's output) bound as `image`:
 * its format must be the storage texture's, or read as the sampled texture's sample type.
 * @param what - the texture, as the error names it.
 */
function checkGpuTexture(image: TextureResource, format: string, limits: ImageLimits, what: string, fix: string): void {
  const texel = TEXEL_FORMATS[format];
  const wanted = image.kind === 'storage-texture' ? image.format : undefined;
  const reads = texel?.sample === 'unfilterable-float' ? 'float' : texel?.sample;
  if (texel === undefined || (wanted !== undefined && wanted !== format) || (image.kind === 'texture' && reads !== image.sampleType)) {
    throw invalidImage(image.name, `Texture "${image.name}" cannot take ${what}.`, fix);
  }
  checkFilterable(image, format, texel, limits);
}

/** A 32-bit float texture bound where the layout says filterable needs `float32-filterable`: pixels and kept textures alike. */
function checkFilterable(image: TextureResource, format: string, texel: TexelFormat, limits: ImageLimits): void {
  if (image.kind === 'texture' && texel.sample === 'unfilterable-float' && !limits.features.includes('float32-filterable')) {
    throw invalidImage(image.name, `Texture "${image.name}" got ${format}, which this device cannot filter (no float32-filterable).`, 'pass 8-bit (Uint8Array) or half-float (Uint16Array, rgba16float) pixels, or keep an output of such a format.');
  }
}

function checkBitmapTarget(image: TextureResource): void {
  if (image.kind === 'texture' && image.sampleType === 'float') return;
  throw invalidImage(image.name, `"${image.name}" is not a float texture; an ImageBitmap holds 8-bit colour for texture_2d<f32> only.`, 'pass raw pixels { data, width, height } instead.');
}

function checkSize(name: string, width: number, height: number, limits: ImageLimits): void {
  if (width > limits.maxTextureDimension2D || height > limits.maxTextureDimension2D) {
    throw invalidImage(name, `"${name}" is ${width}×${height}, over this device's maxTextureDimension2D of ${limits.maxTextureDimension2D}.`, 'scale the image down, or process it in tiles.');
  }
}

function planSampler(image: SamplerResource, samplers: unknown): PlannedSampler {
  const given = samplers === undefined ? undefined : (samplers as Record<string, unknown>)[image.name];
  if (given !== undefined && (typeof given !== 'object' || given === null || Array.isArray(given))) {
    throw invalidImage(image.name, `options.samplers.${image.name} is ${describe(given)}.`, "pass GPUSamplerDescriptor fields, e.g. { magFilter: 'nearest' }.");
  }
  const descriptor: Record<string, unknown> = { ...DEFAULT_SAMPLER, ...(image.comparison ? { compare: 'less' } : {}) };
  for (const [key, value] of Object.entries((given ?? {}) as SamplerOptions)) {
    const allowed = SAMPLER_SETTINGS[key];
    if (allowed === undefined) throw invalidImage(image.name, `options.samplers.${image.name}.${key} is not a sampler setting.`, `use ${SAMPLER_KEYS.join(', ')}.`);
    const fits = allowed === 'number' ? typeof value === 'number' && Number.isFinite(value) && value >= 0 : allowed.includes(value as string);
    if (!fits) throw invalidImage(image.name, `options.samplers.${image.name}.${key} is ${describe(value)}.`, allowed === 'number' ? 'pass a non-negative number.' : `pass one of ${allowed.join(', ')}.`);
    descriptor[key] = value;
  }
  const key = SAMPLER_KEYS.map((field) => String(descriptor[field])).join('|');
  return { resource: image, descriptor: { label: `vyre-web sampler ${key}`, ...(descriptor as SamplerOptions) }, key };
}

/** `options.samplers` must be an object of objects when given. */
export function checkSamplerOptions(samplers: unknown): void {
  if (samplers !== undefined && (typeof samplers !== 'object' || samplers === null || Array.isArray(samplers))) {
    throw new VyreError('invalid-input', 'options.samplers must be an object of sampler settings by name.', "pass { samplers: { samp: { magFilter: 'nearest' } } }.", {});
  }
}

function isDimension(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return typeof value === 'object' ? `a ${value.constructor?.name ?? 'object'}` : `${typeof value} ${String(value)}`;
}

function invalidImage(binding: string, problem: string, fix: string): VyreError {
  return new VyreError('invalid-input', problem, fix, { binding });
}
