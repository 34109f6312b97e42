/**
 * Expression lowering: IR expression → WGSL expression text plus its type.
 * Programs reach here validated, so types line up; the code only has to be exact.
 *
 * Vectors: an operator on vectors is its scalar rule per component (docs/semantics.md,
 * "Vectors"). Where the scalar lowering is a WGSL operator or builtin that WGSL also
 * defines per component with the same meaning (`+`, `/` on f32, `abs`, `select`, `fma`,
 * conversions), the vector gets the same text; where it is a helper, the vector gets the
 * helper's component-wise form (`typedHelper`; the exact f32 product has a vector form of
 * its own, see wgsl-vector-helpers.ts). Vector-only expressions are in lower-vector.ts.
 */
import { invariant, unreachable } from '../errors.ts';
import { componentOf, isVectorType, vectorOf, widthOf, type AtomicOp, type BinaryOp, type Expr, type IrBuffer, type ScalarType, type UnaryOp, type ValueType } from '../protocol/ir.ts';
import { RUNTIME_ONE_F32, lengthCode, runtime, typedHelper, wgslName, type ExprContext, type Lowered } from './lower-context.ts';
import { lowerComponent, lowerDot, lowerSplat, lowerVector } from './lower-vector.ts';
import { lowerLoadVector } from './lower-vector-access.ts';
import { isSumFree } from './sum-free.ts';
import { wgslType } from './wgsl-helpers.ts';

export { RUNTIME_ONE_F32, wgslName, type ExprContext, type Lowered };

/** Lowers one expression. */
export function lowerExpr(expr: Expr, context: ExprContext): Lowered {
  switch (expr.kind) {
    case 'literal':
      return { code: formatLiteral(expr.type, expr.value), type: expr.type, constant: true };
    case 'var':
      return { code: wgslName.local(expr.name), type: localType(expr.name, context), constant: false };
    case 'param': {
      const param = context.params.get(expr.name);
      invariant(param, `param ${expr.name} is declared`);
      return { code: wgslName.param(expr.name), type: param.type, constant: false };
    }
    case 'load': {
      const buffer = bufferOf(expr.buffer, context);
      const index = lowerExpr(expr.index, context);
      return { code: `${loadHelper(buffer, context)}(${index.code})`, type: buffer.type, constant: false };
    }
    case 'load-vector':
      return lowerLoadVector(bufferOf(expr.buffer, context), expr.width, lowerExpr(expr.index, context), context);
    case 'length':
      return { code: lengthCode(bufferOf(expr.buffer, context)), type: 'u32', constant: false };
    case 'builtin':
      return { code: builtinCode(expr.name, expr.axis), type: 'u32', constant: false };
    case 'unary':
      return lowerUnary(expr.op, lowerExpr(expr.value, context), context);
    case 'binary':
      if ((expr.op === 'div' || expr.op === 'rem') && isSafeDivisor(expr.right)) return lowerPlainDivision(expr.op, lowerExpr(expr.left, context), lowerExpr(expr.right, context), context);
      if ((expr.op === 'mul' || expr.op === 'rem') && context.floats === 'exact') return lowerBinary(expr.op, lowerFactor(expr.left, context), lowerFactor(expr.right, context), context);
      return lowerBinary(expr.op, lowerExpr(expr.left, context), lowerExpr(expr.right, context), context);
    case 'select': {
      // WGSL's select(f, t, cond) evaluates f, t, cond in that order; the semantics follow it.
      const [ifFalse, ifTrue, cond] = runtime([lowerExpr(expr.ifFalse, context), lowerExpr(expr.ifTrue, context), lowerExpr(expr.cond, context)], context);
      return { code: `select(${ifFalse.code}, ${ifTrue.code}, ${cond.code})`, type: ifTrue.type, constant: false };
    }
    case 'cast':
      return lowerCast(runtime([lowerExpr(expr.value, context)], context)[0], expr.type, context);
    case 'fma': {
      const [a, b, c] = runtime([lowerExpr(expr.a, context), lowerExpr(expr.b, context), lowerExpr(expr.c, context)], context);
      return { code: `fma(${a.code}, ${b.code}, ${c.code})`, type: a.type, constant: false };
    }
    case 'vector':
      return lowerVector(expr.type, expr.components.map((component) => lowerExpr(component, context)));
    case 'splat':
      return lowerSplat(expr.type, lowerExpr(expr.value, context));
    case 'component':
      return lowerComponent(lowerExpr(expr.value, context), expr.index);
    case 'dot':
      if (context.floats === 'exact') return lowerDot(lowerFactor(expr.left, context), lowerFactor(expr.right, context), context);
      return lowerDot(lowerExpr(expr.left, context), lowerExpr(expr.right, context), context);
    case 'atomic':
      return lowerAtomic(expr, context);
    default:
      return unreachable(expr);
  }
}

/**
 * A factor of an exact product (`mul`, the product inside f32 `rem`, `dot`): an f32
 * operand that may be a sum passes through the run-time-zero XOR, so no compiler
 * distributes the product over it (sum-free.ts). Integer operands are returned as they are.
 */
function lowerFactor(expr: Expr, context: ExprContext): Lowered {
  const factor = lowerExpr(expr, context);
  if (componentOf(factor.type) !== 'f32' || isSumFree(expr, context.sumFreeLocals)) return factor;
  return { code: `${typedHelper(context, 'keep', factor.type)}(${factor.code}, ${RUNTIME_ONE_F32})`, type: factor.type, constant: false };
}

const WGSL_UNARY_BUILTIN: Partial<Record<UnaryOp, string>> = {
  abs: 'abs', popcount: 'countOneBits', clz: 'countLeadingZeros', ctz: 'countTrailingZeros',
  'reverse-bits': 'reverseBits', sqrt: 'sqrt', 'inverse-sqrt': 'inverseSqrt', exp: 'exp', exp2: 'exp2',
  log: 'log', log2: 'log2', sin: 'sin', cos: 'cos', tan: 'tan', tanh: 'tanh', floor: 'floor',
  ceil: 'ceil', round: 'round', trunc: 'trunc', sign: 'sign',
};

function lowerUnary(op: UnaryOp, raw: Lowered, context: ExprContext): Lowered {
  const [value] = runtime([raw], context);
  const builtin = WGSL_UNARY_BUILTIN[op];
  if (builtin !== undefined) {
    // abs of a u32 is the value itself; WGSL's abs accepts u32 and returns it unchanged.
    return { code: `${builtin}(${value.code})`, type: value.type, constant: false };
  }
  switch (op) {
    case 'neg':
      return { code: `(-${value.code})`, type: value.type, constant: false };
    case 'not':
      return { code: `(!${value.code})`, type: 'bool', constant: false };
    case 'bit-not':
      return { code: `(~${value.code})`, type: value.type, constant: false };
    default:
      throw new Error(`lowering: unary ${op} has no WGSL form`);
  }
}

const INFIX: Partial<Record<BinaryOp, string>> = {
  add: '+', sub: '-', mul: '*', 'bit-and': '&', 'bit-or': '|', 'bit-xor': '^',
  eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=',
  // Non-short-circuit on bool: both operands are always evaluated, as the semantics require.
  and: '&', or: '|',
};

/**
 * An integer divisor literal for which WGSL's `/` and `%` already give the semantics'
 * result: not 0 (u32, i32) and not −1 (i32, where MIN / −1 overflows). Index arithmetic
 * divides by such constants everywhere (`local / 8`, `i % 64`); the checked helpers
 * would cost a branch per use for nothing. A vector divisor is safe when it is built
 * (`splat`, `vector`) only from such literals: WGSL divides it component by component.
 */
function isSafeDivisor(expr: Expr): boolean {
  if (expr.kind === 'splat') return isSafeDivisor(expr.value);
  if (expr.kind === 'vector') return expr.components.every(isSafeDivisor);
  if (expr.kind !== 'literal') return false;
  return (expr.type === 'u32' && expr.value !== 0) || (expr.type === 'i32' && expr.value !== 0 && expr.value !== -1);
}

function lowerPlainDivision(op: 'div' | 'rem', rawLeft: Lowered, rawRight: Lowered, context: ExprContext): Lowered {
  const [left, right] = runtime([rawLeft, rawRight], context);
  return { code: `(${left.code} ${op === 'div' ? '/' : '%'} ${right.code})`, type: left.type, constant: false };
}

function lowerBinary(op: BinaryOp, rawLeft: Lowered, rawRight: Lowered, context: ExprContext): Lowered {
  const [left, right] = runtime([rawLeft, rawRight], context);
  const type = left.type;
  const float = componentOf(type) === 'f32';
  if (float && op === 'rem' && context.floats === 'fast') {
    // WGSL's f32 % is a − b·trunc(a / b), the semantics' rem, with the product left fusable.
    return { code: `(${left.code} % ${right.code})`, type, constant: false };
  }
  if (float && (op === 'mul' || op === 'rem') && context.floats === 'exact') {
    // Rounded on its own, never fused into a following add (docs/semantics.md, "Contraction").
    return { code: `${typedHelper(context, op, type)}(${left.code}, ${right.code}, ${RUNTIME_ONE_F32})`, type, constant: false };
  }
  const comparison = op === 'eq' || op === 'ne' || op === 'lt' || op === 'le' || op === 'gt' || op === 'ge';
  const infix = INFIX[op];
  if (infix !== undefined) {
    return { code: `(${left.code} ${infix} ${right.code})`, type: comparison ? 'bool' : type, constant: false };
  }
  const call = (name: string, resultType: ValueType = type): Lowered => ({
    code: `${name}(${left.code}, ${right.code})`,
    type: resultType,
    constant: false,
  });
  switch (op) {
    case 'div':
      return float ? { code: `(${left.code} / ${right.code})`, type, constant: false } : call(typedHelper(context, 'div', type));
    case 'rem':
      return call(typedHelper(context, 'rem', type));
    case 'min':
    case 'max':
    case 'pow':
      return call(op);
    case 'abs-diff':
      return float
        ? { code: `abs(${left.code} - ${right.code})`, type, constant: false }
        : call(typedHelper(context, 'absdiff', type), unsignedOf(type));
    case 'mul-high':
      return call(typedHelper(context, 'mulhi', type));
    case 'shl':
      return { code: `(${left.code} << (${right.code} & ${shiftMask(type)}))`, type, constant: false };
    case 'shr':
      return { code: `(${left.code} >> (${right.code} & ${shiftMask(type)}))`, type, constant: false };
    case 'rotl':
    case 'rotr':
      return call(typedHelper(context, op, type));
    default:
      throw new Error(`lowering: binary ${op} has no WGSL form`);
  }
}

/** The u32 type of `type`'s width: what abs-diff of integers gives. */
function unsignedOf(type: ValueType): ValueType {
  const unsigned = vectorOf('u32', widthOf(type));
  invariant(unsigned, `the u32 form of ${type}`);
  return unsigned;
}

/** 31 for every component: WGSL's `&` takes no scalar beside a vector, so a vector shift masks with a vector. */
function shiftMask(type: ValueType): string {
  return isVectorType(type) ? `vec${widthOf(type)}<u32>(31u)` : '31u';
}

/**
 * Scalar casts, and vector casts component by component: a conversion constructor
 * (`f32(x)`, `vec4<f32>(x)`) and `bitcast` work per component in WGSL; the saturating
 * f32 → integer cast is a helper, applied per component for a vector. No cast involves a
 * vector and `bool` (there are no bool vectors).
 */
function lowerCast(value: Lowered, to: ValueType, context: ExprContext): Lowered {
  const from = value.type;
  const result = (code: string): Lowered => ({ code, type: to, constant: false });
  if (from === to) return result(value.code);
  if (from === 'bool') {
    invariant(!isVectorType(to), `no cast from bool to ${to}`);
    return result(`select(${formatLiteral(to, 0)}, ${formatLiteral(to, 1)}, ${value.code})`);
  }
  if (to === 'bool') {
    invariant(!isVectorType(from), `no cast from ${from} to bool`);
    return result(`(${value.code} != ${formatLiteral(from, 0)})`);
  }
  if (componentOf(from) === 'f32') return result(`${typedHelper(context, 'f32_to', to)}(${value.code})`);
  if (componentOf(to) === 'f32') return result(`${wgslType(to)}(${value.code})`);
  return result(`bitcast<${wgslType(to)}>(${value.code})`);
}

const WGSL_ATOMIC: Record<Exclude<AtomicOp, 'compare-exchange' | 'load'>, string> = {
  add: 'atomicAdd', sub: 'atomicSub', min: 'atomicMin', max: 'atomicMax',
  and: 'atomicAnd', or: 'atomicOr', xor: 'atomicXor', exchange: 'atomicExchange',
};

function lowerAtomic(expr: Extract<Expr, { kind: 'atomic' }>, context: ExprContext): Lowered {
  const buffer = bufferOf(expr.buffer, context);
  const type = wgslType(buffer.type);
  const name = `vyre_atomic_${expr.op.replace('-', '_')}_${wgslName.buffer(buffer)}`;
  const target = `&${wgslName.buffer(buffer)}[i]`;
  const zero = zeroOf(buffer.type);
  const operation =
    expr.op === 'load' ? `atomicLoad(${target})`
    : expr.op === 'compare-exchange' ? `atomicCompareExchangeWeak(${target}, expected, value).old_value`
    : `${WGSL_ATOMIC[expr.op]}(${target}, value)`;
  const parameters = expr.op === 'load' ? '' : expr.op === 'compare-exchange' ? `, expected: ${type}, value: ${type}` : `, value: ${type}`;
  context.helpers.define(name, `fn ${name}(i: u32${parameters}) -> ${type} {
  if (i < ${lengthCode(buffer)}) { return ${operation}; }
  return ${zero};
}`);
  const args = [lowerExpr(expr.index, context)];
  if (expr.expected !== undefined) args.push(lowerExpr(expr.expected, context));
  if (expr.value !== undefined) args.push(lowerExpr(expr.value, context));
  return { code: `${name}(${args.map((arg) => arg.code).join(', ')})`, type: buffer.type, constant: false };
}

/**
 * Name of the bounds-checked load helper of `buffer`, defining it on first use. Out of
 * bounds it reads zero: the zero vector for a vector buffer.
 */
function loadHelper(buffer: IrBuffer, context: ExprContext): string {
  const name = `vyre_load_${wgslName.buffer(buffer)}`;
  const element = elementAccess(buffer, context, 'i');
  const value = buffer.type === 'bool' ? `(${element} != 0u)` : element;
  return context.helpers.define(name, `fn ${name}(i: u32) -> ${wgslType(buffer.type)} {
  if (i < ${lengthCode(buffer)}) { return ${value}; }
  return ${zeroOf(buffer.type)};
}`);
}

/** Name of the bounds-checked store helper of `buffer`, defining it on first use; out of bounds it writes nothing (a vector whole). */
export function storeHelper(buffer: IrBuffer, context: ExprContext): string {
  const name = `vyre_store_${wgslName.buffer(buffer)}`;
  const stored = buffer.type === 'bool' ? 'select(0u, 1u, v)' : 'v';
  const write = context.atomicBuffers.has(buffer.name)
    ? `atomicStore(&${wgslName.buffer(buffer)}[i], ${stored});`
    : `${wgslName.buffer(buffer)}[i] = ${stored};`;
  return context.helpers.define(name, `fn ${name}(i: u32, v: ${wgslType(buffer.type)}) {
  if (i < ${lengthCode(buffer)}) { ${write} }
}`);
}

function elementAccess(buffer: IrBuffer, context: ExprContext, index: string): string {
  const element = `${wgslName.buffer(buffer)}[${index}]`;
  return context.atomicBuffers.has(buffer.name) ? `atomicLoad(&${element})` : element;
}

function builtinCode(name: Extract<Expr, { kind: 'builtin' }>['name'], axis: 0 | 1 | 2): string {
  const component = (['x', 'y', 'z'] as const)[axis];
  switch (name) {
    case 'global-id':
      return `vyre_global_id.${component}`;
    case 'local-id':
      return `vyre_local_id.${component}`;
    case 'workgroup-id':
      return `vyre_workgroup_id.${component}`;
    case 'num-workgroups':
      return `vyre_num_workgroups.${component}`;
    case 'linear-index':
      return 'vyre_linear_index';
    case 'local-index':
      return 'vyre_local_index';
    default:
      return unreachable(name);
  }
}

function bufferOf(name: string, context: ExprContext): IrBuffer {
  const buffer = context.buffers.get(name);
  invariant(buffer, `buffer ${name} is declared`);
  return buffer;
}

function localType(name: string, context: ExprContext): ValueType {
  for (let i = context.scopes.length - 1; i >= 0; i--) {
    const type = context.scopes[i]?.get(name);
    if (type !== undefined) return type;
  }
  invariant(false, `local ${name} is declared`);
}

/** Zero of `type`: a literal, or the vector of zero literals (`vec4<f32>(0.0f)`). */
function zeroOf(type: ValueType): string {
  return isVectorType(type) ? `${type}(${formatLiteral(componentOf(type), 0)})` : formatLiteral(type, 0);
}

/** WGSL literal text for `value` of `type`; every f32 spelled so it parses back bit-exactly. */
export function formatLiteral(type: ScalarType, value: number | boolean): string {
  switch (type) {
    case 'bool':
      return value ? 'true' : 'false';
    case 'u32':
      return `${Number(value)}u`;
    case 'i32':
      // i32(<abstract int>) spells every value, i32::MIN included (the literal 2147483648i is out of range).
      return `i32(${Number(value)})`;
    case 'f32':
      return formatF32(Number(value));
    default:
      return unreachable(type);
  }
}

function formatF32(value: number): string {
  const rounded = Math.fround(value);
  if (Object.is(rounded, -0)) return '-0.0f';
  const bits = new Uint32Array(new Float32Array([rounded]).buffer)[0] ?? 0;
  const exponent = (bits >>> 23) & 0xff;
  // Subnormals: a decimal spelling may be flushed by the WGSL parser; spell the bits.
  if (exponent === 0 && rounded !== 0) return `bitcast<f32>(0x${bits.toString(16)}u)`;
  const text = rounded.toPrecision(9);
  if (Math.fround(Number(text)) === rounded) return `${text.includes('e') ? text : trimZeros(text)}f`;
  return `bitcast<f32>(0x${bits.toString(16)}u)`;
}

function trimZeros(text: string): string {
  if (!text.includes('.')) return `${text}.0`;
  return text.replace(/0+$/, '').replace(/\.$/, '.0');
}
