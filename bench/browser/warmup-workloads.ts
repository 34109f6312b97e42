/**
 * The two apps of the warmup suite, each as vyre-web runs it and as hand-written raw WebGPU
 * does: what they compile, in which order, and how they get their first result.
 *
 * - `kernels`: the kernel library, 13 small IR kernels (≈18 ms of compile each on
 *   SwiftShader); `saxpy` first, dispatched once on 4,096 elements. The raw side compiles
 *   the very WGSL vyre-web generates, lowered before the clock starts.
 * - `heavy`: the compile-heavy WGSL shaders of `heavy-shaders.ts` (≥150 ms each); the tiled
 *   matmul first, dispatched once. vyre-web takes them through `wgsl({ code })`, raw
 *   through `createShaderModule`: the same text in the same order.
 *
 * A first result is checked against its reference after the clock stops (the heavy
 * references are not free), so each dispatch returns a deferred check.
 */
import * as vyre from '../../test/support/vyre-all.ts';
import { lowerProgram } from '../../src/lower/lower-program.ts';
import { compileHeavy, dispatchHeavyOnce } from './heavy-raw.ts';
import { heavyShaders } from './heavy-shaders.ts';
import { KERNEL_PROGRAMS } from './kernel-programs.ts';
import type { RawWorkerJob } from './raw-worker-protocol.ts';

export const WORKLOAD_NAMES = ['kernels', 'heavy'] as const;
export type WorkloadName = (typeof WORKLOAD_NAMES)[number];

/** Whether the first result was right; call it after the clock stops. */
export type ResultCheck = () => boolean;

export interface Workload {
  readonly name: WorkloadName;
  /** vyre-web: the programs in compile order; the first is the one dispatched. */
  readonly programs: readonly { readonly name: string; readonly program: vyre.Program }[];
  /** vyre-web: one dispatch of the first program's pipeline. */
  dispatchFirst(pipeline: vyre.CompiledPipeline): Promise<ResultCheck>;
  /** Raw WebGPU: the same shaders in the same order, each compiled as an app writes it. */
  readonly raw: readonly { readonly name: string; compile(device: GPUDevice): Promise<GPUComputePipeline> }[];
  /** Raw WebGPU: one dispatch of the first shader, with buffers of its own. */
  rawDispatchFirst(device: GPUDevice, pipeline: GPUComputePipeline): Promise<ResultCheck>;
  /** Raw WebGPU in a worker (raw-worker.ts): the same shaders and first dispatch, as one message. */
  rawWorkerJob(): RawWorkerJob;
  /** Raw WebGPU in a worker: the check of the bytes its first dispatch read back. */
  checkRawWorkerOutput(output: ArrayBuffer): ResultCheck;
}

const built = new Map<WorkloadName, Workload>();

/**
 * The workload `name`, built on first use: lowering the kernels and generating the heavy
 * shaders and their references takes tens of milliseconds, so call it before the clock
 * starts (an app has its programs as constants of its own script).
 */
export function workload(name: WorkloadName): Workload {
  let found = built.get(name);
  if (found === undefined) {
    found = name === 'kernels' ? kernelsWorkload() : heavyWorkload();
    built.set(name, found);
  }
  return found;
}

// ---------------------------------------------------------------------------------------

const N = 4096;
const ALPHA = 2;
const saxpyInputs = (): { x: Float32Array<ArrayBuffer>; y: Float32Array<ArrayBuffer> } => ({
  x: Float32Array.from({ length: N }, (_, i) => i),
  y: new Float32Array(N).fill(1),
});
const saxpyOk = (y: ArrayLike<number> | undefined): boolean => y !== undefined && y.length === N && Array.prototype.every.call(y, (v: number, i: number) => v === ALPHA * i + 1);

function kernelsWorkload(): Workload {
  if (KERNEL_PROGRAMS[0]?.name !== 'saxpy') throw new Error('the warmup bench dispatches saxpy first');
  const lowered = KERNEL_PROGRAMS.map(({ name, program }) => ({ name, artifact: lowerProgram(program, program.workgroupSize) }));
  return {
    name: 'kernels',
    programs: KERNEL_PROGRAMS,
    async dispatchFirst(pipeline) {
      const { y } = await pipeline.dispatch(saxpyInputs(), { params: { alpha: ALPHA } });
      return () => saxpyOk(y as ArrayLike<number> | undefined);
    },
    raw: lowered.map(({ name, artifact }) => ({
      name,
      async compile(device: GPUDevice) {
        const module = device.createShaderModule({ label: name, code: artifact.code });
        return device.createComputePipelineAsync({ label: name, layout: 'auto', compute: { module, entryPoint: artifact.entryPoint } });
      },
    })),
    async rawDispatchFirst(device, pipeline) {
      const y = await saxpyOnce(device, pipeline);
      return () => saxpyOk(y);
    },
    rawWorkerJob() {
      const { x, y } = saxpyInputs();
      return {
        shaders: lowered.map(({ name, artifact }) => ({ name, code: artifact.code, entryPoint: artifact.entryPoint })),
        // saxpy's bindings as vyre-web lowered it (see saxpyOnce): x, y, the params uniform; y is read back.
        first: { buffers: [{ data: x.buffer }, { data: y.buffer }, { data: Float32Array.of(ALPHA, 0, 0, 0).buffer, uniform: true }], readBack: 1, workgroups: Math.ceil(N / 64) },
      };
    },
    checkRawWorkerOutput: (output) => () => saxpyOk(new Float32Array(output)),
  };
}

/** saxpy's bindings as vyre-web lowered it: x at 0, y at 1, the params uniform at 2. */
async function saxpyOnce(device: GPUDevice, pipeline: GPUComputePipeline): Promise<Float32Array> {
  const { x, y } = saxpyInputs();
  const bytes = N * 4;
  const xBuffer = device.createBuffer({ label: 'saxpy x', size: bytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
  const yBuffer = device.createBuffer({ label: 'saxpy y', size: bytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC });
  const params = device.createBuffer({ label: 'saxpy params', size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  const readback = device.createBuffer({ label: 'saxpy readback', size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(xBuffer, 0, x);
  device.queue.writeBuffer(yBuffer, 0, y);
  device.queue.writeBuffer(params, 0, Float32Array.of(ALPHA, 0, 0, 0));
  const bindGroup = device.createBindGroup({
    label: 'saxpy',
    layout: pipeline.getBindGroupLayout(0),
    entries: [xBuffer, yBuffer, params].map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(Math.ceil(N / 64));
  pass.end();
  encoder.copyBufferToBuffer(yBuffer, 0, readback, 0, bytes);
  device.queue.submit([encoder.finish()]);
  await readback.mapAsync(GPUMapMode.READ);
  const out = new Float32Array(readback.getMappedRange().slice(0));
  readback.unmap();
  for (const buffer of [xBuffer, yBuffer, params, readback]) buffer.destroy();
  return out;
}

// ---------------------------------------------------------------------------------------

function heavyWorkload(): Workload {
  const shaders = heavyShaders();
  const first = shaders[0];
  if (first === undefined) throw new Error('the heavy workload has no shaders');
  return {
    name: 'heavy',
    programs: shaders.map(({ name, code }) => ({ name, program: vyre.wgsl({ code }) })),
    async dispatchFirst(pipeline) {
      const outputs = await pipeline.dispatch({ ...first.inputs }, { grid: first.grid, outputs: { [first.output.name]: first.output.length } });
      const output = (outputs as Readonly<Record<string, unknown>>)[first.output.name];
      return () => first.check(ArrayBuffer.isView(output) ? (output as unknown as ArrayLike<number>) : undefined).ok;
    },
    raw: shaders.map((shader) => ({ name: shader.name, compile: (device: GPUDevice) => compileHeavy(device, shader) })),
    async rawDispatchFirst(device, pipeline) {
      const output = await dispatchHeavyOnce(device, pipeline, first);
      return () => first.check(output).ok;
    },
    // As dispatchHeavyOnce binds them: the inputs at 0…, the output after them, read back.
    rawWorkerJob: () => ({
      shaders: shaders.map(({ name, code }) => ({ name, code, entryPoint: 'main' })),
      first: { buffers: [...Object.values(first.inputs).map((data) => ({ data: data.slice().buffer })), { data: first.output.length * 4 }], readBack: Object.keys(first.inputs).length, workgroups: first.grid },
    }),
    checkRawWorkerOutput: (output) => () => first.check(first.output.type === 'u32' ? new Uint32Array(output) : new Float32Array(output)).ok,
  };
}
