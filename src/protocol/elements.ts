/**
 * Shared vocabulary of programs: element types, buffer access modes, typed-array mapping.
 * Plain data only; everything here crosses the worker boundary by structured clone.
 */

/** Element types a storage buffer can hold. */
export const ELEMENT_TYPES = ['f32', 'u32', 'i32'] as const;
/** One of {@link ELEMENT_TYPES}: the element type of a storage buffer. */
export type ElementType = (typeof ELEMENT_TYPES)[number];

/**
 * How a kernel uses a buffer.
 * - `read`: an input the caller must supply; never read back.
 * - `read-write`: uploaded from the caller's array when given, zero-filled otherwise; read back.
 * - `output`: allocated (zero-filled) by the runtime, never supplied by the caller; read back.
 */
export const BUFFER_ACCESS_MODES = ['read', 'read-write', 'output'] as const;
/** One of {@link BUFFER_ACCESS_MODES}: how a kernel uses a buffer. */
export type BufferAccess = (typeof BUFFER_ACCESS_MODES)[number];

/** One buffer of a program, bound at `@group(group) @binding(binding)`. */
export interface BufferDeclaration {
  readonly name: string;
  readonly binding: number;
  readonly access: BufferAccess;
  /** Element type of a scalar array; for a reflected WGSL buffer of another type, its leaf scalar (or `u32`). */
  readonly type: ElementType;
  /** `@group(n)`; absent means 0. */
  readonly group?: number;
}

/** A workgroup size, always three axes (`[64, 1, 1]`). */
export type WorkgroupSize = readonly [x: number, y: number, z: number];

/** WebGPU's guaranteed minimum of `maxComputeInvocationsPerWorkgroup`; devices may allow more. */
export const MAX_WORKGROUP_AXIS = 1024;

/** True for an integer in 1…{@link MAX_WORKGROUP_AXIS}: a workgroup-size axis any device takes. */
export function isWorkgroupAxis(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_WORKGROUP_AXIS;
}

/** The typed array that carries each element type. */
export interface ElementArrayByType {
  f32: Float32Array;
  u32: Uint32Array;
  i32: Int32Array;
}

/** A typed array of any element type: `Float32Array`, `Uint32Array` or `Int32Array`. */
export type ElementArray = ElementArrayByType[ElementType];

/**
 * What a read-back buffer comes back as: an {@link ElementArray}; for a WGSL buffer whose
 * leaves are all f16, a `Uint16Array` of half-float bits; whose leaves mix scalar types
 * (a struct of u32 and f32), a `Uint8Array` of its bytes.
 */
export type OutputArray = ElementArray | Uint16Array | Uint8Array;

/** Constructor of the typed array for `type`. */
export function arrayConstructorFor(type: ElementType): {
  new (length: number): ElementArray;
  new (buffer: ArrayBuffer, byteOffset?: number, length?: number): ElementArray;
  readonly name: string;
} {
  switch (type) {
    case 'f32':
      return Float32Array;
    case 'u32':
      return Uint32Array;
    case 'i32':
      return Int32Array;
  }
}

/** Element type of a typed array, or `undefined` for any other value. */
export function elementTypeOf(value: unknown): ElementType | undefined {
  if (value instanceof Float32Array) return 'f32';
  if (value instanceof Uint32Array) return 'u32';
  if (value instanceof Int32Array) return 'i32';
  return undefined;
}

/** Every element type is 4 bytes wide in WGSL storage. */
export const ELEMENT_BYTES = 4;

/** True when the buffer's contents come back to the caller after a dispatch. */
export function isReadBack(access: BufferAccess): boolean {
  return access !== 'read';
}
