/**
 * Pipeline mode's common cases, planned once: a pipeline dispatched again and again with
 * new arrays of the same names, types and lengths and no options, and the items of one
 * batch that repeat the shape of the item before (a chain over resident buffers). Such an
 * item gets the plan of the first with only its data or resident buffers swapped in.
 * A reflected WGSL binding repeats too: bytes of the same kind and length, or a plain
 * object for a fixed-size type (a uniform struct), which is packed again — its byte
 * length cannot change, so nothing else in the plan can.
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
import { packValue, runtimeArrayOf, typedArrayName } from './pack-value.ts';

type PlannedArtifact = Parameters<typeof planDispatch>[0];

/** What one input was: an array or resident buffer of a type and length, or a reflected binding's bytes or fields. */
type InputShape =
  | { readonly kind: 'array' | 'resident'; readonly type: ElementType; readonly length: number }
  /** Raw bytes for a reflected binding: the same kind of view (or ArrayBuffer) and byte length. */
  | { readonly kind: 'bytes'; readonly tag: string; readonly byteLength: number }
  /** A plain value for a reflected binding of fixed size; packed again on every call. */
  | { readonly kind: 'fields' };

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
    const value = (inputs as Record<string, unknown>)[name];
    if (name !== shape.names[index] || !repeats(shape.inputs[index] as InputShape, value, limits)) return undefined;
    values[index] = value;
  }
  const buffers = new Array<PlannedBuffer>(shape.buffers.length);
  for (let index = 0; index < buffers.length; index++) {
    const buffer = shape.buffers[index] as PlannedBuffer;
    const source = shape.sources[index] as number;
    const swapped = source < 0 ? buffer : withInput(buffer, shape.inputs[source] as InputShape, values[source]);
    if (swapped === undefined) return undefined;
    buffers[index] = swapped;
  }
  return { buffers, grid: shape.grid, params: shape.params };
}

/** Whether `value` has the shape `expected` (a resident handle is also checked to be alive). */
function repeats(expected: InputShape, value: unknown, limits: PlanLimits): boolean {
  switch (expected.kind) {
    case 'resident':
      if (!isResidentBufferRef(value) || value.type !== expected.type || value.length !== expected.length) return false;
      // Throws, as planning in full would, for a handle destroyed or from another runtime.
      limits.checkResident?.(value);
      return true;
    case 'array':
      return elementTypeOf(value) === expected.type && (value as ElementArray).length === expected.length;
    case 'bytes':
      return bytesTag(value) === expected.tag && (value as ArrayBufferView | ArrayBuffer).byteLength === expected.byteLength;
    case 'fields':
      return value !== undefined && bytesTag(value) === undefined && !isResidentBufferRef(value);
  }
}

/**
 * A remembered buffer with this call's input in it; undefined when plain fields do not
 * pack (the full planner then reports the mistake, exactly as on a first call).
 */
function withInput(buffer: PlannedBuffer, shape: InputShape, value: unknown): PlannedBuffer | undefined {
  switch (shape.kind) {
    case 'resident':
      return { ...buffer, resident: value as ResidentBufferRef };
    case 'array':
      return { ...buffer, data: value as ElementArray };
    case 'bytes':
      return { ...buffer, packed: value instanceof ArrayBuffer ? new Uint8Array(value) : asBytes(value as ArrayBufferView) };
    case 'fields': {
      const layout = buffer.declaration.layout;
      if (layout === undefined) return undefined;
      try {
        return { ...buffer, packed: packValue(buffer.declaration.name, layout, value) };
      } catch {
        return undefined;
      }
    }
  }
}

function asBytes(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

/** 'ArrayBuffer', a typed array's or DataView's tag, or undefined for anything that is not bytes. */
function bytesTag(value: unknown): string | undefined {
  if (value instanceof ArrayBuffer) return 'ArrayBuffer';
  return ArrayBuffer.isView(value) ? typedArrayName(value) : undefined;
}

/**
 * The shape of a successful plan. Every input must be the very array or handle the plan
 * holds: a getter that answers differently on a second read gets no shortcut.
 */
function learn(inputs: Record<string, unknown>, plan: DispatchPlan, limits: PlanLimits): RepeatShape | undefined {
  const names = Object.keys(inputs);
  const shapes: InputShape[] = [];
  for (const name of names) {
    const planned = plan.buffers.find((buffer) => buffer.declaration.name === name);
    const shape = planned === undefined ? undefined : shapeOf(inputs[name], planned);
    if (shape === undefined) return undefined;
    shapes.push(shape);
  }
  const supplied = (buffer: PlannedBuffer) => buffer.data !== undefined || buffer.resident !== undefined || buffer.packed !== undefined;
  const sources = plan.buffers.map((buffer) => (supplied(buffer) ? names.indexOf(buffer.declaration.name) : -1));
  const buffers = plan.buffers.map((buffer): PlannedBuffer => (supplied(buffer) ? { ...buffer, data: undefined, resident: undefined, packed: undefined } : buffer));
  return { limits, names, inputs: shapes, buffers, grid: plan.grid, params: plan.params, sources };
}

/** The shape of one input as the plan took it; undefined where a repeat could plan differently. */
function shapeOf(value: unknown, planned: PlannedBuffer): InputShape | undefined {
  if (planned.resident !== undefined) {
    return planned.resident === value ? { kind: 'resident', type: planned.resident.type, length: planned.length } : undefined;
  }
  const layout = planned.declaration.layout;
  if (layout === undefined) {
    const type = elementTypeOf(value);
    return type === undefined || planned.data !== value ? undefined : { kind: 'array', type, length: planned.length };
  }
  if (planned.packed === undefined) return undefined;
  const tag = bytesTag(value);
  if (tag !== undefined) {
    // Bytes that needed padding to a whole word were copied; those are planned in full.
    const byteLength = (value as ArrayBufferView | ArrayBuffer).byteLength;
    return byteLength === planned.byteLength ? { kind: 'bytes', tag, byteLength } : undefined;
  }
  // Fields of a fixed-size type always pack to the same bytes' length; a runtime-sized tail does not.
  return runtimeArrayOf(layout) === null && planned.byteLength === layout.size ? { kind: 'fields' } : undefined;
}
