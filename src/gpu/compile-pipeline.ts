/**
 * Turns WGSL plus a binding layout into a `GPUComputePipeline`, inside validation error
 * scopes, and turns every compiler message into a `shader-compilation` error the user can act on.
 */
import { VyreError, type CloneableValue } from '../errors.ts';
import { bufferBindingType, type ShaderArtifact } from '../lower/artifact.ts';
import type { WgslImageResource } from '../protocol/wgsl-module.ts';

export interface GpuPipeline {
  readonly pipeline: GPUComputePipeline;
  /** One layout per bind group index the module uses, 0 to the highest; unused indices are empty. */
  readonly bindGroupLayouts: readonly GPUBindGroupLayout[];
}

/** One compiler message, with 1-based line and column as WebGPU reports them. */
export interface ShaderMessage {
  readonly type: string;
  readonly line: number;
  readonly column: number;
  readonly text: string;
}

/**
 * Compiles `artifact` with `createComputePipelineAsync` and an explicit layout.
 * @throws VyreError `shader-compilation` carrying the compiler's messages.
 */
export async function compilePipeline(device: GPUDevice, artifact: ShaderArtifact, label: string): Promise<GpuPipeline> {
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ label: `${label} module`, code: artifact.code });
  // An explicit layout from what we know of every binding, never `layout: 'auto'`: one
  // pipeline's bind groups then fit any other pipeline with the same bindings.
  const bindGroupLayouts = bindGroupLayoutsOf(device, artifact, label);
  const layout = device.createPipelineLayout({ label: `${label} layout`, bindGroupLayouts });
  const requested = device.createComputePipelineAsync({
    label,
    layout,
    compute: { module, entryPoint: artifact.entryPoint, ...(artifact.constants === undefined ? {} : { constants: { ...artifact.constants } }) },
  });
  // Popped as soon as every call it covers is made, not after the pipeline arrives: the two
  // answers then come back from the GPU process together instead of one after the other.
  const [built, scopeError] = await Promise.all([requested.then((pipeline) => ({ pipeline }), (error: unknown) => ({ error })), device.popErrorScope()]);
  const pipeline = 'pipeline' in built ? built.pipeline : undefined;
  const pipelineError = 'error' in built ? built.error : undefined;
  if (pipeline !== undefined && scopeError === null) return { pipeline, bindGroupLayouts };
  // Only a failure asks for the compiler's messages. Asked first, as before, their round trip
  // to the GPU process came before the pipeline was even requested: ≈0.5 ms of every compile,
  // a persistent-tier one included (docs/benchmarks.md, warmup suite).
  throw compileError(label, artifact, (await module.getCompilationInfo()).messages.map(toShaderMessage), pipelineError ?? scopeError);
}

/** One bind group layout per group index of `artifact`, 0 to the highest; an unused index gets an empty one. */
export function bindGroupLayoutsOf(device: GPUDevice, artifact: ShaderArtifact, label: string): GPUBindGroupLayout[] {
  return layoutEntriesByGroup(artifact).map((entries, group) => device.createBindGroupLayout({ label: `${label} bind group layout ${group}`, entries }));
}

/** The `shader-compilation` error of a failed compile: the first compiler error, or what WebGPU said. */
function compileError(label: string, artifact: ShaderArtifact, messages: readonly ShaderMessage[], failure: unknown): VyreError {
  const errors = messages.filter((message) => message.type === 'error');
  const first = errors[0];
  const reason = first ? `line ${first.line}:${first.column}: ${first.text}` : describe(failure);
  return new VyreError(
    'shader-compilation',
    `The WGSL of "${label}" did not compile: ${reason}`,
    'correct the shader at the reported line; details.messages lists every compiler message.',
    {
      messages: messages.map((m): CloneableValue => ({ ...m })),
      entryPoint: artifact.entryPoint,
      ...(errors.length === 0 ? { pipelineError: describe(failure) } : {}),
    },
  );
}

/** Layout entries per bind group index, 0 to the highest used; an unused index gets none. */
function layoutEntriesByGroup(artifact: ShaderArtifact): GPUBindGroupLayoutEntry[][] {
  const groups: GPUBindGroupLayoutEntry[][] = [[]];
  for (const buffer of artifact.buffers) {
    const group = buffer.group ?? 0;
    while (groups.length <= group) groups.push([]);
    groups[group]?.push({ binding: buffer.binding, visibility: GPUShaderStage.COMPUTE, buffer: { type: bufferBindingType(buffer) } });
  }
  if (artifact.params !== undefined) {
    groups[0]?.push({ binding: artifact.params.binding, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } });
  }
  for (const image of artifact.images ?? []) {
    while (groups.length <= image.group) groups.push([]);
    groups[image.group]?.push({ binding: image.binding, visibility: GPUShaderStage.COMPUTE, ...imageLayout(image) });
  }
  return groups;
}

/**
 * The layout entry of an image resource. A sampled float texture is `float` (filterable)
 * and a sampler `filtering`: what a shader that samples with linear filtering needs, and
 * what every upload vyre-web makes (8-bit and 16-bit float formats) satisfies.
 */
function imageLayout(image: WgslImageResource): Omit<GPUBindGroupLayoutEntry, 'binding' | 'visibility'> {
  switch (image.kind) {
    case 'sampler':
      return { sampler: { type: image.comparison ? 'comparison' : 'filtering' } };
    case 'texture':
      return { texture: { sampleType: image.sampleType, viewDimension: image.dimension, multisampled: image.multisampled } };
    case 'storage-texture':
      return { storageTexture: { access: image.access, format: image.format as GPUTextureFormat, viewDimension: image.dimension } };
  }
}

function toShaderMessage(message: GPUCompilationMessage): ShaderMessage {
  return { type: message.type, line: message.lineNum, column: message.linePos, text: message.message };
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) return String(error.message);
  return String(error);
}
