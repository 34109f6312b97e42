/**
 * The binding layout of an IR Program, derived without lowering its body: which storage
 * buffers bind where, and where the params uniform goes. Lowering and the reference
 * interpreter both use it, so they size and bind buffers the same way.
 */
import { componentOf, isVectorType, type ComponentType, type IrBuffer, type IrProgram, type ValueType, type VectorType } from '../protocol/ir.ts';
import type { ElementType } from '../protocol/elements.ts';
import type { WgslType } from '../protocol/wgsl-module.ts';
import { arrayType, vectorType } from '../program/wgsl-layout.ts';
import type { BoundBuffer, ParamsLayout } from './artifact.ts';
import { vectorWidth } from './wgsl-vector-helpers.ts';

/** Storage buffers (everything but workgroup memory), in binding order. */
export function boundBuffersOf(program: IrProgram): IrBuffer[] {
  return program.buffers.filter((buffer) => buffer.access !== 'workgroup').sort((a, b) => a.binding - b.binding);
}

/** The params uniform binds right after the highest storage binding. */
export function paramsLayoutOf(program: IrProgram): ParamsLayout | undefined {
  if (program.params.length === 0) return undefined;
  const binding = boundBuffersOf(program).reduce((max, buffer) => Math.max(max, buffer.binding), -1) + 1;
  return { binding, fields: program.params, byteSize: Math.ceil((program.params.length * 4) / 16) * 16 };
}

/**
 * How the dispatcher sees an IR buffer: `uniform` binds as `read`, `bool` travels as u32
 * words. A vector buffer is `array<vecN<T>>` and says so with a `layout`, as a reflected
 * WGSL buffer does: the dispatch path then takes and returns flat arrays of its component
 * type `T` (N per vector), refuses a length that is not a multiple of N, and counts
 * lengths in vectors, as `arrayLength` does.
 */
export function toBoundBuffer(buffer: IrBuffer): BoundBuffer {
  const access = buffer.access === 'uniform' || buffer.access === 'workgroup' ? 'read' : buffer.access;
  const layout = isVectorType(buffer.type) ? { layout: vectorArrayLayout(buffer.type) } : {};
  const base = { name: buffer.name, binding: buffer.binding, access, type: elementTypeOf(buffer.type), ...layout } as const;
  return buffer.sizing === undefined ? base : { ...base, sizing: buffer.sizing };
}

/** The scalar a bound buffer's host array holds: a vector's component, u32 words for `bool`. */
function elementTypeOf(type: ValueType): ElementType {
  if (isVectorType(type)) return componentOf(type) as ComponentType;
  return type === 'bool' ? 'u32' : type;
}

/**
 * `array<vecN<T>>`, runtime-sized, by WGSL's layout rules: a stride of 8 bytes for `vec2`
 * and 16 for `vec4`, no padding (`vec3` is not an IR type). IR `uniform` buffers bind as
 * read-only storage, so the uniform address space's 16-byte array stride never applies.
 */
export function vectorArrayLayout(type: VectorType): WgslType {
  return arrayType(vectorType(componentOf(type) as ComponentType, vectorWidth(type)), null);
}
