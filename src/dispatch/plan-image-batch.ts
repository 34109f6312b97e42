/**
 * Plans a batch for a pipeline that binds images: each item's inputs split into buffers
 * (planned as always) and images (plan-images.ts), image sizes taken out of
 * `options.outputs`, and the default grid one invocation per texel of the image written.
 */
import { VyreError } from '../errors.ts';
import type { ShaderArtifact } from '../lower/artifact.ts';
import type { DispatchOptions } from '../protocol/dispatch.ts';
import type { WorkgroupSize } from '../protocol/elements.ts';
import type { ImageSize } from '../protocol/images.ts';
import { planDispatch, type DispatchPlan, type PlanLimits } from './dispatch-plan.ts';
import { checkSamplerOptions, planImages, type ImageLimits, type ImagePlan } from './plan-images.ts';
import { planBatch } from './repeat-plan.ts';

/**
 * Plans every item of `batch`; a pipeline without images takes the usual path.
 * @throws VyreError `invalid-input` naming the buffer or image binding.
 */
export function planImageBatch(artifact: ShaderArtifact, batch: readonly unknown[], options: DispatchOptions | undefined, limits: PlanLimits, imageLimits: ImageLimits): DispatchPlan[] {
  const images = artifact.images;
  if (images === undefined) return planBatch(artifact, batch, options, limits);
  checkSamplerOptions(options?.samplers);
  const names = new Set(images.map((image) => image.name));
  const { buffers: bufferOutputs, images: imageOutputs } = splitOutputs(options?.outputs, names);
  const keep = new Set(Array.isArray(options?.keep) ? options.keep.filter((name) => names.has(name)) : []);
  const bufferKeep = Array.isArray(options?.keep) ? options.keep.filter((name) => !names.has(name)) : options?.keep;
  const bufferOptions: DispatchOptions | undefined = options === undefined ? undefined : { ...options, outputs: bufferOutputs, ...(bufferKeep === undefined ? {} : { keep: bufferKeep }) };
  const plans: DispatchPlan[] = [];
  for (const inputs of batch) {
    if (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs)) {
      plans.push(planDispatch(artifact, inputs, bufferOptions, limits));
      continue;
    }
    const bufferInputs: Record<string, unknown> = {};
    const imageInputs = new Map<string, unknown>();
    for (const [name, value] of Object.entries(inputs)) {
      if (names.has(name)) imageInputs.set(name, value);
      else bufferInputs[name] = value;
    }
    const previous = plans.at(-1)?.images?.textures ?? [];
    const imagePlan = planImages(images, imageInputs, imageOutputs, options?.samplers, imageLimits, keep, previous);
    consumePreviousOutputs(plans, imagePlan);
    const plan = planDispatch(artifact, bufferInputs, bufferOptions, limits);
    const grid = options?.grid === undefined && imagePlan.gridSize !== undefined ? gridOver(imagePlan.gridSize, artifact.workgroupSize, limits) : plan.grid;
    plans.push({ ...plan, grid, images: imagePlan });
  }
  return plans;
}

/**
 * The outputs `next` takes with `previousOutput` are consumed: the last plan of `plans`
 * neither reads them back nor keeps them (their textures go back to the pool after the batch).
 */
function consumePreviousOutputs(plans: DispatchPlan[], next: ImagePlan): void {
  const taken = new Set(next.textures.flatMap((texture) => (texture.upload?.kind === 'previous' ? [texture.upload.name] : [])));
  const last = plans.at(-1);
  if (taken.size === 0 || last?.images === undefined) return;
  const textures = last.images.textures.map((texture) => (taken.has(texture.resource.name) ? { ...texture, readBack: false, keep: false } : texture));
  plans[plans.length - 1] = { ...last, images: { ...last.images, textures } };
}

/** `options.outputs` split into element counts of buffers and sizes of images. */
function splitOutputs(outputs: unknown, imageNames: ReadonlySet<string>): { buffers: Record<string, number>; images: Map<string, unknown> } {
  const buffers: Record<string, number> = {};
  const images = new Map<string, unknown>();
  if (typeof outputs !== 'object' || outputs === null) return { buffers: outputs as Record<string, number>, images };
  for (const [name, value] of Object.entries(outputs)) {
    if (imageNames.has(name)) images.set(name, value);
    else buffers[name] = value as number;
  }
  return { buffers, images };
}

/** One invocation per texel of `size`: workgroups over x and y. */
function gridOver(size: ImageSize, workgroupSize: WorkgroupSize, limits: PlanLimits): [number, number, number] {
  const grid: [number, number, number] = [Math.ceil(size.width / workgroupSize[0]), Math.ceil(size.height / workgroupSize[1]), 1];
  if (grid[0] > limits.maxComputeWorkgroupsPerDimension || grid[1] > limits.maxComputeWorkgroupsPerDimension) {
    throw new VyreError('invalid-input', `A ${size.width}×${size.height} image needs a grid of [${grid.join(', ')}] workgroups, over the device's ${limits.maxComputeWorkgroupsPerDimension} per dimension.`, 'use a larger @workgroup_size, or pass options.grid.', { grid });
  }
  return grid;
}
