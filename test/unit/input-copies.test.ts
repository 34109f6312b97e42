/**
 * How large inputs cross to the worker: copied here and moved (the caller's arrays never
 * change), and the copies' memory, moved back by the worker, reused for the next copies of
 * the same size within a bound.
 */
import { describe, expect, it } from 'vitest';
import { CopyPool, withMovableCopies } from '../../src/client/input-copies.ts';
import { COPY_FROM_BYTES } from '../../src/protocol/dispatch.ts';

const LARGE = COPY_FROM_BYTES / 4; // f32 elements in the smallest copied array

describe('withMovableCopies', () => {
  it('copies large typed arrays and raw pixels, leaves small ones, shared ones and the caller\'s arrays alone', () => {
    const x = Float32Array.from({ length: LARGE }, (_, i) => i);
    const small = new Float32Array(16);
    const shared = new Float32Array(new SharedArrayBuffer(COPY_FROM_BYTES));
    const pixels = { data: new Uint8ClampedArray(COPY_FROM_BYTES), width: 128, height: 128 };
    const { batch, buffers } = withMovableCopies([{ x, small, shared, pixels }], new CopyPool());
    const item = batch[0] as Record<string, unknown>;
    expect(item['x']).not.toBe(x);
    expect(Array.from(item['x'] as Float32Array)).toEqual(Array.from(x));
    expect(item['small']).toBe(small);
    expect(item['shared']).toBe(shared);
    expect((item['pixels'] as typeof pixels).data).not.toBe(pixels.data);
    expect((item['pixels'] as typeof pixels).width).toBe(128);
    expect(buffers).toEqual([(item['x'] as Float32Array).buffer, (item['pixels'] as typeof pixels).data.buffer]);
    expect(x.buffer.byteLength).toBe(COPY_FROM_BYTES); // not detached, not changed
  });

  it('copies into a buffer given back by the worker when one of the same size is pooled, with the right contents and type', () => {
    const pool = new CopyPool();
    const returned = new ArrayBuffer(COPY_FROM_BYTES);
    new Uint8Array(returned).fill(0xff); // stale contents that must be overwritten
    pool.give([returned]);
    const x = Int32Array.from({ length: LARGE }, (_, i) => -i);
    const { batch, buffers } = withMovableCopies([{ x }], pool);
    const copy = (batch[0] as Record<string, Int32Array>)['x']!;
    expect(copy.buffer).toBe(returned);
    expect(copy).toBeInstanceOf(Int32Array);
    expect(Array.from(copy)).toEqual(Array.from(x));
    expect(buffers).toEqual([returned]);
    expect(pool.bytes).toBe(0);
  });

  it('copies a view at an offset into the pooled buffer without the bytes around it', () => {
    const pool = new CopyPool();
    pool.give([new ArrayBuffer(COPY_FROM_BYTES)]);
    const backing = new Float32Array(LARGE + 8).map((_, i) => i);
    const view = backing.subarray(4, 4 + LARGE);
    const copy = (withMovableCopies([{ view }], pool).batch[0] as Record<string, Float32Array>)['view']!;
    expect(copy.length).toBe(LARGE);
    expect(copy[0]).toBe(4);
    expect(copy[LARGE - 1]).toBe(LARGE + 3);
  });
});

describe('CopyPool', () => {
  it('hands out only buffers of exactly the size asked for, each once', () => {
    const pool = new CopyPool();
    const a = new ArrayBuffer(COPY_FROM_BYTES);
    const b = new ArrayBuffer(2 * COPY_FROM_BYTES);
    pool.give([a, b]);
    expect(pool.take(3 * COPY_FROM_BYTES)).toBeUndefined();
    expect(pool.take(2 * COPY_FROM_BYTES)).toBe(b);
    expect(pool.take(2 * COPY_FROM_BYTES)).toBeUndefined();
    expect(pool.take(COPY_FROM_BYTES)).toBe(a);
    expect(pool.bytes).toBe(0);
  });

  it('keeps at most maxBytes, dropping the oldest first, and skips small or detached buffers', () => {
    const pool = new CopyPool(2 * COPY_FROM_BYTES);
    const [first, second, third] = [0, 1, 2].map(() => new ArrayBuffer(COPY_FROM_BYTES));
    const detached = new ArrayBuffer(COPY_FROM_BYTES);
    structuredClone(detached, { transfer: [detached] });
    pool.give([first!, second!, new ArrayBuffer(16), detached]);
    pool.give([third!]);
    expect(pool.bytes).toBe(2 * COPY_FROM_BYTES);
    expect([pool.take(COPY_FROM_BYTES), pool.take(COPY_FROM_BYTES), pool.take(COPY_FROM_BYTES)]).toEqual([third, second, undefined]);
  });
});
