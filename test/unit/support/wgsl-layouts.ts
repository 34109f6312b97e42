/**
 * WGSL types with their layouts written out by hand, shared by the packing tests: each
 * size, align, offset and stride is derived in its comment from the WGSL layout rules
 * (https://www.w3.org/TR/WGSL/#alignment-and-size), never read from the code under test.
 */
import type { WgslType } from '../../../src/protocol/wgsl-module.ts';

export const F32: WgslType = { kind: 'scalar', scalar: 'f32', size: 4, align: 4 };

export const I32: WgslType = { kind: 'scalar', scalar: 'i32', size: 4, align: 4 };

export const U32: WgslType = { kind: 'scalar', scalar: 'u32', size: 4, align: 4 };

export const F16: WgslType = { kind: 'scalar', scalar: 'f16', size: 2, align: 2 };

/** vec2f: 2 × 4 bytes, aligned to its size. */
export const VEC2F: WgslType = { kind: 'vector', scalar: 'f32', components: 2, size: 8, align: 8 };

/** vec3f: 12 bytes of data, but aligned like a vec4f, to 16. */
export const VEC3F: WgslType = { kind: 'vector', scalar: 'f32', components: 3, size: 12, align: 16 };

/** atomic<u32>: a u32 in memory. */
export const ATOMIC_U32: WgslType = { kind: 'atomic', scalar: 'u32', size: 4, align: 4 };

/** struct Params { N: u32, D: u32, eps: f32 }: offsets 0, 4, 8; size roundUp(4, 12) = 12. */
export const PARAMS: WgslType = {
  kind: 'struct',
  name: 'Params',
  members: [
    { name: 'N', type: U32, offset: 0 },
    { name: 'D', type: U32, offset: 4 },
    { name: 'eps', type: F32, offset: 8 },
  ],
  size: 12,
  align: 4,
};

/** struct Light { a: vec3f, b: f32 }: a at 0 (12 bytes), b at roundUp(4, 12) = 12; align 16, size roundUp(16, 16) = 16. */
export const LIGHT: WgslType = {
  kind: 'struct',
  name: 'Light',
  members: [
    { name: 'a', type: VEC3F, offset: 0 },
    { name: 'b', type: F32, offset: 12 },
  ],
  size: 16,
  align: 16,
};
