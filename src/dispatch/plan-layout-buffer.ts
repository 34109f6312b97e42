/**
 * Planning of one buffer of a reflected WGSL module (a `BoundBuffer` with a `layout`): the
 * caller's value packed into the exact bytes by the WGSL layout rules, or a size for a
 * read_write buffer the caller left out. Sizes count elements of the binding's array type.
 */
import { VyreError } from '../errors.ts';
import type { BoundBuffer } from '../lower/artifact.ts';
import { ELEMENT_BYTES } from '../protocol/elements.ts';
import { isResidentBufferRef, type ResidentBufferRef } from '../protocol/resident.ts';
import type { WgslType } from '../protocol/wgsl-module.ts';
import { bindingBytes, byteLengthFor, elementCountOf, runtimeArrayOf } from './binding-bytes.ts';

/** What planning decided for a layout buffer. */
export interface LayoutBufferPlan {
  /** Elements of the binding's array type (1 for a fixed-footprint type). */
  readonly length: number;
  /** Bytes to allocate and read back, a multiple of 4 (WebGPU copies whole words). */
  readonly byteLength: number;
  /** The bytes to upload, padded to `byteLength`; absent when the buffer starts zero-filled. */
  readonly packed: Uint8Array | undefined;
  readonly resident: ResidentBufferRef | undefined;
}

/**
 * Plans `declaration` (which has a layout) from the caller's `value` (absent: undefined),
 * `options.outputs[name]` (`count`), or the first input's element count.
 * @throws VyreError `invalid-input`
 */
export function planLayoutBuffer(declaration: BoundBuffer & { readonly layout: WgslType }, value: unknown, count: number | undefined, firstCount: number | undefined): LayoutBufferPlan {
  const { layout, name } = declaration;
  // A resident buffer's length counts scalars of its type; the binding counts its own elements.
  if (isResidentBufferRef(value)) return { length: elementCountOf(layout, value.length * ELEMENT_BYTES), byteLength: value.length * ELEMENT_BYTES, packed: undefined, resident: value };
  if (value !== undefined) {
    const bytes = bindingBytes(name, layout, value);
    const byteLength = wordAligned(Math.max(bytes.byteLength, minimumBytes(layout)));
    return { length: elementCountOf(layout, bytes.byteLength), byteLength, packed: padded(bytes, byteLength), resident: undefined };
  }
  const elements = runtimeArrayOf(layout) === null ? elementCountOf(layout, layout.size) : count ?? firstCount;
  if (elements === undefined) {
    throw new VyreError(
      'invalid-input',
      `Cannot size the read_write buffer "${name}": it holds a runtime-sized array and no input was given to take its length from.`,
      `pass "${name}" itself, or { outputs: { ${name}: <element count> } } as dispatch options.`,
      { buffer: name },
    );
  }
  return { length: elements, byteLength: wordAligned(Math.max(byteLengthFor(layout, elements), minimumBytes(layout))), packed: undefined, resident: undefined };
}

/** WebGPU needs a binding of at least one element: the fixed part plus one stride. */
function minimumBytes(layout: WgslType): number {
  const runtime = runtimeArrayOf(layout);
  return runtime === null ? layout.size : runtime.offset + runtime.stride;
}

function wordAligned(bytes: number): number {
  return Math.ceil(bytes / ELEMENT_BYTES) * ELEMENT_BYTES;
}

/** `bytes` as they are when they fill `byteLength`; else a zero-padded copy. */
function padded(bytes: Uint8Array, byteLength: number): Uint8Array {
  if (bytes.byteLength === byteLength) return bytes;
  const copy = new Uint8Array(byteLength);
  copy.set(bytes);
  return copy;
}
