/**
 * The normalized digest of IR programs: deterministic, blind to what lowering does not
 * read (program name, output sizing, declaration order of bound buffers), changed by
 * everything it does read, and stable for old programs when node kinds are added.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { programDigest } from '../../src/program/digest.ts';
import type { Expr, IrBuffer, IrProgram, Stmt } from '../../src/protocol/ir.ts';
import { program as build } from '../../src/program/builder.ts';
import { taggedF64, taggedText, taggedU32 } from './support/reference-framing.ts';
import { generateCase, seedAccessesScalarsAsVectors, seedHasVectors } from '../fuzz/generate.ts';

const X: IrBuffer = { name: 'x', binding: 0, access: 'read', type: 'u32' };
const Y: IrBuffer = { name: 'y', binding: 1, access: 'output', type: 'u32' };
const I: Expr = { kind: 'var', name: 'i' };

function tiny(patch: Partial<IrProgram> = {}): IrProgram {
  const body: Stmt[] = [
    { kind: 'let', name: 'i', value: { kind: 'builtin', name: 'linear-index', axis: 0 } },
    { kind: 'store', buffer: 'y', index: I, value: { kind: 'binary', op: 'add', left: { kind: 'load', buffer: 'x', index: I }, right: { kind: 'literal', type: 'u32', value: 1 } } },
  ];
  return { kind: 'ir', workgroupSize: [64, 1, 1], buffers: [X, Y], params: [], body, ...patch };
}

/**
 * The documented framing (src/hash/framing.ts, src/program/ir-digest.ts) written out
 * independently with Buffer and node:crypto, for exactly the shape of `tiny()`.
 */
function referenceDigestOfTiny(p: IrProgram): string {
  const tagged = taggedU32;
  const text = taggedText;
  const f64 = (value: number): Buffer => taggedF64(0x05, value);
  const u32 = (v: number) => tagged(0x01, v);
  const str = (v: string) => text(0x02, v);
  const list = (n: number) => tagged(0x04, n);
  const [x, y] = [...p.buffers].sort((a, b) => a.binding - b.binding);
  if (!x || !y) throw new Error('tiny() has two buffers');
  const varI = [u32(2), str('i')];
  const fields = [
    text(0x03, 'vyre-web/program-digest/ir/v1'),
    ...p.workgroupSize.map(u32),
    list(2),
    ...[x, y].flatMap((b) => [u32(b.binding), str(b.name), str(b.access), str(b.type)]),
    list(0), // workgroup buffers
    list(0), // params
    list(2), // body
    u32(101), str('i'), u32(6), str('linear-index'), u32(0), // let i = builtin
    u32(103), str('y'), ...varI, // store y[i] =
    u32(8), str('add'), u32(4), str('x'), ...varI, u32(1), str('u32'), f64(1), // add(load x[i], 1u)
  ];
  return createHash('sha256').update(Buffer.concat(fields)).digest('hex');
}

describe('IR program digest', () => {
  it('matches an independent implementation of the documented framing', () => {
    expect(programDigest(tiny())).toBe(referenceDigestOfTiny(tiny()));
  });

  it('is pinned for v1 framing (a framing change needs a new version label)', () => {
    // Pinned from the independent reference above on 2026-11-27.
    expect(programDigest(tiny())).toBe(referenceDigestOfTiny(tiny()));
    expect(programDigest(tiny())).toBe(GOLDEN_TINY);
  });

  it('is deterministic and 64 lowercase hex characters', () => {
    expect(programDigest(tiny())).toMatch(/^[0-9a-f]{64}$/);
    expect(programDigest(tiny())).toBe(programDigest(tiny()));
  });

  it('is memoized per program object', () => {
    const p = tiny();
    expect(programDigest(p)).toBe(programDigest(p));
  });

  it('ignores the program name, output sizing and the order buffers are declared in', () => {
    const base = programDigest(tiny());
    expect(programDigest(tiny({ name: 'renamed' }))).toBe(base);
    expect(programDigest(tiny({ buffers: [Y, X] }))).toBe(base);
    expect(programDigest(tiny({ buffers: [X, { ...Y, sizing: { kind: 'static', count: 10 } }] }))).toBe(base);
    expect(programDigest(tiny({ buffers: [X, { ...Y, sizing: { kind: 'static', count: 99_999 } }] }))).toBe(base);
  });

  it('changes when two bindings are swapped', () => {
    expect(programDigest(tiny({ buffers: [{ ...X, binding: 1 }, { ...Y, binding: 0 }] }))).not.toBe(programDigest(tiny()));
  });

  it.each<[string, Partial<IrProgram>]>([
    ['workgroup size', { workgroupSize: [32, 1, 1] }],
    ['a buffer type', { buffers: [{ ...X, type: 'i32' }, { ...Y, type: 'i32' }] }],
    ['a buffer access', { buffers: [{ ...X, access: 'uniform' }, Y] }],
    ['a param', { params: [{ name: 'n', type: 'u32' }] }],
    ['a workgroup buffer count', { buffers: [X, Y, { name: 'w', binding: -1, access: 'workgroup', type: 'u32', count: 4 }] }],
  ])('changes with %s', (_what, patch) => {
    expect(programDigest(tiny(patch))).not.toBe(programDigest(tiny()));
  });

  it('changes with any change of the body', () => {
    const base = programDigest(tiny());
    const literal2: Stmt[] = JSON.parse(JSON.stringify(tiny().body).replace('"value":1}', '"value":2}'));
    const subtract: Stmt[] = JSON.parse(JSON.stringify(tiny().body).replace('"op":"add"', '"op":"sub"'));
    const asI32: Stmt[] = JSON.parse(JSON.stringify(tiny().body).replace('"type":"u32","value":1', '"type":"i32","value":1'));
    const extra: Stmt[] = [...tiny().body, { kind: 'barrier' }];
    const region: Stmt[] = [{ kind: 'region', name: 'r', body: tiny().body }];
    const digests = [literal2, subtract, asI32, extra, region].map((body) => programDigest(tiny({ body })));
    expect(new Set([base, ...digests]).size).toBe(6);
  });

  it('keeps -0 and 0 literals apart', () => {
    const withLiteral = (value: number): IrProgram =>
      tiny({ body: [{ kind: 'let', name: 'z', value: { kind: 'literal', type: 'f32', value } }] });
    expect(programDigest(withLiteral(-0))).not.toBe(programDigest(withLiteral(0)));
  });

  it('cannot be collided by moving characters between adjacent names', () => {
    const names = (a: string, b: string): IrProgram =>
      tiny({ buffers: [{ ...X, name: a }, { ...Y, name: b }], body: [] });
    expect(programDigest(names('ab', 'c'))).not.toBe(programDigest(names('a', 'bc')));
    const lets = (a: string, b: string): IrProgram =>
      tiny({ body: [{ kind: 'let', name: a, value: { kind: 'literal', type: 'u32', value: 1 } }, { kind: 'let', name: b, value: { kind: 'literal', type: 'u32', value: 1 } }] });
    expect(programDigest(lets('ab', 'c'))).not.toBe(programDigest(lets('a', 'bc')));
  });

  it('is the same for a builder program and its JSON round trip (what the worker receives)', () => {
    const built = build({ workgroupSize: 64 }, (b) => {
      const x = b.buffer('x', 'u32', 'read');
      const y = b.buffer('y', 'u32', 'output');
      const i = b.let('i', b.linearIndex());
      y.store(i, x.load(i).add(1));
    });
    expect(programDigest(JSON.parse(JSON.stringify(built)) as IrProgram)).toBe(programDigest(built));
    expect(programDigest(built)).toBe(programDigest(tiny()));
  });
});

const GOLDEN_TINY = '41a8f2e9d74b4ffe3078b337a500860c23ce8a9197f769daa7b9e7d6e045719a';

describe('IR program digest of whole-vector access to scalar buffers', () => {
  const F: IrBuffer[] = [
    { name: 'x', binding: 0, access: 'read', type: 'f32' },
    { name: 'y', binding: 1, access: 'output', type: 'f32' },
  ];
  const LET_I: Stmt = { kind: 'let', name: 'i', value: { kind: 'builtin', name: 'linear-index', axis: 0 } };
  /** `y.storeVector(width, i, x.loadVector(width, i))`, or the same with `load-vector` widths set apart. */
  const copy = (storeWidth: 2 | 4, loadWidth: 2 | 4 = storeWidth): IrProgram => ({
    kind: 'ir',
    workgroupSize: [64, 1, 1],
    buffers: F,
    params: [],
    body: [LET_I, { kind: 'store-vector', buffer: 'y', width: storeWidth, index: I, value: { kind: 'load-vector', buffer: 'x', width: loadWidth, index: I } }],
  });

  /** The documented framing of `copy(4)`, written out independently: store-vector is tag 111, load-vector 17, each with its width after the buffer. */
  function referenceDigestOfCopy4(): string {
    const u32 = (v: number) => taggedU32(0x01, v);
    const str = (v: string) => taggedText(0x02, v);
    const varI = [u32(2), str('i')];
    const fields = [
      taggedText(0x03, 'vyre-web/program-digest/ir/v1'),
      u32(64), u32(1), u32(1),
      taggedU32(0x04, 2),
      ...F.flatMap((b) => [u32(b.binding), str(b.name), str(b.access), str(b.type)]),
      taggedU32(0x04, 0), // workgroup buffers
      taggedU32(0x04, 0), // params
      taggedU32(0x04, 2), // body
      u32(101), str('i'), u32(6), str('linear-index'), u32(0), // let i = builtin
      u32(111), str('y'), u32(4), ...varI, // store-vector y, width 4, at i:
      u32(17), str('x'), u32(4), ...varI, // load-vector x, width 4, at i
    ];
    return createHash('sha256').update(Buffer.concat(fields)).digest('hex');
  }

  it('frames load-vector and store-vector as documented: new tags, the width after the buffer name', () => {
    expect(programDigest(copy(4))).toBe(referenceDigestOfCopy4());
  });

  it('changes with the width of a load-vector or a store-vector, and sets them apart from load and store', () => {
    const scalarCopy: IrProgram = { ...copy(4), body: [LET_I, { kind: 'store', buffer: 'y', index: I, value: { kind: 'load', buffer: 'x', index: I } }] };
    const digests = [copy(4), copy(2), copy(4, 2), copy(2, 4), scalarCopy].map((p) => programDigest(p));
    expect(new Set(digests).size).toBe(5);
  });

  it('keeps the digest of every program without them: 249 fuzz programs digest as they did before load-vector existed', () => {
    // The digests of the programs of seeds 1000…1299 whose programs did not change (the
    // other 51 now load and store vectors of scalar buffers), computed with the tree before
    // this feature on 2026-11-30 and hashed together; scalar and vector programs alike.
    const kept = SEEDS_BEFORE.filter((seed) => !(seedHasVectors(seed) && seedAccessesScalarsAsVectors(seed)));
    const together = createHash('sha256');
    for (const seed of kept) together.update(programDigest(generateCase(seed).program));
    expect(kept).toHaveLength(249);
    expect(together.digest('hex')).toBe('ec59b0af9b106d9b84c38fcd54382eabb4a2bc6d00464902f5608e6419146cb4');
  });
});

const SEEDS_BEFORE = Array.from({ length: 300 }, (_, i) => 1000 + i);
