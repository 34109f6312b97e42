/**
 * Packs a plain JavaScript value into the bytes of a WGSL type, by the WGSL memory layout
 * rules (https://www.w3.org/TR/WGSL/#memory-layouts): each struct member at its offset,
 * each array element at its stride, each matrix column at the vector's alignment,
 * little-endian, padding left zero. So `{ params: { N: 4, D: 192, eps: 1e-5 } }` reaches
 * the shader as the struct it declares, and a mistake is named by its field path
 * (`params.N`) and the WGSL type expected there.
 *
 * The value grammar, per WGSL type (inside a plain object every field is a value, never
 * raw bytes):
 * - `f32`: a number, rounded to nearest f32. NaN and ±Infinity are kept (they are valid
 *   bits); a finite number too large for f32 is refused, since it would silently become
 *   Infinity.
 * - `f16`: a number, rounded to nearest half (ties to even); a finite number of magnitude
 *   65520 or more is refused for the same reason.
 * - `i32`, `u32`, `atomic<i32|u32>`: an integer in the type's range.
 * - `vecN`: N numbers, as a JS array or a numeric typed array.
 * - `matCxR`: C columns of R numbers each (`[[1, 0], [0, 1]]`), or C×R numbers in
 *   column-major order; either as JS arrays or numeric typed arrays.
 * - `array<T, n>`: n values of T, as a JS array (or a numeric typed array, read as
 *   numbers, when T is a scalar); `array<T>` (runtime-sized, only a struct's last member
 *   here): any number of them.
 * - a struct: a plain object with exactly its member names; unknown and missing members
 *   are errors.
 * - `bool` never appears in a buffer (WGSL: not host-shareable) and is refused.
 */
import { VyreError, unreachable } from '../errors.ts';
import type { WgslMember, WgslScalar, WgslType } from '../protocol/wgsl-module.ts';
import { FLOAT16_INFINITY, float16Bits } from './float16.ts';

/** Where a packing writes, and which binding it is for (every error names it). */
interface PackTarget {
  readonly binding: string;
  readonly view: DataView;
}

/**
 * Packs `value` as the WGSL `type` of binding `binding`.
 * A struct whose last member is a runtime-sized array takes its length from the value:
 * the result is `offset + length × stride` bytes, the exact size whose `arrayLength()` is
 * that length.
 *
 * @param binding - the binding's name, for error messages (also the root of field paths).
 * @param type - the binding's type with its layout.
 * @param value - the caller's value, in the grammar above.
 * @returns freshly allocated little-endian bytes, padding zero.
 * @throws VyreError `invalid-input` naming the field path (`params.items[2].pos`), the WGSL
 *   type expected there and what was given, in `details` `{ binding, field, expected, received }`.
 */
export function packValue(binding: string, type: WgslType, value: unknown): Uint8Array {
  const bytes = new Uint8Array(packedByteLength(type, value));
  writeValue({ binding, view: new DataView(bytes.buffer) }, type, value, 0, binding);
  return bytes;
}

/** The byte length `value` packs to: the type's size, or for a runtime-sized tail, the fixed part plus the tail's elements. */
function packedByteLength(type: WgslType, value: unknown): number {
  const runtime = runtimeArrayOf(type);
  if (runtime === null) return type.size;
  const lastName = type.kind === 'struct' ? type.members.at(-1)?.name : undefined;
  const tail = lastName === undefined ? value : isPlainRecord(value) ? value[lastName] : undefined;
  // A missing or malformed tail packs as empty here; writeValue then reports it by name.
  return runtime.offset + (numberSequence(tail)?.length ?? 0) * runtime.stride;
}

/** Where a runtime-sized array sits in a binding's type: after `offset` fixed bytes, one `element` every `stride` bytes. */
export interface RuntimeArray {
  readonly offset: number;
  readonly stride: number;
  readonly element: WgslType;
}

/**
 * The runtime-sized array of a binding: the binding itself (`array<E>`, offset 0) or the
 * last member of its struct (WGSL allows it nowhere else); `null` for a fixed-footprint type.
 */
export function runtimeArrayOf(type: WgslType): RuntimeArray | null {
  if (type.kind === 'array' && type.count === null) return { offset: 0, stride: type.stride, element: type.element };
  if (type.kind !== 'struct') return null;
  const last = type.members.at(-1);
  if (last === undefined || last.type.kind !== 'array' || last.type.count !== null) return null;
  return { offset: last.offset, stride: last.type.stride, element: last.type.element };
}

function writeValue(target: PackTarget, type: WgslType, value: unknown, offset: number, path: string): void {
  switch (type.kind) {
    case 'scalar':
    case 'atomic':
      writeScalar(target, type.scalar, value, offset, path);
      return;
    case 'vector':
      writeVector(target, type, value, offset, path);
      return;
    case 'matrix':
      writeMatrix(target, type, value, offset, path);
      return;
    case 'array':
      writeArray(target, type, value, offset, path);
      return;
    case 'struct':
      writeStruct(target, type, value, offset, path);
      return;
    default:
      unreachable(type);
  }
}

/** Bytes one scalar of this type takes in a buffer. */
function scalarByteSize(scalar: WgslScalar): 2 | 4 {
  return scalar === 'f16' ? 2 : 4;
}

function writeScalar(target: PackTarget, scalar: WgslScalar, value: unknown, offset: number, path: string): void {
  const { view } = target;
  if (scalar === 'bool') {
    // Reflection should never hand us one; if it does, say so rather than write 4 bytes the shader cannot read.
    throw fieldError(target, path, 'bool', `${path} is a bool, which cannot be stored in a buffer (WGSL: not host-shareable)`, 'declare the field as u32 and pass 0 or 1.');
  }
  if (typeof value !== 'number') throw wrongValue(target, path, scalar, SCALAR_EXPECTATION[scalar], value);
  switch (scalar) {
    case 'f32':
      if (Number.isFinite(value) && !Number.isFinite(Math.fround(value))) {
        throw wrongValue(target, path, scalar, 'a number of magnitude at most 3.4028235e38 (a larger one would round to Infinity)', value);
      }
      view.setFloat32(offset, value, true);
      return;
    case 'f16':
      return writeF16(target, value, offset, path);
    case 'i32':
      if (!isIntegerIn(value, -0x8000_0000, 0x7fff_ffff)) throw wrongValue(target, path, scalar, SCALAR_EXPECTATION[scalar], value);
      view.setInt32(offset, value, true);
      return;
    case 'u32':
      if (!isIntegerIn(value, 0, 0xffff_ffff)) throw wrongValue(target, path, scalar, SCALAR_EXPECTATION[scalar], value);
      view.setUint32(offset, value, true);
      return;
    default:
      unreachable(scalar);
  }
}

/** What each host-shareable scalar accepts, as an error spells it. */
const SCALAR_EXPECTATION = {
  f32: 'a number',
  f16: 'a number',
  i32: 'an integer from -2147483648 to 2147483647',
  u32: 'an integer from 0 to 4294967295',
} as const;

function isIntegerIn(value: number, min: number, max: number): boolean {
  return Number.isInteger(value) && value >= min && value <= max;
}

function writeF16(target: PackTarget, value: number, offset: number, path: string): void {
  const bits = float16Bits(value);
  if (Number.isFinite(value) && (bits & 0x7fff) === FLOAT16_INFINITY) {
    throw wrongValue(target, path, 'f16', 'a number of magnitude at most 65504 (a larger one would round to Infinity)', value);
  }
  target.view.setUint16(offset, bits, true);
}

function writeVector(target: PackTarget, type: Extract<WgslType, { kind: 'vector' }>, value: unknown, offset: number, path: string): void {
  const numbers = numberSequence(value);
  const expected = wgslTypeName(type);
  if (numbers === undefined || numbers.length !== type.components) {
    throw wrongValue(target, path, expected, `an array of ${type.components} numbers`, value);
  }
  const step = scalarByteSize(type.scalar);
  for (let i = 0; i < type.components; i++) writeScalar(target, type.scalar, numbers[i], offset + i * step, `${path}[${i}]`);
}

/**
 * A matrix is its columns, each a vector of `rows` at a stride of the column vector's
 * alignment (vec3 columns sit 16 bytes apart for f32), which is `size / columns`.
 */
function writeMatrix(target: PackTarget, type: Extract<WgslType, { kind: 'matrix' }>, value: unknown, offset: number, path: string): void {
  const { columns, rows, scalar } = type;
  const outer = numberSequence(value);
  const columnStride = type.size / columns;
  const step = scalarByteSize(scalar);
  const asColumns = outer?.length === columns && Array.from(outer, numberSequence).every((column) => column?.length === rows);
  if (outer !== undefined && asColumns) {
    for (let c = 0; c < columns; c++) {
      const column = numberSequence(outer[c]) ?? [];
      for (let r = 0; r < rows; r++) writeScalar(target, scalar, column[r], offset + c * columnStride + r * step, `${path}[${c}][${r}]`);
    }
    return;
  }
  if (outer === undefined || outer.length !== columns * rows) {
    const what = `${columns} arrays (columns) of ${rows} numbers, or ${columns * rows} numbers in column-major order`;
    throw wrongValue(target, path, wgslTypeName(type), what, value);
  }
  for (let i = 0; i < columns * rows; i++) {
    const c = Math.floor(i / rows);
    writeScalar(target, scalar, outer[i], offset + c * columnStride + (i % rows) * step, `${path}[${i}]`);
  }
}

function writeArray(target: PackTarget, type: Extract<WgslType, { kind: 'array' }>, value: unknown, offset: number, path: string): void {
  const items = numberSequence(value);
  if (items === undefined || (type.count !== null && items.length !== type.count)) {
    const howMany = type.count === null ? '' : `${type.count} `;
    throw wrongValue(target, path, wgslTypeName(type), `an array of ${howMany}${wgslTypeName(type.element)} values`, value);
  }
  for (let i = 0; i < items.length; i++) writeValue(target, type.element, items[i], offset + i * type.stride, `${path}[${i}]`);
}

function writeStruct(target: PackTarget, type: Extract<WgslType, { kind: 'struct' }>, value: unknown, offset: number, path: string): void {
  // Only an error needs the list of fields: not built on the path every dispatch takes.
  const fieldList = () => type.members.map((member) => member.name).join(', ');
  if (!isPlainRecord(value)) {
    throw wrongValue(target, path, type.name, `an object with the fields ${fieldList()}`, value);
  }
  // Unknown names first: a misspelt field is also a missing one, and the misspelling is the clearer report.
  for (const key of Object.keys(value)) {
    if (!type.members.some((member) => member.name === key)) {
      const fields = fieldList();
      const field = `${path}.${key}`;
      throw fieldError(target, field, type.name, `${field} is not a field of struct ${type.name} (its fields: ${fields})`, `remove ${key} or correct its name; ${path} takes only ${fields}.`);
    }
  }
  for (const member of type.members) {
    const memberPath = `${path}.${member.name}`;
    if (value[member.name] === undefined) throw missingField(target, memberPath, member);
    writeValue(target, member.type, value[member.name], offset + member.offset, memberPath);
  }
}

function missingField(target: PackTarget, path: string, member: WgslMember): VyreError {
  const expected = wgslTypeName(member.type);
  return fieldError(target, path, expected, `${path} is missing; it expects ${expected}`, `add ${member.name}: <${expected}> to the object.`);
}

/**
 * The WGSL spelling of a type, as an error shows it: `u32`, `vec3f`, `mat3x3f`,
 * `atomic<u32>`, `array<vec2f, 4>`, `array<Particle>`, a struct by its name.
 */
export function wgslTypeName(type: WgslType): string {
  switch (type.kind) {
    case 'scalar':
      return type.scalar;
    case 'vector':
      return type.scalar === 'bool' ? `vec${type.components}<bool>` : `vec${type.components}${SUFFIX[type.scalar]}`;
    case 'matrix':
      return `mat${type.columns}x${type.rows}${SUFFIX[type.scalar]}`;
    case 'atomic':
      return `atomic<${type.scalar}>`;
    case 'array':
      return type.count === null ? `array<${wgslTypeName(type.element)}>` : `array<${wgslTypeName(type.element)}, ${type.count}>`;
    case 'struct':
      return type.name;
    default:
      return unreachable(type);
  }
}

/** WGSL's predeclared aliases: `vec3f` is `vec3<f32>`, `mat2x2h` is `mat2x2<f16>`. */
const SUFFIX = { f32: 'f', f16: 'h', i32: 'i', u32: 'u' } as const;

/** A JS array, or a typed array read as numbers; anything else (a DataView, a string) is not a sequence. */
function numberSequence(value: unknown): ArrayLike<unknown> | undefined {
  if (Array.isArray(value)) return value;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return value as unknown as ArrayLike<unknown>;
  return undefined;
}

/** An object of named fields: not null, not an array, not bytes. */
function isPlainRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !ArrayBuffer.isView(value) &&
    !(value instanceof ArrayBuffer)
  );
}

/**
 * The `invalid-input` error for a value of the wrong kind: `Binding "params": params.N
 * expects u32, an integer from 0 to 4294967295, but got number -1. Fix: pass an integer
 * from 0 to 4294967295 for params.N.`
 */
function wrongValue(target: PackTarget, field: string, expected: string, what: string, received: unknown): VyreError {
  const got = describeValue(received);
  return fieldError(target, field, expected, `${field} expects ${expected}, ${what}, but got ${got}`, `pass ${what} for ${field}.`, got);
}

/** The `invalid-input` error for one field; `details` carry `{ binding, field, expected }` and `received` when there was a value. */
function fieldError(target: PackTarget, field: string, expected: string, sentence: string, fix: string, received?: string): VyreError {
  const details = received === undefined
    ? { buffer: target.binding, field, expected }
    : { buffer: target.binding, field, expected, received };
  return new VyreError('invalid-input', `Binding "${target.binding}": ${sentence}.`, fix, details);
}

/** A short, cloneable description of what the caller passed. */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return `${typeof value} ${String(value)}`;
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value instanceof ArrayBuffer) return `an ArrayBuffer of ${value.byteLength} bytes`;
  if (value instanceof DataView) return `a DataView of ${value.byteLength} bytes`;
  if (ArrayBuffer.isView(value)) return describeTypedArray(value);
  return typeof value === 'object' ? 'an object' : typeof value;
}

function describeTypedArray(view: ArrayBufferView): string {
  const width = (view as { readonly BYTES_PER_ELEMENT?: unknown }).BYTES_PER_ELEMENT;
  const count = typeof width === 'number' ? `${view.byteLength / width} elements, ` : '';
  const name = typedArrayName(view);
  return `${/^[AEIOU]/.test(name) ? 'an' : 'a'} ${name} of ${count}${view.byteLength} bytes`;
}

/** The constructor name of a typed array (`Float32Array`), read from its toStringTag so it works across realms. */
export function typedArrayName(view: ArrayBufferView): string {
  const tag: unknown = (view as { readonly [Symbol.toStringTag]?: unknown })[Symbol.toStringTag];
  return typeof tag === 'string' ? tag : 'ArrayBufferView';
}
