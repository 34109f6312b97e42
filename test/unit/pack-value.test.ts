/**
 * Plain values packed into WGSL bytes: every struct member at its offset, every array
 * element at its stride, vec3 padding and matrix columns where WGSL puts them, f16 rounded
 * to nearest even, and every caller mistake named by its field path and expected type.
 *
 * Every layout below is written out by hand from the WGSL rules
 * (https://www.w3.org/TR/WGSL/#memory-layouts), with its derivation beside it:
 *   AlignOf / SizeOf: f32, i32, u32 → 4 / 4; f16 → 2 / 2; vec2<T> → 2·s / 2·s;
 *   vec3<T> and vec4<T> → 4·s / n·s (s = scalar size); matCxR → AlignOf(vecR) /
 *   C · roundUp(AlignOf(vecR), SizeOf(vecR)); array<E, n> stride roundUp(AlignOf(E), SizeOf(E));
 *   struct member offset = roundUp(AlignOf(member), end of previous member);
 *   struct align = max member align; struct size = roundUp(align, end of last member).
 * Expected bytes are computed from these offsets, never copied from output.
 */
import { describe, expect, it } from 'vitest';
import type { WgslType } from '../../src/protocol/wgsl-module.ts';
import { float16Bits } from '../../src/dispatch/float16.ts';
import { packValue, wgslTypeName } from '../../src/dispatch/pack-value.ts';
import { thrownBy } from './support/thrown-by.ts';
import { F32, I32, U32, F16, VEC2F, VEC3F, ATOMIC_U32, PARAMS, LIGHT } from './support/wgsl-layouts.ts';
import { fromHalfBits } from '../support/half-float.ts';

// ── Leaf types ──────────────────────────────────────────────────────────────────────
const BOOL: WgslType = { kind: 'scalar', scalar: 'bool', size: 4, align: 4 };
/** vec3h: 3 × 2 = 6 bytes, aligned like vec4h, to 8. */
const VEC3H: WgslType = { kind: 'vector', scalar: 'f16', components: 3, size: 6, align: 8 };
/** mat3x3f: 3 vec3f columns, each at roundUp(16, 12) = 16 bytes → 48 bytes, align 16; column c at 16·c. */
const MAT3X3F: WgslType = { kind: 'matrix', scalar: 'f32', columns: 3, rows: 3, size: 48, align: 16 };
/** mat2x3h: 2 vec3h columns, each at roundUp(8, 6) = 8 bytes → 16 bytes, align 8. */
const MAT2X3H: WgslType = { kind: 'matrix', scalar: 'f16', columns: 2, rows: 3, size: 16, align: 8 };

// ── Structs ─────────────────────────────────────────────────────────────────────────
/** struct Segment { a: vec3f, b: vec3f }: a at 0, b at roundUp(16, 12) = 16; size roundUp(16, 28) = 32. */
const SEGMENT: WgslType = {
  kind: 'struct',
  name: 'Segment',
  members: [
    { name: 'a', type: VEC3F, offset: 0 },
    { name: 'b', type: VEC3F, offset: 16 },
  ],
  size: 32,
  align: 16,
};

/** struct Inner { x: f32, y: vec2f }: x at 0, y at roundUp(8, 4) = 8; align 8, size roundUp(8, 16) = 16. */
const INNER: WgslType = {
  kind: 'struct',
  name: 'Inner',
  members: [
    { name: 'x', type: F32, offset: 0 },
    { name: 'y', type: VEC2F, offset: 8 },
  ],
  size: 16,
  align: 8,
};

/** struct Outer { k: u32, inner: Inner, z: f32 }: k at 0, inner at roundUp(8, 4) = 8, z at 8 + 16 = 24; size roundUp(8, 28) = 32. */
const OUTER: WgslType = {
  kind: 'struct',
  name: 'Outer',
  members: [
    { name: 'k', type: U32, offset: 0 },
    { name: 'inner', type: INNER, offset: 8 },
    { name: 'z', type: F32, offset: 24 },
  ],
  size: 32,
  align: 8,
};

/** array<vec2f, 3>: stride roundUp(8, 8) = 8, size 3 × 8 = 24, align 8. */
const VEC2F_X3: WgslType = { kind: 'array', element: VEC2F, count: 3, stride: 8, size: 24, align: 8 };

/**
 * struct Path { count: u32, pts: array<vec2f, 3> } (a storage struct: in a uniform an
 * array's stride must be a multiple of 16): count at 0, pts at roundUp(8, 4) = 8;
 * size roundUp(8, 8 + 24) = 32.
 */
const PATH: WgslType = {
  kind: 'struct',
  name: 'Path',
  members: [
    { name: 'count', type: U32, offset: 0 },
    { name: 'pts', type: VEC2F_X3, offset: 8 },
  ],
  size: 32,
  align: 8,
};

/** struct Halves { h: f16, v: vec3h, s: f32 }: h at 0, v at roundUp(8, 2) = 8, s at roundUp(4, 8 + 6) = 16; align 8, size roundUp(8, 20) = 24. */
const HALVES: WgslType = {
  kind: 'struct',
  name: 'Halves',
  members: [
    { name: 'h', type: F16, offset: 0 },
    { name: 'v', type: VEC3H, offset: 8 },
    { name: 's', type: F32, offset: 16 },
  ],
  size: 24,
  align: 8,
};

/** struct Signed { i: i32 }: one i32 at 0, size 4. */
const SIGNED: WgslType = { kind: 'struct', name: 'Signed', members: [{ name: 'i', type: I32, offset: 0 }], size: 4, align: 4 };

/** struct Counter { count: atomic<u32> }: at 0, size 4. */
const COUNTER: WgslType = { kind: 'struct', name: 'Counter', members: [{ name: 'count', type: ATOMIC_U32, offset: 0 }], size: 4, align: 4 };

/** array<vec2f>: runtime-sized; stride 8, and `size` is one element's stride, 8. */
const VEC2F_RUNTIME: WgslType = { kind: 'array', element: VEC2F, count: null, stride: 8, size: 8, align: 8 };

/**
 * struct Cloud { n: u32, pts: array<vec2f> }: n at 0, pts at roundUp(8, 4) = 8, stride 8;
 * with k points the binding is 8 + 8k bytes (what arrayLength() counts back to k).
 */
const CLOUD: WgslType = {
  kind: 'struct',
  name: 'Cloud',
  members: [
    { name: 'n', type: U32, offset: 0 },
    { name: 'pts', type: VEC2F_RUNTIME, offset: 8 },
  ],
  size: 16,
  align: 8,
};

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The little-endian f32 bits of `x`, computed independently of the code under test. */
function f32Bits(x: number): number {
  return new Uint32Array(new Float32Array([x]).buffer)[0] ?? -1;
}

function expectFieldError(run: () => unknown, binding: string, field: string, expected: string) {
  const error = thrownBy(run);
  expect(error.code).toBe('invalid-input');
  expect(error.details).toMatchObject({ buffer: binding, field, expected });
  expect(error.message).toContain(`"${binding}"`);
  expect(error.message).toContain(field);
  expect(error.message).toMatch(/ Fix: .+$/);
  return error;
}

describe('packValue: WGSL layout', () => {
  it('packs a uniform params struct { N: u32, D: u32, eps: f32 } into 12 bytes at offsets 0, 4, 8', () => {
    const bytes = packValue('params', PARAMS, { N: 4, D: 192, eps: 1e-5 });
    expect(bytes.byteLength).toBe(12);
    const view = viewOf(bytes);
    expect(view.getUint32(0, true)).toBe(4);
    expect(view.getUint32(4, true)).toBe(192);
    // 1e-5 = 1.31072 × 2⁻¹⁷: exponent 127 − 17 = 110 = 0x6E, mantissa round(0.31072 × 2²³) = 2606508 = 0x27C5AC.
    expect(view.getUint32(8, true)).toBe(0x3727c5ac);
    // Little-endian: N = 4 is the byte 04 then three zeros; D = 192 is C0 00 00 00.
    expect([...bytes.subarray(0, 8)]).toEqual([4, 0, 0, 0, 0xc0, 0, 0, 0]);
  });

  it('places an f32 after a vec3f at byte 12, inside the vec3f\'s 16-byte alignment', () => {
    const bytes = packValue('light', LIGHT, { a: [1, 2, 3], b: 4 });
    expect(bytes.byteLength).toBe(16);
    const view = viewOf(bytes);
    expect([0, 4, 8, 12].map((offset) => view.getFloat32(offset, true))).toEqual([1, 2, 3, 4]);
  });

  it('pads a vec3f to 16 bytes before a following vec3f, and leaves the padding zero', () => {
    const bytes = packValue('seg', SEGMENT, { a: [1, 2, 3], b: [4, 5, 6] });
    expect(bytes.byteLength).toBe(32);
    const view = viewOf(bytes);
    expect([0, 4, 8].map((offset) => view.getFloat32(offset, true))).toEqual([1, 2, 3]);
    expect(view.getUint32(12, true)).toBe(0); // padding between a (ends at 12) and b (starts at 16)
    expect([16, 20, 24].map((offset) => view.getFloat32(offset, true))).toEqual([4, 5, 6]);
    expect(view.getUint32(28, true)).toBe(0); // tail padding up to the struct size 32
  });

  it('packs a nested struct at its own aligned offset, its members at offsets relative to it', () => {
    const bytes = packValue('o', OUTER, { k: 7, inner: { x: 1.5, y: [2.5, 3.5] }, z: 4.5 });
    expect(bytes.byteLength).toBe(32);
    const view = viewOf(bytes);
    expect(view.getUint32(0, true)).toBe(7);
    expect(view.getUint32(4, true)).toBe(0); // padding: inner aligns to 8
    expect(view.getFloat32(8, true)).toBe(1.5); // inner.x at 8 + 0
    expect(view.getUint32(12, true)).toBe(0); // padding inside Inner: y aligns to 8
    expect(view.getFloat32(16, true)).toBe(2.5); // inner.y at 8 + 8
    expect(view.getFloat32(20, true)).toBe(3.5);
    expect(view.getFloat32(24, true)).toBe(4.5); // z at 24
    expect(view.getUint32(28, true)).toBe(0); // tail padding to 32
  });

  it('packs a fixed array of vec2f inside a struct at its 8-byte stride', () => {
    const bytes = packValue('path', PATH, { count: 3, pts: [[1, 2], [3, 4], [5, 6]] });
    expect(bytes.byteLength).toBe(32);
    const view = viewOf(bytes);
    expect(view.getUint32(0, true)).toBe(3);
    // pts[i] at 8 + 8i: components at 8 + 8i and 12 + 8i.
    expect([8, 12, 16, 20, 24, 28].map((offset) => view.getFloat32(offset, true))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('accepts a numeric typed array, read as numbers, for a vector or a fixed array of scalars', () => {
    const fromArray = packValue('light', LIGHT, { a: [1, 2, 3], b: 4 });
    const fromTyped = packValue('light', LIGHT, { a: new Float64Array([1, 2, 3]), b: 4 });
    expect([...fromTyped]).toEqual([...fromArray]);
  });

  it('packs a mat3x3f as columns at bytes 0, 16 and 32, given as columns or as 9 numbers column-major', () => {
    const columns = packValue('m', MAT3X3F, [[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    const flat = packValue('m', MAT3X3F, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(columns.byteLength).toBe(48);
    expect([...flat]).toEqual([...columns]);
    const view = viewOf(columns);
    // Element (column c, row r) at 16c + 4r; bytes 12, 28 and 44 are each column's padding.
    for (let c = 0; c < 3; c++) {
      for (let r = 0; r < 3; r++) expect(view.getFloat32(16 * c + 4 * r, true)).toBe(3 * c + r + 1);
      expect(view.getUint32(16 * c + 12, true)).toBe(0);
    }
  });

  it('packs an f16 matrix with columns 8 bytes apart (vec3h aligns to 8)', () => {
    const bytes = packValue('m', MAT2X3H, [[1, 2, 3], [4, 5, 6]]);
    expect(bytes.byteLength).toBe(16);
    const view = viewOf(bytes);
    // 1 = 0x3C00, 2 = 0x4000, 3 = 1.5 × 2¹ = 0x4200; 4 = 0x4400, 5 = 1.25 × 2² = 0x4500, 6 = 1.5 × 2² = 0x4600.
    expect([0, 2, 4, 8, 10, 12].map((offset) => view.getUint16(offset, true))).toEqual([0x3c00, 0x4000, 0x4200, 0x4400, 0x4500, 0x4600]);
    expect(view.getUint16(6, true)).toBe(0); // column 0 padding
    expect(view.getUint16(14, true)).toBe(0); // column 1 padding
  });

  it('packs f16 fields as half-float bits: a 2-byte scalar, a vec3h at 8, then an f32 at 16', () => {
    const bytes = packValue('halves', HALVES, { h: 1, v: [65504, -2, 0.1], s: 0.5 });
    expect(bytes.byteLength).toBe(24);
    const view = viewOf(bytes);
    expect(view.getUint16(0, true)).toBe(0x3c00); // 1.0: exponent 15 → 0b01111 << 10
    // 65504 = 0x7BFF (largest finite half); -2 = sign | (16 << 10) = 0xC000;
    // 0.1 = 1.6 × 2⁻⁴: exponent 11 << 10 = 0x2C00, mantissa round(0.6 × 1024 = 614.4) = 614 = 0x266.
    expect([8, 10, 12].map((offset) => view.getUint16(offset, true))).toEqual([0x7bff, 0xc000, 0x2e66]);
    expect(view.getUint32(16, true)).toBe(0x3f000000); // 0.5 as f32: exponent 126 << 23
    expect([...bytes.subarray(2, 8)]).toEqual([0, 0, 0, 0, 0, 0]); // padding before v
  });

  it('packs an atomic<u32> field like a u32', () => {
    expect([...packValue('c', COUNTER, { count: 0x01020304 })]).toEqual([4, 3, 2, 1]);
  });

  it('sizes a struct ending in a runtime-sized array by the points given: 8 + 8k bytes', () => {
    const bytes = packValue('cloud', CLOUD, { n: 2, pts: [[1, 2], [3, 4]] });
    expect(bytes.byteLength).toBe(24);
    const view = viewOf(bytes);
    expect(view.getUint32(0, true)).toBe(2);
    expect([8, 12, 16, 20].map((offset) => view.getFloat32(offset, true))).toEqual([1, 2, 3, 4]);
    expect(packValue('cloud', CLOUD, { n: 0, pts: [] }).byteLength).toBe(8);
  });

  it('packs a bare scalar or vector binding from a number or an array', () => {
    expect([...packValue('n', U32, 258)]).toEqual([2, 1, 0, 0]); // 258 = 0x102
    expect(viewOf(packValue('v', VEC3F, [1, 2, 3])).getFloat32(8, true)).toBe(3);
    expect(packValue('v', VEC3F, [1, 2, 3]).byteLength).toBe(12); // SizeOf(vec3f) = 12
  });

  it('keeps NaN and ±Infinity as f32 bits, since they are valid values', () => {
    const view = viewOf(packValue('light', LIGHT, { a: [Number.NaN, Infinity, -Infinity], b: -0 }));
    expect(view.getUint32(0, true) & 0x7f800000).toBe(0x7f800000); // exponent all ones …
    expect(view.getUint32(0, true) & 0x007fffff).not.toBe(0); // … and a non-zero mantissa: NaN
    expect(view.getUint32(4, true)).toBe(0x7f800000);
    expect(view.getUint32(8, true)).toBe(0xff800000);
    expect(view.getUint32(12, true)).toBe(0x80000000); // -0 keeps its sign
  });

  it('rounds an f32 field to nearest, like Math.fround', () => {
    expect(viewOf(packValue('params', PARAMS, { N: 0, D: 0, eps: 0.1 })).getUint32(8, true)).toBe(f32Bits(0.1));
  });
});

describe('packValue: mistakes named by field path and expected type', () => {
  it.each([
    ['a negative number', -1],
    ['a fraction', 1.5],
    ['a number past 2³² − 1', 2 ** 32],
    ['a string', '4'],
    ['a boolean', true],
  ])('refuses %s for a u32 field, naming params.N and u32', (_, N) => {
    expectFieldError(() => packValue('params', PARAMS, { N, D: 1, eps: 0 }), 'params', 'params.N', 'u32');
  });

  it('refuses an i32 outside -2³¹ … 2³¹ − 1', () => {
    expectFieldError(() => packValue('s', SIGNED, { i: 2 ** 31 }), 's', 's.i', 'i32');
    expect(viewOf(packValue('s', SIGNED, { i: -(2 ** 31) })).getInt32(0, true)).toBe(-(2 ** 31));
  });

  it('names a missing field and the type it expects', () => {
    const error = expectFieldError(() => packValue('params', PARAMS, { N: 4, eps: 0 }), 'params', 'params.D', 'u32');
    expect(error.message).toContain('missing');
  });

  it('names an unknown field, before the missing one it probably misspells', () => {
    const error = expectFieldError(() => packValue('params', PARAMS, { N: 4, D: 1, epsilon: 0 }), 'params', 'params.epsilon', 'Params');
    expect(error.message).toContain('N, D, eps');
  });

  it('names the path through nested structs', () => {
    expectFieldError(() => packValue('o', OUTER, { k: 1, inner: { x: 1, y: [1] }, z: 0 }), 'o', 'o.inner.y', 'vec2f');
  });

  it('names an array element by index, and a vector component by index', () => {
    expectFieldError(() => packValue('path', PATH, { count: 1, pts: [[1, 2], ['x', 4], [5, 6]] }), 'path', 'path.pts[1][0]', 'f32');
  });

  it('refuses a fixed array of the wrong length', () => {
    expectFieldError(() => packValue('path', PATH, { count: 1, pts: [[1, 2], [3, 4]] }), 'path', 'path.pts', 'array<vec2f, 3>');
  });

  it('refuses a non-object for a struct', () => {
    expectFieldError(() => packValue('o', OUTER, { k: 1, inner: 5, z: 0 }), 'o', 'o.inner', 'Inner');
    expectFieldError(() => packValue('params', PARAMS, [4, 192, 0]), 'params', 'params', 'Params');
  });

  it('refuses a matrix that is neither 3 columns of 3 nor 9 numbers', () => {
    expectFieldError(() => packValue('m', MAT3X3F, [[1, 2, 3], [4, 5, 6]]), 'm', 'm', 'mat3x3f');
    expectFieldError(() => packValue('m', MAT3X3F, [1, 2, 3, 4, 5, 6, 7, 8]), 'm', 'm', 'mat3x3f');
  });

  it('refuses a finite f32 too large to be anything but Infinity', () => {
    expectFieldError(() => packValue('params', PARAMS, { N: 0, D: 0, eps: 1e39 }), 'params', 'params.eps', 'f32');
  });

  it('refuses a finite f16 of magnitude 65520 or more, and keeps 65504', () => {
    expectFieldError(() => packValue('halves', HALVES, { h: 65520, v: [0, 0, 0], s: 0 }), 'halves', 'halves.h', 'f16');
    expect(viewOf(packValue('halves', HALVES, { h: -65504, v: [0, 0, 0], s: 0 })).getUint16(0, true)).toBe(0xfbff);
  });

  it('refuses bool, which WGSL never stores in a buffer', () => {
    expectFieldError(() => packValue('b', BOOL, 1), 'b', 'b', 'bool');
  });

  it('carries only cloneable details', () => {
    const error = thrownBy(() => packValue('params', PARAMS, { N: -1, D: 1, eps: 0 }));
    expect(structuredClone(error.details)).toEqual({ buffer: 'params', field: 'params.N', expected: 'u32', received: 'number -1' });
  });
});

describe('wgslTypeName', () => {
  it.each([
    [U32, 'u32'],
    [VEC3F, 'vec3f'],
    [VEC3H, 'vec3h'],
    [MAT3X3F, 'mat3x3f'],
    [ATOMIC_U32, 'atomic<u32>'],
    [VEC2F_X3, 'array<vec2f, 3>'],
    [VEC2F_RUNTIME, 'array<vec2f>'],
    [PARAMS, 'Params'],
  ])('spells %o as %s', (type, name) => {
    expect(wgslTypeName(type)).toBe(name);
  });
});


describe('float16Bits', () => {
  it.each([
    ['1', 1, 0x3c00], // exponent 15 << 10
    ['-2', -2, 0xc000], // sign | 16 << 10
    ['65504, the largest finite half', 65504, 0x7bff], // (2 − 2⁻¹⁰) × 2¹⁵: exponent 30, mantissa 0x3FF
    ['65519.99, still below the half-way point to 2¹⁶', 65519.99, 0x7bff],
    ['65520, half-way to 2¹⁶, ties to even (Infinity)', 65520, 0x7c00],
    ['-Infinity', -Infinity, 0xfc00],
    ['1e-5, a subnormal', 1e-5, 0x00a8], // 1e-5 / 2⁻²⁴ = 167.77216 → 168 = 0xA8
    ['2⁻²⁴, the smallest subnormal', 2 ** -24, 0x0001],
    ['2⁻²⁵, half of it, ties to even (zero)', 2 ** -25, 0x0000],
    ['3 × 2⁻²⁵, 1.5 steps, ties to even (2 steps)', 3 * 2 ** -25, 0x0002],
    ['1023.5 × 2⁻²⁴, ties up into the smallest normal', 1023.5 * 2 ** -24, 0x0400],
    ['0.1', 0.1, 0x2e66], // 1.6 × 2⁻⁴: exponent 11, mantissa 614.4 → 614
    ['2049, a tie between 2048 and 2050, to the even 2048', 2049, 0x6800], // spacing 2 at exponent 11 (26 << 10 = 0x6800)
    ['2051, a tie between 2050 and 2052, to the even 2052', 2051, 0x6802],
    ['-0', -0, 0x8000],
    ['0', 0, 0x0000],
    ['NaN', Number.NaN, 0x7e00],
  ])('converts %s', (_, value, bits) => {
    expect(float16Bits(value)).toBe(bits);
  });

  it('rounds once, from the double: 1 + 2⁻¹¹ + 2⁻⁴⁰ is just above the tie, so 0x3C01 (via f32 it would be 0x3C00)', () => {
    expect(float16Bits(1 + 2 ** -11 + 2 ** -40)).toBe(0x3c01);
  });

  it('gives back the bits of every finite and infinite half it is given the value of', () => {
    for (let bits = 0; bits <= 0xffff; bits++) {
      const value = fromHalfBits(bits);
      if (Number.isNaN(value)) continue;
      if (float16Bits(value) !== bits) expect(float16Bits(value)).toBe(bits);
    }
  });

  it('rounds every half-way point between neighbouring halves to the even one, and just off it to the nearer one', () => {
    for (let bits = 0; bits < 0x7bff; bits++) {
      const low = fromHalfBits(bits);
      const mid = (low + fromHalfBits(bits + 1)) / 2; // exact in a double
      const even = bits % 2 === 0 ? bits : bits + 1;
      const nudge = mid * 2 ** -40;
      const got = [float16Bits(mid), float16Bits(mid - nudge), float16Bits(mid + nudge), float16Bits(-mid)];
      const want = [even, bits, bits + 1, 0x8000 | even];
      if (got.some((g, i) => g !== want[i])) expect(got).toEqual(want);
    }
  });
});
