/**
 * Lowering keeps f32 products from being fused into a following addition
 * (docs/semantics.md, "Contraction"): every f32 mul and the product inside f32 rem go
 * through a helper that multiplies the rounded product by a run-time 1.0.
 */
import { describe, expect, it } from 'vitest';
import { lowerProgram } from '../../src/lower/lower-program.ts';
import { program } from '../../src/program/builder.ts';
import type { ScalarType } from '../../src/protocol/ir.ts';
import type { FloatPolicy } from '../../src/protocol/program.ts';

function lowered(type: Extract<ScalarType, 'u32' | 'i32' | 'f32'>, op: 'mul' | 'add' | 'rem', floats: FloatPolicy = 'exact'): string {
  const built = program({ name: `${op}-${type}`, workgroupSize: 64 }, (b) => {
    const x = b.buffer('x', type, 'read');
    const y = b.buffer('y', type, 'read-write');
    const i = b.let('i', b.linearIndex());
    b.if(i.lt(y.length()), () => y.store(i, x.load(i)[op](y.load(i)).add(y.load(i))));
  });
  return lowerProgram(built, built.workgroupSize, floats).code;
}

describe('lowering of products (contraction)', () => {
  it('rounds an f32 product on its own: a helper XORs its bits with a run-time zero made from 1.0', () => {
    const code = lowered('f32', 'mul');
    expect(code).toContain('fn vyre_mul_f32(a: f32, b: f32, one: f32) -> f32 { return bitcast<f32>(bitcast<u32>(a * b) ^ (bitcast<u32>(one) ^ 0x3f800000u)); }');
    expect(code).toMatch(/vyre_mul_f32\(vyre_load_b_x\(v_i\), vyre_load_b_y\(v_i\), vyre_one_f32\)/);
  });

  it('takes the 1.0 from num_workgroups, which no compiler can fold, once per invocation', () => {
    const code = lowered('f32', 'mul');
    expect(code.match(/let vyre_one_f32 = f32\(min\(vyre_num_workgroups\.x, 1u\)\);/g)).toHaveLength(1);
  });

  it('rounds the product inside f32 rem the same way', () => {
    const code = lowered('f32', 'rem');
    expect(code).toContain('return a - vyre_mul_f32(b, q, one);');
    expect(code).toContain('fn vyre_mul_f32(');
    expect(code).toContain('let vyre_one_f32');
  });

  it.each(['u32', 'i32'] as const)('leaves %s products alone: integer arithmetic has nothing to fuse', (type) => {
    const code = lowered(type, 'mul');
    expect(code).not.toContain('vyre_mul_f32');
    expect(code).not.toContain('vyre_one_f32');
    expect(code).toMatch(/\(vyre_load_b_x\(v_i\) \* vyre_load_b_y\(v_i\)\)/);
  });

  it('adds nothing to an f32 program without products', () => {
    const code = lowered('f32', 'add');
    expect(code).not.toContain('vyre_mul_f32');
    expect(code).not.toContain('vyre_one_f32');
  });
});

describe("lowering of products with floats 'fast'", () => {
  it('writes an f32 product as a plain *, which the compiler may fuse with the add', () => {
    const code = lowered('f32', 'mul', 'fast');
    expect(code).toMatch(/\(\(vyre_load_b_x\(v_i\) \* vyre_load_b_y\(v_i\)\) \+ vyre_load_b_y\(v_i\)\)/);
    expect(code).not.toContain('vyre_mul_f32');
    expect(code).not.toContain('vyre_one_f32');
    expect(code.split('\n')[0]).toContain('floats=fast');
  });

  it("writes f32 rem as WGSL's %, which is a − b·trunc(a / b)", () => {
    const code = lowered('f32', 'rem', 'fast');
    expect(code).toMatch(/\(vyre_load_b_x\(v_i\) % vyre_load_b_y\(v_i\)\)/);
    expect(code).not.toContain('vyre_rem_f32');
  });

  it('lowers integer programs to the same code under either policy (but the first line)', () => {
    const body = (code: string): string => code.split('\n').slice(1).join('\n');
    expect(body(lowered('u32', 'mul', 'fast'))).toBe(body(lowered('u32', 'mul', 'exact')));
  });
});
