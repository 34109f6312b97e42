/**
 * Type tests: the builder types vectors — component-wise arithmetic keeps the vector type,
 * components and dot give its component type, shifts take a u32 vector of the same width,
 * comparisons and scalar/vector mixes do not compile, and a vector output reads back as the
 * flat typed array of its components. Checked by `vitest --typecheck` (tsc).
 */
import { describe, expectTypeOf, test } from 'vitest';
import { program, type Runtime, type Value } from '../../src/index.ts';

declare const runtime: Runtime;

const scale4 = program({ name: 'scale4' }, (b) => {
  const x = b.buffer('x', 'vec4<f32>', 'read');
  const y = b.buffer('y', 'vec4<f32>', 'output');
  const bits = b.buffer('bits', 'vec2<u32>', 'output');
  const i = b.let('i', b.linearIndex());
  const v = x.load(i);
  expectTypeOf(v).toEqualTypeOf<Value<'vec4<f32>'>>();
  expectTypeOf(v.mul(2).add(v)).toEqualTypeOf<Value<'vec4<f32>'>>();
  expectTypeOf(v.x()).toEqualTypeOf<Value<'f32'>>();
  expectTypeOf(v.dot(v)).toEqualTypeOf<Value<'f32'>>();
  expectTypeOf(v.sqrt()).toEqualTypeOf<Value<'vec4<f32>'>>();
  expectTypeOf(v.cast('vec4<i32>')).toEqualTypeOf<Value<'vec4<i32>'>>();
  const u = b.vector('vec2<u32>', 1, i);
  expectTypeOf(u.shl(b.splat('vec2<u32>', 3))).toEqualTypeOf<Value<'vec2<u32>'>>();
  expectTypeOf(u.cast('vec2<i32>').absDiff(0)).toEqualTypeOf<Value<'vec2<u32>'>>();
  expectTypeOf(b.fma(v, v, 1)).toEqualTypeOf<Value<'vec4<f32>'>>();
  // @ts-expect-error vectors have no comparisons (they would need bool vectors)
  v.lt(v);
  // @ts-expect-error a scalar value does not mix with a vector (a plain number is splatted)
  v.add(v.x());
  // @ts-expect-error a shift amount of another width
  u.shl(b.splat('vec4<u32>', 1));
  // @ts-expect-error a vec2 has no z
  u.z();
  // @ts-expect-error a cast keeps the width
  v.cast('vec2<f32>');
  // @ts-expect-error integer operators do not take f32 vectors
  v.bitAnd(v);
  y.store(i, v);
  bits.store(i, u);
  return { x, y, bits };
});

describe('vector buffers in dispatch results', () => {
  test('read back as the flat typed array of their components', async () => {
    const { pipeline } = await runtime.compile(scale4);
    const out = await pipeline.dispatch({ x: new Float32Array(8) });
    expectTypeOf(out.y).toEqualTypeOf<Float32Array>();
    expectTypeOf(out.bits).toEqualTypeOf<Uint32Array>();
  });
});
