/**
 * Runs an IR Program on the CPU reference interpreter with exactly the dispatch rules of
 * the GPU path: the same input checks, buffer sizing, params and default grid. Use it to
 * test your own kernels against the GPU, as vyre-web's tests and fuzzer do.
 */
import { boundBuffersOf, paramsLayoutOf, toBoundBuffer } from '../lower/layout.ts';
import { interpret } from '../program/interpret.ts';
import type { IrProgram } from '../protocol/ir.ts';
import { ELEMENT_BYTES, arrayConstructorFor, isReadBack, type ElementArray } from '../protocol/elements.ts';
import { validateProgram } from '../program/validate.ts';
import { planDispatch, type PlanLimits } from './dispatch-plan.ts';
import { type DispatchOptions } from '../protocol/dispatch.ts';

/** WebGPU's guaranteed limits, the default for planning a reference run. */
export const DEFAULT_PLAN_LIMITS: PlanLimits = { maxStorageBufferBindingSize: 128 * 1024 * 1024, maxComputeWorkgroupsPerDimension: 65535 };

/**
 * Interprets `program` on `inputs` as one dispatch would run on the GPU.
 * @returns every `output` and `read-write` buffer by name (fresh arrays; inputs are not modified).
 * @throws VyreError `invalid-program`, `invalid-input`
 */
export function runReference(
  program: IrProgram,
  inputs: Readonly<Record<string, ElementArray>>,
  options?: DispatchOptions,
  limits: PlanLimits = DEFAULT_PLAN_LIMITS,
): Record<string, ElementArray> {
  const checked = validateProgram(program);
  const artifact = {
    buffers: boundBuffersOf(checked).map(toBoundBuffer),
    workgroupSize: checked.workgroupSize,
    params: paramsLayoutOf(checked),
    foldableGrid: true,
  };
  const plan = planDispatch(artifact, inputs, options, limits);
  const buffers: Record<string, ElementArray> = {};
  for (const planned of plan.buffers) {
    const ArrayType = arrayConstructorFor(planned.declaration.type);
    // By bytes, not `length`: a vector buffer's length counts vectors, its array components.
    const array = new ArrayType(planned.byteLength / ELEMENT_BYTES);
    if (planned.data !== undefined) array.set(planned.data);
    else if (planned.packed !== undefined) new Uint8Array(array.buffer).set(planned.packed);
    buffers[planned.declaration.name] = array;
  }
  interpret(checked, { buffers, params: { ...(options?.params ?? {}) }, grid: plan.grid });
  const outputs: Record<string, ElementArray> = {};
  for (const planned of plan.buffers) {
    const array = buffers[planned.declaration.name];
    const readBackBytes = planned.readBackBytes ?? planned.byteLength;
    // A zero-element vector array was allocated one element, as on the GPU; it reads back none.
    if (isReadBack(planned.declaration.access) && array !== undefined) outputs[planned.declaration.name] = readBackBytes === array.byteLength ? array : array.slice(0, readBackBytes / ELEMENT_BYTES);
  }
  return outputs;
}
