/**
 * Which module-scope resources an entry point uses: the names it refers to in its body and
 * in every function it calls, directly or through other calls.
 *
 * wgsl_reflect 1.6.0 computes this too (`FunctionInfo.resources`, which does follow calls),
 * but it resolves a name against the innermost block only and never against parameters, so
 * `fn f(a: f32)` or a `let a` used inside a nested `if` counts the buffer `a` as used. A
 * pipeline with `layout: 'auto'` binds exactly the resources its entry point uses, so a
 * false "used" is a dispatch that fails validation; this walk keeps every enclosing scope.
 *
 * Known approximations, both toward "not used" only for a local that shares a buffer's name:
 * a `for` loop's variable stays in scope after the loop, and a `continuing` block does not
 * see the loop body's locals.
 */
import { Argument, Call, CallExpr, Const, Function as FunctionDecl, Let, Var, VariableExpr, _BlockEnd, _BlockStart } from 'wgsl_reflect';
import type { Node } from 'wgsl_reflect';

interface DirectUse {
  readonly resources: ReadonlySet<string>;
  readonly calls: ReadonlySet<string>;
}

/**
 * Maps each function of a module to the resources it uses, through its calls.
 * @param ast - the module's top-level declarations.
 * @param resourceNames - the names of the module's resource variables.
 * @returns a function from a function name to the resource names it uses (empty for an unknown name).
 */
export function createResourceUse(ast: readonly Node[], resourceNames: ReadonlySet<string>): (name: string) => ReadonlySet<string> {
  const direct = new Map<string, DirectUse>();
  for (const node of ast) {
    if (node instanceof FunctionDecl) direct.set(node.name, directUse(node, resourceNames));
  }
  return (name) => {
    const used = new Set<string>();
    const seen = new Set<string>();
    const visit = (fn: string): void => {
      const use = direct.get(fn);
      if (use === undefined || seen.has(fn)) return;
      seen.add(fn);
      for (const resource of use.resources) used.add(resource);
      for (const callee of use.calls) visit(callee);
    };
    visit(name);
    return used;
  };
}

/** The resources one function names itself, and the functions it calls. */
function directUse(fn: FunctionDecl, resourceNames: ReadonlySet<string>): DirectUse {
  const resources = new Set<string>();
  const calls = new Set<string>();
  // The first scope holds the parameters; each block pushes one.
  const scopes: Set<string>[] = [new Set()];
  const isLocal = (name: string): boolean => scopes.some((scope) => scope.has(name));
  const declare = (name: string): void => {
    scopes[scopes.length - 1]?.add(name);
  };
  const visit = (node: Node): void => {
    if (node instanceof _BlockStart) scopes.push(new Set());
    else if (node instanceof _BlockEnd) scopes.pop();
    else if (node instanceof Argument) declare(node.name);
    else if (node instanceof Var || node instanceof Let || node instanceof Const) {
      // The library visits a declaration before its initializer, but `let a = a[0];` reads
      // the outer `a`: walk the initializer first, then declare the name.
      node.value?.search(visit);
      declare(node.name);
    } else if (node instanceof VariableExpr) {
      if (resourceNames.has(node.name) && !isLocal(node.name)) resources.add(node.name);
    } else if (node instanceof CallExpr || node instanceof Call) calls.add(node.name);
  };
  fn.search(visit);
  return { resources, calls };
}
