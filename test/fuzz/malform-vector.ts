/**
 * Vector malformations: programs that break one rule of docs/semantics.md "Vectors" and
 * must be rejected with `invalid-program`. Each comes with its valid twin, the nearest
 * program that keeps the rule, so a test can show that the one broken rule, and nothing
 * else, is what gets the program rejected.
 *
 * A case adds to any valid program (patches are self-contained: their own workgroup
 * buffer and param, names no generated program uses), so the fuzzer can apply it to
 * whatever it generated.
 */

type Json = unknown;

/** What a case adds to a program: buffers, params and one statement at the end of the body. */
export interface Patch {
  readonly buffers?: readonly Json[];
  readonly params?: readonly Json[];
  readonly statement?: Json;
}

export interface VectorMalformation {
  /** The rule it breaks. */
  readonly name: string;
  readonly bad: Patch;
  /** The same addition keeping the rule: must be valid. */
  readonly good: Patch;
}

const lit = (type: string, value: number | boolean): Json => ({ kind: 'literal', type, value });
const u32 = lit('u32', 1);
const f32 = lit('f32', 1.5);
const splat = (type: string, value: Json): Json => ({ kind: 'splat', type, value });
const vector = (type: string, ...components: Json[]): Json => ({ kind: 'vector', type, components });
const bin = (op: string, left: Json, right: Json): Json => ({ kind: 'binary', op, left, right });
const v2u = splat('vec2<u32>', u32);
const v4u = splat('vec4<u32>', u32);
const v2i = splat('vec2<i32>', lit('i32', -1));
const v2f = splat('vec2<f32>', f32);
const v4f = splat('vec4<f32>', f32);
/** `load-vector` and `store-vector` of `width` elements of the buffer `buffer`, at vector 1. */
const loadVector = (buffer: string, width: number): Json => ({ kind: 'load-vector', buffer, width, index: u32 });
const storeVector = (buffer: string, width: number, value: Json): Json => ({ kind: 'store-vector', buffer, width, index: u32, value });
/** `let vz = value;` — `vz` is a name the generator never uses. */
const letZ = (value: Json): Patch => ({ statement: { kind: 'let', name: 'vz', value } });
/** A workgroup buffer `wv` of `type`: it needs no binding, so it fits beside any program's storage buffers. */
const scratch = (type: string): Json => ({ name: 'wv', binding: -1, access: 'workgroup', type, count: 4 });

const CASES: readonly (readonly [name: string, bad: Patch, good: Patch])[] = [
  ['component index past a vec2', letZ({ kind: 'component', value: v2u, index: 2 }), letZ({ kind: 'component', value: v2u, index: 1 })],
  ['component index past a vec4', letZ({ kind: 'component', value: v4f, index: 4 }), letZ({ kind: 'component', value: v4f, index: 3 })],
  ['component of a scalar', letZ({ kind: 'component', value: u32, index: 0 }), letZ({ kind: 'component', value: v2u, index: 0 })],
  ['vector with too few components', letZ(vector('vec4<f32>', f32, f32, f32)), letZ(vector('vec4<f32>', f32, f32, f32, f32))],
  ['vector with too many components', letZ(vector('vec2<i32>', lit('i32', 1), lit('i32', 2), lit('i32', 3))), letZ(vector('vec2<i32>', lit('i32', 1), lit('i32', 2)))],
  ['vector with a component of another type', letZ(vector('vec2<u32>', u32, lit('i32', 1))), letZ(vector('vec2<u32>', u32, u32))],
  ['vector of a scalar type', letZ(vector('u32', u32)), letZ(vector('vec2<u32>', u32, u32))],
  ['less-than of vectors', letZ(bin('lt', v2f, v2f)), letZ(bin('sub', v2f, v2f))],
  ['eq of vectors', letZ(bin('eq', v4u, v4u)), letZ(bin('bit-xor', v4u, v4u))],
  ['and of vectors', letZ(bin('and', v2u, v2u)), letZ(bin('bit-and', v2u, v2u))],
  ['not of a vector', letZ({ kind: 'unary', op: 'not', value: v2u }), letZ({ kind: 'unary', op: 'bit-not', value: v2u })],
  ['scalar plus vector', letZ(bin('add', u32, v2u)), letZ(bin('add', v2u, v2u))],
  ['vector times scalar', letZ(bin('mul', v4f, f32)), letZ(bin('mul', v4f, v4f))],
  ['vectors of two widths', letZ(bin('add', v2u, v4u)), letZ(bin('add', v4u, v4u))],
  ['shift by an i32 vector', letZ(bin('shl', v2i, v2i)), letZ(bin('shl', v2i, v2u))],
  ['shift of a vector by a scalar', letZ(bin('shr', v2u, u32)), letZ(bin('shr', v2u, v2u))],
  ['mul-high of f32 vectors', letZ(bin('mul-high', v2f, v2f)), letZ(bin('mul-high', v2u, v2u))],
  ['cast of a scalar to a vector', letZ({ kind: 'cast', type: 'vec2<f32>', value: u32 }), letZ({ kind: 'cast', type: 'vec2<f32>', value: v2u })],
  ['cast of a vector to another width', letZ({ kind: 'cast', type: 'vec4<f32>', value: v2u }), letZ({ kind: 'cast', type: 'vec2<f32>', value: v2u })],
  ['cast of a vector to a scalar', letZ({ kind: 'cast', type: 'u32', value: v2f }), letZ({ kind: 'cast', type: 'u32', value: { kind: 'component', value: v2f, index: 0 } })],
  ['select on a vector condition', letZ({ kind: 'select', cond: v2u, ifTrue: v2f, ifFalse: v2f }), letZ({ kind: 'select', cond: lit('bool', true), ifTrue: v2f, ifFalse: v2f })],
  ['select between a vector and a scalar', letZ({ kind: 'select', cond: lit('bool', true), ifTrue: v2f, ifFalse: f32 }), letZ({ kind: 'select', cond: lit('bool', true), ifTrue: v2f, ifFalse: v2f })],
  ['fma of a vector and a scalar', letZ({ kind: 'fma', a: v2f, b: f32, c: v2f }), letZ({ kind: 'fma', a: v2f, b: v2f, c: v2f })],
  ['fma of integer vectors', letZ({ kind: 'fma', a: v2u, b: v2u, c: v2u }), letZ({ kind: 'fma', a: v2f, b: v2f, c: v2f })],
  ['dot of scalars', letZ({ kind: 'dot', left: f32, right: f32 }), letZ({ kind: 'dot', left: v2f, right: v2f })],
  ['dot of two vector types', letZ({ kind: 'dot', left: v2f, right: v2i }), letZ({ kind: 'dot', left: v2i, right: v2i })],
  ['splat of a vector', letZ(splat('vec2<u32>', v2u)), letZ(splat('vec2<u32>', u32))],
  ['splat of another component type', letZ(splat('vec2<u32>', f32)), letZ(splat('vec2<f32>', f32))],
  ['splat to a scalar type', letZ(splat('u32', u32)), letZ(splat('vec2<u32>', u32))],
  ['a vec3<f32>', letZ(splat('vec3<f32>', f32)), letZ(splat('vec4<f32>', f32))],
  ['a vec4<bool>', letZ(splat('vec4<bool>', lit('bool', true))), letZ(splat('vec4<u32>', u32))],
  ['a vec3<f32> buffer', { buffers: [scratch('vec3<f32>')] }, { buffers: [scratch('vec4<f32>')] }],
  ['a vec4<bool> buffer', { buffers: [scratch('vec4<bool>')] }, { buffers: [scratch('vec4<u32>')] }],
  ['a vector literal', letZ(lit('vec2<u32>', 1)), letZ(lit('u32', 1))],
  ['a vector param', { params: [{ name: 'pv', type: 'vec2<f32>' }] }, { params: [{ name: 'pv', type: 'f32' }] }],
  [
    'an atomic on a vector buffer',
    { buffers: [scratch('vec2<u32>')], statement: { kind: 'let', name: 'vz', value: { kind: 'atomic', op: 'add', buffer: 'wv', index: lit('u32', 0), value: u32 } } },
    { buffers: [scratch('u32')], statement: { kind: 'let', name: 'vz', value: { kind: 'atomic', op: 'add', buffer: 'wv', index: lit('u32', 0), value: u32 } } },
  ],
  [
    'a vec2 stored into a vec4 buffer',
    { buffers: [scratch('vec4<u32>')], statement: { kind: 'store', buffer: 'wv', index: lit('u32', 0), value: v2u } },
    { buffers: [scratch('vec4<u32>')], statement: { kind: 'store', buffer: 'wv', index: lit('u32', 0), value: v4u } },
  ],
  [
    'a vector index',
    { buffers: [scratch('vec2<f32>')], ...letZ({ kind: 'load', buffer: 'wv', index: v2u }) },
    { buffers: [scratch('vec2<f32>')], ...letZ({ kind: 'load', buffer: 'wv', index: u32 }) },
  ],
  [
    'a vector load of width 3 from a scalar buffer',
    { buffers: [scratch('u32')], ...letZ(loadVector('wv', 3)) },
    { buffers: [scratch('u32')], ...letZ(loadVector('wv', 4)) },
  ],
  [
    'a vector load from a vector buffer',
    { buffers: [scratch('vec2<u32>')], ...letZ(loadVector('wv', 2)) },
    { buffers: [scratch('u32')], ...letZ(loadVector('wv', 2)) },
  ],
  [
    'a vector store into a bool buffer',
    { buffers: [scratch('bool')], statement: storeVector('wv', 2, v2u) },
    { buffers: [scratch('u32')], statement: storeVector('wv', 2, v2u) },
  ],
  [
    'a vector store into a buffer an atomic touches',
    { buffers: [scratch('u32')], statement: { kind: 'block', body: [{ kind: 'let', name: 'vz', value: { kind: 'atomic', op: 'add', buffer: 'wv', index: u32, value: u32 } }, storeVector('wv', 2, v2u)] } },
    { buffers: [scratch('u32')], statement: { kind: 'block', body: [{ kind: 'let', name: 'vz', value: { kind: 'atomic', op: 'add', buffer: 'wv', index: u32, value: u32 } }, { kind: 'store', buffer: 'wv', index: u32, value: u32 }] } },
  ],
  [
    'a loop over vectors',
    { statement: { kind: 'loop', var: 'vk', from: splat('vec2<u32>', lit('u32', 0)), to: v2u, body: [] } },
    { statement: { kind: 'loop', var: 'vk', from: lit('u32', 0), to: u32, body: [] } },
  ],
];

export const VECTOR_MALFORMATIONS: readonly VectorMalformation[] = CASES.map(([name, bad, good]) => ({ name, bad, good }));

/** `program` (a valid program as plain data) with `patch` added. */
export function applyPatch(program: Record<string, Json>, patch: Patch): Record<string, Json> {
  return {
    ...program,
    buffers: [...(program['buffers'] as Json[]), ...(patch.buffers ?? [])],
    params: [...(program['params'] as Json[]), ...(patch.params ?? [])],
    body: [...(program['body'] as Json[]), ...(patch.statement === undefined ? [] : [patch.statement])],
  };
}
