/**
 * The builder records vector programs as the IR defines them: numbers next to a vector are
 * splatted literals, shift amounts become u32 vectors, components and dot are their own
 * nodes, and the result validates.
 */
import { describe, expect, it } from 'vitest';
import { program } from '../../src/program/builder.ts';
import type { Expr } from '../../src/protocol/ir.ts';

const splatF32 = (value: number): Expr => ({ kind: 'splat', type: 'vec4<f32>', value: { kind: 'literal', type: 'f32', value } });

describe('the builder with vectors', () => {
  it('records vec4 buffers, a splatted literal, a component and a dot product', () => {
    const p = program({ name: 'v', workgroupSize: 64 }, (b) => {
      const x = b.buffer('x', 'vec4<f32>', 'read');
      const y = b.buffer('y', 'vec4<f32>', 'output');
      const s = b.buffer('s', 'f32', 'output');
      const v = x.load(0);
      y.store(0, v.mul(2));
      s.store(0, v.w().add(v.dot(v)));
    });
    const load: Expr = { kind: 'load', buffer: 'x', index: { kind: 'literal', type: 'u32', value: 0 } };
    expect(p.buffers.map((buffer) => buffer.type)).toEqual(['vec4<f32>', 'vec4<f32>', 'f32']);
    expect(p.body).toEqual([
      { kind: 'store', buffer: 'y', index: { kind: 'literal', type: 'u32', value: 0 }, value: { kind: 'binary', op: 'mul', left: load, right: splatF32(2) } },
      {
        kind: 'store',
        buffer: 's',
        index: { kind: 'literal', type: 'u32', value: 0 },
        value: { kind: 'binary', op: 'add', left: { kind: 'component', value: load, index: 3 }, right: { kind: 'dot', left: load, right: load } },
      },
    ]);
  });

  it('builds vectors from components and splats, and shifts by a u32 vector of the same width', () => {
    const p = program({ name: 'bits' }, (b) => {
      const y = b.buffer('y', 'vec2<i32>', 'output');
      const v = b.vector('vec2<i32>', 1, -2);
      y.store(0, v.shl(3).absDiff(b.splat('vec2<i32>', 5)).cast('vec2<i32>'));
    });
    const stored = p.body[0];
    expect(stored?.kind === 'store' && stored.value).toEqual({
      kind: 'cast',
      type: 'vec2<i32>',
      value: {
        kind: 'binary',
        op: 'abs-diff',
        left: {
          kind: 'binary',
          op: 'shl',
          left: { kind: 'vector', type: 'vec2<i32>', components: [{ kind: 'literal', type: 'i32', value: 1 }, { kind: 'literal', type: 'i32', value: -2 }] },
          right: { kind: 'splat', type: 'vec2<u32>', value: { kind: 'literal', type: 'u32', value: 3 } },
        },
        right: { kind: 'splat', type: 'vec2<i32>', value: { kind: 'literal', type: 'i32', value: 5 } },
      },
    });
  });

  it('refuses at build time what the validator refuses (a component past the width, through an untyped call)', () => {
    expect(() =>
      program({ name: 'bad' }, (b) => {
        const y = b.buffer('y', 'f32', 'output');
        y.store(0, b.vector('vec2<f32>', 1, 2).component(3 as 0));
      }),
    ).toThrow(/bad-component|component index/);
  });
});
