/**
 * The TensorFlow.js contender of the kernels suite: tfjs-core with its WebGPU backend
 * (a benchmark-only devDependency; nothing in src/ imports it), on the main thread, the
 * way a tfjs app writes each job: `tf.matMul`, `tf.relu`, `tf.add(tf.mul(x, α), y)` (tfjs
 * has no fused saxpy: two kernels) and the chain as 100 separate ops (tfjs does not fuse
 * element-wise ops: 100 kernels). GPU time is `tf.time()`'s `kernelMs`, which tfjs takes
 * with timestamp queries around each kernel's pass.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgpu';
import type { Contender } from './kernels-contender.ts';
import { CHAIN_OPS, type Workload } from './kernels-workloads.ts';

/** Selects and starts the WebGPU backend; throws when tfjs falls back to another one. */
export async function startTfjsWebgpu(): Promise<void> {
  if (!(await tf.setBackend('webgpu'))) throw new Error('kernels bench: tfjs could not start its webgpu backend');
  await tf.ready();
  if (tf.getBackend() !== 'webgpu') throw new Error(`kernels bench: tfjs runs on ${tf.getBackend()}, not webgpu`);
}

/** The workload's inputs as tensors (uploaded to the GPU when a kernel first uses them). */
function toTensors(workload: Workload): tf.Tensor[] {
  switch (workload.kind) {
    case 'matmul':
      return [tf.tensor2d(workload.a, [workload.M, workload.K]), tf.tensor2d(workload.b, [workload.K, workload.N])];
    case 'saxpy':
      return [tf.tensor1d(workload.x), tf.tensor1d(workload.y)];
    case 'relu':
    case 'chain':
      return [tf.tensor1d(workload.x)];
  }
}

/** The job on tensors; call inside `tf.tidy` (the chain's intermediates are freed there). */
function compute(workload: Workload, inputs: readonly tf.Tensor[]): tf.Tensor {
  const [first, second] = inputs as [tf.Tensor, tf.Tensor | undefined];
  switch (workload.kind) {
    case 'matmul':
      return tf.matMul(first as tf.Tensor2D, second as tf.Tensor2D);
    case 'relu':
      return tf.relu(first);
    case 'saxpy':
      return tf.add(tf.mul(first, tf.scalar(workload.alpha)), second as tf.Tensor);
    case 'chain':
      return CHAIN_OPS.reduce((value, { op, constant }) => {
        const c = tf.scalar(constant);
        return op === 'mul' ? tf.mul(value, c) : op === 'add' ? tf.add(value, c) : tf.maximum(value, c);
      }, first);
  }
}

/** Sets up the tfjs contender for `workload` (call {@link startTfjsWebgpu} first). */
export async function createTfjsContender(workload: Workload): Promise<Contender> {
  // For GPU timing: tensors made once and uploaded by one untimed run, so a timed run moves no data.
  const resident = toTensors(workload);
  tf.tidy(() => compute(workload, resident)).dispose();
  return {
    async run() {
      const inputs = toTensors(workload);
      const result = tf.tidy(() => compute(workload, inputs));
      const values = await result.data<'float32'>();
      tf.dispose([...inputs, result]);
      return values;
    },
    async gpuTime() {
      const info = await tf.time(() => tf.tidy(() => void compute(workload, resident)));
      return typeof info.kernelMs === 'number' ? info.kernelMs : null;
    },
    async dispose() {
      tf.dispose(resident);
    },
  };
}
