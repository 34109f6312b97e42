/**
 * Validation of expressions: shape, names, literals and types (docs/semantics.md), plus
 * whether each expression is uniform across a workgroup, which the barrier rule needs.
 * Each check returns a fresh typed copy of the node, or `undefined` once an issue is logged.
 */
import {
  ATOMIC_OPS,
  BINARY_OPS,
  BUILTINS,
  SCALAR_TYPES,
  UNARY_OPS,
  VALUE_TYPES,
  VECTOR_TYPES,
  componentOf,
  isVectorType,
  widthOf,
  type Expr,
  type IrAccess,
  type IrParam,
  type ScalarType,
  type ValueType,
  type VectorType,
  type VectorWidth,
} from '../protocol/ir.ts';
import { at, describe, field, got, index, readChoice, readRecord, readString, type IssueLog } from './validate-report.ts';
import {
  BINARY_SIGNATURES,
  atomicOperands,
  binaryLeftValueTypes,
  binaryRightValueTypes,
  binaryValueResultFromLeft,
  castExists,
  isAtomicElementType,
  typeList,
  unaryValueOperands,
  unaryValueResult,
} from './validate-types.ts';
import { readVectorWidth, vectorAccessType, type VectorAccessLog } from './validate-vector-access.ts';

/** A let or loop variable in scope. */
export interface Local {
  readonly kind: 'let' | 'loop';
  /** `undefined` when its initializer or bounds did not type-check (already reported). */
  readonly type: ValueType | undefined;
  readonly uniform: boolean;
}

/** What the body knows of a declared buffer; fields are `undefined` when malformed (already reported). */
export interface BufferInfo {
  readonly access: IrAccess | undefined;
  readonly type: ValueType | undefined;
}

/** What expressions are checked against. */
export interface ExprEnv {
  readonly log: IssueLog;
  readonly buffers: ReadonlyMap<string, BufferInfo>;
  readonly params: ReadonlyMap<string, IrParam['type'] | undefined>;
  /** False when the buffer list was cut short or unreadable: unknown names are then not reported. */
  readonly buffersComplete: boolean;
  readonly paramsComplete: boolean;
  /** Where atomics and whole-vector accesses are noted, to be judged once the body is walked. */
  readonly vectorAccesses: VectorAccessLog;
  lookup(name: string): Local | undefined;
}

/** A checked expression. Unknown parts (already reported) are `undefined` and not checked further. */
export interface Checked {
  readonly node: Expr | undefined;
  readonly type: ValueType | undefined;
  /** Same value in every invocation of a workgroup. */
  readonly uniform: boolean;
}

/** A node that could not be checked counts as uniform, so one issue does not cascade into barrier issues. */
const UNCHECKED: Checked = { node: undefined, type: undefined, uniform: true };

const EXPR_KINDS = ['literal', 'var', 'param', 'load', 'load-vector', 'length', 'builtin', 'unary', 'binary', 'select', 'cast', 'fma', 'atomic', 'vector', 'splat', 'component', 'dot'];
const U32: readonly ScalarType[] = ['u32'];
const BOOL: readonly ScalarType[] = ['bool'];
const F32_VALUES: readonly ValueType[] = ['f32', ...VECTOR_TYPES.filter((type) => componentOf(type) === 'f32')];

/** Checks the expression `value` found at `path`, `depth` levels deep. */
export function checkExpr(env: ExprEnv, value: unknown, path: string, depth: number): Checked {
  const { log } = env;
  if (!log.enter(path, depth)) return UNCHECKED;
  const record = readRecord(log, value, path, 'An expression');
  if (record === undefined) return UNCHECKED;
  const kind = field(record, 'kind');
  switch (kind) {
    case 'literal':
      return checkLiteral(log, record, path);
    case 'var':
      return checkVar(env, record, path);
    case 'param':
      return checkParam(env, record, path);
    case 'load': {
      const buffer = readBufferRef(env, record, path);
      const index = checkIndex(env, record, path, depth);
      const node = buffer && index.node ? { kind, buffer: buffer.name, index: index.node } : undefined;
      return { node, type: buffer?.info?.type, uniform: false };
    }
    case 'load-vector':
      return checkLoadVector(env, record, path, depth);
    case 'length': {
      const buffer = readBufferRef(env, record, path);
      return { node: buffer && { kind, buffer: buffer.name }, type: 'u32', uniform: true };
    }
    case 'builtin':
      return checkBuiltin(log, record, path);
    case 'unary':
      return checkUnary(env, record, path, depth);
    case 'binary':
      return checkBinary(env, record, path, depth);
    case 'select': {
      const cond = checkExpr(env, field(record, 'cond'), at(path, 'cond'), depth + 1);
      const ifTrue = checkExpr(env, field(record, 'ifTrue'), at(path, 'ifTrue'), depth + 1);
      const ifFalse = checkExpr(env, field(record, 'ifFalse'), at(path, 'ifFalse'), depth + 1);
      expectType(log, cond, BOOL, at(path, 'cond'), 'The condition of select');
      if (ifTrue.type !== undefined) expectType(log, ifFalse, [ifTrue.type], at(path, 'ifFalse'), 'ifFalse (like ifTrue)');
      const node =
        cond.node && ifTrue.node && ifFalse.node
          ? { kind, cond: cond.node, ifTrue: ifTrue.node, ifFalse: ifFalse.node }
          : undefined;
      return { node, type: ifTrue.type ?? ifFalse.type, uniform: cond.uniform && ifTrue.uniform && ifFalse.uniform };
    }
    case 'cast':
      return checkCast(env, record, path, depth);
    case 'fma':
      return checkFma(env, record, path, depth);
    case 'atomic':
      return checkAtomic(env, record, path, depth);
    case 'vector':
      return checkVector(env, record, path, depth);
    case 'splat':
      return checkSplat(env, record, path, depth);
    case 'component':
      return checkComponent(env, record, path, depth);
    case 'dot':
      return checkDot(env, record, path, depth);
    default:
      log.report('malformed', at(path, 'kind'), `An expression kind must be one of ${EXPR_KINDS.join(', ')}; ${got(kind)}.`);
      return UNCHECKED;
  }
}

/** Logs `type-mismatch` when `checked` has a known type outside `allowed`. */
export function expectType(log: IssueLog, checked: Checked, allowed: readonly ValueType[], path: string, what: string): void {
  if (checked.type !== undefined && !allowed.includes(checked.type)) {
    log.report('type-mismatch', path, `${what} must be ${typeList(allowed)}; it is ${checked.type}.`);
  }
}

/** The `buffer` field of a node and what is known of that buffer (`info` undefined when unknown, reported). */
export function readBufferRef(
  env: ExprEnv,
  record: object,
  path: string,
): { readonly name: string; readonly info: BufferInfo | undefined } | undefined {
  const name = readString(env.log, record, path, 'buffer', 'A buffer name');
  if (name === undefined) return undefined;
  const info = env.buffers.get(name);
  if (info === undefined && env.buffersComplete) {
    env.log.report('unknown-buffer', at(path, 'buffer'), `The program declares no buffer named ${describe(name)}.`);
  }
  return { name, info };
}

/** The `index` field of a load, store or atomic: a u32 expression. */
export function checkIndex(env: ExprEnv, record: object, path: string, depth: number): Checked {
  const index = checkExpr(env, field(record, 'index'), at(path, 'index'), depth + 1);
  expectType(env.log, index, U32, at(path, 'index'), 'A buffer index');
  return index;
}

/** The parts of a checked `load-vector` or `store-vector`; `undefined` where wrong (reported) or unknown. */
export interface CheckedVectorAccess {
  readonly buffer: string | undefined;
  /** The buffer's access mode, for the store rule. */
  readonly access: IrAccess | undefined;
  readonly width: VectorWidth | undefined;
  readonly index: Checked;
  /** The vector it reads or writes: `width` elements of the buffer's scalar type. */
  readonly type: VectorType | undefined;
}

/** The buffer, width and index of a `load-vector` or `store-vector`, checked in that order. */
export function checkVectorAccess(env: ExprEnv, record: object, path: string, depth: number): CheckedVectorAccess {
  const buffer = readBufferRef(env, record, path);
  const width = readVectorWidth(env.log, record, path);
  const index = checkIndex(env, record, path, depth);
  if (buffer === undefined) return { buffer: undefined, access: undefined, width, index, type: undefined };
  env.vectorAccesses.noteAccess(buffer.name, path);
  const type = vectorAccessType(env.log, buffer.name, buffer.info?.type, width, path);
  return { buffer: buffer.name, access: buffer.info?.access, width, index, type };
}

/** `load-vector`: `width` elements of a scalar buffer as one vector; never uniform, like `load`. */
function checkLoadVector(env: ExprEnv, record: object, path: string, depth: number): Checked {
  const { buffer, width, index, type } = checkVectorAccess(env, record, path, depth);
  const node = buffer !== undefined && width !== undefined && index.node ? { kind: 'load-vector' as const, buffer, width, index: index.node } : undefined;
  return { node, type, uniform: false };
}

function checkLiteral(log: IssueLog, record: object, path: string): Checked {
  const type = readChoice(log, record, path, 'type', SCALAR_TYPES, 'A literal type');
  const value = field(record, 'value');
  if (typeof value !== 'number' && typeof value !== 'boolean') {
    log.report('malformed', at(path, 'value'), `A literal value must be a number or a boolean; ${got(value)}.`);
    return { node: undefined, type, uniform: true };
  }
  if (type !== undefined) checkLiteralValue(log, type, value, at(path, 'value'));
  return { node: type === undefined ? undefined : { kind: 'literal', type, value }, type, uniform: true };
}

function checkLiteralValue(log: IssueLog, type: ScalarType, value: number | boolean, path: string): void {
  if (type === 'bool' || typeof value === 'boolean') {
    if (type === 'bool' && typeof value === 'boolean') return;
    const expected = type === 'bool' ? 'true or false' : 'a number';
    log.report('bad-literal', path, `A ${type} literal must be ${expected}; got ${String(value)}.`);
    return;
  }
  if (type === 'f32') {
    // WGSL cannot spell NaN or infinities, and a literal beyond the f32 range is a shader error.
    if (!Number.isFinite(value)) {
      log.report('non-finite-literal', path, `An f32 literal must be finite; got ${String(value)}.`);
    } else if (!Number.isFinite(Math.fround(value))) {
      log.report('non-finite-literal', path, `The f32 literal ${String(value)} is beyond the f32 range (about ±3.4e38).`);
    }
    return;
  }
  const [min, max] = type === 'u32' ? [0, 0xffff_ffff] : [-0x8000_0000, 0x7fff_ffff];
  if (!Number.isInteger(value) || value < min || value > max) {
    log.report('bad-literal', path, `A ${type} literal must be an integer in ${min}…${max}; got ${String(value)}.`);
  }
}

function checkVar(env: ExprEnv, record: object, path: string): Checked {
  const name = readString(env.log, record, path, 'name', 'A variable name');
  if (name === undefined) return UNCHECKED;
  const local = env.lookup(name);
  if (local === undefined) {
    env.log.report('unknown-variable', at(path, 'name'), `No let or loop variable named ${describe(name)} is visible here.`);
    return UNCHECKED;
  }
  return { node: { kind: 'var', name }, type: local.type, uniform: local.uniform };
}

function checkParam(env: ExprEnv, record: object, path: string): Checked {
  const name = readString(env.log, record, path, 'name', 'A param name');
  if (name === undefined) return UNCHECKED;
  if (!env.params.has(name)) {
    if (env.paramsComplete) {
      env.log.report('unknown-param', at(path, 'name'), `The program declares no param named ${describe(name)}.`);
    }
    return UNCHECKED;
  }
  // Params are the same for every invocation of a dispatch.
  return { node: { kind: 'param', name }, type: env.params.get(name), uniform: true };
}

function checkBuiltin(log: IssueLog, record: object, path: string): Checked {
  const name = readChoice(log, record, path, 'name', BUILTINS, 'A builtin');
  const axis = field(record, 'axis');
  let validAxis: 0 | 1 | 2 | undefined;
  if (typeof axis !== 'number') {
    log.report('malformed', at(path, 'axis'), `A builtin axis must be the number 0, 1 or 2; ${got(axis)}.`);
  } else if (axis !== 0 && axis !== 1 && axis !== 2) {
    log.report('bad-builtin-axis', at(path, 'axis'), `A builtin axis must be 0 (x), 1 (y) or 2 (z); got ${String(axis)}.`);
  } else if ((name === 'linear-index' || name === 'local-index') && axis !== 0) {
    log.report('bad-builtin-axis', at(path, 'axis'), `${name} is a single number; its axis must be 0, not ${axis}.`);
  } else {
    validAxis = axis;
  }
  const node = name !== undefined && validAxis !== undefined ? { kind: 'builtin' as const, name, axis: validAxis } : undefined;
  return { node, type: 'u32', uniform: name === 'workgroup-id' || name === 'num-workgroups' };
}

function checkUnary(env: ExprEnv, record: object, path: string, depth: number): Checked {
  const op = readChoice(env.log, record, path, 'op', UNARY_OPS, 'A unary operator');
  const operand = checkExpr(env, field(record, 'value'), at(path, 'value'), depth + 1);
  let type: ValueType | undefined;
  if (op !== undefined && operand.type !== undefined) {
    type = unaryValueResult(op, operand.type);
    if (type === undefined) expectType(env.log, operand, unaryValueOperands(op), at(path, 'value'), `The operand of ${op}`);
  }
  const node = op !== undefined && operand.node ? { kind: 'unary' as const, op, value: operand.node } : undefined;
  return { node, type, uniform: operand.uniform };
}

function checkBinary(env: ExprEnv, record: object, path: string, depth: number): Checked {
  const { log } = env;
  const op = readChoice(log, record, path, 'op', BINARY_OPS, 'A binary operator');
  const left = checkExpr(env, field(record, 'left'), at(path, 'left'), depth + 1);
  const right = checkExpr(env, field(record, 'right'), at(path, 'right'), depth + 1);
  const uniform = left.uniform && right.uniform;
  if (op === undefined) return { node: undefined, type: undefined, uniform };
  const signature = BINARY_SIGNATURES[op];
  const leftTypes = binaryLeftValueTypes(op);
  const leftOk = left.type !== undefined && leftTypes.includes(left.type);
  if (left.type !== undefined && !leftOk) {
    // Comparisons and logic have no vector form: they would need bool vectors.
    const hint = isVectorType(left.type) ? ' (vectors have no comparisons or logic: compare components)' : '';
    expectType(log, left, leftTypes, at(path, 'left'), `The left operand of ${op}${hint}`);
  } else {
    const what = signature.right === 'u32' ? `The amount of ${op}` : `The right operand of ${op}${leftOk ? ' (like the left)' : ''}`;
    expectType(log, right, binaryRightValueTypes(op, left.type), at(path, 'right'), what);
  }
  let type: ValueType | undefined;
  if (left.type !== undefined && leftOk) type = binaryValueResultFromLeft(op, left.type);
  else if (signature.result === 'bool') type = 'bool';
  const node = left.node && right.node ? { kind: 'binary' as const, op, left: left.node, right: right.node } : undefined;
  return { node, type, uniform };
}

function checkAtomic(env: ExprEnv, record: object, path: string, depth: number): Checked {
  const { log } = env;
  const op = readChoice(log, record, path, 'op', ATOMIC_OPS, 'An atomic operation');
  const buffer = readBufferRef(env, record, path);
  const index = checkIndex(env, record, path, depth);
  // The semantics evaluate `expected` before `value`; paths are reported in the same order.
  const rawExpected = field(record, 'expected');
  const rawValue = field(record, 'value');
  const expected = rawExpected === undefined ? undefined : checkExpr(env, rawExpected, at(path, 'expected'), depth + 1);
  const value = rawValue === undefined ? undefined : checkExpr(env, rawValue, at(path, 'value'), depth + 1);

  if (buffer !== undefined) env.vectorAccesses.noteAtomic(buffer.name);
  const info = buffer?.info;
  let elementOk = true;
  if (info?.access === 'read' || info?.access === 'uniform') {
    log.report('atomic-wrong-buffer', at(path, 'buffer'), `Atomics need a read-write, output or workgroup buffer; ${describe(buffer?.name)} is ${info.access}.`);
  }
  if (info?.type !== undefined && !isAtomicElementType(info.type)) {
    elementOk = false;
    log.report('atomic-wrong-type', at(path, 'buffer'), `Atomics need u32 or i32 elements; ${describe(buffer?.name)} holds ${info.type}.`);
  }
  if (op !== undefined) {
    const needs = atomicOperands(op);
    for (const [key, raw, needed] of [['expected', rawExpected, needs.expected], ['value', rawValue, needs.value]] as const) {
      if (needed && raw === undefined) {
        log.report('atomic-bad-operands', at(path, key), `The atomic ${op} needs \`${key}\`; it is missing.`);
      } else if (!needed && raw !== undefined) {
        log.report('atomic-bad-operands', at(path, key), `The atomic ${op} takes no \`${key}\`.`);
      }
    }
  }
  const element = elementOk ? info?.type : undefined;
  if (element !== undefined) {
    if (expected) expectType(log, expected, [element], at(path, 'expected'), `expected (like the elements of ${describe(buffer?.name)})`);
    if (value) expectType(log, value, [element], at(path, 'value'), `The value (like the elements of ${describe(buffer?.name)})`);
  }
  const complete = op !== undefined && buffer && index.node && (!expected || expected.node) && (!value || value.node);
  const node: Expr | undefined =
    complete && index.node
      ? {
          kind: 'atomic',
          op,
          buffer: buffer.name,
          index: index.node,
          ...(expected?.node ? { expected: expected.node } : {}),
          ...(value?.node ? { value: value.node } : {}),
        }
      : undefined;
  return { node, type: element, uniform: false };
}

function checkCast(env: ExprEnv, record: object, path: string, depth: number): Checked {
  const type = readChoice(env.log, record, path, 'type', VALUE_TYPES, 'The target type of a cast');
  const operand = checkExpr(env, field(record, 'value'), at(path, 'value'), depth + 1);
  if (type !== undefined && operand.type !== undefined && !castExists(operand.type, type)) {
    const fix = isVectorType(type) ? 'build a vector from a scalar with splat' : 'take a component of a vector first';
    env.log.report('type-mismatch', at(path, 'value'), `A cast keeps the width: ${operand.type} cannot become ${type}; ${fix}.`);
  }
  const node = type !== undefined && operand.node ? { kind: 'cast' as const, type, value: operand.node } : undefined;
  return { node, type, uniform: operand.uniform };
}

/** fma on f32, or on three f32 vectors of one type. */
function checkFma(env: ExprEnv, record: object, path: string, depth: number): Checked {
  const a = checkExpr(env, field(record, 'a'), at(path, 'a'), depth + 1);
  expectType(env.log, a, F32_VALUES, at(path, 'a'), 'Operand a of fma');
  const type = a.type !== undefined && F32_VALUES.includes(a.type) ? a.type : 'f32';
  const operand = (key: 'b' | 'c'): Checked => {
    const checked = checkExpr(env, field(record, key), at(path, key), depth + 1);
    expectType(env.log, checked, [type], at(path, key), `Operand ${key} of fma (like a)`);
    return checked;
  };
  const b = operand('b');
  const c = operand('c');
  const node = a.node && b.node && c.node ? { kind: 'fma' as const, a: a.node, b: b.node, c: c.node } : undefined;
  return { node, type, uniform: a.uniform && b.uniform && c.uniform };
}

/** `vector`: exactly `width` scalars of the component type, in order. */
function checkVector(env: ExprEnv, record: object, path: string, depth: number): Checked {
  const { log } = env;
  const type = readChoice(log, record, path, 'type', VECTOR_TYPES, 'A vector type');
  const components = field(record, 'components');
  if (!Array.isArray(components)) {
    log.report('malformed', at(path, 'components'), `A vector's components must be a list of expressions; ${got(components)}.`);
    return { node: undefined, type, uniform: true };
  }
  if (type !== undefined && components.length !== widthOf(type)) {
    log.report('type-mismatch', at(path, 'components'), `A ${type} is built from ${widthOf(type)} components; got ${components.length}.`);
  }
  // Read through `field`, like every list: never a getter of the caller.
  const checked = Array.from({ length: Math.min(components.length, 4) }, (_, i) => {
    const result = checkExpr(env, field(components, String(i)), index(at(path, 'components'), i), depth + 1);
    if (type !== undefined) expectType(log, result, [componentOf(type)], index(at(path, 'components'), i), `Component ${i} of a ${type}`);
    return result;
  });
  const complete = type !== undefined && components.length === widthOf(type) && checked.every((c) => c.node !== undefined);
  const node = complete ? { kind: 'vector' as const, type, components: checked.flatMap((c) => c.node ?? []) } : undefined;
  return { node, type, uniform: checked.every((c) => c.uniform) };
}

/** `splat`: one scalar of the component type in every component. */
function checkSplat(env: ExprEnv, record: object, path: string, depth: number): Checked {
  const type = readChoice(env.log, record, path, 'type', VECTOR_TYPES, 'A vector type');
  const value = checkExpr(env, field(record, 'value'), at(path, 'value'), depth + 1);
  if (type !== undefined) expectType(env.log, value, [componentOf(type)], at(path, 'value'), `The value splatted into a ${type}`);
  const node = type !== undefined && value.node ? { kind: 'splat' as const, type, value: value.node } : undefined;
  return { node, type, uniform: value.uniform };
}

/** `component`: component 0…width−1 of a vector, a scalar. */
function checkComponent(env: ExprEnv, record: object, path: string, depth: number): Checked {
  const { log } = env;
  const value = checkExpr(env, field(record, 'value'), at(path, 'value'), depth + 1);
  const position = field(record, 'index');
  const vector = value.type !== undefined && isVectorType(value.type) ? value.type : undefined;
  if (value.type !== undefined && vector === undefined) {
    log.report('type-mismatch', at(path, 'value'), `Only a vector has components; this value is ${value.type}.`);
  }
  const width = vector === undefined ? 4 : widthOf(vector);
  const positionOk = typeof position === 'number' && Number.isInteger(position) && position >= 0 && position < width;
  if (!positionOk) {
    log.report('bad-component', at(path, 'index'), `A component index must be an integer in 0…${width - 1}${vector ? ` for a ${vector}` : ''}; ${got(position)}.`);
  }
  const node = positionOk && value.node ? { kind: 'component' as const, value: value.node, index: position as number } : undefined;
  return { node, type: vector === undefined ? undefined : componentOf(vector), uniform: value.uniform };
}

/** `dot`: two vectors of one type; a scalar of their component type. */
function checkDot(env: ExprEnv, record: object, path: string, depth: number): Checked {
  const left = checkExpr(env, field(record, 'left'), at(path, 'left'), depth + 1);
  const right = checkExpr(env, field(record, 'right'), at(path, 'right'), depth + 1);
  expectType(env.log, left, VECTOR_TYPES, at(path, 'left'), 'The left operand of dot');
  const vector = left.type !== undefined && isVectorType(left.type) ? left.type : undefined;
  if (vector !== undefined) expectType(env.log, right, [vector], at(path, 'right'), 'The right operand of dot (like the left)');
  const node = left.node && right.node ? { kind: 'dot' as const, left: left.node, right: right.node } : undefined;
  return { node, type: vector === undefined ? undefined : componentOf(vector), uniform: left.uniform && right.uniform };
}
