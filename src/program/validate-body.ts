/**
 * Validation of statements: scopes (no shadowing; `block`, `if` arms and loop bodies open
 * a scope, `region` does not), assignments, stores, `break` placement, and the barrier
 * rule of docs/semantics.md ("Barriers").
 *
 * Uniformity is tracked conservatively. An expression is uniform when built only from
 * literals, params, `length`, the `workgroup-id`/`num-workgroups` builtins and variables of
 * uniform loops; `let` locals and loads never are. Control is non-uniform inside an `if`
 * on a non-uniform condition or a loop with non-uniform bounds. A `return` taken under
 * non-uniform control makes every later barrier non-uniform, and every barrier of the
 * loops around it (their next iteration runs it after the return); a `break` taken under
 * non-uniform control does the same for its own loop only.
 */
import type { IrAccess, Stmt } from '../protocol/ir.ts';
import { checkExpr, checkIndex, checkVectorAccess, expectType, readBufferRef, type Checked, type ExprEnv, type Local } from './validate-expr.ts';
import { at, describe, field, got, index, readListLength, readName, readRecord, readString } from './validate-report.ts';
import { INTEGER_TYPES } from './validate-types.ts';
import { VectorAccessLog } from './validate-vector-access.ts';

const STMT_KINDS = ['let', 'assign', 'store', 'store-vector', 'if', 'loop', 'break', 'return', 'barrier', 'block', 'region'];

/** What validation keeps of a loop while walking its body. */
interface LoopFrame {
  /** First `break` of this loop taken under non-uniform control, seen so far in program order. */
  brokenAt: string | undefined;
  /** First non-uniform `break` of this loop or `return` inside it: later iterations diverge. */
  exitAt: string | undefined;
  /** Every barrier inside this loop, nested loops included. */
  readonly barriers: string[];
}

/**
 * Checks the program body and returns a fresh typed copy, or `undefined` once an issue is logged.
 * @param env - the declared buffers and params; `lookup` and `vectorAccesses` are provided here.
 */
export function checkBody(env: Omit<ExprEnv, 'lookup' | 'vectorAccesses'>, value: unknown): Stmt[] | undefined {
  const walker = new BodyWalker(env);
  const body = walker.list(value, 'body', 1, undefined);
  // An atomic anywhere in the body makes every access to its buffer atomic, before it too.
  walker.vectorAccesses.reportAtomicBuffers(env.log);
  return body;
}

class BodyWalker implements ExprEnv {
  readonly log: ExprEnv['log'];
  readonly buffers: ExprEnv['buffers'];
  readonly params: ExprEnv['params'];
  readonly buffersComplete: boolean;
  readonly paramsComplete: boolean;
  readonly vectorAccesses = new VectorAccessLog();
  private readonly scopes: Map<string, Local>[] = [new Map()];
  private readonly loops: LoopFrame[] = [];
  /** First `return` taken under non-uniform control, in program order. */
  private returnedAt: string | undefined;
  private readonly reportedBarriers = new Set<string>();

  constructor(env: Omit<ExprEnv, 'lookup' | 'vectorAccesses'>) {
    this.log = env.log;
    this.buffers = env.buffers;
    this.params = env.params;
    this.buffersComplete = env.buffersComplete;
    this.paramsComplete = env.paramsComplete;
  }

  lookup(name: string): Local | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i -= 1) {
      const local = this.scopes[i]?.get(name);
      if (local !== undefined) return local;
    }
    return undefined;
  }

  /**
   * Checks a statement list whose statements are `depth` deep.
   * @param divergence - path of the innermost non-uniform `if` condition or loop around it, if any.
   */
  list(value: unknown, path: string, depth: number, divergence: string | undefined): Stmt[] | undefined {
    const length = readListLength(this.log, value, path, 'A statement list');
    if (length === undefined) return undefined;
    const statements: Stmt[] = [];
    let complete = true;
    // Each item counts as a node, so even a huge sparse list stops at IR_LIMITS.maxNodes.
    for (let i = 0; i < length && !this.log.stopped; i += 1) {
      const statement = this.statement(field(value as object, String(i)), index(path, i), depth, divergence);
      if (statement === undefined) complete = false;
      else statements.push(statement);
    }
    return complete ? statements : undefined;
  }

  private expr(record: object, key: string, path: string, depth: number): Checked {
    return checkExpr(this, field(record, key), at(path, key), depth + 1);
  }

  private scoped<T>(run: () => T): T {
    this.scopes.push(new Map());
    try {
      return run();
    } finally {
      this.scopes.pop();
    }
  }

  private declare(name: string, path: string, local: Local): void {
    const visible = this.lookup(name);
    if (visible !== undefined) {
      const what = visible.kind === 'let' ? 'a let' : 'a loop variable';
      this.log.report('shadowing', path, `${describe(name)} is already visible here as ${what}; names may not shadow (use another name).`);
      return;
    }
    this.scopes[this.scopes.length - 1]?.set(name, local);
  }

  private statement(value: unknown, path: string, depth: number, divergence: string | undefined): Stmt | undefined {
    const { log } = this;
    if (!log.enter(path, depth)) return undefined;
    const record = readRecord(log, value, path, 'A statement');
    if (record === undefined) return undefined;
    const kind = field(record, 'kind');
    switch (kind) {
      case 'let': {
        const name = readName(log, record, path, 'name', 'A let name');
        const value = this.expr(record, 'value', path, depth);
        // Declared after its initializer: `let x = x` refers to an outer x, or to nothing.
        if (name !== undefined) this.declare(name, at(path, 'name'), { kind: 'let', type: value.type, uniform: false });
        return name !== undefined && value.node ? { kind, name, value: value.node } : undefined;
      }
      case 'assign': {
        const name = readString(log, record, path, 'name', 'An assigned name');
        const value = this.expr(record, 'value', path, depth);
        if (name === undefined) return undefined;
        const local = this.lookup(name);
        if (local === undefined) {
          log.report('assign-to-undeclared', at(path, 'name'), `No let named ${describe(name)} is visible here; declare it with let first.`);
        } else if (local.kind === 'loop') {
          log.report('assign-to-loop-variable', at(path, 'name'), `${describe(name)} is a loop variable, which is immutable.`);
        } else if (local.type !== undefined) {
          expectType(log, value, [local.type], at(path, 'value'), `The value assigned to ${describe(name)} (declared ${local.type})`);
        }
        return value.node ? { kind, name, value: value.node } : undefined;
      }
      case 'store': {
        const buffer = readBufferRef(this, record, path);
        const index = checkIndex(this, record, path, depth);
        const value = this.expr(record, 'value', path, depth);
        const info = buffer?.info;
        this.checkWritable(buffer?.name, info?.access, path);
        if (info?.type !== undefined) {
          expectType(log, value, [info.type], at(path, 'value'), `The value stored in ${describe(buffer?.name)} (of ${info.type})`);
        }
        return buffer && index.node && value.node ? { kind, buffer: buffer.name, index: index.node, value: value.node } : undefined;
      }
      case 'store-vector':
        return this.storeVector(record, path, depth);
      case 'if':
        return this.ifStatement(record, path, depth, divergence);
      case 'loop':
        return this.loopStatement(record, path, depth, divergence);
      case 'break': {
        const loop = this.loops[this.loops.length - 1];
        if (loop === undefined) {
          log.report('break-outside-loop', path, 'break leaves the innermost loop, but there is no loop around it.');
        } else if (divergence !== undefined) {
          loop.brokenAt ??= path;
          loop.exitAt ??= path;
        }
        return { kind };
      }
      case 'return':
        if (divergence !== undefined) {
          this.returnedAt ??= path;
          for (const loop of this.loops) loop.exitAt ??= path;
        }
        return { kind };
      case 'barrier':
        this.barrier(path, divergence);
        return { kind };
      case 'block': {
        const body = this.scoped(() => this.list(field(record, 'body'), at(path, 'body'), depth + 1, divergence));
        return body && { kind, body };
      }
      case 'region': {
        const name = readName(log, record, path, 'name', 'A region name');
        // Scope-transparent: its statements live in the enclosing scope.
        const body = this.list(field(record, 'body'), at(path, 'body'), depth + 1, divergence);
        return name !== undefined && body ? { kind, name, body } : undefined;
      }
      default:
        log.report('malformed', at(path, 'kind'), `A statement kind must be one of ${STMT_KINDS.join(', ')}; ${got(kind)}.`);
        return undefined;
    }
  }

  /** `store-vector`: like `store`, with a vector of `width` of the buffer's scalars (validate-vector-access.ts). */
  private storeVector(record: object, path: string, depth: number): Stmt | undefined {
    const { buffer, access, width, index, type } = checkVectorAccess(this, record, path, depth);
    const value = this.expr(record, 'value', path, depth);
    this.checkWritable(buffer, access, path);
    if (type !== undefined) expectType(this.log, value, [type], at(path, 'value'), `The value stored as ${width} elements of ${describe(buffer)}`);
    if (buffer === undefined || width === undefined || !index.node || !value.node) return undefined;
    return { kind: 'store-vector', buffer, width, index: index.node, value: value.node };
  }

  /** The rule every store shares: `read` and `uniform` buffers take none. */
  private checkWritable(buffer: string | undefined, access: IrAccess | undefined, path: string): void {
    if (access === 'read' || access === 'uniform') {
      this.log.report('store-to-read-only', at(path, 'buffer'), `${describe(buffer)} is a ${access} buffer; only read-write, output and workgroup buffers take stores.`);
    }
  }

  private ifStatement(record: object, path: string, depth: number, divergence: string | undefined): Stmt | undefined {
    const cond = this.expr(record, 'cond', path, depth);
    expectType(this.log, cond, ['bool'], at(path, 'cond'), 'The condition of if');
    const inner = divergence ?? (cond.uniform ? undefined : at(path, 'cond'));
    // The arms exclude each other: an exit taken in `then` does not precede `otherwise`.
    const loop = this.loops[this.loops.length - 1];
    const before = { returnedAt: this.returnedAt, brokenAt: loop?.brokenAt };
    const then = this.scoped(() => this.list(field(record, 'then'), at(path, 'then'), depth + 1, inner));
    const after = { returnedAt: this.returnedAt, brokenAt: loop?.brokenAt };
    this.returnedAt = before.returnedAt;
    if (loop) loop.brokenAt = before.brokenAt;
    const otherwise = this.scoped(() => this.list(field(record, 'otherwise'), at(path, 'otherwise'), depth + 1, inner));
    this.returnedAt = after.returnedAt ?? this.returnedAt;
    if (loop) loop.brokenAt = after.brokenAt ?? loop.brokenAt;
    return cond.node && then && otherwise ? { kind: 'if', cond: cond.node, then, otherwise } : undefined;
  }

  private loopStatement(record: object, path: string, depth: number, divergence: string | undefined): Stmt | undefined {
    const { log } = this;
    const name = readName(log, record, path, 'var', 'A loop variable name');
    const from = this.expr(record, 'from', path, depth);
    const to = this.expr(record, 'to', path, depth);
    const integers: readonly string[] = INTEGER_TYPES;
    const fromOk = from.type !== undefined && integers.includes(from.type);
    if (from.type !== undefined && !fromOk) {
      log.report('type-mismatch', at(path, 'from'), `Loop bounds must be both u32 or both i32; from is ${from.type}.`);
    } else if (to.type !== undefined && (fromOk ? to.type !== from.type : !integers.includes(to.type))) {
      log.report('type-mismatch', at(path, 'to'), `Loop bounds must be both u32 or both i32; from is ${from.type ?? 'unknown'}, to is ${to.type}.`);
    }
    const type = fromOk ? from.type : to.type !== undefined && integers.includes(to.type) ? to.type : undefined;
    const uniform = from.uniform && to.uniform;
    const frame: LoopFrame = { brokenAt: undefined, exitAt: undefined, barriers: [] };
    this.loops.push(frame);
    const body = this.scoped(() => {
      if (name !== undefined) this.declare(name, at(path, 'var'), { kind: 'loop', type, uniform });
      return this.list(field(record, 'body'), at(path, 'body'), depth + 1, divergence ?? (uniform ? undefined : path));
    });
    this.loops.pop();
    if (frame.exitAt !== undefined) {
      for (const barrier of frame.barriers) {
        this.reportBarrier(barrier, `the loop at ${path || 'the root'} may run it again after the exit at ${frame.exitAt}, which only some invocations may take`);
      }
    }
    const complete = name !== undefined && from.node && to.node && body;
    return complete && from.node && to.node ? { kind: 'loop', var: name, from: from.node, to: to.node, body } : undefined;
  }

  private barrier(path: string, divergence: string | undefined): void {
    for (const loop of this.loops) loop.barriers.push(path);
    const broken = this.loops.find((loop) => loop.brokenAt !== undefined)?.brokenAt;
    if (divergence !== undefined) {
      this.reportBarrier(path, `it is under control flow that depends on a non-uniform value (at ${divergence})`);
    } else if (this.returnedAt !== undefined) {
      this.reportBarrier(path, `it comes after the return at ${this.returnedAt}, which only some invocations may take`);
    } else if (broken !== undefined) {
      this.reportBarrier(path, `it comes after the break at ${broken}, which only some invocations may take`);
    }
  }

  private reportBarrier(path: string, reason: string): void {
    if (this.reportedBarriers.has(path)) return;
    this.reportedBarriers.add(path);
    this.log.report('barrier-non-uniform', path, `Every invocation of a workgroup must reach a barrier, but ${reason}.`);
  }
}
