/**
 * Under the exact policy a product's factor that may be a sum passes through the run-time
 * zero first (`vyre_keep_f32`), so a compiler cannot distribute the product over it
 * (src/lower/sum-free.ts: NVIDIA's compiler did, on fuzz seed 10291). Factors that cannot
 * be sums stay as they are, so the kernels that multiply loaded values pay nothing.
 */
import { describe, expect, it } from 'vitest';
import { lowerProgram } from '../../src/lower/lower-program.ts';
import { sumFreeLocals } from '../../src/lower/sum-free.ts';
import { program } from '../../src/program/builder.ts';
import { matmul, matmulX4, saxpyX4 } from '../../src/kernels/index.ts';
import type { FloatPolicy } from '../../src/protocol/program.ts';

/** `y[i] = c · (k − x[i])` in f32 or vec4<f32>, with the difference inline or in a local. */
function scaledDifference(type: 'f32' | 'vec4<f32>', viaLocal: boolean, floats: FloatPolicy = 'exact'): string {
  const built = program({ name: 'scaled-difference', workgroupSize: 64 }, (b) => {
    const x = b.buffer('x', type, 'read');
    const y = b.buffer('y', type, 'output');
    const c = b.param('c', 'f32');
    const i = b.let('i', b.linearIndex());
    b.if(i.lt(x.length()), () => {
      const k = type === 'f32' ? b.f32(66.875) : b.splat('vec4<f32>', 66.875);
      const scale = type === 'f32' ? c : b.splat('vec4<f32>', c);
      const difference = k.sub(x.load(i) as never);
      const factor = viaLocal ? b.let('d', difference) : difference;
      y.store(i, (scale as never as typeof difference).mul(factor as never) as never);
    });
  });
  return lowerProgram(built, built.workgroupSize, floats).code;
}

describe('exact products over sums', () => {
  it('guards a difference that is a factor of an f32 product, inline', () => {
    const code = scaledDifference('f32', false);
    expect(code).toContain('fn vyre_keep_f32(x: f32, one: f32) -> f32 { return bitcast<f32>(bitcast<u32>(x) ^ (bitcast<u32>(one) ^ 0x3f800000u)); }');
    expect(code).toMatch(/vyre_mul_f32\(vyre_params\.p_c, vyre_keep_f32\(\(66\.875f? - vyre_load_b_x\(v_i\)\), vyre_one_f32\), vyre_one_f32\)/);
  });

  it('guards it when it reaches the product through a local', () => {
    expect(scaledDifference('f32', true)).toMatch(/vyre_mul_f32\(vyre_params\.p_c, vyre_keep_f32\(v_d, vyre_one_f32\), vyre_one_f32\)/);
  });

  it('guards a vector difference as one vector XOR', () => {
    const code = scaledDifference('vec4<f32>', false);
    expect(code).toContain('bitcast<vec4<f32>>(bitcast<vec4<u32>>(x) ^ vec4<u32>(bitcast<u32>(one) ^ 0x3f800000u))');
    expect(code).toMatch(/vyre_mul_vec4_f32\(vec4<f32>\(vyre_params\.p_c\), vyre_keep_vec4_f32\(/);
  });

  it("adds no guard with floats 'fast'", () => {
    expect(scaledDifference('f32', false, 'fast')).not.toContain('vyre_keep');
  });

  it('leaves the factors of the library kernels that multiply loaded values unguarded', () => {
    for (const kernel of [matmul, matmulX4, saxpyX4]) {
      expect(lowerProgram(kernel, kernel.workgroupSize, 'exact').code, kernel.name).not.toContain('vyre_keep');
    }
  });
});

describe('sumFreeLocals', () => {
  it('keeps locals set only from loads, params and products, and drops those that ever hold a sum, also through other locals and branches', () => {
    const built = program({ name: 'locals' }, (b) => {
      const x = b.buffer('x', 'f32', 'read');
      const y = b.buffer('y', 'f32', 'output');
      const loaded = b.let('loaded', x.load(0));
      const product = b.let('product', loaded.mul(2));
      const summed = b.let('summed', loaded.add(1));
      const copied = b.let('copied', product);
      const laterSummed = b.let('later', product);
      b.if(loaded.gt(0), () => laterSummed.set(summed));
      const fromSum = b.let('from_sum', summed);
      y.store(0, copied.add(fromSum).add(laterSummed));
    });
    expect([...sumFreeLocals(built.body)].sort()).toEqual(['copied', 'loaded', 'product']);
  });
});
