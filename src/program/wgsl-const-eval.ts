/**
 * Evaluates the WGSL constant expressions that reflection needs numbers from:
 * `@workgroup_size`, `@group`, `@binding`, `@id`, `@align`, `@size` arguments and array
 * counts. It understands literals (with `i`/`u`/`f`/`h` suffixes and hex integers),
 * module-scope `const` declarations in any order, conversions like `u32(x)`, unary `-` and
 * `!`, and `+ - * / % << >> & | ^` (integer division truncates, as WGSL's does).
 *
 * A reference to an `override` is not a constant: it evaluates to `{ kind: 'override' }`,
 * so a caller can tell "set at pipeline creation" from "not understood". Anything else
 * (function calls, vectors, indexing) evaluates to `{ kind: 'unknown' }` with a reason.
 * WGSL's full constant evaluation is the shader compiler's; this covers what declarations
 * use in practice.
 */
import {
  BinaryOperator,
  CallExpr,
  Const,
  ConstExpr,
  CreateExpr,
  LiteralExpr,
  Override,
  TypecastExpr,
  UnaryOperator,
  VariableExpr,
} from 'wgsl_reflect';
import type { Attribute, Expression, Node } from 'wgsl_reflect';
import { invalidDeclaration, type AttributeArg, type DeclarationSite } from './wgsl-parse.ts';

/** What a constant expression evaluates to. */
export type ConstResult =
  | { readonly kind: 'int' | 'float'; readonly value: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'override'; readonly name: string }
  | { readonly kind: 'unknown'; readonly reason: string };

/** The module-scope names an expression may refer to, and evaluation against them. */
export interface ConstScope {
  /** Evaluates an expression from the AST. */
  evaluate(expression: Expression): ConstResult;
  /** Evaluates one attribute argument (a single token, or an expression). */
  evaluateArg(arg: AttributeArg): ConstResult;
  /** True when `name` is a module-scope `override`. */
  isOverride(name: string): boolean;
}

const INTEGER = /^(?:0[xX]([0-9a-fA-F]+)|(0|[1-9][0-9]*))[iu]?$/;
const FLOAT = /^(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)(?:[eE][+-]?[0-9]+)?[fh]?$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CONVERSIONS: Readonly<Record<string, 'int' | 'float' | 'bool'>> = { i32: 'int', u32: 'int', f32: 'float', f16: 'float', bool: 'bool' };

/**
 * The constant scope of a module: its `const` and `override` declarations.
 * @param ast - the module's top-level declarations.
 * @returns an evaluator; each `const` is evaluated at most once, on first use.
 */
export function createConstScope(ast: readonly Node[]): ConstScope {
  const consts = new Map<string, Expression>();
  const overrides = new Set<string>();
  for (const node of ast) {
    if (node instanceof Const) consts.set(node.name, node.value);
    if (node instanceof Override) overrides.add(node.name);
  }
  const known = new Map<string, ConstResult>();
  const lookup = (name: string): ConstResult => {
    if (overrides.has(name)) return { kind: 'override', name };
    const cached = known.get(name);
    if (cached !== undefined) return cached;
    const initializer = consts.get(name);
    if (initializer === undefined) return { kind: 'unknown', reason: `${name} is not a module-scope const` };
    known.set(name, { kind: 'unknown', reason: `const ${name} refers to itself` });
    const result = evaluateExpression(initializer, lookup);
    known.set(name, result);
    return result;
  };
  return {
    evaluate: (expression) => evaluateExpression(expression, lookup),
    evaluateArg: (arg) => (arg.expression === null ? evaluateToken(arg.text, lookup) : evaluateExpression(arg.expression, lookup)),
    isOverride: (name) => overrides.has(name),
  };
}

/**
 * The one integer argument of an attribute such as `@binding(N + 1)` or `@align(16)`.
 * @param scope - the module's constants.
 * @param args - the attribute's arguments.
 * @param attribute - the attribute, for the message.
 * @param where - the declaration it is on.
 * @returns the integer (range checks are the caller's).
 * @throws VyreError `invalid-program` for anything but one constant integer.
 */
export function integerAttribute(
  scope: ConstScope,
  args: readonly AttributeArg[],
  attribute: Attribute,
  where: DeclarationSite,
): number {
  const [arg] = args;
  const value = arg === undefined || args.length > 1 ? undefined : scope.evaluateArg(arg);
  if (value?.kind === 'int' && Number.isInteger(value.value)) return value.value;
  const why =
    value === undefined ? 'takes exactly one value'
    : value.kind === 'override' ? `uses the override ${value.name}, which is not a constant`
    : value.kind === 'unknown' ? `cannot be evaluated: ${value.reason}`
    : 'is not an integer';
  const written = `@${attribute.name}(${args.map((candidate) => candidate.text).join(', ')})`;
  throw invalidDeclaration(where, `has ${written}, which ${why}`, `write an integer literal or a const, such as @${attribute.name}(0).`);
}

type Lookup = (name: string) => ConstResult;

function evaluateToken(text: string, lookup: Lookup): ConstResult {
  if (text === 'true' || text === 'false') return { kind: 'bool', value: text === 'true' };
  const integer = INTEGER.exec(text);
  if (integer !== null) {
    const [, hex, decimal] = integer;
    return { kind: 'int', value: hex !== undefined ? Number.parseInt(hex, 16) : Number(decimal) };
  }
  if (FLOAT.test(text)) return { kind: 'float', value: Number(text.replace(/[fh]$/, '')) };
  if (IDENTIFIER.test(text)) return lookup(text);
  return { kind: 'unknown', reason: `${text} is not a literal or a name` };
}

function evaluateExpression(expression: Expression, lookup: Lookup): ConstResult {
  if (expression.postfix !== null) return { kind: 'unknown', reason: 'indexing and member access are not evaluated' };
  if (expression instanceof LiteralExpr) return literal(expression);
  if (expression instanceof ConstExpr || expression instanceof VariableExpr) return lookup(expression.name);
  if (expression instanceof UnaryOperator) return unary(expression.operator, evaluateExpression(expression.right, lookup));
  if (expression instanceof BinaryOperator) {
    return binary(expression.operator, evaluateExpression(expression.left, lookup), evaluateExpression(expression.right, lookup));
  }
  if (expression instanceof CreateExpr || expression instanceof TypecastExpr) {
    return conversion(expression.type?.name ?? '', expression.args ?? [], lookup);
  }
  if (expression instanceof CallExpr) return conversion(expression.name, expression.args ?? [], lookup);
  return { kind: 'unknown', reason: `a ${expression.astNodeType} is not evaluated` };
}

function literal(expression: LiteralExpr): ConstResult {
  if (!expression.isScalar) return { kind: 'unknown', reason: 'a vector literal is not a scalar' };
  const type = expression.type.name;
  if (type === 'bool') return { kind: 'bool', value: expression.scalarValue !== 0 };
  return { kind: type === 'f32' || type === 'f16' ? 'float' : 'int', value: expression.scalarValue };
}

/** `T(x)` for a scalar type T: a conversion; any other call is not evaluated. */
function conversion(type: string, args: readonly Expression[], lookup: Lookup): ConstResult {
  const kind = CONVERSIONS[type];
  const [arg] = args;
  if (kind === undefined || arg === undefined || args.length !== 1) return { kind: 'unknown', reason: `${type}(…) is not evaluated` };
  const value = evaluateExpression(arg, lookup);
  if (value.kind === 'override' || value.kind === 'unknown') return value;
  const number = Number(value.value);
  if (kind === 'bool') return { kind, value: number !== 0 };
  return { kind, value: kind === 'int' ? Math.trunc(number) : number };
}

function unary(operator: string, operand: ConstResult): ConstResult {
  if (operand.kind === 'override' || operand.kind === 'unknown') return operand;
  if (operator === '!' && operand.kind === 'bool') return { kind: 'bool', value: !operand.value };
  if (operator === '-' && operand.kind !== 'bool') return { kind: operand.kind, value: -operand.value };
  return { kind: 'unknown', reason: `unary ${operator} is not evaluated here` };
}

function binary(operator: string, left: ConstResult, right: ConstResult): ConstResult {
  // Not understood wins over "depends on an override": the caller's message is then the precise one.
  if (left.kind === 'unknown') return left;
  if (right.kind === 'unknown') return right;
  if (left.kind === 'override') return left;
  if (right.kind === 'override') return right;
  if (left.kind === 'bool' || right.kind === 'bool') return { kind: 'unknown', reason: `${operator} on booleans is not evaluated` };
  const a = left.value;
  const b = right.value;
  const kind = left.kind === 'float' || right.kind === 'float' ? 'float' : 'int';
  if ((operator === '/' || operator === '%') && b === 0) return { kind: 'unknown', reason: 'division by zero' };
  switch (operator) {
    case '+': return { kind, value: a + b };
    case '-': return { kind, value: a - b };
    case '*': return { kind, value: a * b };
    case '/': return { kind, value: kind === 'int' ? Math.trunc(a / b) : a / b };
    case '%': return { kind, value: a % b };
  }
  if (kind === 'float') return { kind: 'unknown', reason: `${operator} needs integers` };
  switch (operator) {
    case '<<': return { kind, value: a * 2 ** b };
    case '>>': return { kind, value: Math.floor(a / 2 ** b) };
    case '&': return { kind, value: a & b };
    case '|': return { kind, value: a | b };
    case '^': return { kind, value: a ^ b };
  }
  return { kind: 'unknown', reason: `${operator} is not evaluated here` };
}
