/**
 * Dispatch warm-up: one dispatch of a small sample program through a dispatcher of its own,
 * with an empty grid, while the GPU process builds the runtime's first pipeline.
 *
 * Why: a runtime's first dispatch ran 4–5 ms longer than raw WebGPU's on an H200 host in
 * Chrome (12.1 against 7.3 ms cold, 11.2 against 7.1 after a restart; medians of 16 starts,
 * docs/benchmarks.md), and most of that is code running for the first time: binding,
 * encoding, mapping and copying out (on the VM: 3.4 ms of the worker's first dispatch
 * against 0.4 ms of its second). The worker has nothing to do while the GPU process builds
 * the first pipeline (3–10 ms after a restart, 30+ ms cold), so it runs that code then.
 *
 * What it touches: a few small buffers, a bind group and one submit of copies on the
 * runtime's device, all its own and destroyed after; no pipeline runs (the grid is empty, so
 * no compute pass begins), and the runtime's counters, pools and caches never see it.
 */
import type { PlanLimits } from '../dispatch/dispatch-plan.ts';
import { planImageBatch } from '../dispatch/plan-image-batch.ts';
import type { ImageLimits } from '../dispatch/plan-images.ts';
import type { ShaderArtifact } from '../lower/artifact.ts';
import type { DispatchOptions } from '../protocol/dispatch.ts';
import { bindGroupLayoutsOf } from './compile-pipeline.ts';
import { Dispatcher } from './dispatcher.ts';
import { createGpuStats } from './gpu-stats.ts';
import type { MapWait } from './map-read.ts';
import { ResidentRegistry } from './resident-registry.ts';

/** A program and one dispatch of it whose grid is empty in at least one dimension. */
export interface DispatchSample {
  readonly artifact: ShaderArtifact;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly options: DispatchOptions;
}

export interface WarmUpDevice {
  readonly device: GPUDevice;
  readonly mapWait: MapWait;
  readonly limits: PlanLimits;
  readonly imageLimits: ImageLimits;
}

const LABEL = 'vyre-web dispatch warm-up';

/**
 * Never read: with an empty grid the dispatcher begins no compute pass, so nothing sets a
 * pipeline. Were that to change, the warm-up would fail on it (and only log a warning)
 * instead of running a shader on made-up inputs.
 */
const NO_PIPELINE = undefined as unknown as GPUComputePipeline;

/**
 * Runs `sample` once through a dispatcher of its own on `target.device`, then destroys what it made.
 * @throws Error when the sample's grid is not empty (it would need a pipeline), or what the
 *   dispatch threw: the caller logs it; the runtime is not affected.
 */
export async function warmUpDispatch(target: WarmUpDevice, sample: DispatchSample): Promise<void> {
  const plans = planImageBatch(sample.artifact, [sample.inputs], sample.options, target.limits, target.imageLimits);
  if (!plans.every((plan) => plan.grid.includes(0))) throw new Error('the dispatch warm-up needs an empty grid: it has no pipeline to run');
  const stats = createGpuStats();
  const dispatcher = new Dispatcher(target.device, new ResidentRegistry(LABEL, target.device, stats), stats, target.mapWait);
  try {
    const gpu = { pipeline: NO_PIPELINE, bindGroupLayouts: bindGroupLayoutsOf(target.device, sample.artifact, LABEL) };
    await dispatcher.run({ pipelineId: LABEL, label: LABEL, gpu }, plans);
  } finally {
    dispatcher.clear();
  }
}
