/** The shape check the vec4 matmul kernels share. */
import { VyreError } from '../errors.ts';

/**
 * @throws VyreError `invalid-input` when `N` or `K` is not a multiple of 4 (a vec4 kernel
 *   reads rows of A and B four floats at a time).
 */
export function requireQuads(kernel: string, N: number, K: number): void {
  if (N % 4 === 0 && K % 4 === 0) return;
  throw new VyreError('invalid-input', `${kernel} needs N and K that are multiples of 4; got N = ${N}, K = ${K}.`, 'use matmul (any shape) for these sizes, or pad B and A with zero columns.', { N, K });
}
