/**
 * Any binding may be given as bytes, a matching typed array, or (when it is not an array)
 * a plain value; what comes back is the typed array of its leaf scalar; output sizes are
 * counted in elements of the binding's array type.
 *
 * Layouts are written out by hand from the WGSL rules
 * (https://www.w3.org/TR/WGSL/#memory-layouts), each with its derivation beside it; for a
 * runtime-sized array `size` is one element's stride, as reflection reports it.
 */
import { describe, expect, it } from 'vitest';
import type { WgslType } from '../../src/protocol/wgsl-module.ts';
import {
  bindingBytes,
  byteLengthFor,
  elementCountOf,
  readBackArray,
  runtimeArrayOf,
} from '../../src/dispatch/binding-bytes.ts';
import { leafScalarOf } from '../../src/program/wgsl-layout.ts';
import { thrownBy } from './support/thrown-by.ts';
import { F32, I32, U32, F16, VEC2F, VEC3F, ATOMIC_U32, PARAMS, LIGHT } from './support/wgsl-layouts.ts';

/** vec4f: 16 bytes, align 16. */
const VEC4F: WgslType = { kind: 'vector', scalar: 'f32', components: 4, size: 16, align: 16 };
/** array<f32>: stride 4. */
const F32_ARRAY: WgslType = { kind: 'array', element: F32, count: null, stride: 4, size: 4, align: 4 };
/** array<i32>: stride 4. */
const I32_ARRAY: WgslType = { kind: 'array', element: I32, count: null, stride: 4, size: 4, align: 4 };
/** array<f16>: stride roundUp(2, 2) = 2. */
const F16_ARRAY: WgslType = { kind: 'array', element: F16, count: null, stride: 2, size: 2, align: 2 };
/** array<vec3f>: stride roundUp(16, 12) = 16; 4 bytes of padding per element. */
const VEC3F_ARRAY: WgslType = { kind: 'array', element: VEC3F, count: null, stride: 16, size: 16, align: 16 };
/** array<vec4f>: stride 16. */
const VEC4F_ARRAY: WgslType = { kind: 'array', element: VEC4F, count: null, stride: 16, size: 16, align: 16 };
/** array<atomic<u32>>: stride 4. */
const ATOMIC_ARRAY: WgslType = { kind: 'array', element: ATOMIC_U32, count: null, stride: 4, size: 4, align: 4 };
/** array<f32, 8>: stride 4, size 32. */
const F32_X8: WgslType = { kind: 'array', element: F32, count: 8, stride: 4, size: 32, align: 4 };

/** struct Particle { pos: vec2f, vel: vec2f }: pos at 0, vel at 8; align 8, size 16. */
const PARTICLE: WgslType = {
  kind: 'struct',
  name: 'Particle',
  members: [
    { name: 'pos', type: VEC2F, offset: 0 },
    { name: 'vel', type: VEC2F, offset: 8 },
  ],
  size: 16,
  align: 8,
};

/** array<Particle>: stride roundUp(8, 16) = 16. */
const PARTICLE_ARRAY: WgslType = { kind: 'array', element: PARTICLE, count: null, stride: 16, size: 16, align: 8 };

/**
 * struct Swarm { n: u32, items: array<Particle> }: n at 0, items at roundUp(8, 4) = 8,
 * stride 16; k particles take 8 + 16k bytes. Leaves mix u32 and f32.
 */
const SWARM: WgslType = {
  kind: 'struct',
  name: 'Swarm',
  members: [
    { name: 'n', type: U32, offset: 0 },
    { name: 'items', type: PARTICLE_ARRAY, offset: 8 },
  ],
  size: 24,
  align: 8,
};

function expectInvalidInput(run: () => unknown, binding: string) {
  const error = thrownBy(run);
  expect(error.code).toBe('invalid-input');
  expect(error.details['buffer']).toBe(binding);
  expect(error.message).toContain(`"${binding}"`);
  expect(error.message).toMatch(/ Fix: .+$/);
  return error;
}

describe('bindingBytes: bytes and typed arrays', () => {
  it('takes an ArrayBuffer of exactly the struct size as its bytes, without copying', () => {
    const buffer = new ArrayBuffer(12);
    const bytes = bindingBytes('params', PARAMS, buffer);
    expect(bytes.buffer).toBe(buffer);
    expect([bytes.byteOffset, bytes.byteLength]).toEqual([0, 12]);
  });

  it('takes a DataView as exactly its own window of the buffer', () => {
    const buffer = new ArrayBuffer(32);
    const bytes = bindingBytes('params', PARAMS, new DataView(buffer, 8, 12));
    expect(bytes.buffer).toBe(buffer);
    expect([bytes.byteOffset, bytes.byteLength]).toEqual([8, 12]);
  });

  it('takes a typed array subarray as exactly its own window', () => {
    const whole = new Float32Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const bytes = bindingBytes('xs', F32_ARRAY, whole.subarray(2, 6));
    expect(bytes.buffer).toBe(whole.buffer);
    // Elements 2…5 of 4 bytes each: bytes 8 to 24.
    expect([bytes.byteOffset, bytes.byteLength]).toEqual([8, 16]);
    expect(new DataView(bytes.buffer, bytes.byteOffset).getFloat32(0, true)).toBe(2);
  });

  it('takes the typed array of the leaf scalar: Float32Array for array<vec4f>, Uint32Array for atomics, Uint16Array for f16', () => {
    expect(bindingBytes('v', VEC4F_ARRAY, new Float32Array(8)).byteLength).toBe(32);
    expect(bindingBytes('counts', ATOMIC_ARRAY, new Uint32Array(5)).byteLength).toBe(20);
    expect(bindingBytes('h', F16_ARRAY, new Uint16Array(6)).byteLength).toBe(12);
    expect(bindingBytes('ps', PARTICLE_ARRAY, new Float32Array(8)).byteLength).toBe(32); // 2 particles × 16 bytes
  });

  it('takes a Uint8Array for any binding, as raw bytes', () => {
    expect(bindingBytes('xs', I32_ARRAY, new Uint8Array(8)).byteLength).toBe(8);
    expect(bindingBytes('swarm', SWARM, new Uint8Array(8 + 16)).byteLength).toBe(24);
  });

  it('refuses a Float32Array for an i32 binding: its bytes would be misread', () => {
    const error = expectInvalidInput(() => bindingBytes('idx', I32_ARRAY, new Float32Array(4)), 'idx');
    expect(error.details['expected']).toBe('array<i32>');
    expect(error.message).toContain('Int32Array');
  });

  it('refuses a Float64Array, whatever the binding', () => {
    expectInvalidInput(() => bindingBytes('xs', F32_ARRAY, new Float64Array(4)), 'xs');
  });

  it('refuses a Float32Array for an f16 binding', () => {
    expectInvalidInput(() => bindingBytes('h', F16_ARRAY, new Float32Array(4)), 'h');
  });

  it('refuses a typed array for a struct mixing u32 and f32, but takes its ArrayBuffer', () => {
    const values = new Float32Array([4, 192, 1e-5]);
    const error = expectInvalidInput(() => bindingBytes('params', PARAMS, values), 'params');
    expect(error.message).toContain('plain object');
    expect(bindingBytes('params', PARAMS, values.buffer).byteLength).toBe(12);
  });

  it('takes a Float32Array for a struct whose leaves are all f32, when its length is the struct size', () => {
    // Light is 16 bytes: 4 floats (a.x, a.y, a.z at 0–12, b at 12).
    expect(bindingBytes('light', LIGHT, new Float32Array([1, 2, 3, 4])).byteLength).toBe(16);
    const error = expectInvalidInput(() => bindingBytes('light', LIGHT, new Float32Array([1, 2, 3])), 'light');
    expect(error.details).toMatchObject({ byteLength: 12, size: 16 });
  });

  it('refuses a runtime array<vec3f> given 9 floats: 36 bytes is not a whole number of 16-byte elements', () => {
    const error = expectInvalidInput(() => bindingBytes('pts', VEC3F_ARRAY, new Float32Array(9)), 'pts');
    expect(error.details).toMatchObject({ field: 'pts', expected: 'array<vec3f>', byteLength: 36, stride: 16 });
    expect(error.message).toContain('4 Float32Array elements per vec3f'); // 16 bytes / 4
    expect(bindingBytes('pts', VEC3F_ARRAY, new Float32Array(8)).byteLength).toBe(32); // 2 padded elements
  });

  it('takes a header plus whole elements for a struct ending in a runtime array, and nothing shorter than the header', () => {
    expect(bindingBytes('swarm', SWARM, new ArrayBuffer(8)).byteLength).toBe(8); // header only, zero particles
    expect(bindingBytes('swarm', SWARM, new ArrayBuffer(8 + 3 * 16)).byteLength).toBe(56);
    const partial = expectInvalidInput(() => bindingBytes('swarm', SWARM, new ArrayBuffer(8 + 20)), 'swarm');
    expect(partial.details).toMatchObject({ fixedBytes: 8, stride: 16, byteLength: 28 });
    expectInvalidInput(() => bindingBytes('swarm', SWARM, new ArrayBuffer(4)), 'swarm');
  });

  it('refuses a fixed array given more bytes than its size', () => {
    expectInvalidInput(() => bindingBytes('w', F32_X8, new Float32Array(9)), 'w');
    expect(bindingBytes('w', F32_X8, new Float32Array(8)).byteLength).toBe(32);
  });
});

describe('bindingBytes: plain values', () => {
  it('packs a plain object for a uniform struct by its layout', () => {
    const bytes = bindingBytes('params', PARAMS, { N: 4, D: 192, eps: 1e-5 });
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect([view.getUint32(0, true), view.getUint32(4, true)]).toEqual([4, 192]);
    expect(view.getFloat32(8, true)).toBe(Math.fround(1e-5));
  });

  it('packs a plain object for a struct ending in a runtime array: 8 + 16 bytes for one particle', () => {
    const bytes = bindingBytes('swarm', SWARM, { n: 1, items: [{ pos: [1, 2], vel: [3, 4] }] });
    expect(bytes.byteLength).toBe(24);
    expect(new DataView(bytes.buffer).getFloat32(8 + 8, true)).toBe(3); // items[0].vel.x at 8 + 8
  });

  it('refuses a plain JS array for an array binding, suggesting the typed array to use', () => {
    const error = expectInvalidInput(() => bindingBytes('xs', F32_ARRAY, [1, 2, 3]), 'xs');
    expect(error.message).toContain('Float32Array');
  });

  it('refuses a plain array of objects for an array of structs, suggesting raw bytes with the stride', () => {
    const error = expectInvalidInput(() => bindingBytes('ps', PARTICLE_ARRAY, [{ pos: [0, 0], vel: [0, 0] }]), 'ps');
    expect(error.message).toContain('every 16 bytes');
  });

  it('names the field path of a wrong value inside a binding', () => {
    const error = expectInvalidInput(() => bindingBytes('swarm', SWARM, { n: 1, items: [{ pos: [1, 2], vel: [3] }] }), 'swarm');
    expect(error.details).toMatchObject({ field: 'swarm.items[0].vel', expected: 'vec2f' });
  });
});

describe('readBackArray: the typed array of the leaf scalar', () => {
  it('reads array<vec4f> back as a Float32Array over the same bytes', () => {
    const bytes = new ArrayBuffer(32);
    const result = readBackArray(VEC4F_ARRAY, bytes);
    expect(result).toBeInstanceOf(Float32Array);
    expect(result.buffer).toBe(bytes);
    expect(result.length).toBe(8); // 2 elements × 4 floats
  });

  it('reads array<Particle { vec2f, vec2f }> back as a Float32Array, 4 floats per particle', () => {
    const result = readBackArray(PARTICLE_ARRAY, new ArrayBuffer(48));
    expect(result).toBeInstanceOf(Float32Array);
    expect(result.length).toBe(12);
  });

  it('reads array<vec3f> back with its padding: 4 floats per element', () => {
    expect(readBackArray(VEC3F_ARRAY, new ArrayBuffer(32)).length).toBe(8);
  });

  it('reads a struct mixing u32 and f32 back as a Uint8Array over its bytes', () => {
    const result = readBackArray(SWARM, new ArrayBuffer(24));
    expect(result).toBeInstanceOf(Uint8Array);
    expect(result.length).toBe(24);
  });

  it.each([
    ['array<atomic<u32>>', ATOMIC_ARRAY, Uint32Array, 4],
    ['array<i32>', I32_ARRAY, Int32Array, 4],
    ['array<f16> (raw half bits)', F16_ARRAY, Uint16Array, 2],
  ])('reads %s back as %o', (_, type, constructor, width) => {
    const result = readBackArray(type, new ArrayBuffer(16));
    expect(result).toBeInstanceOf(constructor);
    expect(result.length).toBe(16 / width);
  });
});

describe('leafScalarOf', () => {
  it.each([
    ['array<vec4f>', VEC4F_ARRAY, 'f32'],
    ['array<Particle>', PARTICLE_ARRAY, 'f32'],
    ['array<atomic<u32>>', ATOMIC_ARRAY, 'u32'],
    ['array<f16>', F16_ARRAY, 'f16'],
    ['Params { u32, u32, f32 }', PARAMS, null],
    ['Swarm { u32, array<Particle> }', SWARM, null],
  ])('gives %s the leaf %s', (_, type, leaf) => {
    expect(leafScalarOf(type)).toBe(leaf);
  });
});

describe('element counts of the binding\'s array type', () => {
  it('counts array<vec4f> in vec4f elements of 16 bytes', () => {
    expect(byteLengthFor(VEC4F_ARRAY, 3)).toBe(48);
    expect(elementCountOf(VEC4F_ARRAY, 48)).toBe(3);
  });

  it('counts a struct ending in array<Particle> in particles after its 8-byte header', () => {
    expect(runtimeArrayOf(SWARM)).toEqual({ offset: 8, stride: 16, element: PARTICLE });
    expect(byteLengthFor(SWARM, 3)).toBe(8 + 3 * 16);
    expect(elementCountOf(SWARM, 56)).toBe(3);
    expect(byteLengthFor(SWARM, 0)).toBe(8);
  });

  it('counts like WGSL arrayLength(): whole elements only, never below zero', () => {
    expect(elementCountOf(SWARM, 60)).toBe(3); // floor((60 − 8) / 16)
    expect(elementCountOf(SWARM, 4)).toBe(0);
  });

  it('gives a fixed array its own count and any other fixed type one element', () => {
    expect(runtimeArrayOf(F32_X8)).toBeNull();
    expect(elementCountOf(F32_X8, 32)).toBe(8);
    expect(byteLengthFor(F32_X8, 8)).toBe(32);
    expect(elementCountOf(PARAMS, 12)).toBe(1);
    expect(byteLengthFor(PARAMS, 1)).toBe(12);
  });

  it('treats a count a fixed type cannot have, or a fractional one, as our bug', () => {
    expect(thrownBy(() => byteLengthFor(F32_X8, 7)).code).toBe('internal');
    expect(thrownBy(() => byteLengthFor(VEC4F_ARRAY, 1.5)).code).toBe('internal');
  });
});
