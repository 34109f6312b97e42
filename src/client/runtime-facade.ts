/**
 * The main-thread facade over a {@link WorkerLink}: the Runtime and CompiledPipeline
 * objects apps hold. Every call goes through the link, so it rejects when the runtime is
 * disposed or its worker dies.
 */
import { proxy, transfer } from 'comlink';
import type { DispatchReply, DispatchResult } from '../gpu/dispatcher.ts';
import type { CompileReport } from '../pipeline/build.ts';
import type { DispatchOptions } from '../pipeline/dispatch-plan.ts';
import { isResidentBufferRef } from '../protocol/resident.ts';
import type { ElementArray } from '../program/types.ts';
import type { WorkerInitResult } from '../protocol/worker-api.ts';
import { ResidentBuffer, toWireInputs } from './resident-buffer.ts';
import type { CompiledPipeline, CompiledPipelineBuild, Outputs, OutputsWithKept, Runtime, RuntimeInputs } from './runtime-types.ts';
import type { WorkerLink } from './worker-link.ts';

export function createRuntimeFacade(link: WorkerLink, init: WorkerInitResult): Runtime {
  /**
   * Pipelines compiled from frozen program objects (what program() and wgsl() return), by
   * object and policy. A frozen program cannot change, so compiling the same object again
   * may skip sending, validating and hashing it: the worker only checks its memory tier.
   */
  const known = new WeakMap<object, Map<string, string>>();
  const policyKey = (policy: unknown): string => (policy === undefined ? '' : JSON.stringify(policy));
  const destroy = (ref: ResidentBuffer['ref']): Promise<void> => link.call((remote) => remote.destroyBuffer(ref));
  /** Kept outputs become handles: the caller's own handle when the output was kept in place. */
  const wrapOutputs = (outputs: DispatchResult, inputs: RuntimeInputs | undefined): OutputsWithKept => {
    // Arrays only (nothing kept): the reply's own fresh object is the result.
    if (!Object.values(outputs).some(isResidentBufferRef)) return outputs as OutputsWithKept;
    const wrapped: OutputsWithKept = {};
    for (const [name, value] of Object.entries(outputs)) {
      if (!isResidentBufferRef(value)) {
        wrapped[name] = value;
        continue;
      }
      const passed: unknown = inputs?.[name];
      wrapped[name] = passed instanceof ResidentBuffer && passed.ref.id === value.id ? passed : new ResidentBuffer(value, destroy);
    }
    return wrapped;
  };

  const run = (pipelineId: string, batch: readonly RuntimeInputs[], options: DispatchOptions | undefined): Promise<DispatchReply> => {
    const wire = batch.map(toWireInputs);
    // Transfer is opt-in: it detaches the caller's arrays.
    const payload = options?.transfer === true ? transfer(wire, inputBuffers(batch)) : wire;
    return link.call((remote) => remote.dispatch(pipelineId, payload, options));
  };

  const toBuild = (report: CompileReport): CompiledPipelineBuild => {
    async function dispatch(inputs: RuntimeInputs, options?: DispatchOptions): Promise<unknown> {
      const reply = await run(report.pipelineId, [inputs], options);
      const outputs = wrapOutputs(reply.outputs[0] ?? {}, inputs);
      if (options?.timing !== true) return outputs;
      return { outputs, timing: { wallMs: reply.timing?.wallMs ?? 0, gpuMs: reply.timing?.gpuMs[0] ?? null } };
    }
    const pipeline: CompiledPipeline = {
      id: report.pipelineId,
      entryPoint: report.entryPoint,
      workgroupSize: report.workgroupSize,
      buffers: report.buffers,
      dispatch: dispatch as CompiledPipeline['dispatch'],
      async dispatchBatch(batch, options) {
        const reply = await run(report.pipelineId, batch, options);
        return reply.outputs.map((outputs, item) => wrapOutputs(outputs, batch[item]) as Outputs);
      },
    };
    return { pipeline, cacheHit: report.cacheHit, tier: report.tier, timings: report.timings, missReason: report.missReason, manifest: report.manifest };
  };

  return {
    device: init.device,
    deviceFingerprint: init.deviceFingerprint,
    storage: init.storage,
    async compile(program, policy) {
      const frozen = typeof program === 'object' && program !== null && Object.isFrozen(program);
      const pipelineId = frozen ? known.get(program)?.get(policyKey(policy)) : undefined;
      const fast = pipelineId === undefined ? null : await link.call((remote) => remote.compileKnown(pipelineId));
      const report = fast ?? (await link.call((remote) => remote.compile(program, policy)));
      if (frozen) {
        const byPolicy = known.get(program) ?? new Map<string, string>();
        byPolicy.set(policyKey(policy), report.pipelineId);
        known.set(program, byPolicy);
      }
      return toBuild(report);
    },
    prewarm: (programs, options = {}) =>
      link.call((remote) => remote.prewarm(programs, options.concurrency, options.onProgress ? proxy(options.onProgress) : undefined)),
    async createBuffer(source) {
      const ref = await link.call((remote) => remote.createBuffer(source));
      return new ResidentBuffer(ref, destroy);
    },
    async read(buffer): Promise<ElementArray> {
      const ref = buffer instanceof ResidentBuffer ? buffer.ref : buffer;
      // Comlink's Remote<> spreads the union return type into a union of promises; re-join it.
      return link.call<ElementArray>((remote) => remote.readBuffer(ref) as unknown as Promise<ElementArray>);
    },
    cacheAudit: (threshold = 0) => link.call((remote) => remote.cacheAudit(threshold)),
    cacheSnapshot: () => link.call((remote) => remote.cacheSnapshot()),
    gpuStats: () => link.call((remote) => remote.gpuStats()),
    manifests: () => link.call((remote) => remote.manifests()),
    clearCache: (which = {}) => link.call((remote) => remote.clearCache({ memory: which.memory ?? true, persistent: which.persistent ?? true })),
    simulate: {
      deviceLoss: () => link.call((remote) => remote.simulate('device-loss')),
      // Not awaited through the link: the worker dies before it could answer.
      workerCrash: async () => void link.callUnguarded((remote) => remote.simulate('worker-crash')).catch(() => undefined),
    },
    async dispose() {
      if (link.state() !== 'open') return;
      // Stop new calls first, then give the worker a moment to destroy its device.
      const goodbye = link.callUnguarded((remote) => remote.dispose());
      link.terminate('disposed', goodbye);
      await link.closed();
    },
  };
}

function inputBuffers(batch: readonly RuntimeInputs[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const inputs of batch) {
    for (const value of Object.values(inputs)) if (ArrayBuffer.isView(value)) buffers.add(value.buffer as ArrayBuffer);
  }
  return [...buffers];
}
