/**
 * The GPU engine: owns one device, compiles programs into pipelines (memory tier with
 * single-flight), and runs dispatches. The worker exposes it through Comlink; nothing
 * here knows about threads.
 */
import { VyreError } from '../errors.ts';
import type { ShaderArtifact } from '../lower/artifact.ts';
import { lowerProgram } from '../lower/lower-program.ts';
import { emptyTimings, type CompileReport } from '../pipeline/build.ts';
import { planDispatch, type DispatchOptions, type DispatchOutputs } from '../pipeline/dispatch-plan.ts';
import { pipelineIdentity } from '../pipeline/identity.ts';
import { createManifest } from '../pipeline/manifest.ts';
import { resolvePolicy } from '../pipeline/policy.ts';
import { programDigest } from '../program/digest.ts';
import type { IrProgram } from '../program/ir.ts';
import { validateProgram } from '../program/validate.ts';
import { parseWgslProgram, type WgslProgram } from '../program/wgsl-program.ts';
import { compilePipeline, type GpuPipeline } from './compile-pipeline.ts';
import { acquireDevice, type AdapterOptions, type DeviceSummary } from './device.ts';
import { runDispatch } from './run-dispatch.ts';

export interface EngineOptions {
  readonly adapter?: AdapterOptions;
}

export interface Engine {
  readonly summary: DeviceSummary;
  /**
   * Compiles (or reuses) the pipeline of `program` under `policy`.
   * @throws VyreError `invalid-program`, `invalid-policy`, `shader-compilation`
   */
  compile(program: unknown, policy?: unknown): Promise<CompileReport>;
  /** Runs one dispatch of a compiled pipeline. @throws VyreError `invalid-input`, `gpu-error` */
  dispatch(pipelineId: string, inputs: unknown, options?: DispatchOptions): Promise<DispatchOutputs>;
  /** Destroys the device. */
  dispose(): void;
}

interface CompiledEntry {
  readonly artifact: ShaderArtifact;
  readonly gpu: GpuPipeline;
  readonly label: string;
}

/**
 * Acquires a device from `gpu` and returns an engine bound to it.
 * @throws VyreError `webgpu-unavailable`, `adapter-unavailable`
 */
export async function createEngine(gpu: GPU | undefined, options: EngineOptions = {}): Promise<Engine> {
  const { device, summary } = await acquireDevice(gpu, options.adapter);
  const compiled = new Map<string, CompiledEntry>();
  const inFlight = new Map<string, Promise<CompiledEntry>>();

  async function compile(value: unknown, policyValue?: unknown): Promise<CompileReport> {
    const started = performance.now();
    const timings = emptyTimings();
    const program = parseProgram(value, summary);
    const policy = resolvePolicy(policyValue, program.workgroupSize, program.kind === 'ir');
    const digest = programDigest(program);
    const pipelineId = pipelineIdentity(digest, policy.string).slice(0, 16);
    timings.digest = performance.now() - started;

    let entry = compiled.get(pipelineId);
    const joined = entry === undefined ? inFlight.get(pipelineId) : undefined;
    const tier: CompileReport['tier'] = entry === undefined && joined === undefined ? 'compiled' : 'memory';
    if (joined !== undefined) {
      // Someone else is compiling this identity right now: share their compile.
      entry = await joined;
    } else if (entry === undefined) {
      const lowerStarted = performance.now();
      const artifact = program.kind === 'ir' ? lowerProgram(program, policy.workgroupSize) : wgslArtifact(program);
      timings.lower = performance.now() - lowerStarted;
      const label = `vyre-web ${program.kind === 'ir' ? program.name ?? 'program' : program.entryPoint} ${pipelineId}`;
      const gpuStarted = performance.now();
      const pending = compilePipeline(device, artifact, label).then((gpuPipeline) => ({ artifact, gpu: gpuPipeline, label }));
      inFlight.set(pipelineId, pending);
      try {
        entry = await pending;
        compiled.set(pipelineId, entry);
      } finally {
        inFlight.delete(pipelineId);
      }
      timings.gpuCompile = performance.now() - gpuStarted;
    }
    timings.total = performance.now() - started;
    const cacheHit = tier === 'memory';
    return {
      pipelineId,
      tier,
      cacheHit,
      timings,
      manifest: createManifest({ pipelineId, programDigest: digest, dispatchPolicy: policy.string, cacheHit }),
      entryPoint: entry.artifact.entryPoint,
      workgroupSize: entry.artifact.workgroupSize,
      buffers: entry.artifact.buffers,
    };
  }

  async function dispatch(pipelineId: string, inputs: unknown, options?: DispatchOptions): Promise<DispatchOutputs> {
    const entry = compiled.get(pipelineId);
    if (entry === undefined) {
      throw new VyreError(
        'invalid-input',
        `No compiled pipeline has the id "${String(pipelineId)}" in this runtime.`,
        'dispatch through the pipeline returned by runtime.compile() of this runtime.',
        { pipelineId: String(pipelineId) },
      );
    }
    const plan = planDispatch(entry.artifact, inputs, options, summary.limits);
    return runDispatch(device, entry.gpu, plan, entry.label);
  }

  return {
    summary,
    compile,
    dispatch,
    dispose: () => {
      compiled.clear();
      device.destroy();
    },
  };
}

function parseProgram(value: unknown, summary: DeviceSummary): WgslProgram | IrProgram {
  const kind = typeof value === 'object' && value !== null ? (value as { kind?: unknown }).kind : undefined;
  if (kind === 'wgsl') return parseWgslProgram(value);
  if (kind === 'ir') return validateProgram(value, summary.limits);
  throw new VyreError(
    'invalid-program',
    `Unknown program kind ${JSON.stringify(kind)}.`,
    'build programs with wgsl({ code }) or program(options, b => …).',
    { kind: String(kind) },
  );
}

/** A WGSL-source program needs no lowering: its artifact is its own text and declarations. */
function wgslArtifact(program: WgslProgram): ShaderArtifact {
  return {
    code: program.code,
    entryPoint: program.entryPoint,
    workgroupSize: program.workgroupSize,
    buffers: program.buffers,
    params: undefined,
    foldableGrid: false,
  };
}
