/**
 * A seeded generator of **malformed** programs: each mutation breaks one rule for sure,
 * so every result must be rejected with `invalid-program` — no other exception, no hang.
 */
import type { IrProgram } from '../../src/protocol/ir.ts';
import { generateCase } from './generate.ts';
import { VECTOR_MALFORMATIONS, applyPatch } from './malform-vector.ts';
import { Random } from './random.ts';

type Json = unknown;

/** Each mutation takes a deep copy of a valid program and returns an invalid value. */
const MUTATIONS: readonly ((program: Record<string, Json>, random: Random) => Json)[] = [
  (p) => ({ ...p, kind: 'irr' }),
  (p) => ({ ...p, workgroupSize: [0, 1, 1] }),
  (p) => ({ ...p, workgroupSize: [2048, 1, 1] }),
  (p) => ({ ...p, workgroupSize: 'big' }),
  (p) => ({ ...p, body: 'not a list' }),
  // A duplicate of out_u (binding 3): the one buffer every generated program, scalar or vector, declares.
  (p) => ({ ...p, buffers: [...(p['buffers'] as Json[]), { name: 'out_u', binding: 40, access: 'read', type: 'u32' }] }),
  (p) => ({ ...p, buffers: [...(p['buffers'] as Json[]), { name: 'dup', binding: 3, access: 'read', type: 'u32' }] }),
  (p) => ({ ...p, buffers: [...(p['buffers'] as Json[]), { name: 'w', binding: -1, access: 'workgroup', type: 'u32' }] }),
  (p) => ({ ...p, params: [{ name: 'x', type: 'f64' }] }),
  (p) => appendStmt(p, { kind: 'store', buffer: readBuffer(p), index: lit('u32', 0), value: lit('u32', 1) }),
  (p) => appendStmt(p, { kind: 'store', buffer: 'nope', index: lit('u32', 0), value: lit('u32', 1) }),
  (p) => appendStmt(p, { kind: 'store', buffer: 'out_u', index: lit('u32', 0), value: lit('f32', 1) }),
  (p) => appendStmt(p, { kind: 'let', name: 'z', value: lit('f32', Number.NaN) }),
  (p) => appendStmt(p, { kind: 'let', name: 'z', value: lit('f32', Number.POSITIVE_INFINITY) }),
  (p) => appendStmt(p, { kind: 'store', buffer: 'out_u', index: lit('u32', 0), value: lit('u32', -1) }),
  (p) => appendStmt(p, { kind: 'store', buffer: 'out_u', index: lit('u32', 0), value: lit('u32', 1.5) }),
  (p) => appendStmt(p, { kind: 'assign', name: 'undeclared', value: lit('u32', 1) }),
  (p) => appendStmt(p, { kind: 'let', name: 'i', value: lit('u32', 1) }),
  (p) => appendStmt(p, { kind: 'break' }),
  (p) => appendStmt(p, { kind: 'if', cond: { kind: 'binary', op: 'lt', left: { kind: 'builtin', name: 'local-index', axis: 0 }, right: lit('u32', 3) }, then: [{ kind: 'barrier' }], otherwise: [] }),
  (p) => appendStmt(p, { kind: 'let', name: 'z', value: { kind: 'atomic', op: 'add', buffer: readBuffer(p), index: lit('u32', 0), value: lit('u32', 1) } }),
  (p) => appendStmt(
    { ...p, buffers: [...(p['buffers'] as Json[]), { name: 'wf', binding: -1, access: 'workgroup', type: 'f32', count: 4 }] },
    { kind: 'let', name: 'z', value: { kind: 'atomic', op: 'add', buffer: 'wf', index: lit('u32', 0), value: lit('f32', 1) } },
  ),
  (p) => appendStmt(p, { kind: 'let', name: 'z', value: { kind: 'binary', op: 'add', left: lit('bool', true), right: lit('bool', false) } }),
  (p) => appendStmt(p, { kind: 'let', name: 'z', value: { kind: 'binary', op: 'shl', left: lit('u32', 1), right: lit('i32', 1) } }),
  (p) => appendStmt(p, { kind: 'let', name: 'z', value: { kind: 'unary', op: 'sqrt', value: lit('u32', 4) } }),
  (p) => appendStmt(p, { kind: 'let', name: 'z', value: { kind: 'builtin', name: 'global-id', axis: 3 } }),
  (p) => appendStmt(p, { kind: 'let', name: 'z', value: { kind: 'param', name: 'nope' } }),
  (p) => appendStmt(p, { kind: 'let', name: 'z', value: { kind: 'load', buffer: 'out_u', index: lit('i32', 0) } }),
  (p) => appendStmt(p, { kind: 'let', name: 'z', value: 42 }),
  (p) => appendStmt(p, { kind: 'let', name: '9bad', value: lit('u32', 1) }),
  (p) => appendStmt(p, { kind: 'loop', var: 'k', from: lit('u32', 0), to: lit('i32', 3), body: [] }),
  (p) => appendStmt(p, { kind: 'loop', var: 'k', from: lit('u32', 0), to: lit('u32', 3), body: [{ kind: 'assign', name: 'k', value: lit('u32', 1) }] }),
  (p) => appendStmt(p, { kind: 'let', name: 'z', value: deepExpr(80) }),
  (p) => appendStmt(p, { kind: 'unknown-statement' }),
  (p) => appendStmt(p, null),
  (p, r) => dropField(p, r),
  (p) => {
    const cyclic: Json[] = [];
    cyclic.push({ kind: 'block', body: cyclic });
    return { ...p, body: cyclic };
  },
  () => 'a string',
  () => null,
  () => [1, 2, 3],
  // Vector rules (malform-vector.ts): each case is self-contained, so it breaks any program.
  ...VECTOR_MALFORMATIONS.map(({ bad }) => (p: Record<string, Json>) => applyPatch(p, bad)),
];

/** Index (mod {@link MUTATION_COUNT}) of the first vector malformation; they run to the end of the list. */
export const FIRST_VECTOR_MUTATION = MUTATIONS.length - VECTOR_MALFORMATIONS.length;

function lit(type: string, value: number | boolean): Json {
  return { kind: 'literal', type, value };
}

function deepExpr(depth: number): Json {
  let expr: Json = lit('u32', 1);
  for (let i = 0; i < depth; i++) expr = { kind: 'unary', op: 'bit-not', value: expr };
  return expr;
}

/**
 * A read-only input of `program`: scalar programs have `in_u`, vector ones may not (they
 * keep four of the scalar buffers), but every generated program has one.
 */
function readBuffer(program: Record<string, Json>): string {
  const buffer = (program['buffers'] as { name: string; access: string }[]).find((b) => b.access === 'read');
  if (buffer === undefined) throw new Error('a generated program without an input');
  return buffer.name;
}

function appendStmt(program: Record<string, Json>, statement: Json): Json {
  return { ...program, body: [...(program['body'] as Json[]), statement] };
}

function dropField(program: Record<string, Json>, random: Random): Json {
  const required = ['kind', 'workgroupSize', 'buffers', 'params', 'body'];
  const copy = { ...program };
  delete copy[random.pick(required)];
  return copy;
}

/** The `index`-th malformed program of the run seeded by `seed`. */
export function malformedProgram(seed: number, index: number): Json {
  const random = new Random(seed * 7919 + index);
  const base = JSON.parse(JSON.stringify(generateCase(seed + index).program)) as IrProgram & Record<string, Json>;
  const mutate = MUTATIONS[index % MUTATIONS.length];
  if (mutate === undefined) throw new Error('no mutation');
  return mutate(base, random);
}

export const MUTATION_COUNT = MUTATIONS.length;
