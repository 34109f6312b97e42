/**
 * Executes one planned dispatch: upload, bind, dispatch, read back.
 * Every GPU object carries a label; the whole call runs in error scopes so a stray
 * validation or out-of-memory error becomes a `gpu-error`, never a silent wrong result.
 */
import { VyreError } from '../errors.ts';
import type { DispatchOutputs, DispatchPlan } from '../pipeline/dispatch-plan.ts';
import { ELEMENT_BYTES, arrayConstructorFor, isReadBack } from '../program/types.ts';
import type { GpuPipeline } from './compile-pipeline.ts';

/** Runs `plan` on `compiled` and returns the read-back buffers by name. */
export async function runDispatch(
  device: GPUDevice,
  compiled: GpuPipeline,
  plan: DispatchPlan,
  label: string,
): Promise<DispatchOutputs> {
  const created: GPUBuffer[] = [];
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
  let scopesOpen = true;
  try {
    const storage = plan.buffers.map((planned) => {
      // Storage bindings must be non-empty and 4-byte aligned; every element type is 4 bytes.
      const size = Math.max(ELEMENT_BYTES, planned.length * ELEMENT_BYTES);
      const buffer = device.createBuffer({
        label: `${label} ${planned.declaration.name}`,
        size,
        usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC,
      });
      created.push(buffer);
      if (planned.data !== undefined && planned.data.byteLength > 0) {
        device.queue.writeBuffer(buffer, 0, planned.data.buffer, planned.data.byteOffset, planned.data.byteLength);
      }
      return buffer;
    });
    const entries: GPUBindGroupEntry[] = plan.buffers.map((planned, index) => ({
      binding: planned.declaration.binding,
      resource: { buffer: storage[index] as GPUBuffer },
    }));
    if (plan.params !== undefined) {
      const uniform = device.createBuffer({
        label: `${label} params`,
        size: plan.params.bytes.byteLength,
        usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
      });
      created.push(uniform);
      device.queue.writeBuffer(uniform, 0, plan.params.bytes);
      entries.push({ binding: plan.params.binding, resource: { buffer: uniform } });
    }
    const bindGroup = device.createBindGroup({ label: `${label} bind group`, layout: compiled.bindGroupLayout, entries });

    const encoder = device.createCommandEncoder({ label: `${label} encoder` });
    const [x, y, z] = plan.grid;
    if (x > 0 && y > 0 && z > 0) {
      const pass = encoder.beginComputePass({ label: `${label} pass` });
      pass.setPipeline(compiled.pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(x, y, z);
      pass.end();
    }
    const readbacks: { name: string; staging: GPUBuffer; planned: DispatchPlan['buffers'][number] }[] = [];
    plan.buffers.forEach((planned, index) => {
      if (!isReadBack(planned.declaration.access) || planned.length === 0) return;
      const bytes = planned.length * ELEMENT_BYTES;
      const staging = device.createBuffer({
        label: `${label} ${planned.declaration.name} staging`,
        size: bytes,
        usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
      });
      created.push(staging);
      encoder.copyBufferToBuffer(storage[index] as GPUBuffer, 0, staging, 0, bytes);
      readbacks.push({ name: planned.declaration.name, staging, planned });
    });
    device.queue.submit([encoder.finish()]);

    scopesOpen = false;
    const validation = await device.popErrorScope();
    const outOfMemory = await device.popErrorScope();
    const scopeError = validation ?? outOfMemory;
    if (scopeError !== null) {
      throw new VyreError(
        'gpu-error',
        `WebGPU rejected the dispatch of "${label}": ${scopeError.message}`,
        'check the grid and buffer sizes against the device limits; if they are within them, this is a vyre-web bug.',
        { gpuMessage: scopeError.message },
      );
    }

    const outputs: DispatchOutputs = {};
    await Promise.all(readbacks.map(({ staging }) => staging.mapAsync(GPUMapMode.READ)));
    for (const { name, staging, planned } of readbacks) {
      const ArrayType = arrayConstructorFor(planned.declaration.type);
      // slice(0) copies out of the mapped range, which is invalidated by unmap().
      outputs[name] = new ArrayType(staging.getMappedRange().slice(0));
      staging.unmap();
    }
    for (const planned of plan.buffers) {
      if (isReadBack(planned.declaration.access) && planned.length === 0) {
        outputs[planned.declaration.name] = new (arrayConstructorFor(planned.declaration.type))(0);
      }
    }
    return outputs;
  } finally {
    if (scopesOpen) {
      // A synchronous throw left our scopes pushed; pop them so later calls are not misattributed.
      await device.popErrorScope().catch(() => null);
      await device.popErrorScope().catch(() => null);
    }
    for (const buffer of created) buffer.destroy();
  }
}
