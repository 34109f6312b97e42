/**
 * Validation of IR Programs: the gate every Program passes before it is hashed, lowered
 * or interpreted (see `ir.ts`, and `docs/semantics.md` for the typing and barrier rules).
 *
 * A Program may come from structured clone or JSON written by a careless caller, so
 * validation takes `unknown`, never throws anything but one `VyreError('invalid-program')`,
 * and bounds its work by IR_LIMITS (depth, nodes, buffers, params), which also stops
 * cyclic data. It keeps checking after the first problem and reports up to
 * {@link MAX_ERROR_ISSUES} issues, each with a stable rule code and a path to the node.
 *
 * Decisions the IR leaves open:
 * - Params and locals are separate namespaces (a param is read with a `param` expression,
 *   a local with `var`), so a let may share a param's name.
 * - Unknown extra fields are ignored and left out of the returned copy.
 * - An optional field set to `undefined` counts as absent (structured clone keeps it).
 * - A program must have an `output` or `read-write` buffer (`empty-program`): otherwise
 *   nothing it does can be read back.
 * - The program's optional `name` is a label: any string up to 256 characters.
 * - Depth counts statements and expressions: a top-level statement is at depth 1, its
 *   expressions and nested statements one deeper, and so on, up to IR_LIMITS.maxDepth.
 * - With params, no storage binding may be 999: the params uniform binds right after the
 *   highest one (src/lower/layout.ts), and bindings stop at 999.
 * - A `load-vector` or `store-vector` of a buffer that an atomic touches is refused
 *   wherever in the body the atomic is, before the access or after it.
 * - A barrier is judged conservatively: arms of an `if` exclude each other, but a loop that
 *   some invocations may leave early (a non-uniform break or return inside it) makes every
 *   barrier in it non-uniform, before the exit as well as after.
 */
import { VyreError, invariant } from '../errors.ts';
import type { IrProgram } from '../protocol/ir.ts';
import { checkBody } from './validate-body.ts';
import { checkBuffers, checkParams, checkParamsBinding, checkWorkgroupSize } from './validate-header.ts';
import {
  DEFAULT_VALIDATION_LIMITS,
  IssueLog,
  MAX_COLLECTED_ISSUES,
  field,
  got,
  readRecord,
  type ValidationIssue,
  type ValidationLimits,
  type ValidationRule,
} from './validate-report.ts';

export { DEFAULT_VALIDATION_LIMITS, MAX_COLLECTED_ISSUES, VALIDATION_RULES } from './validate-report.ts';
export type { ValidationIssue, ValidationLimits, ValidationRule } from './validate-report.ts';
export {
  BINARY_SIGNATURES,
  UNARY_OPERAND_TYPES,
  binaryResultType,
  unaryResultType,
  type BinarySignature,
} from './validate-types.ts';

/** Most issues listed in the error's `details.issues`. */
export const MAX_ERROR_ISSUES = 20;

/** Longest program `name` (a label, not an identifier). */
const MAX_PROGRAM_NAME_LENGTH = 256;

/** What to do about each rule, for the error's `Fix:` hint. */
const FIXES: { readonly [rule in ValidationRule]: string } = {
  malformed: 'build the program with the IR builder, or follow the shapes in src/program/ir.ts.',
  'too-deep': 'split deep expressions with `let`, flatten nested statements, and make sure no node contains itself.',
  'too-large': 'split the kernel into several programs, or declare fewer buffers or params.',
  'bad-name': 'use identifiers: a letter, then letters, digits or _, at most 64 characters.',
  'bad-workgroup-size': 'use positive integers within the device limits, e.g. [64, 1, 1] or [16, 16, 1].',
  'duplicate-buffer': 'give every buffer its own name.',
  'duplicate-binding': 'give every bound buffer its own binding number.',
  'bad-binding': 'use integers 0…999 for bound buffers and -1 for workgroup buffers.',
  'bad-workgroup-count': 'give workgroup buffers (only those) a count of 1…16384 elements, within the workgroup memory limit.',
  'bad-sizing': 'use `sizing` only on output and read-write buffers, with a static count ≥ 0 or another bound buffer for same-as.',
  'too-many-buffers': 'use fewer storage buffers (pack inputs together, or move scalars to params).',
  'duplicate-param': 'give every param its own name.',
  'unknown-buffer': 'declare the buffer in `buffers`, or fix the name.',
  'unknown-param': 'declare the param in `params`, or fix the name.',
  'unknown-variable': 'declare the variable with `let` before using it, in this scope or an enclosing one.',
  'type-mismatch': 'make the operand types match docs/semantics.md; use `cast` to convert between types, `splat` or `vector` to build vectors, `component` to take them apart.',
  'non-finite-literal': 'use a finite f32 literal; compute infinities or NaN at run time if you need them.',
  'bad-literal': 'write u32 literals as integers in 0…4294967295, i32 in -2147483648…2147483647, bool as true/false.',
  'bad-builtin-axis': 'use axis 0, 1 or 2 (x, y, z); linear-index and local-index take axis 0.',
  'bad-component': 'use component 0 (x) or 1 (y) of a vec2, 0…3 (x, y, z, w) of a vec4.',
  'store-to-read-only': 'declare the buffer read-write or output, or store into another buffer.',
  'assign-to-undeclared': 'declare the variable with `let` first.',
  'assign-to-loop-variable': 'copy the loop variable into a `let` and assign that.',
  shadowing: 'rename the inner variable.',
  'break-outside-loop': 'use `return` to end the invocation, or move the break into a loop.',
  'barrier-non-uniform':
    'move the barrier out of the non-uniform branch or loop; branch on params, workgroup-id or uniform loop variables, and replace early returns by an if around the work.',
  'atomic-wrong-type': 'use a u32 or i32 buffer for atomics.',
  'atomic-wrong-buffer': 'use atomics on read-write, output or workgroup buffers.',
  'atomic-bad-operands': 'give `value` to every atomic but load, and `expected` only to compare-exchange.',
  'empty-program': 'declare an output or read-write buffer and store the results there.',
  'bad-vector-width': 'use width 2 or 4 (there is no vec3): loadVector(4, v) reads elements 4·v … 4·v + 3.',
  'vector-access-wrong-buffer':
    'use loadVector/storeVector on a buffer of f32, i32 or u32 scalars that no atomic touches; a buffer of vectors reads and writes whole vectors with load and store.',
};

/**
 * Checks untyped data and returns it as a typed Program.
 *
 * @param value - anything; typically a Program after structured clone.
 * @param limits - device limits to check against; WebGPU's guaranteed minimums by default.
 * @returns a fresh deep copy of the Program, holding only the fields the IR defines.
 * @throws VyreError `invalid-program` with `details` `{ rule, path, issues, issueCount }`:
 *   the first issue's rule and path, and up to {@link MAX_ERROR_ISSUES} issues.
 * @example
 * ```ts
 * const program = validateProgram(structuredClone(input), device.limits);
 * ```
 */
export function validateProgram(value: unknown, limits: ValidationLimits = DEFAULT_VALIDATION_LIMITS): IrProgram {
  const { issues, program } = inspect(value, limits);
  if (issues.length > 0) throw invalidProgram(issues);
  invariant(program !== undefined, 'a program without issues was fully copied');
  return program;
}

/**
 * Lists what is wrong with a Program, without throwing.
 *
 * @param value - anything; typically a Program after structured clone.
 * @param limits - device limits to check against; WebGPU's guaranteed minimums by default.
 * @returns the issues in the order found (empty for a valid program), at most {@link MAX_COLLECTED_ISSUES}.
 */
export function findProgramIssues(value: unknown, limits: ValidationLimits = DEFAULT_VALIDATION_LIMITS): ValidationIssue[] {
  return inspect(value, limits).issues;
}

function inspect(value: unknown, limits: ValidationLimits): { issues: ValidationIssue[]; program: IrProgram | undefined } {
  const log = new IssueLog();
  const record = readRecord(log, value, '', 'The program');
  if (record === undefined) return { issues: log.issues, program: undefined };

  const kind = field(record, 'kind');
  if (kind !== 'ir') {
    const hint = kind === 'wgsl' ? ' (WGSL-source programs are checked by parseWgslProgram)' : '';
    log.report('malformed', 'kind', `An IR program has kind "ir"; ${got(kind)}${hint}.`);
  }
  const name = field(record, 'name');
  if (name !== undefined && typeof name !== 'string') {
    log.report('malformed', 'name', `The program name must be a string; ${got(name)}.`);
  } else if (name !== undefined && name.length > MAX_PROGRAM_NAME_LENGTH) {
    log.report('bad-name', 'name', `The program name has ${name.length} characters; at most ${MAX_PROGRAM_NAME_LENGTH}.`);
  }
  const workgroupSize = checkWorkgroupSize(log, field(record, 'workgroupSize'), limits);
  const buffers = checkBuffers(log, field(record, 'buffers'), limits);
  const params = checkParams(log, field(record, 'params'));
  checkParamsBinding(log, buffers, params);
  const body = checkBody(
    {
      log,
      buffers: buffers.byName,
      params: params.byName,
      buffersComplete: buffers.complete,
      paramsComplete: params.complete,
    },
    field(record, 'body'),
  );
  if (buffers.list !== undefined && !buffers.list.some((buffer) => buffer.access === 'output' || buffer.access === 'read-write')) {
    log.report('empty-program', 'buffers', 'The program has no output or read-write buffer, so nothing it computes can be read back.');
  }

  if (log.issues.length > 0) return { issues: log.issues, program: undefined };
  invariant(workgroupSize && buffers.list && params.list && body, 'a program without issues has every part');
  const program: IrProgram = {
    kind: 'ir',
    ...(typeof name === 'string' ? { name } : {}),
    workgroupSize,
    buffers: buffers.list,
    params: params.list,
    body,
  };
  return { issues: [], program };
}

function invalidProgram(issues: readonly ValidationIssue[]): VyreError {
  const [first] = issues;
  invariant(first !== undefined, 'an invalid program has an issue');
  const others = issues.length - 1;
  const more = others === 0 ? '' : ` (${others}${issues.length >= MAX_COLLECTED_ISSUES ? '+' : ''} more in details.issues)`;
  return new VyreError(
    'invalid-program',
    `Invalid program at ${first.path === '' ? 'the root' : first.path} [${first.rule}]: ${first.message}${more}`,
    FIXES[first.rule],
    {
      rule: first.rule,
      path: first.path,
      issues: issues.slice(0, MAX_ERROR_ISSUES).map((issue) => ({ rule: issue.rule, path: issue.path, message: issue.message })),
      issueCount: issues.length,
    },
  );
}
