/**
 * Digest and lowering cost of IR programs of 100, 1,000 and 10,000 nodes. Pure CPU work:
 * it runs wherever the library runs (here, Node's V8, the engine Chrome uses too).
 */
import { lowerProgram } from '../src/lower/lower-program.ts';
import { programDigest } from '../src/program/digest.ts';
import type { Expr, IrProgram, Stmt } from '../src/protocol/ir.ts';
import { validateProgram } from '../src/program/validate.ts';
import { summarize, type Summary } from './summary.ts';

export interface IrCostRow {
  /** Counted, not estimated: every statement and expression node. */
  readonly nodes: number;
  readonly digest: Summary;
  readonly lower: Summary;
  readonly validate: Summary;
}

/** An element-wise program whose body is a chain of lets, about `target` nodes in all. */
export function programOfSize(target: number): IrProgram {
  const body: Stmt[] = [{ kind: 'let', name: 'i', value: { kind: 'builtin', name: 'linear-index', axis: 0 } }];
  let nodes = 2;
  let previous: Expr = { kind: 'load', buffer: 'x', index: { kind: 'var', name: 'i' } };
  for (let k = 0; nodes < target - 4; k++) {
    // 7 nodes: let, add, mul, the previous value (1 node; 2 for the first load), literal, load, var i.
    const value: Expr = {
      kind: 'binary', op: 'add',
      left: { kind: 'binary', op: 'mul', left: previous, right: { kind: 'literal', type: 'f32', value: 1 + (k % 7) / 8 } },
      right: { kind: 'load', buffer: 'x', index: { kind: 'var', name: 'i' } },
    };
    body.push({ kind: 'let', name: `v${k}`, value });
    previous = { kind: 'var', name: `v${k}` };
    nodes += k === 0 ? 8 : 7;
  }
  body.push({ kind: 'store', buffer: 'y', index: { kind: 'var', name: 'i' }, value: previous });
  return {
    kind: 'ir', name: `size-${target}`, workgroupSize: [64, 1, 1],
    buffers: [{ name: 'x', binding: 0, access: 'read', type: 'f32' }, { name: 'y', binding: 1, access: 'output', type: 'f32' }],
    params: [], body,
  };
}

export function measureIrCosts(sizes: readonly number[] = [100, 1000, 10_000], repetitions = 30): IrCostRow[] {
  return sizes.map((nodes) => {
    const digest: number[] = [];
    const lower: number[] = [];
    const validate: number[] = [];
    for (let r = 0; r < repetitions + 3; r++) {
      // A fresh object each time: the digest is memoized per Program object.
      const program = programOfSize(nodes);
      let t = performance.now();
      validateProgram(program);
      const v = performance.now() - t;
      t = performance.now();
      programDigest(program);
      const d = performance.now() - t;
      t = performance.now();
      lowerProgram(program, program.workgroupSize);
      const l = performance.now() - t;
      if (r >= 3) {
        // The first three runs warm the JIT and are not counted.
        digest.push(d);
        lower.push(l);
        validate.push(v);
      }
    }
    return { nodes: countNodes(programOfSize(nodes)), digest: summarize(digest), lower: summarize(lower), validate: summarize(validate) };
  });
}

/** Statements plus expressions, counted by walking the JSON tree. */
export function countNodes(program: IrProgram): number {
  let count = 0;
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (typeof value !== 'object' || value === null) return;
    if ('kind' in value) count++;
    Object.values(value).forEach(visit);
  };
  visit(program.body);
  return count;
}
