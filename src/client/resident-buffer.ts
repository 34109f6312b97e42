/**
 * The main thread's handle on a resident buffer: a GPU buffer that stays in the worker
 * between dispatches. Pass it to `dispatch` in place of an array; read it with
 * `runtime.read(handle)`; free it with `handle.destroy()`.
 */
import type { ResidentBufferRef } from '../protocol/resident.ts';
import type { ElementType } from '../program/types.ts';

export class ResidentBuffer {
  /** @internal */
  constructor(
    readonly ref: ResidentBufferRef,
    private readonly onDestroy: (ref: ResidentBufferRef) => Promise<void>,
  ) {}

  get type(): ElementType {
    return this.ref.type;
  }

  /** Element count. */
  get length(): number {
    return this.ref.length;
  }

  /** Frees the GPU buffer; later use of this handle rejects with `invalid-input`. */
  destroy(): Promise<void> {
    return this.onDestroy(this.ref);
  }
}

/** Replaces handles by their plain references, so the inputs can cross to the worker. */
export function toWireInputs(inputs: unknown): unknown {
  if (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs) || ArrayBuffer.isView(inputs)) return inputs;
  // The common case, arrays only, crosses as it is: no copy of the object per call.
  if (!Object.values(inputs).some((value) => value instanceof ResidentBuffer)) return inputs;
  const wire: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(inputs)) wire[name] = value instanceof ResidentBuffer ? value.ref : value;
  return wire;
}
