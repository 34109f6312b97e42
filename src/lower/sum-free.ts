/**
 * Which f32 operands of an exact product might be a sum in disguise.
 *
 * A shader compiler that sees `c · (k − x)` may rewrite it as `c·k − c·x` (distributing
 * the product over the difference, with `c·k` folded), which rounds differently. On an
 * H200 through Dawn (Vulkan) NVIDIA's compiler did exactly that: fuzz seed 10291's
 * `vec4<f32>(… & 65535) * (vec4(pf, 66.875, 62, pf) - load)` came back as if each product
 * had been rounded toward zero where the exact value was a tie (65535 · 63.625 gave
 * 4169664.25, not 4169664.5), which `65535·66.875 − 65535·3.25`, each rounded, gives.
 * The same product of values loaded from a buffer was right. So under the exact policy
 * an operand that may be a sum (an `add`, a `sub`, a `rem`, an `fma`, a `dot`, or a
 * local that ever held one) passes through the run-time-zero XOR first (`vyre_keep_f32`), which no
 * compiler can see through; operands that cannot be sums (loads, literals, params,
 * casts, other exact products, locals only ever set from those) stay as they are, so
 * kernels that multiply loaded values pay nothing.
 */
import type { Expr, Stmt } from '../protocol/ir.ts';

/** Whether `expr` cannot be a sum, given the locals known to be sum-free. */
export function isSumFree(expr: Expr, sumFreeLocals: ReadonlySet<string>): boolean {
  switch (expr.kind) {
    case 'literal':
    case 'param':
    case 'load':
    case 'load-vector':
    case 'length':
    case 'builtin':
    case 'atomic':
    case 'cast':
      return true;
    case 'var':
      return sumFreeLocals.has(expr.name);
    case 'unary':
      // −(a − b) is still a difference; every other unary operator is a function of its own.
      return expr.op !== 'neg' || isSumFree(expr.value, sumFreeLocals);
    case 'binary':
      // An f32 `rem` is a − b·trunc(a / b): a difference too.
      return expr.op !== 'add' && expr.op !== 'sub' && expr.op !== 'rem';
    case 'select':
      return isSumFree(expr.ifTrue, sumFreeLocals) && isSumFree(expr.ifFalse, sumFreeLocals);
    case 'vector':
      return expr.components.every((component) => isSumFree(component, sumFreeLocals));
    case 'splat':
    case 'component':
      return isSumFree(expr.value, sumFreeLocals);
    case 'fma':
    case 'dot':
      return false;
  }
}

/** Every local `body` declares or assigns, with the values it is given, in program order. */
function collectAssignments(body: readonly Stmt[], into: Map<string, Expr[]>): void {
  for (const statement of body) {
    switch (statement.kind) {
      case 'let':
      case 'assign':
        into.set(statement.name, [...(into.get(statement.name) ?? []), statement.value]);
        break;
      case 'if':
        collectAssignments(statement.then, into);
        collectAssignments(statement.otherwise, into);
        break;
      case 'loop':
      case 'block':
      case 'region':
        collectAssignments(statement.body, into);
        break;
      default:
        break;
    }
  }
}

/**
 * The locals of `body` that never hold a sum: every value given to them is sum-free.
 * Starts from all locals and drops those with a value that is not, until nothing changes
 * (a local set from another local is sum-free only if that one is).
 */
export function sumFreeLocals(body: readonly Stmt[]): ReadonlySet<string> {
  const assignments = new Map<string, Expr[]>();
  collectAssignments(body, assignments);
  const free = new Set(assignments.keys());
  let changed = true;
  while (changed) {
    changed = false;
    for (const [name, values] of assignments) {
      if (free.has(name) && !values.every((value) => isSumFree(value, free))) {
        free.delete(name);
        changed = true;
      }
    }
  }
  return free;
}
