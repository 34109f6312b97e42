/**
 * The code warm-up's steps (code-warm-up.ts runs them): two small programs of its own through
 * the compile path and dispatch planning. A file of its own because it imports the compile
 * path (the program checks, WGSL reflection, lowering): the warm-up loads it with a dynamic
 * import once the device is being made, so the worker's start-up script does not carry it.
 */
import { planImageBatch } from '../dispatch/plan-image-batch.ts';
import { lowerProgram } from '../lower/lower-program.ts';
import { DEVICE_FINGERPRINT_LABEL, type DeviceFingerprint } from '../pipeline/fingerprint.ts';
import { compileKeyOf, type CompileKey } from '../pipeline/tier-lookup.ts';
import { wgslArtifact } from '../pipeline/wgsl-artifact.ts';
import { program } from '../program/builder.ts';
import { DEFAULT_VALIDATION_LIMITS } from '../program/validate-report.ts';
import { wgsl } from '../program/wgsl-program.ts';
import type { ShaderArtifact } from '../lower/artifact.ts';
import type { DispatchSample } from '../gpu/dispatch-warm-up.ts';

/** A key is only a string here: no tier is asked for it. */
const NO_DEVICE: DeviceFingerprint = { digest: '0'.repeat(64), readable: `${DEVICE_FINGERPRINT_LABEL} (code warm-up)` };

/** WebGPU's guaranteed minimums: a plan here only has to run, not to fit a real device. */
const PLAN_LIMITS = { maxStorageBufferBindingSize: 134_217_728, maxComputeWorkgroupsPerDimension: 65_535 };
const IMAGE_LIMITS = { maxTextureDimension2D: 8192, features: [] as readonly string[] };

/** Scalar and vector buffers, a param, a loop and a branch: the shapes most IR kernels take. */
function warmUpIr() {
  return program({ name: 'vyre-code-warm-up', workgroupSize: 64 }, (b) => {
    const x = b.buffer('x', 'f32', 'read');
    const v = b.buffer('v', 'vec4<f32>', 'read');
    const y = b.buffer('y', 'f32', 'read-write', { sizing: { kind: 'same-as', buffer: 'x' } });
    const alpha = b.param('alpha', 'f32');
    const i = b.let('i', b.linearIndex());
    b.if(i.lt(x.length()), () => {
      const sum = b.let('sum', alpha.mul(x.load(i)).add(y.load(i)));
      b.loop('k', 0, 4, (k) => sum.set(sum.add(b.splat('vec4<f32>', x.load(i)).dot(v.load(k)))));
      y.store(i, sum.max(0).sqrt());
    });
    return { x, v, y };
  });
}

/** A uniform struct, an override and storage arrays: what real WGSL kernels declare. */
const WARM_UP_WGSL = `struct Params { scale: f32, count: u32 }
override BLOCK: u32 = 64u;
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> src: array<vec4<f32>>;
@group(0) @binding(2) var<storage, read_write> dst: array<vec4<f32>>;
@compute @workgroup_size(BLOCK) fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (id.x >= params.count) { return; }
  dst[id.x] = max(src[id.x] * params.scale, vec4<f32>(0.0));
}`;

/**
 * The dispatch warm-up's sample (gpu/dispatch-warm-up.ts): the IR program above with inputs
 * of 4 elements to upload, bind and read back, on a grid that is empty in x, so that no pass
 * begins and no shader runs.
 */
export function dispatchWarmUpSample(): DispatchSample {
  const key = keyOf(warmUpIr());
  if (key.program.kind !== 'ir') throw new Error('the dispatch warm-up sample is an IR program');
  return {
    artifact: lowerProgram(key.program, key.workgroupSize, key.floats),
    inputs: { x: new Float32Array(4), v: new Float32Array(16), y: new Float32Array(4) },
    options: { grid: [0, 1, 1], params: { alpha: 2 } },
  };
}

/**
 * The steps, each in a task of its own, so that the device's answer waits for one short step
 * at most: check and hash, lower or reflect, plan, for each program in turn.
 */
export function warmUpSteps(): (() => void)[] {
  let ir: CompileKey | undefined;
  let irArtifact: ShaderArtifact | undefined;
  let shader: CompileKey | undefined;
  let shaderArtifact: ShaderArtifact | undefined;
  return [
    () => (ir = keyOf(warmUpIr())),
    () => (irArtifact = ir?.program.kind === 'ir' ? lowerProgram(ir.program, ir.workgroupSize, ir.floats) : undefined),
    () => plan(irArtifact, { x: new Float32Array(4), v: new Float32Array(16), y: new Float32Array(4) }, { params: { alpha: 2 } }),
    () => (shader = keyOf(wgsl({ code: WARM_UP_WGSL }))),
    () => (shaderArtifact = shader?.program.kind === 'wgsl' ? wgslArtifact(shader.program, shader.constants) : undefined),
    () => plan(shaderArtifact, { params: { scale: 2, count: 1 }, src: new Float32Array(4) }, undefined),
  ];
}

function keyOf(program: unknown): CompileKey {
  return compileKeyOf(program, undefined, DEFAULT_VALIDATION_LIMITS, NO_DEVICE);
}

function plan(artifact: ShaderArtifact | undefined, inputs: Record<string, unknown>, options: Parameters<typeof planImageBatch>[2]): void {
  if (artifact === undefined) throw new Error('the code warm-up has no artifact to plan: a step before it made none');
  planImageBatch(artifact, [inputs], options, PLAN_LIMITS, IMAGE_LIMITS);
}
