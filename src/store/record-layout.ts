/**
 * The WGSL layout of a stored buffer (`BoundBuffer.layout`) and the stored image resources,
 * read back from a record: a
 * structural check of the nested type, so a record our own writer could not have made
 * reads as corrupt instead of reaching the dispatcher. (Damage to the bytes is already
 * caught by the record's checksum, which covers the layout's JSON text.)
 */
import type { WgslImageResource, WgslMember, WgslType } from '../protocol/wgsl-module.ts';
import { STORAGE_TEXEL_FORMATS } from '../program/storage-texel-formats.ts';

const SCALARS = ['f32', 'f16', 'i32', 'u32', 'bool'] as const;
/** Deeper than any layout reflection makes; bounds the recursion over stored data. */
const MAX_DEPTH = 32;

/** Fails the read: the record is corrupt. */
export type Fail = (problem: string) => never;

/** `value` as a WGSL type, or `fail` naming the first problem under `path`. */
export function readLayout(value: unknown, path: string, fail: Fail, depth = 0): WgslType {
  if (depth > MAX_DEPTH) fail(`${path} nests deeper than ${MAX_DEPTH}`);
  const o = record(value, path, fail);
  const size = count(o['size'], `${path}.size`, fail);
  const align = count(o['align'], `${path}.align`, fail);
  switch (o['kind']) {
    case 'scalar':
      return { kind: 'scalar', scalar: scalar(o['scalar'], `${path}.scalar`, fail), size, align };
    case 'vector':
      return { kind: 'vector', scalar: scalar(o['scalar'], `${path}.scalar`, fail), components: oneOf(o['components'], [2, 3, 4] as const, `${path}.components`, fail), size, align };
    case 'matrix':
      return { kind: 'matrix', scalar: oneOf(o['scalar'], ['f32', 'f16'] as const, `${path}.scalar`, fail), columns: oneOf(o['columns'], [2, 3, 4] as const, `${path}.columns`, fail), rows: oneOf(o['rows'], [2, 3, 4] as const, `${path}.rows`, fail), size, align };
    case 'atomic':
      return { kind: 'atomic', scalar: oneOf(o['scalar'], ['u32', 'i32'] as const, `${path}.scalar`, fail), size: 4, align: 4 };
    case 'array': {
      const elementCount = o['count'] === null ? null : count(o['count'], `${path}.count`, fail);
      return { kind: 'array', element: readLayout(o['element'], `${path}.element`, fail, depth + 1), count: elementCount, stride: count(o['stride'], `${path}.stride`, fail), size, align };
    }
    case 'struct':
      return { kind: 'struct', name: text(o['name'], `${path}.name`, fail), members: members(o['members'], `${path}.members`, fail, depth), size, align };
    default:
      return fail(`${path}.kind is not a WGSL type kind`);
  }
}

function members(value: unknown, path: string, fail: Fail, depth: number): WgslMember[] {
  if (!Array.isArray(value)) return fail(`${path} is not an array`);
  return value.map((member: unknown, index): WgslMember => {
    const o = record(member, `${path}[${index}]`, fail);
    return { name: text(o['name'], `${path}[${index}].name`, fail), type: readLayout(o['type'], `${path}[${index}].type`, fail, depth + 1), offset: count(o['offset'], `${path}[${index}].offset`, fail) };
  });
}

const DIMENSIONS = ['1d', '2d', '2d-array', '3d', 'cube', 'cube-array'] as const;

/**
 * A stored image resource (`ShaderArtifact.images` entry), checked like a layout: a record
 * our writer could not have made reads as corrupt.
 */
export function readImage(value: unknown, path: string, fail: Fail): WgslImageResource {
  const o = record(value, path, fail);
  const base = { name: text(o['name'], `${path}.name`, fail), group: count(o['group'], `${path}.group`, fail), binding: count(o['binding'], `${path}.binding`, fail) };
  switch (o['kind']) {
    case 'sampler':
      return { kind: 'sampler', ...base, comparison: flag(o['comparison'], `${path}.comparison`, fail) };
    case 'texture':
      return { kind: 'texture', ...base, dimension: oneOf(o['dimension'], DIMENSIONS, `${path}.dimension`, fail), sampleType: oneOf(o['sampleType'], ['float', 'sint', 'uint', 'depth'] as const, `${path}.sampleType`, fail), multisampled: flag(o['multisampled'], `${path}.multisampled`, fail) };
    case 'storage-texture':
      return { kind: 'storage-texture', ...base, dimension: oneOf(o['dimension'], DIMENSIONS, `${path}.dimension`, fail), format: oneOf(o['format'], STORAGE_TEXEL_FORMATS, `${path}.format`, fail), access: oneOf(o['access'], ['write-only', 'read-only', 'read-write'] as const, `${path}.access`, fail) };
    default:
      return fail(`${path}.kind is not an image resource kind`);
  }
}

function flag(value: unknown, path: string, fail: Fail): boolean {
  if (typeof value !== 'boolean') return fail(`${path} is not a boolean`);
  return value;
}

function record(value: unknown, path: string, fail: Fail): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(`${path} is not an object`);
  return value as Record<string, unknown>;
}

function count(value: unknown, path: string, fail: Fail): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) return fail(`${path} is not a non-negative integer`);
  return value;
}

function text(value: unknown, path: string, fail: Fail): string {
  if (typeof value !== 'string') return fail(`${path} is not a string`);
  return value;
}

function scalar(value: unknown, path: string, fail: Fail): (typeof SCALARS)[number] {
  return oneOf(value, SCALARS, path, fail);
}

function oneOf<const T extends string | number>(value: unknown, allowed: readonly T[], path: string, fail: Fail): T {
  if (!(allowed as readonly unknown[]).includes(value)) return fail(`${path} is not one of ${allowed.join(', ')}`);
  return value as T;
}
