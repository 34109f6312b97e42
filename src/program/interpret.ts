/**
 * The CPU reference interpreter of the Program IR: the executable form of
 * `docs/semantics.md`, against which the WGSL lowering is tested bit for bit.
 *
 * A program is first compiled into a tree of JS closures (types resolved, operators looked
 * up, locals given slots, buffers bound), then run. Programs without a `barrier` run each
 * invocation to completion with plain calls. In programs with one, the statements that
 * contain a barrier compile into generators that yield at it, and a small scheduler
 * releases the barrier once every live invocation of the workgroup has reached it.
 *
 * Vector values are `number[]`s (vector-ops.ts); which closures handle them is decided when
 * the program is compiled (interpret-vector.ts), so scalar programs run the scalar closures
 * unchanged. Vector buffers are bound as flat typed arrays of their components.
 *
 * Programs are assumed validated; anything validation should have rejected still fails
 * cleanly with `invalid-program` instead of running off.
 */
import { VALUE_TYPES, componentOf, widthOf, type IrBuffer, type IrProgram, type ScalarType, type ValueType } from '../protocol/ir.ts';
import { coerceScalar } from './scalar-ops.ts';
import {
  type GenFn,
  type InterpretArray,
  type InterpretRun,
  Invocation,
  type Memory,
  type Signal,
  type Typed,
  hasBarrier,
  invalid,
  invalidInput,
} from './interpret-model.ts';
import { Compiler } from './interpret-compile.ts';

export type { InterpretArray, InterpretRun } from './interpret-model.ts';

// ---- running -------------------------------------------------------------------------

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function arrayMatches(array: unknown, type: ScalarType): boolean {
  switch (type) {
    case 'u32':
    case 'bool':
      return array instanceof Uint32Array;
    case 'i32':
      return array instanceof Int32Array;
    case 'f32':
      return array instanceof Float32Array;
  }
}

function arrayName(component: ScalarType): string {
  return component === 'f32' ? 'Float32Array' : component === 'i32' ? 'Int32Array' : 'Uint32Array';
}

/** A buffer's element type, checked: anything else is a program validation should have rejected. */
function elementType(decl: IrBuffer): ValueType {
  if (!(VALUE_TYPES as readonly unknown[]).includes(decl.type)) {
    throw invalid(`Buffer ${decl.name} has element type ${String(decl.type)}.`);
  }
  return decl.type;
}

/** Fresh zero-filled memory of a workgroup buffer: `count` elements (vectors), flat. */
function workgroupArray(decl: IrBuffer): InterpretArray {
  if (!isCount(decl.count) || decl.count === 0) throw invalid(`Workgroup buffer ${decl.name} has no valid count.`);
  const type = elementType(decl);
  const length = decl.count * widthOf(type);
  const component = componentOf(type);
  return component === 'i32' ? new Int32Array(length) : component === 'f32' ? new Float32Array(length) : new Uint32Array(length);
}

/**
 * The caller's array for a bound buffer, checked: the typed array of the element type's
 * components, holding a whole number of vectors for a vector buffer.
 * @throws VyreError `invalid-input` when it is missing or of the wrong kind or length.
 */
function boundArray(decl: IrBuffer, run: InterpretRun): InterpretArray {
  const array: unknown = Object.hasOwn(run.buffers, decl.name) ? run.buffers[decl.name] : undefined;
  if (array === undefined) {
    throw invalidInput(`Buffer ${decl.name} was not given to the interpreter.`, 'pass a sized typed array for every bound buffer.');
  }
  const type = elementType(decl);
  const component = componentOf(type);
  if (!arrayMatches(array, component)) {
    throw invalidInput(`Buffer ${decl.name} (${type}) was given as another typed array.`, `pass a ${arrayName(component)}.`);
  }
  const width = widthOf(type);
  const { length } = array as InterpretArray;
  if (length % width !== 0) {
    throw invalidInput(
      `Buffer ${decl.name} (${type}) was given ${length} components, not a whole number of ${width}-component vectors.`,
      `pass a flat ${arrayName(component)} of ${width} components per vector, x first.`,
    );
  }
  return array as InterpretArray;
}

/** Binds every declared buffer: the caller's arrays, and fresh workgroup memory. */
function bindMemories(program: IrProgram, run: InterpretRun): Map<string, Memory> {
  const memories = new Map<string, Memory>();
  for (const decl of program.buffers) {
    if (memories.has(decl.name)) throw invalid(`Buffer ${decl.name} is declared twice.`);
    const array = decl.access === 'workgroup' ? workgroupArray(decl) : boundArray(decl, run);
    memories.set(decl.name, { decl, array, dirty: false });
  }
  for (const name of Object.keys(run.buffers)) {
    const memory = memories.get(name);
    if (memory === undefined || memory.decl.access === 'workgroup') {
      throw invalidInput(`Buffer ${name} is not a bound buffer of the program.`, "pass only the program's bound buffers.");
    }
  }
  return memories;
}

function bindParams(program: IrProgram, run: InterpretRun): Map<string, Typed> {
  const params = new Map<string, Typed>();
  for (const param of program.params) {
    const raw: unknown = Object.hasOwn(run.params, param.name) ? run.params[param.name] : undefined;
    if (typeof raw !== 'number') {
      throw invalidInput(`Parameter ${param.name} was not given as a number.`, 'pass every declared parameter.');
    }
    const value = coerceScalar(param.type, raw);
    params.set(param.name, { type: param.type, fn: () => value });
  }
  for (const name of Object.keys(run.params)) {
    if (!params.has(name)) {
      throw invalidInput(`Parameter ${name} is not declared by the program.`, 'pass only declared parameters.');
    }
  }
  return params;
}

/** The invocations of one workgroup, in local-index order, with their local ids set. */
function makeInvocations(size: readonly [number, number, number], slots: number): Invocation[] {
  const invocations: Invocation[] = [];
  for (let z = 0; z < size[2]; z++) {
    for (let y = 0; y < size[1]; y++) {
      for (let x = 0; x < size[0]; x++) {
        const inv = new Invocation(slots);
        inv.lx = x;
        inv.ly = y;
        inv.lz = z;
        inv.localIndex = invocations.length;
        invocations.push(inv);
      }
    }
  }
  return invocations;
}

/**
 * Runs one workgroup of a program with barriers. Each round resumes every live invocation,
 * in local-index order, until it finishes or waits at a barrier; the next round is the
 * barrier's release. Invocations that finished (e.g. returned) no longer hold it up.
 * @throws VyreError `invalid-program` when invocations wait at different barriers
 * (a barrier in non-uniform control flow, which the GPU leaves undefined).
 */
function runWithBarriers(body: GenFn, invocations: readonly Invocation[]): void {
  let live = invocations.map((inv) => body(inv));
  while (live.length > 0) {
    const waiting: Generator<number, Signal, void>[] = [];
    let barrier = -1;
    for (const invocation of live) {
      const step = invocation.next();
      if (step.done === true) continue;
      if (barrier === -1) barrier = step.value;
      else if (step.value !== barrier) {
        throw invalid('Invocations of one workgroup wait at different barriers (a barrier in non-uniform control flow).');
      }
      waiting.push(invocation);
    }
    live = waiting;
  }
}

/**
 * Runs `program` on the CPU over `run.grid` workgroups, exactly as docs/semantics.md
 * defines, writing results into the arrays of `run.buffers` in place.
 *
 * Workgroups run in linear order (x fastest), invocations in local-index order; workgroup
 * buffers are zero-filled for every workgroup. Every invocation runs with its own locals.
 *
 * @param program - a validated IR program.
 * @param run - the bound buffers (typed arrays of the declared element types, `bool` as
 * `Uint32Array`, a vector buffer as a flat array of its components: n `vec4<f32>` are a
 * `Float32Array` of 4·n floats), every parameter, and the grid in workgroups.
 * @throws VyreError `invalid-input` when a buffer or parameter is missing, unknown or of the
 * wrong kind, a vector buffer's array does not hold a whole number of vectors, or the grid
 * is not three non-negative integers.
 * @throws VyreError `invalid-program` on a program that validation should have rejected.
 * @example
 * ```ts
 * const out = new Float32Array(4);
 * interpret(program, { buffers: { x: new Float32Array([1, 2, 3, 4]), out }, params: {}, grid: [1, 1, 1] });
 * ```
 */
export function interpret(program: IrProgram, run: InterpretRun): void {
  const size = program.workgroupSize;
  if (!size.every((n) => isCount(n) && n > 0)) throw invalid('The workgroup size is not three positive integers.');
  const grid = run.grid;
  if (grid.length !== 3 || !grid.every(isCount)) {
    throw invalidInput('The grid is not three non-negative integers.', 'pass the number of workgroups per axis.');
  }
  const memories = bindMemories(program, run);
  const compiler = new Compiler(program, memories, bindParams(program, run), grid);
  const withBarriers = program.body.some(hasBarrier);
  const plainBody = withBarriers ? undefined : compiler.stmts(program.body);
  const genBody = withBarriers ? compiler.genStmts(program.body) : undefined;

  const invocations = makeInvocations(size, compiler.slots);
  const workgroupMemories = [...memories.values()].filter((memory) => memory.decl.access === 'workgroup');
  const perGroup = size[0] * size[1] * size[2];
  const [gx, gy, gz] = grid;
  let groupIndex = 0;
  for (let wz = 0; wz < gz; wz++) {
    for (let wy = 0; wy < gy; wy++) {
      for (let wx = 0; wx < gx; wx++, groupIndex++) {
        for (const memory of workgroupMemories) {
          if (memory.dirty) memory.array.fill(0);
          memory.dirty = false;
        }
        // Math.imul keeps linear-index a u32 (mod 2³²) even for absurd grids, like the GPU.
        const base = Math.imul(groupIndex, perGroup);
        for (const inv of invocations) {
          inv.wx = wx;
          inv.wy = wy;
          inv.wz = wz;
          inv.linearIndex = (base + inv.localIndex) >>> 0;
        }
        if (genBody !== undefined) {
          runWithBarriers(genBody, invocations);
        } else if (plainBody !== undefined) {
          for (const inv of invocations) plainBody(inv);
        }
      }
    }
  }
}
