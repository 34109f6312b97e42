/** The two kernels the demo compiles, each with a CPU reference to check the GPU against. */
import { wgsl, type ElementArray, type WgslProgram } from '../src/index.ts';

export interface DemoKernel {
  readonly name: string;
  readonly program: WgslProgram;
  readonly inputs: () => Record<string, ElementArray>;
  readonly output: string;
  readonly reference: (inputs: Record<string, ElementArray>) => number[];
}

export const DEMO_KERNELS: readonly DemoKernel[] = [
  {
    name: 'axpy (f32)',
    program: wgsl({
      code: `
        @group(0) @binding(0) var<storage, read> x: array<f32>;
        @group(0) @binding(1) var<storage, read_write> y: array<f32>;
        @compute @workgroup_size(64)
        fn main(@builtin(global_invocation_id) id: vec3u) {
          if (id.x < arrayLength(&x)) { y[id.x] = 2.0 * x[id.x] + y[id.x]; }
        }`,
    }),
    inputs: () => ({ x: Float32Array.of(1, 2, 3, 4, 5, 6), y: Float32Array.of(10, 20, 30, 40, 50, 60) }),
    output: 'y',
    reference: ({ x, y }) => Array.from(x ?? [], (v, i) => 2 * v + (y?.[i] ?? 0)),
  },
  {
    name: 'collatz steps (u32)',
    program: wgsl({
      code: `
        @group(0) @binding(0) var<storage, read> start: array<u32>;
        @group(0) @binding(1) var<storage, read_write> steps: array<u32>;
        @compute @workgroup_size(64)
        fn main(@builtin(global_invocation_id) id: vec3u) {
          if (id.x >= arrayLength(&start)) { return; }
          var n = start[id.x];
          var count = 0u;
          while (n > 1u && count < 1000u) {
            n = select(n / 2u, 3u * n + 1u, (n & 1u) == 1u);
            count += 1u;
          }
          steps[id.x] = count;
        }`,
    }),
    inputs: () => ({ start: Uint32Array.of(1, 6, 7, 27, 97, 871) }),
    output: 'steps',
    reference: ({ start }) =>
      Array.from(start ?? [], (value) => {
        let n = value;
        let count = 0;
        while (n > 1 && count < 1000) {
          n = n % 2 === 1 ? 3 * n + 1 : n / 2;
          count++;
        }
        return count;
      }),
  },
];
