/**
 * A fourth contender for the kernels suite, to tell the runtime's cost from the kernel's:
 * vyre-web running the raw contender's hand-written WGSL through `wgsl()`. Beside raw
 * WebGPU it shows what vyre-web's worker, Comlink hop and dispatcher cost; beside the
 * library's own kernels it shows what a better kernel would buy.
 */
import { wgsl, type Runtime } from '../../src/index.ts';
import type { Contender } from './kernels-contender.ts';
import { CHAIN_WGSL, elementwiseGrid, matmulGrid, matmulWgsl, RELU_WGSL, SAXPY_WGSL, type MatmulLayout } from './kernels-raw-wgsl.ts';
import { createPlannedContender, type VyrePlan } from './kernels-vyre.ts';
import type { Workload } from './kernels-workloads.ts';

/** The raw kernel of `workload` as a vyre-web plan; outputs are sized in vec4 elements where the WGSL views them so. */
function vyreWgslPlan(workload: Workload, layout: MatmulLayout): VyrePlan {
  if (workload.kind === 'matmul') {
    const { M, N, K } = workload;
    const vec4 = K % 4 === 0 && N % 4 === 0;
    return {
      program: wgsl({ code: matmulWgsl(layout, vec4) }),
      arrays: { a: workload.a, b: workload.b },
      values: { dims: { M, N, K, pad: 0 } },
      options: { outputs: { c: vec4 ? (M * N) / 4 : M * N }, grid: matmulGrid(layout, M, N) },
      output: 'c',
    };
  }
  if (workload.x.length % 4 !== 0) throw new Error('kernels bench: the vec4 WGSL through vyre-web needs a multiple of 4 elements');
  const vectors = workload.x.length / 4;
  const options = { outputs: { y: vectors }, grid: elementwiseGrid(vectors) };
  switch (workload.kind) {
    case 'relu':
      return { program: wgsl({ code: RELU_WGSL }), arrays: { x: workload.x }, options, output: 'y' };
    case 'chain':
      return { program: wgsl({ code: CHAIN_WGSL }), arrays: { x: workload.x }, options, output: 'y' };
    case 'saxpy':
      return { program: wgsl({ code: SAXPY_WGSL }), arrays: { x: workload.x, y: workload.y }, values: { params: { alpha: workload.alpha } }, options, output: 'y' };
  }
}

/** Sets up vyre-web running the hand-written WGSL of `workload` on `runtime`. */
export function createVyreWgslContender(runtime: Runtime, workload: Workload, layout: MatmulLayout): Promise<Contender> {
  return createPlannedContender(runtime, vyreWgslPlan(workload, layout));
}
