/**
 * The raw WebGPU contender of the kernels suite: the hand-written WGSL of
 * kernels-raw-wgsl.ts on the main thread's own device, with everything a careful app
 * would create once (pipeline, buffers, bind group, staging buffer, query set) created
 * once per workload. A run writes the inputs, records one pass, copies the result to the
 * staging buffer, submits once and maps it.
 */
import type { Contender } from './kernels-contender.ts';
import { CHAIN_EXACT_WGSL, CHAIN_WGSL, elementwiseGrid, matmulGrid, matmulWgsl, RELU_WGSL, SAXPY_EXACT_WGSL, SAXPY_WGSL, type MatmulLayout } from './kernels-raw-wgsl.ts';
import { outputLength, type Workload } from './kernels-workloads.ts';

/** A storage buffer of the kernel; `data` is written before every end-to-end run. */
interface StorageSpec {
  readonly binding: number;
  readonly elements: number;
  readonly data?: Float32Array<ArrayBuffer>;
}

/** What the rig needs to know of one kernel. */
interface RawPlan {
  readonly label: string;
  readonly code: string;
  readonly storage: readonly StorageSpec[];
  /** Binding of the buffer read back. */
  readonly output: number;
  readonly uniform?: { readonly binding: number; readonly data: ArrayBuffer };
  readonly grid: readonly [number, number];
}

/**
 * The raw kernel for `workload`; `layout` picks the matmul variant; `exact` rounds every
 * product of saxpy and the chain on its own (the others have no product that meets an add
 * inside one expression: relu none, the matmul a documented tolerance).
 */
function rawPlan(workload: Workload, layout: MatmulLayout, exact: boolean): RawPlan {
  if (workload.kind === 'matmul') {
    const { M, N, K, a, b } = workload;
    return {
      label: `raw matmul (${layout})`,
      code: matmulWgsl(layout, K % 4 === 0 && N % 4 === 0),
      storage: [{ binding: 0, elements: M * K, data: a }, { binding: 1, elements: K * N, data: b }, { binding: 2, elements: M * N }],
      output: 2,
      uniform: { binding: 3, data: new Uint32Array([M, N, K, 0]).buffer },
      grid: matmulGrid(layout, M, N),
    };
  }
  // Element-wise: vec4 views, so buffers are padded to a multiple of 4 elements.
  const padded = Math.ceil(workload.x.length / 4) * 4;
  const x: StorageSpec = { binding: 0, elements: padded, data: workload.x };
  const grid = elementwiseGrid(padded / 4);
  switch (workload.kind) {
    case 'relu':
      return { label: 'raw relu', code: RELU_WGSL, storage: [x, { binding: 1, elements: padded }], output: 1, grid };
    case 'chain':
      return {
        label: exact ? 'raw chain (exact)' : 'raw chain', code: exact ? CHAIN_EXACT_WGSL : CHAIN_WGSL, storage: [x, { binding: 1, elements: padded }], output: 1, grid,
        ...(exact ? { uniform: { binding: 2, data: new Uint32Array(4).buffer } } : {}),
      };
    case 'saxpy':
      return {
        label: exact ? 'raw saxpy (exact)' : 'raw saxpy', code: exact ? SAXPY_EXACT_WGSL : SAXPY_WGSL, storage: [x, { binding: 1, elements: padded, data: workload.y }], output: 1, grid,
        // The second word is `zero` in the exact kernel: 0.0 has all bits zero.
        uniform: { binding: 2, data: new Float32Array([workload.alpha, 0, 0, 0]).buffer },
      };
  }
}

/** The main thread's device for the raw contender, with timestamp queries where the adapter has them. */
export async function requestRawDevice(): Promise<GPUDevice> {
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) throw new Error('kernels bench: no WebGPU adapter');
  const requiredFeatures: GPUFeatureName[] = adapter.features.has('timestamp-query') ? ['timestamp-query'] : [];
  return adapter.requestDevice({ label: 'kernels bench raw device', requiredFeatures });
}

/** Creates the storage buffers of `plan` (and its uniform, written once). */
function createBuffers(device: GPUDevice, plan: RawPlan): Map<number, GPUBuffer> {
  const buffers = new Map<number, GPUBuffer>();
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;
  for (const spec of plan.storage) {
    buffers.set(spec.binding, device.createBuffer({ label: `${plan.label} binding ${spec.binding}`, size: spec.elements * 4, usage }));
  }
  if (plan.uniform) {
    const uniform = device.createBuffer({ label: `${plan.label} uniform`, size: plan.uniform.data.byteLength, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    device.queue.writeBuffer(uniform, 0, plan.uniform.data);
    buffers.set(plan.uniform.binding, uniform);
  }
  return buffers;
}

/** Query set, resolve buffer and read buffer for one pass's two timestamps; undefined without the feature. */
function createPassTimer(device: GPUDevice, label: string) {
  if (!device.features.has('timestamp-query')) return undefined;
  return {
    querySet: device.createQuerySet({ label: `${label} timestamps`, type: 'timestamp', count: 2 }),
    resolve: device.createBuffer({ label: `${label} timestamp resolve`, size: 16, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC }),
    read: device.createBuffer({ label: `${label} timestamp read`, size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST }),
  };
}

/**
 * Sets up the raw contender for `workload` on `device`.
 * @param layout - which register-blocked matmul to run (ignored by element-wise workloads).
 * @param exact - saxpy and the chain with every product rounded on its own (see rawPlan).
 */
export async function createRawContender(device: GPUDevice, workload: Workload, layout: MatmulLayout = 'direct', exact = false): Promise<Contender> {
  const plan = rawPlan(workload, layout, exact);
  const module = device.createShaderModule({ label: plan.label, code: plan.code });
  const pipeline = await device.createComputePipelineAsync({ label: plan.label, layout: 'auto', compute: { module, entryPoint: 'main' } });
  const buffers = createBuffers(device, plan);
  const bindGroup = device.createBindGroup({
    label: plan.label,
    layout: pipeline.getBindGroupLayout(0),
    entries: [...buffers].map(([binding, buffer]) => ({ binding, resource: { buffer } })),
  });
  const resultBytes = outputLength(workload) * 4;
  const output = buffers.get(plan.output) as GPUBuffer;
  const staging = device.createBuffer({ label: `${plan.label} staging`, size: resultBytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const timer = createPassTimer(device, plan.label);
  const encodePass = (encoder: GPUCommandEncoder, timestampWrites?: GPUComputePassTimestampWrites): void => {
    const pass = encoder.beginComputePass(timestampWrites ? { timestampWrites } : undefined);
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(plan.grid[0], plan.grid[1]);
    pass.end();
  };
  for (const spec of plan.storage) if (spec.data) device.queue.writeBuffer(buffers.get(spec.binding) as GPUBuffer, 0, spec.data);
  return {
    async run() {
      for (const spec of plan.storage) if (spec.data) device.queue.writeBuffer(buffers.get(spec.binding) as GPUBuffer, 0, spec.data);
      const encoder = device.createCommandEncoder();
      encodePass(encoder);
      encoder.copyBufferToBuffer(output, 0, staging, 0, resultBytes);
      device.queue.submit([encoder.finish()]);
      await staging.mapAsync(GPUMapMode.READ);
      const result = new Float32Array(staging.getMappedRange().slice(0));
      staging.unmap();
      return result;
    },
    async gpuTime() {
      if (!timer) return null;
      const encoder = device.createCommandEncoder();
      encodePass(encoder, { querySet: timer.querySet, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 });
      encoder.resolveQuerySet(timer.querySet, 0, 2, timer.resolve, 0);
      encoder.copyBufferToBuffer(timer.resolve, 0, timer.read, 0, 16);
      device.queue.submit([encoder.finish()]);
      await timer.read.mapAsync(GPUMapMode.READ);
      const [start = 0n, end = 0n] = new BigUint64Array(timer.read.getMappedRange().slice(0));
      timer.read.unmap();
      return Number(end - start) / 1e6;
    },
    async dispose() {
      for (const buffer of buffers.values()) buffer.destroy();
      staging.destroy();
      timer?.querySet.destroy();
      timer?.resolve.destroy();
      timer?.read.destroy();
    },
  };
}
