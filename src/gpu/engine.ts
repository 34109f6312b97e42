/**
 * The GPU engine: owns one device, compiles programs into pipelines (memory tier with
 * single-flight), and runs dispatches. The worker exposes it through Comlink; nothing
 * here knows about threads.
 */
import { VyreError } from '../errors.ts';
import { emptyTimings, type CompileReport } from '../pipeline/build.ts';
import { planDispatch, type DispatchOptions, type DispatchOutputs } from '../pipeline/dispatch-plan.ts';
import { pipelineIdentity, policyString } from '../pipeline/identity.ts';
import { createManifest } from '../pipeline/manifest.ts';
import { programDigest } from '../program/digest.ts';
import { parseWgslProgram, type WgslProgram } from '../program/wgsl-program.ts';
import { compilePipeline, type GpuPipeline } from './compile-pipeline.ts';
import { acquireDevice, type AdapterOptions, type DeviceSummary } from './device.ts';
import { runDispatch } from './run-dispatch.ts';

export interface EngineOptions {
  readonly adapter?: AdapterOptions;
}

export interface Engine {
  readonly summary: DeviceSummary;
  /** Compiles (or reuses) the pipeline of `program`. @throws VyreError `invalid-program`, `shader-compilation` */
  compile(program: unknown): Promise<CompileReport>;
  /** Runs one dispatch of a compiled pipeline. @throws VyreError `invalid-input`, `gpu-error` */
  dispatch(pipelineId: string, inputs: unknown, options?: DispatchOptions): Promise<DispatchOutputs>;
  /** Destroys the device. */
  dispose(): void;
}

interface CompiledEntry {
  readonly program: WgslProgram;
  readonly gpu: GpuPipeline;
}

/**
 * Acquires a device from `gpu` and returns an engine bound to it.
 * @throws VyreError `webgpu-unavailable`, `adapter-unavailable`
 */
export async function createEngine(gpu: GPU | undefined, options: EngineOptions = {}): Promise<Engine> {
  const { device, summary } = await acquireDevice(gpu, options.adapter);
  const compiled = new Map<string, CompiledEntry>();
  const inFlight = new Map<string, Promise<CompiledEntry>>();

  async function compile(value: unknown): Promise<CompileReport> {
    const started = performance.now();
    const timings = emptyTimings();
    const program = parseProgram(value);
    const digest = programDigest(program);
    const policy = policyString(program.workgroupSize);
    const pipelineId = pipelineIdentity(digest, policy).slice(0, 16);
    timings.digest = performance.now() - started;

    const ready = compiled.get(pipelineId);
    const joined = ready === undefined ? inFlight.get(pipelineId) : undefined;
    let tier: CompileReport['tier'] = 'memory';
    if (ready === undefined && joined === undefined) {
      tier = 'compiled';
      const gpuStarted = performance.now();
      const pending = compilePipeline(device, {
        code: program.code,
        entryPoint: program.entryPoint,
        buffers: program.buffers,
        label: `vyre-web ${program.entryPoint} ${pipelineId}`,
      }).then((gpuPipeline) => ({ program, gpu: gpuPipeline }));
      inFlight.set(pipelineId, pending);
      try {
        compiled.set(pipelineId, await pending);
      } finally {
        inFlight.delete(pipelineId);
      }
      timings.gpuCompile = performance.now() - gpuStarted;
    } else if (joined !== undefined) {
      // Someone else is compiling this identity right now: share their compile.
      await joined;
    }
    timings.total = performance.now() - started;
    const cacheHit = tier === 'memory';
    return {
      pipelineId,
      tier,
      cacheHit,
      timings,
      manifest: createManifest({ pipelineId, programDigest: digest, dispatchPolicy: policy, cacheHit }),
      entryPoint: program.entryPoint,
      workgroupSize: program.workgroupSize,
      buffers: program.buffers,
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
    const plan = planDispatch(entry.program.buffers, entry.program.workgroupSize, inputs, options, summary.limits);
    return runDispatch(device, entry.gpu, plan, `vyre-web ${entry.program.entryPoint} ${pipelineId}`);
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

function parseProgram(value: unknown): WgslProgram {
  const kind = typeof value === 'object' && value !== null ? (value as { kind?: unknown }).kind : undefined;
  if (kind === 'wgsl') return parseWgslProgram(value);
  throw new VyreError(
    'invalid-program',
    `Unknown program kind ${JSON.stringify(kind)}.`,
    'build programs with wgsl({ code }).',
    { kind: String(kind) },
  );
}
