/**
 * The main thread's handle on a resident buffer: a GPU buffer that stays in the worker
 * between dispatches. Pass it to `dispatch` in place of an array; read it with
 * `runtime.read(handle)`; free it with `handle.destroy()`.
 */
import { isResidentTextureRef, type ResidentTextureRef, type WireImage } from '../protocol/images.ts';
import { ResidentTexture } from './resident-texture.ts';
import type { WireInputs, WireOutputs } from '../protocol/dispatch.ts';
import type { ElementType, OutputArray } from '../protocol/elements.ts';
import { isResidentBufferRef, type ResidentBufferRef } from '../protocol/resident.ts';

/** A GPU buffer that stays in the worker between dispatches. */
export class ResidentBuffer {
  /** The plain reference that crosses the worker boundary. */
  readonly ref: ResidentBufferRef;
  readonly #onDestroy: (ref: ResidentBufferRef) => Promise<void>;

  /** @internal Handles are made by `runtime.createBuffer` and by dispatches with `keep`. */
  constructor(ref: ResidentBufferRef, onDestroy: (ref: ResidentBufferRef) => Promise<void>) {
    this.ref = ref;
    this.#onDestroy = onDestroy;
  }

  /** Element type. */
  get type(): ElementType {
    return this.ref.type;
  }

  /** Element count. */
  get length(): number {
    return this.ref.length;
  }

  /** Frees the GPU buffer; later use of this handle rejects with `invalid-input`. */
  destroy(): Promise<void> {
    return this.#onDestroy(this.ref);
  }
}

/** Replaces handles by their plain references, so the inputs can cross to the worker. */
export function toWireInputs(inputs: Readonly<Record<string, unknown>>): WireInputs {
  // The common case, arrays only, crosses as it is: no copy of the object per call. An
  // untyped caller's non-object also crosses as it is, for the worker to reject clearly.
  if (typeof inputs !== 'object' || inputs === null || !Object.values(inputs).some((value) => value instanceof ResidentBuffer || value instanceof ResidentTexture)) return inputs as WireInputs;
  const wire: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(inputs)) wire[name] = value instanceof ResidentBuffer || value instanceof ResidentTexture ? value.ref : value;
  return wire as WireInputs;
}

/**
 * Kept outputs become handles: the caller's own handle when the output was kept in place
 * (a resident input written by the kernel), a new one otherwise.
 */
export function fromWireOutputs(
  outputs: WireOutputs,
  inputs: Readonly<Record<string, unknown>> | undefined,
  onDestroy: (ref: ResidentBufferRef) => Promise<void>,
  onDestroyTexture: (ref: ResidentTextureRef) => Promise<void> = () => Promise.resolve(),
): Record<string, OutputArray | ResidentBuffer | WireImage | ResidentTexture> {
  // Arrays only (nothing kept): the reply's own fresh object is the result.
  if (!Object.values(outputs).some((value) => isResidentBufferRef(value) || isResidentTextureRef(value))) return outputs as Record<string, OutputArray | WireImage>;
  const wrapped: Record<string, OutputArray | ResidentBuffer | WireImage | ResidentTexture> = {};
  for (const [name, value] of Object.entries(outputs)) {
    if (isResidentTextureRef(value)) {
      wrapped[name] = new ResidentTexture(value, onDestroyTexture);
      continue;
    }
    if (!isResidentBufferRef(value)) {
      wrapped[name] = value;
      continue;
    }
    const passed = inputs?.[name];
    wrapped[name] = passed instanceof ResidentBuffer && passed.ref.id === value.id ? passed : new ResidentBuffer(value, onDestroy);
  }
  return wrapped;
}
