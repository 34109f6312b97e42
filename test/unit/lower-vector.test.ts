/**
 * Lowering of vector programs (docs/semantics.md, "Vectors"): vector buffers as arrays of
 * WGSL vectors with bounds-checked access, the vector-only expressions, component-wise
 * operators that keep the scalar rule per component (plain WGSL operators where WGSL
 * already means the same per component, the scalar helper per component otherwise), the
 * float policy for products and `dot`, the bound buffers' layouts, and every module
 * parsing with the project's WGSL parser. Programs are plain IR objects; expected WGSL
 * and layout numbers are written out by hand.
 */
import { describe, expect, it } from 'vitest';
import { lowerProgram } from '../../src/lower/lower-program.ts';
import { planDispatch } from '../../src/dispatch/dispatch-plan.ts';
import { readBackArray } from '../../src/dispatch/binding-bytes.ts';
import { reflectModule } from '../../src/program/reflect-module.ts';
import type { BinaryOp, Expr, IrBuffer, IrProgram, ScalarType, Stmt, ValueType, VectorType } from '../../src/protocol/ir.ts';
import type { FloatPolicy } from '../../src/protocol/program.ts';
import type { ShaderArtifact } from '../../src/lower/artifact.ts';
import { thrownBy } from './support/thrown-by.ts';

// ── IR building blocks ────────────────────────────────────────────────────────────────

const index: Expr = { kind: 'builtin', name: 'linear-index', axis: 0 };
const literal = (type: ScalarType, value: number | boolean): Expr => ({ kind: 'literal', type, value });
const load = (buffer: string, at: Expr = index): Expr => ({ kind: 'load', buffer, index: at });
const binary = (op: BinaryOp, left: Expr, right: Expr): Expr => ({ kind: 'binary', op, left, right });
const splat = (type: VectorType, value: Expr): Expr => ({ kind: 'splat', type, value });
const store = (buffer: string, value: Expr, at: Expr = index): Stmt => ({ kind: 'store', buffer, index: at, value });
const buffer = (name: string, binding: number, type: ValueType, access: IrBuffer['access'] = 'read'): IrBuffer => ({ name, binding, access, type });

function ir(buffers: readonly IrBuffer[], body: readonly Stmt[]): IrProgram {
  return { kind: 'ir', name: 'vectors', workgroupSize: [64, 1, 1], buffers, params: [], body };
}

/** Lowers `program`, and checks on the way that the module parses (reflection throws otherwise). */
function lowered(program: IrProgram, floats: FloatPolicy = 'exact'): ShaderArtifact {
  const artifact = lowerProgram(program, program.workgroupSize, floats);
  reflectModule(artifact.code);
  return artifact;
}

/** `y[i] = x[i] <op> z[i]` over vectors of `type`; the shift amount is the u32 vector of its width. */
function binaryCode(op: BinaryOp, type: VectorType, floats: FloatPolicy = 'exact', result: VectorType = type): string {
  const amountType = (type.startsWith('vec2') ? 'vec2<u32>' : 'vec4<u32>') as VectorType;
  const shift = op === 'shl' || op === 'shr' || op === 'rotl' || op === 'rotr';
  const program = ir(
    [buffer('x', 0, type), buffer('z', 1, shift ? amountType : type), buffer('y', 2, result, 'output')],
    [store('y', binary(op, load('x'), load('z')))],
  );
  return lowered(program, floats).code;
}

/** The main body: the lines after the entry point's signature. */
function mainBody(code: string): string {
  return code.slice(code.indexOf(') {\n  let vyre_linear_index'));
}

// ── Buffers ───────────────────────────────────────────────────────────────────────────

describe('vector buffers', () => {
  const program = ir(
    [
      buffer('input', 0, 'vec4<f32>', 'read'),
      buffer('state', 1, 'vec2<i32>', 'read-write'),
      buffer('out', 2, 'vec4<u32>', 'output'),
      buffer('table', 3, 'vec2<f32>', 'uniform'),
      buffer('copy', 4, 'vec2<f32>', 'output'),
      { name: 'tile', binding: -1, access: 'workgroup', type: 'vec4<f32>', count: 32 },
    ],
    [
      store('tile', load('input')),
      store('state', load('state')),
      store('out', load('out')),
      store('copy', load('table')),
    ],
  );
  const code = lowered(program).code;

  it('declares every bound vector buffer as a runtime-sized array of its WGSL vector type', () => {
    expect(code).toContain('@group(0) @binding(0) var<storage, read> b_input: array<vec4<f32>>;');
    expect(code).toContain('@group(0) @binding(1) var<storage, read_write> b_state: array<vec2<i32>>;');
    expect(code).toContain('@group(0) @binding(2) var<storage, read_write> b_out: array<vec4<u32>>;');
  });

  it('keeps a uniform vector buffer in read-only storage, as for scalars', () => {
    expect(code).toContain('@group(0) @binding(3) var<storage, read> b_table: array<vec2<f32>>;');
    expect(code).not.toContain('var<uniform>');
  });

  it('declares a workgroup vector buffer with its count of vectors', () => {
    expect(code).toContain('var<workgroup> w_tile: array<vec4<f32>, 32>;');
  });

  it('reads the zero vector out of bounds', () => {
    expect(code).toContain(`fn vyre_load_b_input(i: u32) -> vec4<f32> {
  if (i < arrayLength(&b_input)) { return b_input[i]; }
  return vec4<f32>(0.0f);
}`);
    expect(code).toContain(`fn vyre_load_b_state(i: u32) -> vec2<i32> {
  if (i < arrayLength(&b_state)) { return b_state[i]; }
  return vec2<i32>(i32(0));
}`);
  });

  it('drops a whole vector stored out of bounds, in storage and in workgroup memory', () => {
    expect(code).toContain(`fn vyre_store_b_out(i: u32, v: vec4<u32>) {
  if (i < arrayLength(&b_out)) { b_out[i] = v; }
}`);
    expect(code).toContain(`fn vyre_store_w_tile(i: u32, v: vec4<f32>) {
  if (i < 32u) { w_tile[i] = v; }
}`);
  });

  it('counts length in vectors: arrayLength of the vector array, or the workgroup count', () => {
    const withLength = ir(
      [buffer('x', 0, 'vec4<f32>'), buffer('n', 1, 'u32', 'output'), { name: 't', binding: -1, access: 'workgroup', type: 'vec2<u32>', count: 8 }],
      [store('n', binary('add', { kind: 'length', buffer: 'x' }, { kind: 'length', buffer: 't' }))],
    );
    expect(mainBody(lowered(withLength).code)).toContain('vyre_store_b_n(vyre_linear_index, (arrayLength(&b_x) + 8u));');
  });

  it('declares locals of vector type with their WGSL type', () => {
    const local = ir([buffer('x', 0, 'vec2<u32>'), buffer('y', 1, 'vec2<u32>', 'output')], [
      { kind: 'let', name: 'v', value: load('x') },
      store('y', { kind: 'var', name: 'v' }),
    ]);
    expect(lowered(local).code).toContain('var v_v: vec2<u32> = vyre_load_b_x(vyre_linear_index);');
  });
});

// ── Building and taking apart ─────────────────────────────────────────────────────────

describe('vector, splat and component', () => {
  const program = ir(
    [buffer('s', 0, 'f32'), buffer('y', 1, 'vec4<f32>', 'output'), buffer('c', 2, 'f32', 'output')],
    [
      store('y', { kind: 'vector', type: 'vec4<f32>', components: [load('s'), literal('f32', 1), literal('f32', -2.5), load('s', literal('u32', 3))] }),
      store('y', splat('vec4<f32>', load('s')), literal('u32', 1)),
      store('c', { kind: 'component', index: 3, value: load('y') }),
      store('c', { kind: 'component', index: 0, value: load('y') }),
    ],
  );
  const body = mainBody(lowered(program).code);

  it('builds a vector from its components in order, x first', () => {
    expect(body).toContain('vec4<f32>(vyre_load_b_s(vyre_linear_index), 1.0f, -2.5f, vyre_load_b_s(3u))');
  });

  it("splats a scalar with WGSL's one-argument constructor, which evaluates it once", () => {
    expect(body).toContain('vyre_store_b_y(1u, vec4<f32>(vyre_load_b_s(vyre_linear_index)));');
  });

  it('reads components as .x … .w', () => {
    expect(body).toContain('vyre_store_b_c(vyre_linear_index, (vyre_load_b_y(vyre_linear_index)).w);');
    expect(body).toContain('vyre_store_b_c(vyre_linear_index, (vyre_load_b_y(vyre_linear_index)).x);');
  });

  it('keeps an operator on vectors of literals away from WGSL constant evaluation (where i32 overflow is an error)', () => {
    const max = 2147483647;
    const constant = ir([buffer('y', 0, 'vec2<i32>', 'output')], [
      store('y', binary('add', { kind: 'vector', type: 'vec2<i32>', components: [literal('i32', max), literal('i32', 1)] }, splat('vec2<i32>', literal('i32', 1)))),
    ]);
    const code = lowered(constant).code;
    expect(code).toContain('(vyre_opaque_vec2_i32(vec2<i32>(i32(2147483647), i32(1))) + vec2<i32>(i32(1)))');
    // The identity on the whole vector: SwiftShader miscompiled a vector of scalar identities.
    expect(code).toContain('fn vyre_opaque_vec2_i32(x: vec2<i32>) -> vec2<i32> { return x; }');
  });

  it('treats a component of a vector of literals as a literal too', () => {
    const constant = ir([buffer('y', 0, 'u32', 'output')], [
      store('y', binary('mul', { kind: 'component', index: 1, value: { kind: 'vector', type: 'vec2<u32>', components: [literal('u32', 5), literal('u32', 4294967295)] } }, literal('u32', 2))),
    ]);
    expect(lowered(constant).code).toContain('(vyre_opaque_u32((vec2<u32>(5u, 4294967295u)).y) * 2u)');
  });
});

// ── Component-wise operators ──────────────────────────────────────────────────────────

describe('component-wise operators that WGSL defines per component with the scalar meaning', () => {
  it.each([
    ['add', 'vec4<i32>', '(vyre_load_b_x(vyre_linear_index) + vyre_load_b_z(vyre_linear_index))'],
    ['sub', 'vec2<u32>', '(vyre_load_b_x(vyre_linear_index) - vyre_load_b_z(vyre_linear_index))'],
    ['mul', 'vec4<u32>', '(vyre_load_b_x(vyre_linear_index) * vyre_load_b_z(vyre_linear_index))'],
    ['div', 'vec4<f32>', '(vyre_load_b_x(vyre_linear_index) / vyre_load_b_z(vyre_linear_index))'],
    ['bit-xor', 'vec2<i32>', '(vyre_load_b_x(vyre_linear_index) ^ vyre_load_b_z(vyre_linear_index))'],
    ['min', 'vec4<f32>', 'min(vyre_load_b_x(vyre_linear_index), vyre_load_b_z(vyre_linear_index))'],
    ['max', 'vec2<i32>', 'max(vyre_load_b_x(vyre_linear_index), vyre_load_b_z(vyre_linear_index))'],
    ['pow', 'vec2<f32>', 'pow(vyre_load_b_x(vyre_linear_index), vyre_load_b_z(vyre_linear_index))'],
    ['abs-diff', 'vec4<f32>', 'abs(vyre_load_b_x(vyre_linear_index) - vyre_load_b_z(vyre_linear_index))'],
  ] as const)('writes %s of %s as the plain WGSL form', (op, type, expected) => {
    expect(mainBody(binaryCode(op, type))).toContain(`vyre_store_b_y(vyre_linear_index, ${expected});`);
  });

  it('masks a shift amount to 0…31 in every component, with a vector mask', () => {
    expect(binaryCode('shl', 'vec4<i32>')).toContain('(vyre_load_b_x(vyre_linear_index) << (vyre_load_b_z(vyre_linear_index) & vec4<u32>(31u)))');
    expect(binaryCode('shr', 'vec2<u32>')).toContain('(vyre_load_b_x(vyre_linear_index) >> (vyre_load_b_z(vyre_linear_index) & vec2<u32>(31u)))');
  });

  it.each([
    ['neg', 'vec4<i32>', '(-vyre_load_b_x(vyre_linear_index))'],
    ['bit-not', 'vec2<u32>', '(~vyre_load_b_x(vyre_linear_index))'],
    ['abs', 'vec4<i32>', 'abs(vyre_load_b_x(vyre_linear_index))'],
    ['popcount', 'vec2<u32>', 'countOneBits(vyre_load_b_x(vyre_linear_index))'],
    ['round', 'vec4<f32>', 'round(vyre_load_b_x(vyre_linear_index))'],
    ['sqrt', 'vec2<f32>', 'sqrt(vyre_load_b_x(vyre_linear_index))'],
  ] as const)('writes unary %s of %s with the scalar builtin, which WGSL applies per component', (op, type, expected) => {
    const program = ir([buffer('x', 0, type), buffer('y', 1, type, 'output')], [store('y', { kind: 'unary', op, value: load('x') })]);
    expect(mainBody(lowered(program).code)).toContain(`vyre_store_b_y(vyre_linear_index, ${expected});`);
  });

  it('selects a whole vector with a scalar bool condition', () => {
    const program = ir([buffer('x', 0, 'vec4<f32>'), buffer('c', 1, 'u32'), buffer('y', 2, 'vec4<f32>', 'output')], [
      store('y', { kind: 'select', cond: binary('lt', load('c'), literal('u32', 3)), ifTrue: load('x'), ifFalse: splat('vec4<f32>', literal('f32', 0)) }),
    ]);
    expect(mainBody(lowered(program).code)).toContain(
      'select(vec4<f32>(0.0f), vyre_load_b_x(vyre_linear_index), (vyre_load_b_c(vyre_linear_index) < 3u))',
    );
  });

  it('fuses fma of f32 vectors per component with WGSL fma', () => {
    const program = ir([buffer('x', 0, 'vec2<f32>'), buffer('y', 1, 'vec2<f32>', 'output')], [
      store('y', { kind: 'fma', a: load('x'), b: load('x'), c: load('y') }),
    ]);
    expect(mainBody(lowered(program).code)).toContain('fma(vyre_load_b_x(vyre_linear_index), vyre_load_b_x(vyre_linear_index), vyre_load_b_y(vyre_linear_index))');
  });
});

describe('component-wise operators that need a helper: the scalar helper on each component', () => {
  it('divides integer vectors through a vector helper that calls the checked scalar division per component', () => {
    const code = binaryCode('div', 'vec2<u32>');
    expect(code).toContain(`fn vyre_div_vec2_u32(a: vec2<u32>, b: vec2<u32>) -> vec2<u32> {
  return vec2<u32>(vyre_div_u32(a.x, b.x), vyre_div_u32(a.y, b.y));
}`);
    expect(code).toContain('fn vyre_div_u32(a: u32, b: u32) -> u32 { if (b == 0u) { return a; } return a / b; }');
    expect(mainBody(code)).toContain('vyre_div_vec2_u32(vyre_load_b_x(vyre_linear_index), vyre_load_b_z(vyre_linear_index))');
  });

  it.each([
    ['rem', 'vec4<i32>', 'vyre_rem_vec4_i32', 'vyre_rem_i32', 'vec4<i32>'],
    ['mul-high', 'vec2<i32>', 'vyre_mulhi_vec2_i32', 'vyre_mulhi_i32', 'vec2<i32>'],
    ['rotl', 'vec4<u32>', 'vyre_rotl_vec4_u32', 'vyre_rotl_u32', 'vec4<u32>'],
    ['rotr', 'vec2<i32>', 'vyre_rotr_vec2_i32', 'vyre_rotr_i32', 'vec2<i32>'],
  ] as const)('lowers %s of %s through %s, which calls %s per component', (op, type, vectorHelper, scalarHelper, result) => {
    const code = binaryCode(op, type);
    const width = type.startsWith('vec2') ? 2 : 4;
    expect(mainBody(code)).toContain(`${vectorHelper}(vyre_load_b_x(vyre_linear_index), vyre_load_b_z(vyre_linear_index))`);
    expect(code).toContain(`-> ${result} {`);
    expect(code.split(`${scalarHelper}(a.`).length - 1).toBe(width);
    expect(code).toContain(`fn ${scalarHelper}(`);
  });

  it('gives abs-diff of integer vectors the u32 vector, per component', () => {
    const code = binaryCode('abs-diff', 'vec2<i32>', 'exact', 'vec2<u32>');
    expect(code).toContain(`fn vyre_absdiff_vec2_i32(a: vec2<i32>, b: vec2<i32>) -> vec2<u32> {
  return vec2<u32>(vyre_absdiff_i32(a.x, b.x), vyre_absdiff_i32(a.y, b.y));
}`);
  });

  it('divides by a splat or vector of safe literals with the plain operator, like a scalar literal divisor', () => {
    const program = ir([buffer('x', 0, 'vec4<u32>'), buffer('n', 1, 'vec2<i32>'), buffer('y', 2, 'vec4<u32>', 'output'), buffer('m', 3, 'vec2<i32>', 'output')], [
      store('y', binary('div', load('x'), splat('vec4<u32>', literal('u32', 8)))),
      store('m', binary('rem', load('n'), { kind: 'vector', type: 'vec2<i32>', components: [literal('i32', 7), literal('i32', -3)] })),
    ]);
    const code = lowered(program).code;
    expect(mainBody(code)).toContain('(vyre_load_b_x(vyre_linear_index) / vec4<u32>(8u))');
    expect(mainBody(code)).toContain('(vyre_load_b_n(vyre_linear_index) % vec2<i32>(i32(7), i32(-3)))');
    expect(code).not.toContain('vyre_div_');
    expect(code).not.toContain('vyre_rem_');
  });

  it.each([
    ['div', 'u32', [0]],
    ['div', 'i32', [4, -1]],
    ['rem', 'i32', [-1]],
  ] as const)('keeps the checked helper for %s of %s by literals %j, where a component would disagree', (op, component, divisors) => {
    const type = `vec${divisors.length === 1 ? 4 : 2}<${component}>` as VectorType;
    const divisor: Expr = divisors.length === 1
      ? splat(type, literal(component, divisors[0] ?? 0))
      : { kind: 'vector', type, components: divisors.map((value) => literal(component, value)) };
    const program = ir([buffer('x', 0, type), buffer('y', 1, type, 'output')], [store('y', binary(op, load('x'), divisor))]);
    expect(lowered(program).code).toContain(`vyre_${op}_vec${divisors.length === 1 ? 4 : 2}_${component}(vyre_load_b_x(vyre_linear_index), `);
  });

  it('casts f32 vectors to integers with the saturating scalar cast per component', () => {
    const program = ir([buffer('x', 0, 'vec4<f32>'), buffer('y', 1, 'vec4<i32>', 'output')], [store('y', { kind: 'cast', type: 'vec4<i32>', value: load('x') })]);
    const code = lowered(program).code;
    expect(code).toContain(`fn vyre_f32_to_vec4_i32(x: vec4<f32>) -> vec4<i32> {
  return vec4<i32>(vyre_f32_to_i32(x.x), vyre_f32_to_i32(x.y), vyre_f32_to_i32(x.z), vyre_f32_to_i32(x.w));
}`);
    expect(mainBody(code)).toContain('vyre_f32_to_vec4_i32(vyre_load_b_x(vyre_linear_index))');
  });

  it.each([
    ['vec2<i32>', 'vec2<f32>', 'vec2<f32>(vyre_load_b_x(vyre_linear_index))'],
    ['vec4<u32>', 'vec4<i32>', 'bitcast<vec4<i32>>(vyre_load_b_x(vyre_linear_index))'],
    ['vec2<i32>', 'vec2<u32>', 'bitcast<vec2<u32>>(vyre_load_b_x(vyre_linear_index))'],
  ] as const)('casts %s to %s with the WGSL conversion that works per component', (from, to, expected) => {
    const program = ir([buffer('x', 0, from), buffer('y', 1, to, 'output')], [store('y', { kind: 'cast', type: to, value: load('x') })]);
    expect(mainBody(lowered(program).code)).toContain(`vyre_store_b_y(vyre_linear_index, ${expected});`);
  });

  it('evaluates each operand of a helper once: the helper takes whole vectors', () => {
    const code = binaryCode('div', 'vec4<i32>');
    expect(mainBody(code).split('vyre_load_b_x(').length - 1).toBe(1);
  });
});

// ── Float policy ──────────────────────────────────────────────────────────────────────

describe("f32 vector products under floats 'exact'", () => {
  const code = binaryCode('mul', 'vec4<f32>');

  it('rounds each component product to f32 bits behind an XOR with a run-time zero, which no compiler can fuse through', () => {
    expect(code).toContain(`fn vyre_mul_vec4_f32(a: vec4<f32>, b: vec4<f32>, one: f32) -> vec4<f32> {
  let zero = vec4<u32>(bitcast<u32>(one) ^ 0x3f800000u);
  return bitcast<vec4<f32>>(bitcast<vec4<u32>>(a * b) ^ zero);
}`);
    // 0x3f800000 is the bit pattern of 1.0f: sign 0, exponent 127 (0x7f << 23), mantissa 0.
    expect(new Uint32Array(new Float32Array([1]).buffer)[0]).toBe(0x3f800000);
    expect(code).not.toContain('fn vyre_mul_f32(');
  });

  it('passes the run-time 1.0, declared once in main', () => {
    expect(mainBody(code)).toContain('vyre_mul_vec4_f32(vyre_load_b_x(vyre_linear_index), vyre_load_b_z(vyre_linear_index), vyre_one_f32)');
    expect(code.match(/let vyre_one_f32 = f32\(min\(vyre_num_workgroups\.x, 1u\)\);/g)).toHaveLength(1);
  });

  it('takes f32 vector rem per component through the exact scalar rem', () => {
    const rem = binaryCode('rem', 'vec2<f32>');
    expect(rem).toContain(`fn vyre_rem_vec2_f32(a: vec2<f32>, b: vec2<f32>, one: f32) -> vec2<f32> {
  return vec2<f32>(vyre_rem_f32(a.x, b.x, one), vyre_rem_f32(a.y, b.y, one));
}`);
    expect(rem).toContain('return a - vyre_mul_f32(b, q, one);');
    expect(rem).toContain('let vyre_one_f32');
  });
});

describe("f32 vector products under floats 'fast'", () => {
  it("writes a product as WGSL's plain *, which a compiler may fuse", () => {
    const code = binaryCode('mul', 'vec4<f32>', 'fast');
    expect(mainBody(code)).toContain('(vyre_load_b_x(vyre_linear_index) * vyre_load_b_z(vyre_linear_index))');
    expect(code).not.toContain('vyre_mul_');
    expect(code).not.toContain('vyre_one_f32');
  });

  it("writes rem as WGSL's %", () => {
    expect(mainBody(binaryCode('rem', 'vec2<f32>', 'fast'))).toContain('(vyre_load_b_x(vyre_linear_index) % vyre_load_b_z(vyre_linear_index))');
  });
});

// ── dot ───────────────────────────────────────────────────────────────────────────────

function dotCode(type: VectorType, floats: FloatPolicy): string {
  const component = type.slice(5, 8) as ScalarType;
  const program = ir([buffer('a', 0, type), buffer('b', 1, type), buffer('d', 2, component, 'output')], [
    store('d', { kind: 'dot', left: load('a'), right: load('b') }),
  ]);
  return lowered(program, floats).code;
}

describe('dot', () => {
  it("sums exactly rounded f32 products in the order ((x + y) + z) + w under 'exact'", () => {
    const code = dotCode('vec4<f32>', 'exact');
    expect(code).toContain(`fn vyre_dot_vec4_f32(a: vec4<f32>, b: vec4<f32>, one: f32) -> f32 {
  let p = vyre_mul_vec4_f32(a, b, one);
  return ((p.x + p.y) + p.z) + p.w;
}`);
    expect(code).toContain('fn vyre_mul_vec4_f32(');
    expect(mainBody(code)).toContain('vyre_dot_vec4_f32(vyre_load_b_a(vyre_linear_index), vyre_load_b_b(vyre_linear_index), vyre_one_f32)');
    expect(code).not.toContain(' dot(');
  });

  it("adds the two exact products of a vec2 under 'exact'", () => {
    expect(dotCode('vec2<f32>', 'exact')).toContain(`fn vyre_dot_vec2_f32(a: vec2<f32>, b: vec2<f32>, one: f32) -> f32 {
  let p = vyre_mul_vec2_f32(a, b, one);
  return p.x + p.y;
}`);
  });

  it("is WGSL's dot under 'fast'", () => {
    const code = dotCode('vec4<f32>', 'fast');
    expect(mainBody(code)).toContain('dot(vyre_load_b_a(vyre_linear_index), vyre_load_b_b(vyre_linear_index))');
    expect(code).not.toContain('vyre_dot_');
    expect(code).not.toContain('vyre_one_f32');
  });

  it.each(['exact', 'fast'] as const)("sums wrapping integer products in order under '%s', never WGSL's integer dot", (floats) => {
    const code = dotCode('vec4<i32>', floats);
    expect(code).toContain(`fn vyre_dot_vec4_i32(a: vec4<i32>, b: vec4<i32>) -> i32 {
  let p = a * b;
  return ((p.x + p.y) + p.z) + p.w;
}`);
    expect(mainBody(code)).toContain('vyre_dot_vec4_i32(vyre_load_b_a(vyre_linear_index), vyre_load_b_b(vyre_linear_index))');
    expect(code).not.toContain(' dot(');
    expect(dotCode('vec2<u32>', floats)).toContain('fn vyre_dot_vec2_u32(a: vec2<u32>, b: vec2<u32>) -> u32 {\n  let p = a * b;\n  return p.x + p.y;\n}');
  });
});

// ── Atomics next to vectors ───────────────────────────────────────────────────────────

describe('atomics inside vector expressions', () => {
  it('still makes the atomic buffer atomic when the atomic sits in a splat, a vector or a dot', () => {
    const atomic: Expr = { kind: 'atomic', op: 'add', buffer: 'counter', index: literal('u32', 0), value: literal('u32', 1) };
    const program = ir([buffer('counter', 0, 'u32', 'read-write'), buffer('y', 1, 'vec2<u32>', 'output'), buffer('d', 2, 'u32', 'output')], [
      store('y', splat('vec2<u32>', atomic)),
      store('d', { kind: 'dot', left: { kind: 'vector', type: 'vec2<u32>', components: [atomic, literal('u32', 2)] }, right: load('y') }),
    ]);
    expect(lowered(program).code).toContain('var<storage, read_write> b_counter: array<atomic<u32>>;');
  });
});

// ── Bound buffers and the dispatch path ───────────────────────────────────────────────

describe('bound buffers of vector type', () => {
  const program = ir(
    [buffer('p', 0, 'vec4<f32>'), buffer('q', 1, 'vec2<i32>', 'uniform'), buffer('r', 2, 'vec4<u32>', 'output'), buffer('s', 3, 'f32', 'output')],
    [store('r', load('r')), store('s', load('s'))],
  );
  const artifact = lowered(program);

  it('carry array<vecN<T>> layouts with the hand-computed strides: 16 bytes for vec4, 8 for vec2', () => {
    // vec4 of 4-byte scalars: 16 bytes aligned to 16; vec2: 8 bytes aligned to 8 (WGSL §14.4.1).
    // A runtime-sized array's size is one stride.
    expect(artifact.buffers[0]).toEqual({
      name: 'p', binding: 0, access: 'read', type: 'f32',
      layout: { kind: 'array', element: { kind: 'vector', scalar: 'f32', components: 4, size: 16, align: 16 }, count: null, stride: 16, size: 16, align: 16 },
    });
    expect(artifact.buffers[1]).toEqual({
      name: 'q', binding: 1, access: 'read', type: 'i32',
      layout: { kind: 'array', element: { kind: 'vector', scalar: 'i32', components: 2, size: 8, align: 8 }, count: null, stride: 8, size: 8, align: 8 },
    });
    expect(artifact.buffers[2]).toMatchObject({ name: 'r', access: 'output', type: 'u32', layout: { stride: 16, element: { scalar: 'u32', components: 4 } } });
  });

  it('leave scalar buffers without a layout', () => {
    expect(artifact.buffers[3]).toEqual({ name: 's', binding: 3, access: 'output', type: 'f32' });
  });

  it('match what reflecting the generated WGSL finds', () => {
    const reflected = reflectModule(artifact.code).resources;
    for (const bound of artifact.buffers.filter((candidate) => candidate.layout !== undefined)) {
      expect(reflected.find((resource) => resource.binding === bound.binding)?.type).toEqual(bound.layout);
    }
  });

  const limits = { maxStorageBufferBindingSize: 1 << 20, maxComputeWorkgroupsPerDimension: 65535 };
  const inputs = { p: new Float32Array(8), q: new Int32Array([1, 2, 3, 4, 5, 6]) };

  it('let a dispatch take flat host arrays and count them in vectors', () => {
    const plan = planDispatch(artifact, inputs, undefined, limits);
    const byName = Object.fromEntries(plan.buffers.map((planned) => [planned.declaration.name, planned]));
    // 8 floats = 2 vec4<f32> of 16 bytes; 6 ints = 3 vec2<i32> of 8 bytes.
    expect(byName['p']).toMatchObject({ length: 2, byteLength: 32 });
    expect(byName['q']).toMatchObject({ length: 3, byteLength: 24 });
    expect(Array.from(new Int32Array((byName['q']?.packed ?? new Uint8Array()).slice().buffer))).toEqual([1, 2, 3, 4, 5, 6]);
    // The output takes its length from the first input: 2 vectors, 32 bytes.
    expect(byName['r']).toMatchObject({ length: 2, byteLength: 32 });
  });

  it('refuse a flat input whose length is not a whole number of vectors, saying how to fix it', () => {
    const error = thrownBy(() => planDispatch(artifact, { ...inputs, p: new Float32Array(6) }, undefined, limits));
    expect(error.code).toBe('invalid-input');
    expect(error.message).toContain('Fix:');
    expect(error.message).toContain('"p"');
  });

  it('read back flat: n vec4<u32> as 4·n u32', () => {
    const bytes = new Uint32Array([1, 2, 3, 4, 5, 6, 7, 8]).buffer;
    const layout = artifact.buffers[2]?.layout;
    if (layout === undefined) throw new Error('r has a layout');
    const back = readBackArray(layout, bytes);
    expect(back).toBeInstanceOf(Uint32Array);
    expect(Array.from(back)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});

// ── Parsing ───────────────────────────────────────────────────────────────────────────

describe('every generated module parses (each test above parses its own too)', () => {
  const ops: readonly BinaryOp[] = ['add', 'sub', 'mul', 'div', 'rem', 'min', 'max', 'abs-diff', 'mul-high', 'bit-and', 'shl', 'shr', 'rotl', 'rotr', 'pow'];
  const types: readonly VectorType[] = ['vec2<f32>', 'vec2<i32>', 'vec2<u32>', 'vec4<f32>', 'vec4<i32>', 'vec4<u32>'];
  const integerOnly = new Set<BinaryOp>(['mul-high', 'bit-and', 'shl', 'shr', 'rotl', 'rotr']);
  const cases = types.flatMap((type) =>
    ops.filter((op) => (type.includes('f32') ? !integerOnly.has(op) : op !== 'pow')).flatMap((op) => (['exact', 'fast'] as const).map((floats) => [type, op, floats] as const)),
  );

  it.each(cases)('%s %s under %s', (type, op, floats) => {
    const result = op === 'abs-diff' && !type.includes('f32') ? (type.replace(/i32|u32/, 'u32') as VectorType) : type;
    const code = binaryCode(op, type, floats, result);
    expect(reflectModule(code).resources.map((resource) => resource.name)).toEqual(['b_x', 'b_z', 'b_y']);
  });

  it.each(types.flatMap((type) => (['exact', 'fast'] as const).map((floats) => [type, floats] as const)))('dot of %s under %s', (type, floats) => {
    expect(() => reflectModule(dotCode(type, floats))).not.toThrow();
  });
});
