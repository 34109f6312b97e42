/**
 * Large inputs cross to the worker as a copy made here and transferred, not by structured
 * clone. Chrome's clone of a 4 MiB typed array cost ≈6.7 ms on the development VM where a
 * copy plus transfer cost ≈3 ms, and its clone of a 1080p `ImageData` 10–13 ms on an H200
 * host (docs/benchmarks.md): a clone serializes and deserializes, a copy is one memcpy. The
 * caller's arrays are never touched; `transfer: true` (move yours) and `SharedArrayBuffer`
 * inputs (no copy at all) stay the fastest ways.
 *
 * The worker moves the copies back once it has uploaded them (`recycle`), and the next copy
 * of the same size goes into one of those: memory that is already allocated and touched,
 * where a fresh buffer costs a zero-fill and page faults on every dispatch (and feeds the GC).
 */
import { COPY_FROM_BYTES } from '../protocol/dispatch.ts';
import { isRawPixels } from './image-io.ts';
import type { DispatchInputs } from './runtime-types.ts';

/** Buffers the worker gave back, by size, for the next copies; at most `maxBytes` in all, oldest dropped first. */
export class CopyPool {
  readonly #bySize = new Map<number, ArrayBuffer[]>();
  readonly #order: ArrayBuffer[] = [];
  #bytes = 0;

  constructor(readonly maxBytes = 64 * 1024 * 1024) {}

  /** A pooled buffer of exactly `byteLength` bytes, or `undefined`. */
  take(byteLength: number): ArrayBuffer | undefined {
    const buffer = this.#bySize.get(byteLength)?.pop();
    if (buffer === undefined) return undefined;
    this.#order.splice(this.#order.indexOf(buffer), 1);
    this.#bytes -= byteLength;
    return buffer;
  }

  /** Keeps `buffers` (skipping detached or small ones) for later copies. */
  give(buffers: readonly ArrayBuffer[]): void {
    for (const buffer of buffers) {
      if (!(buffer instanceof ArrayBuffer) || buffer.byteLength < COPY_FROM_BYTES || buffer.byteLength > this.maxBytes) continue;
      const list = this.#bySize.get(buffer.byteLength) ?? [];
      list.push(buffer);
      this.#bySize.set(buffer.byteLength, list);
      this.#order.push(buffer);
      this.#bytes += buffer.byteLength;
    }
    while (this.#bytes > this.maxBytes) this.#drop(this.#order.shift()!);
  }

  /** Bytes held. */
  get bytes(): number {
    return this.#bytes;
  }

  #drop(buffer: ArrayBuffer): void {
    const list = this.#bySize.get(buffer.byteLength)!;
    list.splice(list.indexOf(buffer), 1);
    this.#bytes -= buffer.byteLength;
  }
}

/** `batch` (images already sendable: `withSendableImages`) with every large array or pixels replaced by a copy, and the copies' buffers to transfer. */
export function withMovableCopies(batch: readonly DispatchInputs[], pool: CopyPool): { batch: DispatchInputs[]; buffers: ArrayBuffer[] } {
  const buffers: ArrayBuffer[] = [];
  const copied = batch.map((inputs) => {
    if (typeof inputs !== 'object' || inputs === null) return inputs;
    let changed: Record<string, unknown> | undefined;
    for (const [name, value] of Object.entries(inputs)) {
      const copy = movableCopy(value, pool);
      if (copy === undefined) continue;
      changed ??= { ...inputs };
      changed[name] = copy.value;
      buffers.push(copy.buffer);
    }
    return (changed ?? inputs) as DispatchInputs;
  });
  return { batch: copied, buffers };
}

function movableCopy(value: unknown, pool: CopyPool): { value: unknown; buffer: ArrayBuffer } | undefined {
  if (isRawPixels(value)) {
    // Raw pixels (an ImageData arrives as them): the pixels copied, the rest as it is.
    const data = copyOf(value.data, pool);
    return data === undefined ? undefined : { value: { ...value, data }, buffer: data.buffer as ArrayBuffer };
  }
  const data = copyOf(value, pool);
  return data === undefined ? undefined : { value: data, buffer: data.buffer as ArrayBuffer };
}

type CopyableView = Exclude<ArrayBufferView, DataView>;

/** A copy of a large typed array over an ordinary `ArrayBuffer` (a pooled one when there is one); `undefined` for anything else. */
function copyOf(value: unknown, pool: CopyPool): CopyableView | undefined {
  if (!ArrayBuffer.isView(value) || value instanceof DataView || value.byteLength < COPY_FROM_BYTES) return undefined;
  if (!(value.buffer instanceof ArrayBuffer)) return undefined; // shared memory crosses without a copy
  const view = value as unknown as CopyableView & { constructor: new (buffer: ArrayBuffer) => CopyableView };
  const target = pool.take(view.byteLength);
  if (target === undefined) return (view as unknown as { slice(): CopyableView }).slice();
  new Uint8Array(target).set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
  return new view.constructor(target);
}
