/**
 * Framing of an IR Program for its normalized digest (see `digest.ts`).
 *
 *   label  "vyre-web/program-digest/ir/v1"
 *   u32×3  workgroup size
 *   list   bound buffers in binding order: u32 binding, string name, string access, string type
 *   list   workgroup buffers in name order: string name, string type, u32 count
 *   list   params in declaration order (it is the uniform struct's layout): string name, string type
 *   list   body statements, each framed by `frameStmt`
 *
 * Each node starts with a u32 tag from the tables below, so two different trees can never
 * frame to the same bytes; names and literals are length-prefixed or fixed-width.
 * Excluded on purpose: the program `name` (labels only) and output `sizing` (launch-time),
 * so renaming a program or resizing a buffer never recompiles.
 */
import type { FrameWriter } from '../hash/framing.ts';
import { unreachable } from '../errors.ts';
import type { Expr, IrProgram, Stmt } from '../protocol/ir.ts';

export const IR_PROGRAM_DIGEST_LABEL = 'vyre-web/program-digest/ir/v1';

const EXPR_TAG = {
  literal: 1, var: 2, param: 3, load: 4, length: 5, builtin: 6, unary: 7, binary: 8, select: 9, cast: 10, fma: 11, atomic: 12,
  // Added with vectors: new tags only, so every scalar program keeps its digest (and its cache records).
  vector: 13, splat: 14, component: 15, dot: 16,
  // Added with vector access to scalar buffers, the same way: no earlier program's digest moves.
  'load-vector': 17,
} as const satisfies Record<Expr['kind'], number>;

const STMT_TAG = {
  let: 101, assign: 102, store: 103, if: 104, loop: 105, break: 106, return: 107, barrier: 108, block: 109, region: 110,
  'store-vector': 111,
} as const satisfies Record<Stmt['kind'], number>;

const ABSENT = 0;

export function frameIrProgram(frame: FrameWriter, program: IrProgram): void {
  frame.label(IR_PROGRAM_DIGEST_LABEL);
  for (const axis of program.workgroupSize) frame.u32(axis);
  const bound = program.buffers.filter((b) => b.access !== 'workgroup').sort((a, b) => a.binding - b.binding);
  frame.list(bound.length);
  for (const buffer of bound) frame.u32(buffer.binding).string(buffer.name).string(buffer.access).string(buffer.type);
  const shared = program.buffers.filter((b) => b.access === 'workgroup').sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  frame.list(shared.length);
  for (const buffer of shared) frame.string(buffer.name).string(buffer.type).u32(buffer.count ?? 0);
  frame.list(program.params.length);
  for (const param of program.params) frame.string(param.name).string(param.type);
  frameBody(frame, program.body);
}

function frameBody(frame: FrameWriter, body: readonly Stmt[]): void {
  frame.list(body.length);
  for (const statement of body) frameStmt(frame, statement);
}

function frameStmt(frame: FrameWriter, statement: Stmt): void {
  frame.u32(STMT_TAG[statement.kind]);
  switch (statement.kind) {
    case 'let':
    case 'assign':
      frame.string(statement.name);
      return frameExpr(frame, statement.value);
    case 'store':
      frame.string(statement.buffer);
      frameExpr(frame, statement.index);
      return frameExpr(frame, statement.value);
    case 'store-vector':
      frame.string(statement.buffer).u32(statement.width);
      frameExpr(frame, statement.index);
      return frameExpr(frame, statement.value);
    case 'if':
      frameExpr(frame, statement.cond);
      frameBody(frame, statement.then);
      return frameBody(frame, statement.otherwise);
    case 'loop':
      frame.string(statement.var);
      frameExpr(frame, statement.from);
      frameExpr(frame, statement.to);
      return frameBody(frame, statement.body);
    case 'break':
    case 'return':
    case 'barrier':
      return;
    case 'block':
      return frameBody(frame, statement.body);
    case 'region':
      // The region name becomes a comment in the WGSL, so it is part of what lowering reads.
      frame.string(statement.name);
      return frameBody(frame, statement.body);
    default:
      return unreachable(statement);
  }
}

function frameExpr(frame: FrameWriter, expr: Expr): void {
  frame.u32(EXPR_TAG[expr.kind]);
  switch (expr.kind) {
    case 'literal':
      frame.string(expr.type);
      // f64 framing keeps -0 apart from 0 and every integer exact.
      frame.f64(typeof expr.value === 'boolean' ? (expr.value ? 1 : 0) : expr.value);
      return;
    case 'var':
    case 'param':
      frame.string(expr.name);
      return;
    case 'load':
      frame.string(expr.buffer);
      return frameExpr(frame, expr.index);
    case 'load-vector':
      frame.string(expr.buffer).u32(expr.width);
      return frameExpr(frame, expr.index);
    case 'length':
      frame.string(expr.buffer);
      return;
    case 'builtin':
      frame.string(expr.name).u32(expr.axis);
      return;
    case 'unary':
      frame.string(expr.op);
      return frameExpr(frame, expr.value);
    case 'binary':
      frame.string(expr.op);
      frameExpr(frame, expr.left);
      return frameExpr(frame, expr.right);
    case 'select':
      frameExpr(frame, expr.cond);
      frameExpr(frame, expr.ifTrue);
      return frameExpr(frame, expr.ifFalse);
    case 'cast':
      frame.string(expr.type);
      return frameExpr(frame, expr.value);
    case 'fma':
      frameExpr(frame, expr.a);
      frameExpr(frame, expr.b);
      return frameExpr(frame, expr.c);
    case 'atomic':
      frame.string(expr.op).string(expr.buffer);
      frameExpr(frame, expr.index);
      frameOptional(frame, expr.expected);
      return frameOptional(frame, expr.value);
    case 'vector':
      frame.string(expr.type).list(expr.components.length);
      for (const component of expr.components) frameExpr(frame, component);
      return;
    case 'splat':
      frame.string(expr.type);
      return frameExpr(frame, expr.value);
    case 'component':
      frame.u32(expr.index);
      return frameExpr(frame, expr.value);
    case 'dot':
      frameExpr(frame, expr.left);
      return frameExpr(frame, expr.right);
    default:
      return unreachable(expr);
  }
}

function frameOptional(frame: FrameWriter, expr: Expr | undefined): void {
  if (expr === undefined) frame.u32(ABSENT);
  else frameExpr(frame, expr);
}
