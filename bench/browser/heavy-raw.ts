/**
 * The heavy shaders ({@link heavyShaders}) in hand-written raw WebGPU: compile one, and
 * dispatch it once with its inputs and read its output back. Used by the warmup suite's raw
 * baseline and by the heavy-shader probe, so both run the same calls.
 */
import type { HeavyArray, HeavyShader } from './heavy-shaders.ts';

/** `createShaderModule` + `createComputePipelineAsync` (layout `auto`), as an app writes it. */
export async function compileHeavy(device: GPUDevice, shader: HeavyShader): Promise<GPUComputePipeline> {
  const module = device.createShaderModule({ label: shader.name, code: shader.code });
  return device.createComputePipelineAsync({ label: shader.name, layout: 'auto', compute: { module, entryPoint: 'main' } });
}

/** One dispatch of `shader.grid` workgroups: inputs at bindings 0…, the output after them. */
export async function dispatchHeavyOnce(device: GPUDevice, pipeline: GPUComputePipeline, shader: HeavyShader): Promise<HeavyArray> {
  const storage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST;
  const inputs = Object.values(shader.inputs).map((data) => {
    const buffer = device.createBuffer({ label: `${shader.name} input`, size: data.byteLength, usage: storage });
    device.queue.writeBuffer(buffer, 0, data);
    return buffer;
  });
  const bytes = shader.output.length * 4;
  const output = device.createBuffer({ label: `${shader.name} ${shader.output.name}`, size: bytes, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
  const readback = device.createBuffer({ label: `${shader.name} readback`, size: bytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const bindGroup = device.createBindGroup({
    label: shader.name,
    layout: pipeline.getBindGroupLayout(0),
    entries: [...inputs, output].map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(shader.grid);
  pass.end();
  encoder.copyBufferToBuffer(output, 0, readback, 0, bytes);
  device.queue.submit([encoder.finish()]);
  await readback.mapAsync(GPUMapMode.READ);
  const copy = readback.getMappedRange().slice(0);
  readback.unmap();
  for (const buffer of [...inputs, output, readback]) buffer.destroy();
  return shader.output.type === 'u32' ? new Uint32Array(copy) : new Float32Array(copy);
}
