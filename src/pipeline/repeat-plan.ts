/**
 * Pipeline mode's common case, planned once: a pipeline dispatched again and again with
 * new arrays of the same names, types and lengths, and no options, gets the plan its
 * first such call got, with only the data swapped in. Checking that the shape repeats is
 * the same validation the full planner does for such a call, at a fraction of its cost
 * (it is most of the engine's own time per small dispatch).
 *
 * Anything else — options, a resident buffer, a name, order, type or length that differs,
 * other limits — is planned in full by {@link planDispatch}, which also names every mistake.
 * The remembered plan holds no caller data, so it keeps no caller's arrays alive.
 */
import { elementTypeOf, type ElementArray, type ElementType } from '../program/types.ts';
import { planDispatch, type DispatchOptions, type DispatchPlan, type PlanLimits, type PlannedBuffer } from './dispatch-plan.ts';

type PlannedArtifact = Parameters<typeof planDispatch>[0];

interface RepeatShape {
  readonly limits: PlanLimits;
  /** The inputs' names in the order `Object.keys` gave them, with each one's type and length. */
  readonly names: readonly string[];
  readonly types: readonly ElementType[];
  readonly lengths: readonly number[];
  /** The plan, its buffers without data. */
  readonly buffers: readonly PlannedBuffer[];
  readonly grid: DispatchPlan['grid'];
  /** For each planned buffer, the index in `names` of the input that supplies its data, or -1. */
  readonly sources: readonly number[];
}

const shapes = new WeakMap<PlannedArtifact, RepeatShape>();

/**
 * {@link planDispatch}, reusing the last plan of `artifact` when this call repeats its shape.
 * @throws VyreError `invalid-input`, exactly as planDispatch does.
 */
export function planWithRepeats(artifact: PlannedArtifact, inputs: unknown, options: DispatchOptions | undefined, limits: PlanLimits): DispatchPlan {
  if (options !== undefined) return planDispatch(artifact, inputs, options, limits);
  const shape = shapes.get(artifact);
  const repeated = shape === undefined || shape.limits !== limits ? undefined : replan(shape, inputs);
  if (repeated !== undefined) return repeated;
  const plan = planDispatch(artifact, inputs, undefined, limits);
  const learned = learn(inputs as Record<string, unknown>, plan, limits);
  if (learned !== undefined) shapes.set(artifact, learned);
  return plan;
}

/** The remembered plan with this call's arrays, or undefined when the shape differs in any way. */
function replan(shape: RepeatShape, inputs: unknown): DispatchPlan | undefined {
  if (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs) || ArrayBuffer.isView(inputs)) return undefined;
  const names = Object.keys(inputs);
  if (names.length !== shape.names.length) return undefined;
  const values: ElementArray[] = new Array<ElementArray>(names.length);
  for (let index = 0; index < names.length; index++) {
    const name = names[index] as string;
    if (name !== shape.names[index]) return undefined;
    const value = (inputs as Record<string, unknown>)[name];
    if (elementTypeOf(value) !== shape.types[index] || (value as ElementArray).length !== shape.lengths[index]) return undefined;
    values[index] = value as ElementArray;
  }
  const buffers = shape.buffers.map((buffer, index): PlannedBuffer => {
    const source = shape.sources[index] as number;
    return source < 0 ? buffer : { ...buffer, data: values[source] };
  });
  return { buffers, grid: shape.grid, params: undefined };
}

/**
 * The shape of a successful plan, when it is one a repeat may reuse: typed arrays only, no
 * params, and every input the very array the plan holds (a getter that answers differently
 * on a second read gets no shortcut).
 */
function learn(inputs: Record<string, unknown>, plan: DispatchPlan, limits: PlanLimits): RepeatShape | undefined {
  if (plan.params !== undefined) return undefined;
  const names = Object.keys(inputs);
  const types: ElementType[] = [];
  const lengths: number[] = [];
  for (const name of names) {
    const value = inputs[name];
    const type = elementTypeOf(value);
    const planned = plan.buffers.find((buffer) => buffer.declaration.name === name);
    if (type === undefined || planned === undefined || planned.data !== value) return undefined;
    types.push(type);
    lengths.push(planned.length);
  }
  const sources = plan.buffers.map((buffer) => (buffer.data === undefined ? -1 : names.indexOf(buffer.declaration.name)));
  const buffers = plan.buffers.map((buffer): PlannedBuffer => (buffer.data === undefined ? buffer : { ...buffer, data: undefined }));
  return { limits, names, types, lengths, buffers, grid: plan.grid, sources };
}
