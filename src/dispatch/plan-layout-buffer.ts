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
  /** Bytes to allocate, a multiple of 4 (WebGPU copies whole words), at least one element. */
  readonly byteLength: number;
  /**
   * Bytes that hold the caller's elements, to read back: `byteLength` except for a
   * runtime-sized array of zero elements, whose allocation is one element bigger.
   */
  readonly readBackBytes: number;
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
  if (isResidentBufferRef(value)) {
    const byteLength = value.length * ELEMENT_BYTES;
    return { length: elementCountOf(layout, byteLength), byteLength, readBackBytes: byteLength, packed: undefined, resident: value };
  }
  if (value !== undefined) {
    const bytes = bindingBytes(name, layout, value);
    const byteLength = wordAligned(Math.max(bytes.byteLength, minimumBytes(layout)));
    return { length: elementCountOf(layout, bytes.byteLength), byteLength, readBackBytes: wordAligned(bytes.byteLength), packed: padded(bytes, byteLength), resident: undefined };
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
  const contentBytes = wordAligned(byteLengthFor(layout, elements));
  return { length: elements, byteLength: Math.max(contentBytes, wordAligned(minimumBytes(layout))), readBackBytes: contentBytes, packed: undefined, resident: undefined };
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
