/**
 * Large read-backs land in memory made while the GPU works (src/gpu/landing.ts): the bytes
 * that arrive are the mapped range's, whether or not memory was made ahead.
 */
import { describe, expect, it } from 'vitest';
import { LAND_AHEAD_FROM_BYTES, copyOut, landAhead, touchedBuffer } from '../../src/gpu/landing.ts';

/** Stands in for a staging buffer: only its identity is used as a key. */
const stagingBuffer = (): GPUBuffer => ({}) as GPUBuffer;

function mappedRange(bytes: number): ArrayBuffer {
  const range = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) range[i] = (i * 7 + 3) & 0xff;
  return range.buffer;
}

describe('memory for large read-backs is made ahead', () => {
  it('only for read-backs of at least LAND_AHEAD_FROM_BYTES, each of its own size', () => {
    const small = stagingBuffer();
    const large = stagingBuffer();
    const landings = landAhead([
      { staging: small, bytes: LAND_AHEAD_FROM_BYTES - 4 },
      { staging: large, bytes: LAND_AHEAD_FROM_BYTES + 12 },
    ]);
    expect(landings.has(small)).toBe(false);
    expect(landings.get(large)?.byteLength).toBe(LAND_AHEAD_FROM_BYTES + 12);
  });

  it('a touched buffer is all zeros, of the size asked, including a size that is no whole number of pages', () => {
    const buffer = touchedBuffer(3 * 4096 + 5);
    expect(buffer.byteLength).toBe(3 * 4096 + 5);
    expect(new Uint8Array(buffer).every((byte) => byte === 0)).toBe(true);
  });
});

describe('copying out of a mapped range', () => {
  it('fills the landing with the first bytes of the range and returns it', () => {
    const range = mappedRange(64);
    const landing = new ArrayBuffer(48);
    const out = copyOut(range, 48, landing);
    expect(out).toBe(landing);
    expect([...new Uint8Array(out)]).toEqual([...new Uint8Array(range, 0, 48)]);
  });

  it('without a landing, or with one of another size, copies into new memory that outlives the range', () => {
    const range = mappedRange(64);
    for (const landing of [undefined, new ArrayBuffer(40)]) {
      const out = copyOut(range, 48, landing);
      expect(out).not.toBe(landing);
      expect(out.byteLength).toBe(48);
      new Uint8Array(range).fill(0);
      expect(new Uint8Array(out)[1]).toBe(10);
      new Uint8Array(range).set(new Uint8Array(mappedRange(64)));
    }
  });
});
