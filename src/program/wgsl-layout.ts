/**
 * WGSL memory layout, computed from the spec's rules
 * (https://www.w3.org/TR/WGSL/#alignment-and-size): builders for every host-shareable type
 * that return the {@link WgslType} values of the protocol with their `size`, `align`,
 * array `stride` and struct member `offset`.
 *
 * Reflection takes a module's structure from its parser and its numbers from here, so every
 * byte offset the dispatch path relies on follows one reading of the spec, tested rule by
 * rule. Only the default (storage) layout rules are applied; the uniform address space's
 * extra constraints (16-byte array strides, for example) are the shader compiler's to check.
 *
 * Runtime-sized types: a runtime-sized array's `size` is its `stride`, and a struct whose
 * last member is a runtime-sized array has the `size` that the same struct would have with
 * that array holding exactly one element: `roundUp(align, offset + stride)`. Both are
 * WebGPU's "minimum buffer binding size" (SizeOf with `array<E>` replaced by `array<E, 1>`),
 * the smallest buffer a dispatch may bind to the variable.
 */
import { VyreError, unreachable } from '../errors.ts';
import type { WgslMember, WgslScalar, WgslType } from '../protocol/wgsl-module.ts';

/** The scalars a buffer can hold: WGSL's host-shareable scalars (`bool` is not one). */
export type HostScalar = Exclude<WgslScalar, 'bool'>;

/** A struct member before layout: its type, and its `@align(n)` / `@size(n)` when written. */
export interface StructMemberInput {
  readonly name: string;
  readonly type: WgslType;
  readonly align?: number;
  readonly size?: number;
}

/** `roundUp(k, n)`: the smallest multiple of `k` that is at least `n` (WGSL §14.4.1). */
function roundUp(k: number, n: number): number {
  return Math.ceil(n / k) * k;
}

function byteSize(scalar: HostScalar): 2 | 4 {
  return scalar === 'f16' ? 2 : 4;
}

/**
 * A scalar: `f32`, `i32`, `u32` are 4 bytes aligned to 4; `f16` is 2 bytes aligned to 2.
 * @param scalar - the scalar type.
 * @returns its layout.
 */
export function scalarType(scalar: HostScalar): Extract<WgslType, { kind: 'scalar' }> {
  const size = byteSize(scalar);
  return { kind: 'scalar', scalar, size, align: size };
}

/**
 * `vecN<S>` for scalar size s: vec2 is 2s bytes aligned to 2s; vec3 is 3s bytes aligned to
 * 4s (so a vec3 followed by a scalar packs the scalar into its last 4 bytes); vec4 is 4s
 * bytes aligned to 4s.
 * @param scalar - the component type.
 * @param components - N.
 * @returns its layout.
 */
export function vectorType(scalar: HostScalar, components: 2 | 3 | 4): Extract<WgslType, { kind: 'vector' }> {
  const s = byteSize(scalar);
  return { kind: 'vector', scalar, components, size: components * s, align: (components === 2 ? 2 : 4) * s };
}

/**
 * `matCxR<S>`: laid out as an array of C column vectors `vecR<S>`, so it is aligned like
 * `vecR` and takes `C × roundUp(AlignOf(vecR), SizeOf(vecR))` bytes.
 * @param scalar - `f32` or `f16`.
 * @param columns - C.
 * @param rows - R.
 * @returns its layout.
 */
export function matrixType(
  scalar: 'f32' | 'f16',
  columns: 2 | 3 | 4,
  rows: 2 | 3 | 4,
): Extract<WgslType, { kind: 'matrix' }> {
  const column = vectorType(scalar, rows);
  return { kind: 'matrix', scalar, columns, rows, size: columns * roundUp(column.align, column.size), align: column.align };
}

/**
 * `atomic<u32>` or `atomic<i32>`: 4 bytes aligned to 4, like the scalar it wraps.
 * @param scalar - `u32` or `i32`.
 * @returns its layout.
 */
export function atomicType(scalar: 'u32' | 'i32'): Extract<WgslType, { kind: 'atomic' }> {
  return { kind: 'atomic', scalar, size: 4, align: 4 };
}

/**
 * True for a runtime-sized array, or a struct whose last member is one: a type only a
 * storage buffer can hold, and only as its whole type.
 * @param type - a laid-out type.
 * @returns whether its size is known only from the buffer bound to it.
 */
export function isRuntimeSized(type: WgslType): boolean {
  if (type.kind === 'array') return type.count === null;
  if (type.kind !== 'struct') return false;
  const last = type.members[type.members.length - 1];
  return last !== undefined && isRuntimeSized(last.type);
}

/**
 * `array<E, N>` (or `array<E>` with `count` null): stride `roundUp(AlignOf(E), SizeOf(E))`,
 * aligned like E, `N × stride` bytes; a runtime-sized array's size is one stride.
 * @param element - E; must have a fixed size.
 * @param count - N, a positive integer, or `null` for a runtime-sized array.
 * @returns its layout.
 * @throws VyreError `invalid-program` for a runtime-sized element or a count that is not a positive integer.
 */
export function arrayType(element: WgslType, count: number | null): Extract<WgslType, { kind: 'array' }> {
  if (isRuntimeSized(element)) {
    throw invalidLayout(
      'An array element type is runtime-sized; only the outermost array, or a struct\'s last member, may be.',
      'give the inner array a fixed element count, such as array<array<f32, 4>>.',
      {},
    );
  }
  if (count !== null && (!Number.isInteger(count) || count < 1)) {
    throw invalidLayout(
      `An array has element count ${count}; WGSL array counts are positive integers.`,
      'write a positive count such as array<f32, 4>, or array<f32> for a runtime-sized array in a storage buffer.',
      { count },
    );
  }
  const stride = roundUp(element.align, element.size);
  return { kind: 'array', element, count, stride, size: count === null ? stride : count * stride, align: element.align };
}

/**
 * `struct name { … }`: each member sits at `roundUp(its alignment, end of the previous
 * member)`; the struct is aligned to its most aligned member and its size is the end of its
 * last member rounded up to that alignment. `@align(n)` replaces a member's alignment and
 * `@size(n)` the bytes it takes; both may only grow them (WGSL §14.4.1).
 * @param name - the struct's name.
 * @param members - the members in declaration order.
 * @returns its layout.
 * @throws VyreError `invalid-program` for no members, a runtime-sized member that is not the
 *   last, or an `@align`/`@size` the spec does not allow.
 */
export function structType(name: string, members: readonly StructMemberInput[]): Extract<WgslType, { kind: 'struct' }> {
  if (members.length === 0) {
    throw invalidLayout(`Struct ${name} has no members.`, 'give the struct at least one member.', { struct: name });
  }
  const placed: WgslMember[] = [];
  let end = 0;
  let align = 1;
  members.forEach((member, index) => {
    if (isRuntimeSized(member.type) && index !== members.length - 1) {
      throw invalidLayout(
        `Member ${name}.${member.name} is runtime-sized but not the struct's last member.`,
        'move the runtime-sized array to the end of the struct.',
        { struct: name, member: member.name },
      );
    }
    const memberAlign = memberAlignment(name, member);
    const offset = roundUp(memberAlign, end);
    placed.push({ name: member.name, type: member.type, offset });
    end = offset + memberSize(name, member);
    align = Math.max(align, memberAlign);
  });
  return { kind: 'struct', name, members: placed, size: roundUp(align, end), align };
}

/** AlignOfMember: `@align(n)` when given (a power of two, at least the type's own alignment). */
function memberAlignment(struct: string, member: StructMemberInput): number {
  const n = member.align;
  if (n === undefined) return member.type.align;
  if (!Number.isInteger(n) || n < 1 || (n & (n - 1)) !== 0 || n < member.type.align) {
    throw invalidLayout(
      `Member ${struct}.${member.name} has @align(${n}); it must be a power of two no smaller than its type's alignment (${member.type.align}).`,
      `write @align(${member.type.align}) or a larger power of two, or drop the attribute.`,
      { struct, member: member.name, align: n },
    );
  }
  return n;
}

/** SizeOfMember: `@size(n)` when given (at least the type's own size; not on a runtime-sized array). */
function memberSize(struct: string, member: StructMemberInput): number {
  const n = member.size;
  if (n === undefined) return member.type.size;
  if (isRuntimeSized(member.type) || !Number.isInteger(n) || n < member.type.size) {
    throw invalidLayout(
      `Member ${struct}.${member.name} has @size(${n}); it must be at least its type's size (${member.type.size}) and cannot apply to a runtime-sized array.`,
      `write @size(${member.type.size}) or larger, or drop the attribute.`,
      { struct, member: member.name, size: n },
    );
  }
  return n;
}

function invalidLayout(problem: string, fix: string, details: Record<string, string | number>): VyreError {
  return new VyreError('invalid-program', problem, fix, details);
}

/**
 * The one scalar type every leaf of `type` shares, walking structs, arrays, vectors,
 * matrices and atomics (an `atomic<u32>` is a u32); `null` when the leaves mix types.
 *
 * @example
 * ```ts
 * leafScalarOf(arrayOfVec4f);                  // 'f32'
 * leafScalarOf(struct { n: u32, x: f32 });     // null
 * ```
 */
export function leafScalarOf(type: WgslType): WgslScalar | null {
  // Asked on every dispatch that uploads or reads back a reflected binding; a type never changes.
  const known = leafScalars.get(type);
  if (known !== undefined) return known;
  const leaf = walkLeafScalar(type);
  leafScalars.set(type, leaf);
  return leaf;
}

const leafScalars = new WeakMap<WgslType, WgslScalar | null>();

function walkLeafScalar(type: WgslType): WgslScalar | null {
  const leaves = new Set<WgslScalar>();
  collectLeaves(type, leaves);
  const [only] = leaves;
  return leaves.size === 1 && only !== undefined ? only : null;
}

function collectLeaves(type: WgslType, into: Set<WgslScalar>): void {
  switch (type.kind) {
    case 'scalar':
    case 'vector':
    case 'matrix':
    case 'atomic':
      into.add(type.scalar);
      return;
    case 'array':
      collectLeaves(type.element, into);
      return;
    case 'struct':
      for (const member of type.members) collectLeaves(member.type, into);
      return;
    default:
      unreachable(type);
  }
}
