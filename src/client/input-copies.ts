/**
 * Large inputs cross to the worker as a copy made here and transferred, not by structured
 * clone. Chrome's clone of a 4 MiB typed array cost ≈6.7 ms on the development VM where a
 * copy plus transfer cost ≈3 ms, and its clone of a 1080p `ImageData` 10–13 ms on an H200
 * host (docs/benchmarks.md): a clone serializes and deserializes, a copy is one memcpy. The
 * caller's arrays are never touched; `transfer: true` (move yours) and `SharedArrayBuffer`
 * inputs (no copy at all) stay the fastest ways.
 */
import { isRawPixels } from './image-io.ts';
import type { DispatchInputs } from './runtime-types.ts';

/** Below this many bytes a structured clone is as cheap as a copy, and the copy is not made. */
export const COPY_FROM_BYTES = 64 * 1024;

/** `batch` (images already sendable: `withSendableImages`) with every large array or pixels replaced by a copy, and the copies' buffers to transfer. */
export function withMovableCopies(batch: readonly DispatchInputs[]): { batch: DispatchInputs[]; buffers: ArrayBuffer[] } {
  const buffers: ArrayBuffer[] = [];
  const copied = batch.map((inputs) => {
    if (typeof inputs !== 'object' || inputs === null) return inputs;
    let changed: Record<string, unknown> | undefined;
    for (const [name, value] of Object.entries(inputs)) {
      const copy = movableCopy(value);
      if (copy === undefined) continue;
      changed ??= { ...inputs };
      changed[name] = copy.value;
      buffers.push(copy.buffer);
    }
    return (changed ?? inputs) as DispatchInputs;
  });
  return { batch: copied, buffers };
}

function movableCopy(value: unknown): { value: unknown; buffer: ArrayBuffer } | undefined {
  if (isRawPixels(value)) {
    // Raw pixels (an ImageData arrives as them): the pixels copied, the rest as it is.
    const data = copyOf(value.data);
    return data === undefined ? undefined : { value: { ...value, data }, buffer: data.buffer as ArrayBuffer };
  }
  const data = copyOf(value);
  return data === undefined ? undefined : { value: data, buffer: data.buffer as ArrayBuffer };
}

/** A copy of a large typed array over an ordinary `ArrayBuffer`; `undefined` for anything else. */
function copyOf(value: unknown): Exclude<ArrayBufferView, DataView> | undefined {
  if (!ArrayBuffer.isView(value) || value instanceof DataView || value.byteLength < COPY_FROM_BYTES) return undefined;
  if (!(value.buffer instanceof ArrayBuffer)) return undefined; // shared memory crosses without a copy
  return (value as unknown as { slice(): Exclude<ArrayBufferView, DataView> }).slice();
}
