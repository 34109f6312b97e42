/**
 * The raw WebGPU baseline of the uniform-struct dispatch: {@link AFFINE_WGSL} as a careful
 * hand-written app runs it. Pipeline, buffers and bind group are made once; per call it
 * packs the params into its uniform buffer's bytes, writes the uniform, x and y with
 * `writeBuffer`, records one pass and one copy, submits once, maps the staging buffer
 * and copies the result out: what one vyre-web dispatch of `{ params, x, y }` does.
 */
import { AFFINE_WGSL, AFFINE_WORKGROUP, type AffineInputs } from './wgsl-shaders.ts';

/** Bytes of `Params { n: u32, scale: f32, offset: f32 }` in a uniform buffer. */
const PARAMS_BYTES = 12;

export interface RawAffineRig {
  roundTrip(inputs: AffineInputs): Promise<Float32Array>;
  destroy(): void;
}

export async function rawAffineRig(device: GPUDevice, elements: number): Promise<RawAffineRig> {
  const module = device.createShaderModule({ label: 'raw affine', code: AFFINE_WGSL });
  const pipeline = await device.createComputePipelineAsync({ label: 'raw affine', layout: 'auto', compute: { module, entryPoint: 'main' } });
  const bytes = elements * 4;
  const storage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;
  const params = device.createBuffer({ label: 'raw affine params', size: PARAMS_BYTES, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  const x = device.createBuffer({ label: 'raw affine x', size: bytes, usage: storage });
  const y = device.createBuffer({ label: 'raw affine y', size: bytes, usage: storage });
  const staging = device.createBuffer({ label: 'raw affine staging', size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const bindGroup = device.createBindGroup({
    label: 'raw affine',
    layout: pipeline.getBindGroupLayout(0),
    entries: [
      { binding: 0, resource: { buffer: params } },
      { binding: 1, resource: { buffer: x } },
      { binding: 2, resource: { buffer: y } },
    ],
  });
  const packed = new ArrayBuffer(PARAMS_BYTES);
  const view = new DataView(packed);
  const workgroups = Math.ceil(elements / AFFINE_WORKGROUP);
  return {
    async roundTrip(inputs) {
      view.setUint32(0, inputs.params.n, true);
      view.setFloat32(4, inputs.params.scale, true);
      view.setFloat32(8, inputs.params.offset, true);
      device.queue.writeBuffer(params, 0, packed);
      device.queue.writeBuffer(x, 0, inputs.x);
      device.queue.writeBuffer(y, 0, inputs.y);
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(workgroups);
      pass.end();
      encoder.copyBufferToBuffer(y, 0, staging, 0, bytes);
      device.queue.submit([encoder.finish()]);
      await staging.mapAsync(GPUMapMode.READ);
      const out = new Float32Array(staging.getMappedRange().slice(0));
      staging.unmap();
      return out;
    },
    destroy() {
      for (const buffer of [params, x, y, staging]) buffer.destroy();
    },
  };
}
