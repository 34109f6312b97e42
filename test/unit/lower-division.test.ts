/**
 * Integer division and remainder lower to WGSL's plain `/` and `%` when the divisor is a
 * literal that makes them agree with the semantics (docs/semantics.md: x / 0 = x, x % 0 = 0,
 * and for i32 MIN / −1 = MIN, x % −1 = 0); any other divisor goes through the checked helper.
 */
import { describe, expect, it } from 'vitest';
import { lowerProgram } from '../../src/lower/lower-program.ts';
import { program } from '../../src/program/builder.ts';

function lowered(type: 'u32' | 'i32', op: 'div' | 'rem', divisor: number | 'param'): string {
  const built = program({ name: `${op}-${type}`, workgroupSize: 64 }, (b) => {
    const x = b.buffer('x', type, 'read');
    const y = b.buffer('y', type, 'output');
    const d = divisor === 'param' ? b.param('d', type) : type === 'u32' ? b.u32(divisor) : b.i32(divisor);
    const i = b.let('i', b.linearIndex());
    b.if(i.lt(y.length()), () => y.store(i, x.load(i)[op](d)));
  });
  return lowerProgram(built, built.workgroupSize).code;
}

describe('lowering of integer division by a literal', () => {
  it.each([
    ['u32', 'div', 8, /\(vyre_load_b_x\(v_i\) \/ 8u\)/],
    ['u32', 'rem', 64, /\(vyre_load_b_x\(v_i\) % 64u\)/],
    ['i32', 'div', -3, /\(vyre_load_b_x\(v_i\) \/ i32\(-3\)\)/],
    ['i32', 'rem', 7, /\(vyre_load_b_x\(v_i\) % i32\(7\)\)/],
  ] as const)('writes %s %s by %d as the plain operator, with no helper', (type, op, divisor, pattern) => {
    const code = lowered(type, op, divisor);
    expect(code).toMatch(pattern);
    expect(code).not.toContain(`vyre_${op}_${type}`);
  });

  it.each([
    ['u32', 'div', 0],
    ['u32', 'rem', 0],
    ['i32', 'div', 0],
    ['i32', 'div', -1],
    ['i32', 'rem', -1],
  ] as const)('keeps the checked helper for %s %s by %d, where the plain operator would disagree', (type, op, divisor) => {
    expect(lowered(type, op, divisor)).toContain(`vyre_${op}_${type}(`);
  });

  it('keeps the checked helper for a divisor only known at run time', () => {
    expect(lowered('u32', 'div', 'param')).toContain('vyre_div_u32(vyre_load_b_x(v_i), vyre_params.p_d)');
  });
});
