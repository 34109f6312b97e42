/**
 * What a caller passes for a buffer binding, turned into the exact bytes to upload, and
 * what comes back from a read_write binding, turned into a typed array. Pure; no WebGPU.
 *
 * Input rules, for a binding of WGSL type T (layout from reflection, never guessed here):
 *
 * | given | accepted when | taken as |
 * |---|---|---|
 * | `ArrayBuffer`, `DataView`, `Uint8Array` | always | raw bytes, the view's own window |
 * | `Float32Array` / `Int32Array` / `Uint32Array` | every leaf scalar of T is f32 / i32 / u32 (atomics count as their scalar) | raw bytes |
 * | `Uint16Array` (or `Float16Array` where it exists) | every leaf scalar of T is f16 | raw bytes (half-float bits) |
 * | any other typed array (`Float64Array`, `Int16Array`, …) | never: its bytes would be misread | — |
 * | a plain value (number, JS array, object) | T is not an array (scalar, vector, matrix, struct, a struct ending in a runtime-sized array) | packed by the WGSL layout rules, see pack-value.ts |
 *
 * A typed array is never converted element by element: a `Float32Array` for an `i32`
 * binding is refused, since that is almost always a mistake, and for a struct mixing
 * leaf types only raw bytes or a plain object will do (a `Float32Array([4, 192, 1e-5])`
 * for `{ N: u32, D: u32, eps: f32 }` would upload the float bits of 4 as N).
 *
 * Byte lengths: a fixed-footprint T takes exactly `SizeOf(T)` bytes. A runtime-sized T
 * (`array<E>`, or a struct whose last member is one) takes its fixed part (the offset of
 * that array) plus a whole number of elements, each `stride` bytes — what WGSL's
 * `arrayLength()` counts. Zero elements are allowed here; the buffer layer rounds an
 * allocation up to what WebGPU needs (a multiple of 4, and at least one element).
 */
import { VyreError, invariant, unreachable } from '../errors.ts';
import type { WgslScalar, WgslType } from '../protocol/wgsl-module.ts';
import { leafScalarOf } from '../program/wgsl-layout.ts';
import { describeValue, packValue, runtimeArrayOf, typedArrayName, wgslTypeName } from './pack-value.ts';

// Defined beside the packer, which sizes a runtime-sized tail with it; planning reaches it here.
export { runtimeArrayOf, type RuntimeArray } from './pack-value.ts';

/** What a read_write binding reads back as; see {@link readBackArray}. */
export type ReadBackArray = Float32Array | Int32Array | Uint32Array | Uint16Array | Uint8Array;

/**
 * The bytes to upload for binding `name` of WGSL type `type`, from whatever the caller
 * passed (the table above). Bytes and typed arrays are not copied: the result is a
 * `Uint8Array` over the caller's own memory, exactly the view's window.
 *
 * @param name - the binding's name, for error messages.
 * @param type - the binding's type with its WGSL layout.
 * @param value - the caller's input for this binding.
 * @returns a `Uint8Array` over exactly the bytes to upload.
 * @throws VyreError `invalid-input` for a refused typed array, a wrong byte length, a plain
 *   value for an array binding, or a plain value that does not match T; `details` carry
 *   `{ binding, field, expected }` (field is a path such as `params.items[2].pos`).
 *
 * @example
 * ```ts
 * bindingBytes('params', paramsType, { N: 4, D: 192, eps: 1e-5 }); // 12 packed bytes
 * bindingBytes('xs', xsType, new Float32Array(1024));               // the array's own bytes
 * ```
 */
export function bindingBytes(name: string, type: WgslType, value: unknown): Uint8Array {
  const raw = rawBytesOf(name, type, value);
  if (raw !== undefined) {
    checkByteLength(name, type, raw.byteLength, value);
    return raw;
  }
  if (type.kind === 'array') throw plainValueForArray(name, type, value);
  return packValue(name, type, value);
}

/** The bytes of an ArrayBuffer, DataView or accepted typed array; undefined for anything else (a plain value). */
function rawBytesOf(name: string, type: WgslType, value: unknown): Uint8Array | undefined {
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (!ArrayBuffer.isView(value)) return undefined;
  const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof DataView) return bytes;
  const kind = typedArrayName(value);
  if (kind === 'Uint8Array') return bytes;
  const leaf = leafScalarOf(type);
  if (leaf !== null && TYPED_ARRAY_SCALAR[kind] === leaf) return bytes;
  throw refusedTypedArray(name, type, leaf, value);
}

/** Typed arrays whose bytes are one leaf scalar each. Keyed by toStringTag, so a typed array from another realm is recognised too. */
const TYPED_ARRAY_SCALAR: Readonly<Record<string, WgslScalar | undefined>> = {
  Float32Array: 'f32',
  Int32Array: 'i32',
  Uint32Array: 'u32',
  Uint16Array: 'f16',
  Float16Array: 'f16',
};

/** The typed array to suggest for a leaf scalar, with its article. f16 is Uint16Array: Float16Array is not yet everywhere. */
const SUGGESTED_ARRAY = { f32: 'a Float32Array', i32: 'an Int32Array', u32: 'a Uint32Array', f16: 'a Uint16Array', bool: 'a Uint8Array' } as const;

const RAW_BYTES = 'an ArrayBuffer, DataView or Uint8Array';

function refusedTypedArray(name: string, type: WgslType, leaf: WgslScalar | null, value: ArrayBufferView): VyreError {
  const expected = wgslTypeName(type);
  const received = describeValue(value);
  const holds = leaf === null ? 'whose scalars mix types, so no typed array matches it' : `whose scalars are ${leaf}`;
  const asObject = type.kind === 'array' ? '' : 'a plain object of its fields, or ';
  const fix = leaf === null
    ? `pass ${asObject}its bytes (laid out as ${expected}) as ${RAW_BYTES}.`
    : `pass ${SUGGESTED_ARRAY[leaf]}, or the raw bytes as ${RAW_BYTES}.`;
  return new VyreError(
    'invalid-input',
    `Binding "${name}" is ${expected}, ${holds}; got ${received}, whose bytes would be misread.`,
    fix,
    { buffer: name, field: name, expected, received },
  );
}

function plainValueForArray(name: string, type: Extract<WgslType, { kind: 'array' }>, value: unknown): VyreError {
  const expected = wgslTypeName(type);
  const received = describeValue(value);
  const leaf = leafScalarOf(type);
  const layout = `one ${wgslTypeName(type.element)} every ${type.stride} bytes, padding included`;
  const fix = leaf === null || leaf === 'bool'
    ? `pass the bytes as ${RAW_BYTES}, ${layout}.`
    : `pass ${SUGGESTED_ARRAY[leaf]} (${layout}), or the raw bytes as ${RAW_BYTES}.`;
  return new VyreError(
    'invalid-input',
    `Binding "${name}" is ${expected}; an array binding takes a typed array or bytes, not a plain value, but got ${received}.`,
    fix,
    { buffer: name, field: name, expected, received },
  );
}

/** Refuses bytes that do not make a whole value of `type`. */
function checkByteLength(name: string, type: WgslType, byteLength: number, value: unknown): void {
  const runtime = runtimeArrayOf(type);
  if (runtime === null ? byteLength === type.size : byteLength >= runtime.offset && (byteLength - runtime.offset) % runtime.stride === 0) {
    return;
  }
  const expected = wgslTypeName(type);
  const received = describeValue(value);
  if (runtime === null) {
    throw new VyreError(
      'invalid-input',
      `Binding "${name}" is ${expected}, exactly ${type.size} bytes, but got ${received}.`,
      `pass exactly ${type.size} bytes${inElementsOf(value, type.size, '')}, laid out as ${expected}, padding included.`,
      { buffer: name, field: name, expected, received, byteLength, size: type.size },
    );
  }
  const element = wgslTypeName(runtime.element);
  const header = runtime.offset > 0 ? `a ${runtime.offset}-byte header then ` : '';
  throw new VyreError(
    'invalid-input',
    `Binding "${name}" is ${expected}: ${header}a whole number of ${element} elements, ${runtime.stride} bytes apart, but got ${received}.`,
    `pass ${runtime.offset > 0 ? `${runtime.offset} + ` : ''}n × ${runtime.stride} bytes${inElementsOf(value, runtime.stride, ` per ${element}`)}; each ${element} takes ${runtime.stride} bytes, padding included.`,
    { buffer: name, field: name, expected, received, byteLength, fixedBytes: runtime.offset, stride: runtime.stride },
  );
}

/** ` (4 Float32Array elements per vec3f)`: a byte count in the caller's own elements, when it divides evenly. */
function inElementsOf(value: unknown, bytes: number, per: string): string {
  if (!ArrayBuffer.isView(value) || value instanceof DataView) return '';
  const width = (value as { readonly BYTES_PER_ELEMENT?: unknown }).BYTES_PER_ELEMENT;
  if (typeof width !== 'number' || width === 1 || bytes % width !== 0) return '';
  return ` (${bytes / width} ${typedArrayName(value)} elements${per})`;
}

/**
 * The bytes read back from a read_write binding, as the typed array of its leaf scalar
 * ({@link leafScalarOf}): f32 → `Float32Array`, i32 → `Int32Array`, u32 and
 * `atomic<u32>` → `Uint32Array`, f16 → `Uint16Array` of raw half-float bits (Float16Array
 * is not yet everywhere); mixed leaves → `Uint8Array` over the bytes.
 *
 * The array is over the bytes as laid out, padding included: `array<vec3f>` comes back
 * with 4 floats per element, since its stride is 16 bytes; `array<Particle>` with
 * `Particle { pos: vec2f, vel: vec2f }` comes back as 4 floats per particle. No copy.
 *
 * @param type - the binding's type.
 * @param bytes - the bytes read back, as many as the binding holds.
 * @returns a typed array over `bytes`.
 */
export function readBackArray(type: WgslType, bytes: ArrayBuffer): ReadBackArray {
  const leaf = leafScalarOf(type);
  switch (leaf) {
    case 'f32':
      return new Float32Array(bytes, 0, whole(bytes, 4));
    case 'i32':
      return new Int32Array(bytes, 0, whole(bytes, 4));
    case 'u32':
      return new Uint32Array(bytes, 0, whole(bytes, 4));
    case 'f16':
      return new Uint16Array(bytes, 0, whole(bytes, 2));
    case 'bool':
    case null:
      return new Uint8Array(bytes);
    default:
      return unreachable(leaf);
  }
}

/** Elements of `width` bytes in `bytes`; every layout of such leaves is a multiple of `width`, so a remainder is our bug. */
function whole(bytes: ArrayBuffer, width: number): number {
  invariant(bytes.byteLength % width === 0, `read-back of ${bytes.byteLength} bytes is a whole number of ${width}-byte leaves`);
  return bytes.byteLength / width;
}

/**
 * How many elements of the binding's array type `byteLength` bytes hold, the way WGSL's
 * `arrayLength()` counts them: `floor((byteLength − offset) / stride)`, never below 0.
 * For `array<vec4f>` one element is one vec4f (16 bytes); for
 * `struct { n: u32, items: array<Particle> }` one element is one Particle, after the
 * fixed part. A fixed-size `array<E, n>` holds n; any other fixed-footprint type, 1.
 */
export function elementCountOf(type: WgslType, byteLength: number): number {
  const runtime = runtimeArrayOf(type);
  if (runtime !== null) return Math.max(0, Math.floor((byteLength - runtime.offset) / runtime.stride));
  return type.kind === 'array' && type.count !== null ? type.count : 1;
}

/**
 * The byte length of a binding holding `count` elements of its array type (the inverse
 * of {@link elementCountOf}): `offset + count × stride` for a runtime-sized type, the
 * exact size whose `arrayLength()` is `count`; `SizeOf(T)` for a fixed-footprint type,
 * whose count can only be its own. The buffer layer rounds the allocation up to what
 * WebGPU requires.
 *
 * @throws VyreError `internal` for a negative or fractional count, or a count a fixed
 *   type cannot have: the planner checks the caller's numbers before asking.
 */
export function byteLengthFor(type: WgslType, count: number): number {
  invariant(Number.isSafeInteger(count) && count >= 0, `element count ${count} is a non-negative integer`);
  const runtime = runtimeArrayOf(type);
  if (runtime !== null) return runtime.offset + count * runtime.stride;
  invariant(count === elementCountOf(type, type.size), `${wgslTypeName(type)} holds ${elementCountOf(type, type.size)} elements, not ${count}`);
  return type.size;
}

