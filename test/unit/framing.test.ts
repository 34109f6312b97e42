/**
 * The tagged, length-prefixed framing under every cache key: fields that differ in any
 * way must frame differently, and nothing ambiguous may collide.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FrameWriter } from '../../src/hash/framing.ts';

const u32le = (value: number): Buffer => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value);
  return bytes;
};
const frame = (build: (writer: FrameWriter) => FrameWriter): string => build(new FrameWriter()).digestHex();

describe('FrameWriter', () => {
  it('gives the same digest for the same fields', () => {
    const build = (w: FrameWriter) => w.label('vyre-web/test/v1').string('x').u32(7).list(2).string('a').string('b');
    expect(frame(build)).toBe(frame(build));
  });

  it('digests to 64 lowercase hex characters: the SHA-256 of the framed bytes', () => {
    const writer = new FrameWriter().label('L').string('s').u32(1);
    const digest = writer.digestHex();
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(digest).toBe(createHash('sha256').update(writer.framed()).digest('hex'));
  });

  it('frames fields as the documented tag, little-endian length or value, and UTF-8 bytes', () => {
    const bytes = Array.from(new FrameWriter().label('ab').string('ü').u32(0x01020304).list(3).f64(1).framed());
    expect(bytes).toEqual([
      0x03, 2, 0, 0, 0, 0x61, 0x62, // label "ab"
      0x02, 2, 0, 0, 0, 0xc3, 0xbc, // string "ü" (two UTF-8 bytes)
      0x01, 0x04, 0x03, 0x02, 0x01, // u32 0x01020304
      0x04, 3, 0, 0, 0, // list of 3
      0x05, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, // f64 1.0
    ]);
  });

  it('changes when characters move between adjacent strings', () => {
    expect(frame((w) => w.string('ab').string('c'))).not.toBe(frame((w) => w.string('a').string('bc')));
    expect(frame((w) => w.string('abc').string(''))).not.toBe(frame((w) => w.string('').string('abc')));
  });

  it('keeps the string "1" apart from the number 1', () => {
    expect(frame((w) => w.string('1'))).not.toBe(frame((w) => w.u32(1)));
  });

  it('keeps a label apart from a string of the same text', () => {
    expect(frame((w) => w.label('vyre-web/x'))).not.toBe(frame((w) => w.string('vyre-web/x')));
  });

  it('counts list lengths: the same fields under a different count differ', () => {
    const fields = (w: FrameWriter) => w.string('a').string('b');
    expect(frame((w) => fields(w.list(2)))).not.toBe(frame((w) => fields(w.list(1))));
    expect(frame((w) => w.list(0).list(1))).not.toBe(frame((w) => w.list(1).list(0)));
  });

  it('keeps a list count apart from a u32 of the same value', () => {
    expect(frame((w) => w.list(2))).not.toBe(frame((w) => w.u32(2)));
  });

  it('is sensitive to the order of fields', () => {
    expect(frame((w) => w.u32(1).u32(2))).not.toBe(frame((w) => w.u32(2).u32(1)));
  });

  it.each([[0], [1], [255], [256], [0xffff_ffff]])('accepts the u32 %i', (value) => {
    expect(() => new FrameWriter().u32(value)).not.toThrow();
  });

  it('frames the u32 extremes distinctly', () => {
    expect(frame((w) => w.u32(0))).not.toBe(frame((w) => w.u32(0xffff_ffff)));
  });

  it.each([[1.5], [-1], [-0.5], [0x1_0000_0000], [Number.NaN], [Number.POSITIVE_INFINITY]])(
    'rejects %d as a u32 with a RangeError',
    (value) => {
      expect(() => new FrameWriter().u32(value)).toThrow(RangeError);
    },
  );

  it('frames a 100,000-character ASCII string and tells it apart from a one-character change', () => {
    const long = 'x'.repeat(100_000);
    const changed = `${long.slice(0, 50_000)}y${long.slice(50_001)}`;
    const writer = new FrameWriter().string(long);
    expect(writer.framed()).toHaveLength(5 + 100_000);
    expect(writer.digestHex()).not.toBe(frame((w) => w.string(changed)));
  });

  it('frames long non-ASCII text with its exact UTF-8 length', () => {
    const text = 'ü🚀'.repeat(40_000); // 2 + 4 UTF-8 bytes per repetition, 3 UTF-16 units
    const writer = new FrameWriter().label('l').string(text);
    const expected = Buffer.concat([
      Buffer.from([0x03, 1, 0, 0, 0]),
      Buffer.from('l'),
      Buffer.from([0x02]),
      u32le(240_000),
      Buffer.from(text, 'utf8'),
    ]);
    expect(Buffer.from(writer.framed()).equals(expected)).toBe(true);
    expect(writer.digestHex()).toBe(createHash('sha256').update(expected).digest('hex'));
  });

  it('tells long non-ASCII text apart from a slightly changed copy', () => {
    const text = 'ü'.repeat(50_000) + '🚀'.repeat(50_000);
    const changed = `${text.slice(0, -2)}🛸`;
    expect(frame((w) => w.string(text))).not.toBe(frame((w) => w.string(changed)));
    expect(frame((w) => w.string(text))).not.toBe(frame((w) => w.string(text.replace('ü', 'u'))));
  });

  it('grows past its initial buffer without losing earlier fields', () => {
    const writer = new FrameWriter().label('start');
    for (let i = 0; i < 200; i++) writer.u32(i).string(`name-${i}`);
    const framed = writer.framed();
    expect(Array.from(framed.subarray(0, 10))).toEqual([0x03, 5, 0, 0, 0, ...Buffer.from('start')]);
    // Last field: string "name-199".
    expect(Buffer.from(framed.subarray(framed.length - 8)).toString('utf8')).toBe('name-199');
  });

  it('frames f64 values by their bits, so 0 and -0 differ', () => {
    expect(frame((w) => w.f64(0))).not.toBe(frame((w) => w.f64(-0)));
    expect(frame((w) => w.f64(0.1 + 0.2))).not.toBe(frame((w) => w.f64(0.3)));
  });
});
