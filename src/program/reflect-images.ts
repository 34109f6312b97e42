/**
 * Reflection of a module's image resources: sampled textures, storage textures and
 * samplers, from wgsl_reflect's own lists (it reads the texture's sample type or texel
 * format and access from the declaration). What WebGPU cannot feed from a compute
 * dispatch (external textures) or what vyre-web cannot upload (multisampled textures) is
 * refused by name, with a Fix.
 */
import { ResourceType, type VariableInfo } from 'wgsl_reflect';
import { VyreError } from '../errors.ts';
import type { TextureDimension, WgslImageResource } from '../protocol/wgsl-module.ts';
import type { DeclarationSite } from './wgsl-parse.ts';
import { STORAGE_TEXEL_FORMATS } from './storage-texel-formats.ts';

/** WGSL texture type name (without the storage or depth prefix) → view dimension. */
const DIMENSIONS: Readonly<Record<string, TextureDimension>> = {
  '1d': '1d', '2d': '2d', '2d_array': '2d-array', '3d': '3d', cube: 'cube', cube_array: 'cube-array',
};

const SAMPLE_TYPES: Readonly<Record<string, 'float' | 'sint' | 'uint'>> = { f32: 'float', i32: 'sint', u32: 'uint' };

/**
 * The image resource `info` declares (group and binding already read by the caller).
 * @returns `undefined` when `info` is not an image resource (a buffer).
 * @throws VyreError `invalid-program` for an external or multisampled texture, or an
 *   unknown texture type or format.
 */
export function reflectImage(info: VariableInfo, group: number, binding: number, where: DeclarationSite): WgslImageResource | undefined {
  const typeName = info.type.name;
  const base = { name: info.name, group, binding };
  switch (info.resourceType) {
    case ResourceType.Sampler:
      return { kind: 'sampler', ...base, comparison: typeName === 'sampler_comparison' };
    case ResourceType.StorageTexture:
      return { kind: 'storage-texture', ...base, dimension: dimensionOf(typeName.replace(/^texture_storage_/, ''), where), format: storageFormat(info, where), access: storageAccess(info.access) };
    case ResourceType.Texture:
      return sampledTexture(info, base, where);
    default:
      return undefined;
  }
}

function sampledTexture(info: VariableInfo, base: { name: string; group: number; binding: number }, where: DeclarationSite): WgslImageResource {
  const typeName = info.type.name;
  if (typeName === 'texture_external' || typeName.includes('multisampled')) {
    throw unsupported(where, typeName, typeName === 'texture_external' ? 'pass the video frame as an ImageBitmap to a texture_2d<f32> instead.' : 'resolve it to a texture_2d first, or pass the samples in a buffer.');
  }
  if (typeName.startsWith('texture_depth_')) {
    return { kind: 'texture', ...base, dimension: dimensionOf(typeName.slice('texture_depth_'.length), where), sampleType: 'depth', multisampled: false };
  }
  const sampled = info.format?.name;
  const sampleType = sampled === undefined ? undefined : SAMPLE_TYPES[sampled];
  if (sampleType === undefined) throw unsupported(where, typeName, 'give the texture a sample type: texture_2d<f32>, <i32> or <u32>.');
  return { kind: 'texture', ...base, dimension: dimensionOf(typeName.slice('texture_'.length), where), sampleType, multisampled: false };
}

function dimensionOf(suffix: string, where: DeclarationSite): TextureDimension {
  const dimension = DIMENSIONS[suffix];
  if (dimension === undefined) throw unsupported(where, `texture_${suffix}`, 'use texture_1d, _2d, _2d_array, _3d, _cube or _cube_array.');
  return dimension;
}

function storageFormat(info: VariableInfo, where: DeclarationSite): string {
  const format = info.format?.name ?? '';
  if (!(STORAGE_TEXEL_FORMATS as readonly string[]).includes(format)) {
    throw unsupported(where, `${info.type.name}<${format}>`, `use a storage texel format: ${STORAGE_TEXEL_FORMATS.slice(0, 6).join(', ')} …`);
  }
  return format;
}

function storageAccess(access: string): 'write-only' | 'read-only' | 'read-write' {
  return access === 'read' ? 'read-only' : access === 'read_write' ? 'read-write' : 'write-only';
}

function unsupported(where: DeclarationSite, typeName: string, fix: string): VyreError {
  return new VyreError(
    'invalid-program',
    `${where.declaration} at line ${where.line} is a ${typeName}, which vyre-web cannot bind to a compute dispatch.`,
    fix,
    { declaration: where.declaration, line: where.line, column: where.column, kind: typeName },
  );
}
