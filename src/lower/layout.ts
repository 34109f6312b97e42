/**
 * The binding layout of an IR Program, derived without lowering its body: which storage
 * buffers bind where, and where the params uniform goes. Lowering and the reference
 * interpreter both use it, so they size and bind buffers the same way.
 */
import type { IrBuffer, IrProgram } from '../protocol/ir.ts';
import type { BoundBuffer, ParamsLayout } from './artifact.ts';

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

/** How the dispatcher sees an IR buffer: `uniform` binds as `read`, `bool` travels as u32 words. */
export function toBoundBuffer(buffer: IrBuffer): BoundBuffer {
  const access = buffer.access === 'uniform' || buffer.access === 'workgroup' ? 'read' : buffer.access;
  const type = buffer.type === 'bool' ? 'u32' : buffer.type;
  const base = { name: buffer.name, binding: buffer.binding, access, type } as const;
  return buffer.sizing === undefined ? base : { ...base, sizing: buffer.sizing };
}
