/**
 * Lowering of whole vectors loaded from and stored to scalar buffers (docs/semantics.md,
 * "Vectors"): one helper per buffer and width, plain indexing when the whole vector is in
 * bounds (so a compiler may merge the components into one wide access), per-component
 * checks only for the vector that straddles the end, `v` compared with `n / width` so the
 * index never wraps, the same text under both float policies, and every module parsing
 * with the project's WGSL parser. Expected WGSL is written out by hand.
 */
import { describe, expect, it } from 'vitest';
import { lowerProgram } from '../../src/lower/lower-program.ts';
import { reflectModule } from '../../src/program/reflect-module.ts';
import type { Expr, IrBuffer, IrProgram, Stmt, ValueType } from '../../src/protocol/ir.ts';
import type { FloatPolicy } from '../../src/protocol/program.ts';

const index: Expr = { kind: 'builtin', name: 'linear-index', axis: 0 };
const loadVector = (buffer: string, width: 2 | 4, at: Expr = index): Expr => ({ kind: 'load-vector', buffer, width, index: at });
const storeVector = (buffer: string, width: 2 | 4, value: Expr, at: Expr = index): Stmt => ({ kind: 'store-vector', buffer, width, index: at, value });
const buffer = (name: string, binding: number, type: ValueType, access: IrBuffer['access'] = 'read'): IrBuffer => ({ name, binding, access, type });

function ir(buffers: readonly IrBuffer[], body: readonly Stmt[]): IrProgram {
  return { kind: 'ir', name: 'vector-access', workgroupSize: [64, 1, 1], buffers, params: [], body };
}

/** Lowers `program` and checks on the way that the module parses (reflection throws otherwise). */
function lowered(program: IrProgram, floats: FloatPolicy = 'exact'): string {
  const { code } = lowerProgram(program, program.workgroupSize, floats);
  reflectModule(code);
  return code;
}

function mainBody(code: string): string {
  return code.slice(code.indexOf(') {\n  let vyre_linear_index'));
}

/** How many times `code` defines the helper `name`. */
function definitions(code: string, name: string): number {
  return code.split(`fn ${name}(`).length - 1;
}

const COPY = ir([buffer('x', 0, 'f32'), buffer('y', 1, 'f32', 'output')], [storeVector('y', 4, loadVector('x', 4))]);

describe('load-vector and store-vector of a storage buffer', () => {
  const code = lowered(COPY);

  it('reads a vec4 through a helper: plain indexing when 4·v + 3 is in bounds, per component only for the ragged tail', () => {
    expect(code).toContain(`fn vyre_load4_b_x(v: u32) -> vec4<f32> {
  let n = arrayLength(&b_x);
  let i = v * 4u;
  if (v < n / 4u) { return vec4<f32>(b_x[i], b_x[i + 1u], b_x[i + 2u], b_x[i + 3u]); }
  var r = vec4<f32>();
  if (v == n / 4u) {
    let tail = n - i;
    if (tail > 0u) { r.x = b_x[i]; }
    if (tail > 1u) { r.y = b_x[i + 1u]; }
    if (tail > 2u) { r.z = b_x[i + 2u]; }
  }
  return r;
}`);
  });

  it('writes a vec4 through a helper the same way, dropping the components past the end', () => {
    expect(code).toContain(`fn vyre_store4_b_y(v: u32, value: vec4<f32>) {
  let n = arrayLength(&b_y);
  let i = v * 4u;
  if (v < n / 4u) {
    b_y[i] = value.x;
    b_y[i + 1u] = value.y;
    b_y[i + 2u] = value.z;
    b_y[i + 3u] = value.w;
  } else if (v == n / 4u) {
    let tail = n - i;
    if (tail > 0u) { b_y[i] = value.x; }
    if (tail > 1u) { b_y[i + 1u] = value.y; }
    if (tail > 2u) { b_y[i + 2u] = value.z; }
  }
}`);
  });

  it('calls the helpers with the vector index, the index before the value', () => {
    expect(mainBody(code)).toContain('vyre_store4_b_y(vyre_linear_index, vyre_load4_b_x(vyre_linear_index));');
  });

  it('keeps the buffers scalar arrays: the bindings do not change', () => {
    expect(code).toContain('@group(0) @binding(0) var<storage, read> b_x: array<f32>;');
    expect(code).toContain('@group(0) @binding(1) var<storage, read_write> b_y: array<f32>;');
    expect(lowerProgram(COPY, COPY.workgroupSize).buffers).toEqual([
      { name: 'x', binding: 0, access: 'read', type: 'f32' },
      { name: 'y', binding: 1, access: 'output', type: 'f32' },
    ]);
  });
});

describe('helpers per buffer and width', () => {
  it('defines one helper per buffer and width, however often it is used', () => {
    const program = ir(
      [buffer('x', 0, 'u32'), buffer('h', 1, 'u32', 'read-write')],
      [
        storeVector('h', 2, loadVector('x', 2)),
        storeVector('h', 2, loadVector('x', 2, { kind: 'literal', type: 'u32', value: 7 })),
        storeVector('h', 4, { kind: 'binary', op: 'add', left: loadVector('x', 4), right: loadVector('h', 4) }),
      ],
    );
    const code = lowered(program);
    for (const name of ['vyre_load2_b_x', 'vyre_load4_b_x', 'vyre_load4_b_h', 'vyre_store2_b_h', 'vyre_store4_b_h']) expect(definitions(code, name)).toBe(1);
    expect(code).not.toContain('vyre_load2_b_h');
  });

  it('reads a vec2 with one component in the ragged tail', () => {
    const code = lowered(ir([buffer('n', 0, 'i32', 'uniform'), buffer('y', 1, 'vec2<i32>', 'output')], [{ kind: 'store', buffer: 'y', index, value: loadVector('n', 2) }]));
    expect(code).toContain(`fn vyre_load2_b_n(v: u32) -> vec2<i32> {
  let n = arrayLength(&b_n);
  let i = v * 2u;
  if (v < n / 2u) { return vec2<i32>(b_n[i], b_n[i + 1u]); }
  var r = vec2<i32>();
  if (v == n / 2u) {
    let tail = n - i;
    if (tail > 0u) { r.x = b_n[i]; }
  }
  return r;
}`);
  });

  it('uses the static count of a workgroup buffer as its length', () => {
    const tile: IrBuffer = { name: 'tile', binding: -1, access: 'workgroup', type: 'i32', count: 6 };
    const code = lowered(ir([tile, buffer('y', 0, 'i32', 'output')], [storeVector('tile', 2, loadVector('tile', 2)), storeVector('y', 2, loadVector('tile', 2))]));
    expect(code).toContain(`fn vyre_store2_w_tile(v: u32, value: vec2<i32>) {
  let n = 6u;
  let i = v * 2u;
  if (v < n / 2u) {
    w_tile[i] = value.x;
    w_tile[i + 1u] = value.y;
  } else if (v == n / 2u) {
    let tail = n - i;
    if (tail > 0u) { w_tile[i] = value.x; }
  }
}`);
    expect(code).toContain('var<workgroup> w_tile: array<i32, 6>;');
  });
});

describe('floats', () => {
  it('lowers loads and stores the same under both float policies: they are exact', () => {
    const helpers = (code: string): string => code.slice(code.indexOf('fn vyre_load4_b_x'), code.indexOf('@compute'));
    expect(helpers(lowered(COPY, 'fast'))).toBe(helpers(lowered(COPY, 'exact')));
  });

  it('treats a loaded vector as a factor that cannot be a sum: an exact product of two pays no guard', () => {
    const square = ir([buffer('x', 0, 'f32'), buffer('y', 1, 'f32', 'output')], [
      storeVector('y', 4, { kind: 'binary', op: 'mul', left: loadVector('x', 4), right: loadVector('x', 4) }),
    ]);
    const code = lowered(square);
    expect(mainBody(code)).toContain('vyre_mul_vec4_f32(vyre_load4_b_x(vyre_linear_index), vyre_load4_b_x(vyre_linear_index), vyre_one_f32)');
    expect(code).not.toContain('vyre_keep_');
  });
});

describe('every module with vector access parses', () => {
  const cases = (['f32', 'i32', 'u32'] as const).flatMap((type) =>
    ([2, 4] as const).flatMap((width) => (['read', 'uniform', 'read-write', 'output'] as const).map((access) => [type, width, access] as const)),
  );
  it.each(cases)('%s, width %s, from a %s buffer', (type, width, access) => {
    const program = ir([buffer('x', 0, type, access), buffer('y', 1, type, 'output')], [storeVector('y', width, loadVector('x', width))]);
    expect(reflectModule(lowered(program)).resources.map((resource) => resource.name)).toEqual(['b_x', 'b_y']);
  });
});
