/**
 * Dispatch planning: checks a caller's inputs against a pipeline's buffers and the
 * device limits, and decides every buffer length and the grid, before anything is
 * encoded. Pure; no WebGPU.
 */
import { VyreError } from '../errors.ts';
import type { DispatchOptions } from '../protocol/dispatch.ts';
import type { BoundBuffer, ShaderArtifact } from '../lower/artifact.ts';
import { ELEMENT_BYTES, arrayConstructorFor, elementTypeOf, isReadBack, type ElementArray } from '../protocol/elements.ts';
import { foldGrid } from './fold-grid.ts';
import { checkParams, type ParamValues } from './dispatch-params.ts';
import { planLayoutBuffer } from './plan-layout-buffer.ts';
import type { ImagePlan } from './plan-images.ts';
import { bindingBytes, elementCountOf, runtimeArrayOf } from './binding-bytes.ts';
import { isResidentBufferRef, type ResidentBufferRef } from '../protocol/resident.ts';

export interface PlannedBuffer {
  readonly declaration: BoundBuffer;
  /** Element count (of the binding's array type, for a buffer with a layout). */
  readonly length: number;
  /** Bytes to allocate: `length × 4` for a scalar array (the GPU layer rounds 0 up to 4). */
  readonly byteLength: number;
  /**
   * Bytes to read back, when fewer than `byteLength`: a runtime-sized array of zero
   * elements with a layout is allocated one element (WebGPU's minimum) but reads back none.
   */
  readonly readBackBytes?: number;
  /** The caller's data to upload, when there is some. */
  readonly data: ElementArray | undefined;
  /** The packed bytes to upload, for a buffer with a layout; see plan-layout-buffer.ts. */
  readonly packed?: Uint8Array | undefined;
  /** A resident buffer to bind directly (no upload), when the caller passed one. */
  readonly resident: ResidentBufferRef | undefined;
  /** Keep this output on the GPU as a new resident buffer instead of reading it back. */
  readonly keep: boolean;
}

export interface DispatchPlan {
  readonly buffers: readonly PlannedBuffer[];
  readonly grid: readonly [number, number, number];
  /** The params uniform's bytes, when the program has params. */
  readonly params: ParamValues | undefined;
  /** Textures and samplers, when the pipeline binds images (plan-images.ts). */
  readonly images?: ImagePlan;
}

export interface PlanLimits {
  readonly maxStorageBufferBindingSize: number;
  readonly maxComputeWorkgroupsPerDimension: number;
  /** Checks that a resident buffer belongs to this runtime and is alive; throws VyreError otherwise. */
  readonly checkResident?: (ref: ResidentBufferRef) => void;
}

/**
 * Plans one dispatch.
 * @throws VyreError `invalid-input` for anything the caller got wrong; the message names the buffer.
 */
export function planDispatch(
  artifact: Pick<ShaderArtifact, 'buffers' | 'workgroupSize' | 'params' | 'foldableGrid'>,
  inputs: unknown,
  options: DispatchOptions | undefined,
  limits: PlanLimits,
): DispatchPlan {
  const { buffers, workgroupSize } = artifact;
  if (options !== undefined && (typeof options !== 'object' || options === null || Array.isArray(options))) {
    throw invalidInput('Dispatch options must be an object.', 'pass { outputs, grid, params } or nothing.', {});
  }
  const supplied = checkInputs(buffers, inputs, limits);
  const keep = checkKeep(buffers, options?.keep);
  const outputLengths = checkOutputLengths(buffers, options?.outputs);
  const params = checkParams(artifact.params, options?.params);
  const firstCount = firstInputCount(buffers, supplied);
  const byName = new Map(buffers.map((buffer) => [buffer.name, buffer]));
  const sizedLength = (declaration: BoundBuffer): number | undefined => {
    const sizing = declaration.sizing;
    if (sizing?.kind === 'static') return sizing.count;
    if (sizing?.kind !== 'same-as') return undefined;
    const source = byName.get(sizing.buffer);
    const value = supplied.get(sizing.buffer);
    const count = source === undefined || value === undefined ? undefined : suppliedCount(source, value);
    return count ?? outputLengths.get(sizing.buffer) ?? firstCount;
  };

  const planned = buffers.map((declaration): PlannedBuffer => {
    if (declaration.layout !== undefined) {
      const layoutPlan = planLayoutBuffer({ ...declaration, layout: declaration.layout }, supplied.get(declaration.name), outputLengths.get(declaration.name) ?? sizedLength(declaration), firstCount);
      checkStaticSize(declaration, layoutPlan.length);
      checkBindingSize(declaration.name, layoutPlan.byteLength, limits);
      return { declaration, ...layoutPlan, data: undefined, keep: keep.has(declaration.name) };
    }
    const data = supplied.get(declaration.name) as ElementArray | ResidentBufferRef | undefined;
    if (data !== undefined) checkStaticSize(declaration, data.length);
    const length = data?.length ?? outputLengths.get(declaration.name) ?? sizedLength(declaration) ?? firstCount;
    if (length === undefined) {
      throw invalidInput(
        `Cannot size the ${declaration.access} buffer "${declaration.name}": no input was given to take its length from.`,
        `pass { outputs: { ${declaration.name}: <element count> } } as dispatch options.`,
        { buffer: declaration.name },
      );
    }
    const bytes = length * ELEMENT_BYTES;
    checkBindingSize(declaration.name, bytes, limits);
    return {
      declaration,
      length,
      byteLength: bytes,
      data: data === undefined || isResidentBufferRef(data) ? undefined : data,
      resident: data !== undefined && isResidentBufferRef(data) ? data : undefined,
      keep: keep.has(declaration.name),
    };
  });

  const invocations = options?.invocations === undefined ? largestReadBack(planned) : checkInvocations(options.invocations);
  const grid = options?.grid === undefined
    ? defaultGrid(invocations, workgroupSize, artifact.foldableGrid, foldLimit(options?.foldAt, limits))
    : checkGrid(options.grid, limits);
  return { buffers: planned, grid, params };
}

/** @throws VyreError `invalid-input` when a buffer of static size got another element count. */
function checkStaticSize(declaration: BoundBuffer, count: number): void {
  const fixed = declaration.sizing?.kind === 'static' ? declaration.sizing.count : undefined;
  if (fixed !== undefined && count !== fixed) {
    throw invalidInput(
      `Buffer "${declaration.name}" has a static size of ${fixed} elements but got ${count}.`,
      `pass exactly ${fixed} elements.`,
      { buffer: declaration.name, expected: fixed, received: count },
    );
  }
}

/** Element count of the largest read-back buffer: one invocation per element by default. */
function largestReadBack(planned: readonly PlannedBuffer[]): number {
  let largest = 0;
  for (const buffer of planned) if (isReadBack(buffer.declaration.access) && buffer.length > largest) largest = buffer.length;
  return largest;
}

function checkInvocations(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalidInput(`options.invocations is ${String(value)}.`, 'pass a non-negative integer, or leave it out.', {});
  }
  return value;
}

function foldLimit(foldAt: unknown, limits: PlanLimits): number {
  if (foldAt === undefined) return limits.maxComputeWorkgroupsPerDimension;
  if (typeof foldAt !== 'number' || !Number.isInteger(foldAt) || foldAt < 1) {
    throw invalidInput(`options.foldAt is ${String(foldAt)}.`, 'pass a positive integer, or leave it out.', {});
  }
  return Math.min(foldAt, limits.maxComputeWorkgroupsPerDimension);
}

/** Shared empties for the common dispatch without `keep` or `outputs`: nothing to allocate. */
const NO_NAMES: ReadonlySet<string> = new Set();
const NO_LENGTHS: ReadonlyMap<string, number> = new Map();

function checkKeep(buffers: readonly BoundBuffer[], keep: unknown): ReadonlySet<string> {
  if (keep === undefined) return NO_NAMES;
  if (!Array.isArray(keep)) throw invalidInput('options.keep must be a list of buffer names.', "pass e.g. { keep: ['y'] }.", {});
  for (const name of keep as unknown[]) {
    const declaration = buffers.find((buffer) => buffer.name === name);
    if (declaration === undefined || !isReadBack(declaration.access)) {
      throw invalidInput(`options.keep names "${String(name)}", which is not an output or read-write buffer.`, 'keep only buffers that come back.', { buffer: String(name) });
    }
  }
  return new Set(keep as string[]);
}

/** Buffers by name, per artifact: built once, not per dispatch. */
const byNameCache = new WeakMap<readonly BoundBuffer[], ReadonlyMap<string, BoundBuffer>>();
function buffersByName(buffers: readonly BoundBuffer[]): ReadonlyMap<string, BoundBuffer> {
  let byName = byNameCache.get(buffers);
  if (byName === undefined) {
    byName = new Map(buffers.map((buffer) => [buffer.name, buffer]));
    byNameCache.set(buffers, byName);
  }
  return byName;
}

/**
 * The element count an unsized buffer takes by default: that of the first input, in
 * binding order, that holds an array — counted in elements of its own binding's array
 * type (4 vec4f of `array<vec4f>` given as 16 floats are 4). A uniform struct or other
 * fixed-size binding holds no array and is passed over.
 */
function firstInputCount(buffers: readonly BoundBuffer[], supplied: ReadonlyMap<string, unknown>): number | undefined {
  for (const buffer of buffers) {
    const value = supplied.get(buffer.name);
    if (value === undefined) continue;
    const count = suppliedCount(buffer, value);
    if (count !== undefined) return count;
  }
  return undefined;
}

/**
 * Element count of `value` supplied for `buffer`, in elements of the buffer's array type (a
 * vector buffer counts vectors, not floats); undefined when it has no count (a struct).
 */
function suppliedCount(buffer: BoundBuffer, value: unknown): number | undefined {
  const layout = buffer.layout;
  if (layout === undefined) return lengthOf(value);
  if (isResidentBufferRef(value)) return elementCountOf(layout, value.length * ELEMENT_BYTES);
  if (layout.kind !== 'array' && runtimeArrayOf(layout) === null) return undefined;
  const byteLength = value instanceof ArrayBuffer || ArrayBuffer.isView(value) ? value.byteLength : undefined;
  // Fields with a runtime-sized tail: its element count is the tail's length, known once packed.
  return elementCountOf(layout, byteLength ?? bindingBytes(buffer.name, layout, value).byteLength);
}

/** Element count of an input array or resident buffer; undefined for anything else (e.g. a uniform's fields). */
function lengthOf(value: unknown): number | undefined {
  if (isResidentBufferRef(value)) return value.length;
  return elementTypeOf(value) === undefined ? undefined : (value as ElementArray).length;
}

/**
 * Checks every input against its buffer: a scalar array's element type here; a buffer with
 * a layout takes any value, which packing checks against the layout.
 */
function checkInputs(buffers: readonly BoundBuffer[], inputs: unknown, limits: PlanLimits): Map<string, unknown> {
  if (typeof inputs !== 'object' || inputs === null || Array.isArray(inputs) || ArrayBuffer.isView(inputs)) {
    throw invalidInput('Dispatch inputs must be an object of typed arrays named by buffer.', 'call dispatch({ x: new Float32Array(n), … }).', {});
  }
  const byName = buffersByName(buffers);
  const supplied = new Map<string, unknown>();
  for (const [name, value] of Object.entries(inputs)) {
    const declaration = byName.get(name);
    if (declaration === undefined) {
      throw invalidInput(
        `Unknown buffer "${name}".`,
        `name one of the program's buffers: ${buffers.map((b) => b.name).join(', ')}.`,
        { buffer: name, known: buffers.map((b) => b.name) },
      );
    }
    if (declaration.access === 'output') {
      throw invalidInput(
        `"${name}" is an output buffer; the runtime allocates it.`,
        'leave it out of the inputs (size it with options.outputs), or declare it read-write to upload initial contents.',
        { buffer: name },
      );
    }
    if (isResidentBufferRef(value)) {
      limits.checkResident?.(value);
      if (value.type !== declaration.type) {
        throw invalidInput(`Buffer "${name}" holds ${declaration.type} but got a resident ${value.type} buffer.`, `pass a resident buffer of ${declaration.type}.`, { buffer: name });
      }
      supplied.set(name, value);
      continue;
    }
    if (declaration.layout !== undefined) {
      supplied.set(name, value);
      continue;
    }
    const actual = elementTypeOf(value);
    if (actual !== declaration.type) {
      const expected = arrayConstructorFor(declaration.type).name;
      throw invalidInput(
        `Buffer "${name}" holds ${declaration.type} but got ${describeValue(value)}.`,
        `pass a ${expected}.`,
        { buffer: name, expected, received: describeValue(value) },
      );
    }
    supplied.set(name, value as ElementArray);
  }
  for (const buffer of buffers) {
    if (buffer.access === 'read' && !supplied.has(buffer.name)) {
      throw invalidInput(`Missing input "${buffer.name}".`, `pass a ${arrayConstructorFor(buffer.type).name} named "${buffer.name}".`, { buffer: buffer.name });
    }
  }
  return supplied;
}

function checkOutputLengths(buffers: readonly BoundBuffer[], outputs: unknown): ReadonlyMap<string, number> {
  if (outputs === undefined) return NO_LENGTHS;
  const lengths = new Map<string, number>();
  if (typeof outputs !== 'object' || outputs === null || Array.isArray(outputs)) {
    throw invalidInput('options.outputs must be an object of element counts.', 'pass { outputs: { y: 1024 } }.', {});
  }
  for (const [name, value] of Object.entries(outputs)) {
    const declaration = buffers.find((buffer) => buffer.name === name);
    if (declaration === undefined || !isReadBack(declaration.access)) {
      throw invalidInput(`options.outputs names "${name}", which is not an output or read-write buffer.`, 'size only the buffers that come back.', { buffer: name });
    }
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      throw invalidInput(`options.outputs.${name} is ${String(value)}, not an element count.`, 'pass a non-negative integer.', { buffer: name });
    }
    lengths.set(name, value);
  }
  return lengths;
}

function defaultGrid(
  invocations: number,
  workgroupSize: readonly [number, number, number],
  foldable: boolean,
  perDimension: number,
): [number, number, number] {
  const perWorkgroup = workgroupSize[0] * workgroupSize[1] * workgroupSize[2];
  const workgroups = Math.ceil(invocations / perWorkgroup);
  if (workgroups <= perDimension) return [workgroups, 1, 1];
  if (!foldable) {
    throw invalidInput(
      `One invocation per element needs ${workgroups} workgroups in x, over this device's maxComputeWorkgroupsPerDimension of ${perDimension}.`,
      'pass options.grid as [x, y] and compute the element index from global_invocation_id.x and .y in the kernel, or use a larger workgroup size.',
      { workgroups, limit: perDimension },
    );
  }
  const folded = foldGrid(workgroups, perDimension);
  if (folded === undefined) {
    throw invalidInput(
      `The dispatch needs ${workgroups} workgroups, more than ${perDimension}³ even when folded into three dimensions.`,
      'split the work into several dispatches.',
      { workgroups, limit: perDimension },
    );
  }
  return folded;
}

function checkGrid(grid: unknown, limits: PlanLimits): [number, number, number] {
  const parts = typeof grid === 'number' ? [grid] : Array.isArray(grid) ? (grid as unknown[]) : undefined;
  if (parts === undefined || parts.length < 1 || parts.length > 3) {
    throw invalidInput('options.grid must be a number or a list of 1 to 3 numbers.', 'pass e.g. { grid: [64, 64] }.', {});
  }
  const out: [number, number, number] = [1, 1, 1];
  parts.forEach((value: unknown, axis) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > limits.maxComputeWorkgroupsPerDimension) {
      throw invalidInput(
        `options.grid[${axis}] is ${String(value)}; each dimension must be an integer in 0…${limits.maxComputeWorkgroupsPerDimension}.`,
        'fold large grids into more dimensions.',
        { axis, limit: limits.maxComputeWorkgroupsPerDimension },
      );
    }
    out[axis] = value;
  });
  return out;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return (value as object).constructor?.name ?? 'an object';
}

function checkBindingSize(name: string, bytes: number, limits: PlanLimits): void {
  if (bytes <= limits.maxStorageBufferBindingSize) return;
  throw invalidInput(
    `Buffer "${name}" needs ${bytes} bytes, over this device's maxStorageBufferBindingSize of ${limits.maxStorageBufferBindingSize} bytes.`,
    'split the work into several dispatches over smaller buffers.',
    { buffer: name, bytes, limit: limits.maxStorageBufferBindingSize },
  );
}

function invalidInput(problem: string, fix: string, details: Record<string, string | number | readonly string[]>): VyreError {
  return new VyreError('invalid-input', problem, fix, details);
}
