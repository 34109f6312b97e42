/**
 * The hand-written WGSL of the kernels suite: the best kernels we could write for each
 * job, to hold vyre-web and tfjs against.
 *
 * - matmul: register-blocked. Each invocation computes a 4×4 block of C in registers as
 *   four vec4 accumulators, so every value it loads is used four times. Two layouts:
 *   `shared` stages 64×16 tiles of A and 16×64 tiles of B in workgroup memory (16×16
 *   invocations cover a 64×64 tile of C; A is stored transposed so both tiles are read as
 *   vec4), the classic GPU shape; `direct` reads A and B straight from storage, four k at
 *   a time, with no workgroup memory and no barriers. Loads are vec4 when K and N are
 *   multiples of 4 and scalar with per-element bounds otherwise, so any M, N, K works.
 * - element-wise (relu, saxpy, the 100-op chain): one vec4 per invocation, the chain fused
 *   into one pass with the value in a register. Buffers are viewed as vec4 (the rig pads
 *   them to a multiple of 4 elements); grids past 65,535 workgroups fold into y.
 * Every operation is a separate WGSL operation (no fma), like the references.
 */
import { CHAIN_OPS } from './kernels-workloads.ts';

export type MatmulLayout = 'shared' | 'direct';

/** Invocations per workgroup of the element-wise kernels. */
export const ELEMENTWISE_WORKGROUP = 64;

/** C elements per side that one workgroup of each layout covers. */
const MATMUL_BLOCK: Readonly<Record<MatmulLayout, number>> = { shared: 64, direct: 32 };

/** Workgroups (x over columns of C, y over rows) of the matmul in `layout`. */
export function matmulGrid(layout: MatmulLayout, M: number, N: number): [number, number] {
  return [Math.ceil(N / MATMUL_BLOCK[layout]), Math.ceil(M / MATMUL_BLOCK[layout])];
}

const MAX_GROUPS_PER_DIMENSION = 65535;

/** Workgroups for `vectors` vec4 invocations of an element-wise kernel, folded into y past the limit. */
export function elementwiseGrid(vectors: number): [number, number] {
  const groups = Math.ceil(vectors / ELEMENTWISE_WORKGROUP);
  const rows = Math.ceil(groups / MAX_GROUPS_PER_DIMENSION);
  return [Math.ceil(groups / rows), rows];
}

const DIMS = 'struct Dims { M: u32, N: u32, K: u32, pad: u32 }\n@group(0) @binding(3) var<uniform> dims: Dims;';

/** loadA4(row, k): A[row][k..k+3]; loadB4(k, col): B[k][col..col+3]; storeC4; zeros past the edges. */
function matmulAccess(vec4Loads: boolean): string {
  if (vec4Loads) {
    return `@group(0) @binding(0) var<storage, read> a: array<vec4f>;
@group(0) @binding(1) var<storage, read> b: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> c: array<vec4f>;
fn loadA4(row: u32, k: u32) -> vec4f {
  if (row >= dims.M || k >= dims.K) { return vec4f(); }
  return a[(row * dims.K + k) / 4u];
}
fn loadB4(k: u32, col: u32) -> vec4f {
  if (k >= dims.K || col >= dims.N) { return vec4f(); }
  return b[(k * dims.N + col) / 4u];
}
fn storeC4(row: u32, col: u32, v: vec4f) {
  if (row < dims.M && col < dims.N) { c[(row * dims.N + col) / 4u] = v; }
}`;
  }
  return `@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> c: array<f32>;
fn loadA4(row: u32, k: u32) -> vec4f {
  var v = vec4f();
  if (row >= dims.M) { return v; }
  for (var j = 0u; j < 4u; j++) { if (k + j < dims.K) { v[j] = a[row * dims.K + k + j]; } }
  return v;
}
fn loadB4(k: u32, col: u32) -> vec4f {
  var v = vec4f();
  if (k >= dims.K) { return v; }
  for (var j = 0u; j < 4u; j++) { if (col + j < dims.N) { v[j] = b[k * dims.N + col + j]; } }
  return v;
}
fn storeC4(row: u32, col: u32, v: vec4f) {
  if (row >= dims.M) { return; }
  for (var j = 0u; j < 4u; j++) { if (col + j < dims.N) { c[row * dims.N + col + j] = v[j]; } }
}`;
}

/** Four rows of one k step: acc[i] += a_i · bRow, with a_i the i-th row's A value. */
const ACCUMULATE = (aName: string, bName: string): string =>
  [0, 1, 2, 3].map((i) => `acc[${i}] = acc[${i}] + ${aName}.${'xyzw'[i]} * ${bName};`).join('\n    ');

const SHARED_MAIN = `var<workgroup> tileA: array<vec4f, 256>; // [k * 16 + q]: A rows 4q..4q+3 at k (transposed)
var<workgroup> tileB: array<vec4f, 256>; // [k * 16 + q]: B columns 4q..4q+3 at k
@compute @workgroup_size(16, 16)
fn main(@builtin(local_invocation_id) lid: vec3u, @builtin(workgroup_id) wid: vec3u) {
  let tid = lid.y * 16u + lid.x;
  let row0 = wid.y * 64u;
  let col0 = wid.x * 64u;
  // Loading: 256 invocations, one vec4 of A (row tid/4, k 4·(tid%4)) and one of B each.
  let aRow = tid / 4u;
  let aK = (tid % 4u) * 4u;
  let bK = tid / 16u;
  let bQuad = tid % 16u;
  var acc: array<vec4f, 4>;
  for (var k0 = 0u; k0 < dims.K; k0 += 16u) {
    let av = loadA4(row0 + aRow, k0 + aK);
    for (var j = 0u; j < 4u; j++) { tileA[(aK + j) * 16u + aRow / 4u][aRow % 4u] = av[j]; }
    tileB[bK * 16u + bQuad] = loadB4(k0 + bK, col0 + bQuad * 4u);
    workgroupBarrier();
    for (var k = 0u; k < 16u; k++) {
      let a4 = tileA[k * 16u + lid.y];
      let b4 = tileB[k * 16u + lid.x];
      ${ACCUMULATE('a4', 'b4')}
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i++) { storeC4(row0 + lid.y * 4u + i, col0 + lid.x * 4u, acc[i]); }
}`;

const DIRECT_MAIN = `@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let row0 = gid.y * 4u;
  let col0 = gid.x * 4u;
  var acc: array<vec4f, 4>;
  for (var k = 0u; k < dims.K; k += 4u) {
    // A: 4 rows × 4 k, as columns of k; B: 4 k rows × 4 columns.
    let r0 = loadA4(row0, k); let r1 = loadA4(row0 + 1u, k); let r2 = loadA4(row0 + 2u, k); let r3 = loadA4(row0 + 3u, k);
    for (var j = 0u; j < 4u; j++) {
      let a4 = vec4f(r0[j], r1[j], r2[j], r3[j]);
      let b4 = loadB4(k + j, col0);
      ${ACCUMULATE('a4', 'b4')}
    }
  }
  for (var i = 0u; i < 4u; i++) { storeC4(row0 + i, col0, acc[i]); }
}`;

/** The register-blocked matmul in `layout`, with vec4 loads when `K` and `N` allow them. */
export function matmulWgsl(layout: MatmulLayout, vec4Loads: boolean): string {
  return [DIMS, matmulAccess(vec4Loads), layout === 'shared' ? SHARED_MAIN : DIRECT_MAIN].join('\n');
}

/** WGSL f32 literal of a constant that is exact in f32 (the chain's are dyadic). */
const literal = (value: number): string => `${String(value)}f`;

/** The chain's steps on `v` (a vec4f), one statement per op. */
export function chainStatements(): string {
  return CHAIN_OPS.map(({ op, constant }) => {
    const c = literal(constant);
    return op === 'mul' ? `v = v * ${c};` : op === 'add' ? `v = v + ${c};` : `v = max(v, vec4f(${c}));`;
  }).join('\n  ');
}

/**
 * The chain's steps with the exact policy's promise kept by hand: each product's bits pass
 * through an XOR with `z`, a run-time zero (vec4u), so no compiler can fuse it into the add
 * that follows (docs/semantics.md, "Contraction"): the best hand-written WGSL that rounds every
 * product on its own, as vyre-web's exact lowering does.
 */
export function exactChainStatements(): string {
  return CHAIN_OPS.map(({ op, constant }) => {
    const c = literal(constant);
    return op === 'mul' ? `v = bitcast<vec4f>(bitcast<vec4u>(v * ${c}) ^ z);` : op === 'add' ? `v = v + ${c};` : `v = max(v, vec4f(${c}));`;
  }).join('\n  ');
}

/** An element-wise vec4 kernel: `x` read, `y` read-write, `body` computes `y[i]` from `x[i]`. */
function elementwiseWgsl(extra: string, body: string): string {
  return `@group(0) @binding(0) var<storage, read> x: array<vec4f>;
@group(0) @binding(1) var<storage, read_write> y: array<vec4f>;
${extra}
@compute @workgroup_size(${ELEMENTWISE_WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * ${ELEMENTWISE_WORKGROUP}u;
  if (i >= arrayLength(&y)) { return; }
  ${body}
}`;
}

export const RELU_WGSL = elementwiseWgsl('', 'y[i] = max(x[i], vec4f(0.0));');

export const SAXPY_WGSL = elementwiseWgsl(
  'struct Params { alpha: f32 }\n@group(0) @binding(2) var<uniform> params: Params;',
  'y[i] = params.alpha * x[i] + y[i];',
);

export const CHAIN_WGSL = elementwiseWgsl('', `var v = x[i];\n  ${chainStatements()}\n  y[i] = v;`);

/** A run-time zero for the exact kernels' rounding guards (binding 2, all zero bits). */
const GUARD = 'struct Guard { zero: u32 }\n@group(0) @binding(2) var<uniform> guard: Guard;';

/** {@link CHAIN_WGSL} with every product rounded on its own (see {@link exactChainStatements}). */
export const CHAIN_EXACT_WGSL = elementwiseWgsl(GUARD, `let z = vec4u(guard.zero);\n  var v = x[i];\n  ${exactChainStatements()}\n  y[i] = v;`);

/** {@link SAXPY_WGSL} with the product rounded before the add; `zero` sits after `alpha` (bits 0). */
export const SAXPY_EXACT_WGSL = elementwiseWgsl(
  'struct Params { alpha: f32, zero: u32 }\n@group(0) @binding(2) var<uniform> params: Params;',
  'y[i] = bitcast<vec4f>(bitcast<vec4u>(params.alpha * x[i]) ^ vec4u(params.zero)) + y[i];',
);
