/** What the vec4 matmul kernels share: their buffers and params, and the shape check. */
import { VyreError } from '../errors.ts';
import type { ProgramBuilder } from '../program/builder.ts';

/**
 * @throws VyreError `invalid-input` when `N` or `K` is not a multiple of 4 (a vec4 kernel
 *   reads rows of A and B four floats at a time).
 */
export function requireQuads(kernel: string, N: number, K: number): void {
  if (N % 4 === 0 && K % 4 === 0) return;
  throw new VyreError('invalid-input', `${kernel} needs N and K that are multiples of 4; got N = ${N}, K = ${K}.`, 'use matmul (any shape) for these sizes, or pad B and A with zero columns.', { N, K });
}

/**
 * Declares a vec4 matmul's interface: `a`, `b` (read) and `c` (output) as `vec4<f32>`
 * arrays, params `M`, `N`, `K`, and `n4 = N / 4`, `k4 = K / 4` (row lengths in vectors).
 */
export function declareVec4Matmul(b: ProgramBuilder) {
  const a = b.buffer('a', 'vec4<f32>', 'read');
  const bm = b.buffer('b', 'vec4<f32>', 'read');
  const c = b.buffer('c', 'vec4<f32>', 'output');
  const M = b.param('M', 'u32');
  const N = b.param('N', 'u32');
  const K = b.param('K', 'u32');
  return { a, bm, c, M, N, K, n4: b.let('n4', N.shr(2)), k4: b.let('k4', K.shr(2)) };
}
