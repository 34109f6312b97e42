/**
 * Pipeline mode's common cases, planned once: a pipeline dispatched again and again with
 * new arrays of the same names, types and lengths and no options, and the items of one
 * batch that repeat the shape of the item before (a chain over resident buffers). Such an
 * item gets the plan of the first with only its data or resident buffers swapped in.
 * Checking that the shape repeats is the validation the full planner would do for it, at
 * a fraction of the cost (planning was most of the engine's own time per small dispatch).
 *
 * Anything else — a name, order, type, length or kind (array or resident) that differs,
 * other limits, and across calls any options — is planned in full by {@link planDispatch},
 * which also names every mistake. Resident buffers are checked on every use (a handle
 * destroyed since the last call is caught). Remembered plans hold no caller data, so they
 * keep no caller's arrays alive.
 */
import { isResidentBufferRef, type ResidentBufferRef } from '../protocol/resident.ts';
import { elementTypeOf, type ElementArray, type ElementType } from '../protocol/elements.ts';
import { planDispatch, type DispatchPlan, type PlanLimits, type PlannedBuffer } from './dispatch-plan.ts';
import { type DispatchOptions } from '../protocol/dispatch.ts';

type PlannedArtifact = Parameters<typeof planDispatch>[0];

interface InputShape {
  readonly type: ElementType;
  readonly resident: boolean;
  readonly length: number;
}

interface RepeatShape {
  readonly limits: PlanLimits;
  /** The inputs' names in the order `Object.keys` gave them, and what each one was. */
  readonly names: readonly string[];
  readonly inputs: readonly InputShape[];
  /** The plan, its buffers without data or resident buffers. */
  readonly buffers: readonly PlannedBuffer[];
  readonly grid: DispatchPlan['grid'];
  readonly params: DispatchPlan['params'];
  /** For each planned buffer, the index in `names` of the input that supplies it, or -1. */
  readonly sources: readonly number[];
}

/** The last shape planned without options, per artifact (the cross-call case). */
const remembered = new WeakMap<PlannedArtifact, RepeatShape>();

/**
 * Plans every item of a batch as {@link planDispatch} would, reusing a plan where an item
 * repeats the shape of the one before (or, without options, of the last call).
 * @throws VyreError `invalid-input`, exactly as planDispatch does, for the first bad item.
 */
export function planBatch(artifact: PlannedArtifact, batch: readonly unknown[], options: DispatchOptions | undefined, limits: PlanLimits): DispatchPlan[] {
  let shape = options === undefined ? remembered.get(artifact) : undefined;
  if (shape !== undefined && shape.limits !== limits) shape = undefined;
  const plans = new Array<DispatchPlan>(batch.length);
  for (let item = 0; item < batch.length; item++) {
    const inputs = batch[item];
    let plan = shape === undefined ? undefined : replan(shape, inputs, limits);
    if (plan === undefined) {
      plan = planDispatch(artifact, inputs, options, limits);
      shape = learn(inputs as Record<string, unknown>, plan, limits);
      if (shape !== undefined && options === undefined) remembered.set(artifact, shape);
    }
    plans[item] = plan;
  }
  return plans;
}

/** The shape's plan with these inputs, or undefined when they differ from it in any way. */
function replan(shape: RepeatShape, inputs: unknown, limits: PlanLimits): DispatchPlan | undefined {
  if (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs) || ArrayBuffer.isView(inputs)) return undefined;
  const names = Object.keys(inputs);
  if (names.length !== shape.names.length) return undefined;
  const values: unknown[] = new Array<unknown>(names.length);
  for (let index = 0; index < names.length; index++) {
    const name = names[index] as string;
    const expected = shape.inputs[index] as InputShape;
    if (name !== shape.names[index]) return undefined;
    const value = (inputs as Record<string, unknown>)[name];
    if (expected.resident) {
      if (!isResidentBufferRef(value) || value.type !== expected.type || value.length !== expected.length) return undefined;
      // Throws, as planning in full would, for a handle destroyed or from another runtime.
      limits.checkResident?.(value);
    } else if (elementTypeOf(value) !== expected.type || (value as ElementArray).length !== expected.length) {
      return undefined;
    }
    values[index] = value;
  }
  const buffers = shape.buffers.map((buffer, index): PlannedBuffer => {
    const source = shape.sources[index] as number;
    if (source < 0) return buffer;
    return (shape.inputs[source] as InputShape).resident
      ? { ...buffer, resident: values[source] as ResidentBufferRef }
      : { ...buffer, data: values[source] as ElementArray };
  });
  return { buffers, grid: shape.grid, params: shape.params };
}

/**
 * The shape of a successful plan. Every input must be the very array or handle the plan
 * holds: a getter that answers differently on a second read gets no shortcut.
 */
function learn(inputs: Record<string, unknown>, plan: DispatchPlan, limits: PlanLimits): RepeatShape | undefined {
  const names = Object.keys(inputs);
  const shapes: InputShape[] = [];
  for (const name of names) {
    const value = inputs[name];
    const planned = plan.buffers.find((buffer) => buffer.declaration.name === name);
    if (planned === undefined) return undefined;
    if (planned.resident !== undefined && planned.resident === value) {
      shapes.push({ type: planned.resident.type, resident: true, length: planned.length });
      continue;
    }
    const type = elementTypeOf(value);
    if (type === undefined || planned.data !== value) return undefined;
    shapes.push({ type, resident: false, length: planned.length });
  }
  const sources = plan.buffers.map((buffer) => (buffer.data === undefined && buffer.resident === undefined ? -1 : names.indexOf(buffer.declaration.name)));
  const buffers = plan.buffers.map((buffer): PlannedBuffer => (buffer.data === undefined && buffer.resident === undefined ? buffer : { ...buffer, data: undefined, resident: undefined }));
  return { limits, names, inputs: shapes, buffers, grid: plan.grid, params: plan.params, sources };
}
