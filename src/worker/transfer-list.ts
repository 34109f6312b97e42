/**
 * What a reply moves back to the main thread instead of cloning: the buffers of its output
 * arrays, and the input buffers handed back for reuse (`recycle`).
 */
import { COPY_FROM_BYTES } from '../protocol/dispatch.ts';

/** The `ArrayBuffer`s to transfer: each typed array's buffer, and ArrayBuffers as they are; shared memory never. */
export function transferList(values: readonly unknown[]): ArrayBuffer[] {
  const buffers = values.map((value) => (ArrayBuffer.isView(value) ? value.buffer : value));
  return [...new Set(buffers.filter((buffer): buffer is ArrayBuffer => buffer instanceof ArrayBuffer))];
}

/** The distinct input `ArrayBuffer`s of a batch (typed arrays, raw pixels) of at least {@link COPY_FROM_BYTES}. */
export function recyclableBuffers(batch: readonly unknown[]): ArrayBuffer[] {
  const found = new Set<ArrayBuffer>();
  const consider = (value: unknown): void => {
    if (!ArrayBuffer.isView(value) || !(value.buffer instanceof ArrayBuffer) || value.buffer.byteLength < COPY_FROM_BYTES) return;
    found.add(value.buffer);
  };
  for (const inputs of batch) {
    if (typeof inputs !== 'object' || inputs === null) continue;
    for (const value of Object.values(inputs)) consider(typeof value === 'object' && value !== null && 'data' in value ? (value as { data: unknown }).data : value);
  }
  return [...found];
}
