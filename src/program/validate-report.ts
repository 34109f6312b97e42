/**
 * The vocabulary of Program validation (stable rule codes, issues, paths) and the only
 * code that reads the caller's untyped data.
 *
 * A Program may arrive from structured clone or JSON written by anyone, so every read goes
 * through {@link field}: it sees own data properties only, and a getter, a throwing or
 * revoked proxy, a Symbol, a bigint or a function becomes a `malformed` issue, never a
 * TypeError. The walk is bounded by {@link IssueLog.enter} (depth and node count), which
 * is also what stops cyclic references.
 */
import { IR_LIMITS } from '../protocol/ir.ts';

/**
 * Every rule validation enforces, as stable kebab-case codes (metrics and tests switch on
 * them; add new ones at the end, never rename).
 */
export const VALIDATION_RULES = [
  /** Wrong shape: not an object or list, a missing field, a wrong JS type, an unknown `kind`/`op`/`type`. */
  'malformed',
  /** Statements and expressions nested deeper than `IR_LIMITS.maxDepth` (also what stops a cycle). */
  'too-deep',
  /** More than `IR_LIMITS.maxNodes` nodes, `maxBuffers` buffers or `maxParams` params. */
  'too-large',
  /** A buffer, param, let, loop-variable or region name that is not an identifier, or too long. */
  'bad-name',
  /** An axis of `workgroupSize` outside 1…limit, or too many invocations in all. */
  'bad-workgroup-size',
  /** Two buffers with one name. */
  'duplicate-buffer',
  /** Two bound buffers with one binding number. */
  'duplicate-binding',
  /** A binding that is not an integer in 0…999, or not -1 for a workgroup buffer. */
  'bad-binding',
  /** A workgroup buffer without a valid `count`, a `count` elsewhere, or too much workgroup memory. */
  'bad-workgroup-count',
  /** `sizing` on a buffer the runtime does not allocate, a bad static count, a bad `same-as` target. */
  'bad-sizing',
  /** More storage buffers than `maxStorageBuffersPerShaderStage`. */
  'too-many-buffers',
  /** Two params with one name. */
  'duplicate-param',
  /** A `load`, `load-vector`, `length`, `store`, `store-vector`, `atomic` of a buffer the program does not declare. */
  'unknown-buffer',
  /** A `param` expression naming no declared param. */
  'unknown-param',
  /** A `var` naming no visible let or loop variable. */
  'unknown-variable',
  /** An operand, condition, bound, index or stored/assigned value of the wrong type (docs/semantics.md). */
  'type-mismatch',
  /** An f32 literal that is NaN, infinite, or overflows f32. */
  'non-finite-literal',
  /** A u32/i32 literal that is not an integer in range, or a bool literal that is not a boolean. */
  'bad-literal',
  /** A builtin axis that is not 0, 1 or 2 (or not 0 for `linear-index`/`local-index`). */
  'bad-builtin-axis',
  /** A `component` index that is not an integer below the vector's width. */
  'bad-component',
  /** A `store` or `store-vector` into a `read` or `uniform` buffer. */
  'store-to-read-only',
  /** An `assign` to a name no visible `let` declares. */
  'assign-to-undeclared',
  /** An `assign` to a loop variable (loop variables are immutable). */
  'assign-to-loop-variable',
  /** A let or loop variable whose name is already visible. */
  'shadowing',
  /** A `break` outside every loop. */
  'break-outside-loop',
  /** A `barrier` that only some invocations of a workgroup may reach. */
  'barrier-non-uniform',
  /** An atomic on a buffer whose elements are not u32 or i32. */
  'atomic-wrong-type',
  /** An atomic on a `read` or `uniform` buffer. */
  'atomic-wrong-buffer',
  /** An atomic with `value`/`expected` missing where needed or present where not. */
  'atomic-bad-operands',
  /** A program with no `output` or `read-write` buffer: nothing it does can be read back. */
  'empty-program',
  /** A `load-vector` or `store-vector` whose width is not 2 or 4. */
  'bad-vector-width',
  /** A `load-vector` or `store-vector` of a buffer that is not of f32, i32 or u32 scalars, or that an atomic touches. */
  'vector-access-wrong-buffer',
] as const;

export type ValidationRule = (typeof VALIDATION_RULES)[number];

/** One thing wrong with a Program. */
export interface ValidationIssue {
  readonly rule: ValidationRule;
  /** Where, like `body[2].then[0].value.left` or `buffers[1].type`; `''` is the program itself. */
  readonly path: string;
  /** One or two sentences that name what was found and what was expected. */
  readonly message: string;
}

/**
 * The device limits a Program is validated against (names as in `GPUSupportedLimits`).
 * Validate with the device's own limits when known, else with {@link DEFAULT_VALIDATION_LIMITS}.
 */
export interface ValidationLimits {
  maxComputeInvocationsPerWorkgroup: number;
  maxComputeWorkgroupSizeX: number;
  maxComputeWorkgroupSizeY: number;
  maxComputeWorkgroupSizeZ: number;
  /** Bytes of workgroup memory; every workgroup buffer element takes 4. */
  maxComputeWorkgroupStorageSize: number;
  /** Storage buffers: every buffer but the workgroup ones (params travel in a uniform buffer). */
  maxStorageBuffersPerShaderStage: number;
}

/** WebGPU's guaranteed minimums: every adapter supports at least these. */
export const DEFAULT_VALIDATION_LIMITS: ValidationLimits = Object.freeze({
  maxComputeInvocationsPerWorkgroup: 256,
  maxComputeWorkgroupSizeX: 256,
  maxComputeWorkgroupSizeY: 256,
  maxComputeWorkgroupSizeZ: 64,
  maxComputeWorkgroupStorageSize: 16_384,
  maxStorageBuffersPerShaderStage: 8,
});

/** Most issues one validation collects; the walk stops there. */
export const MAX_COLLECTED_ISSUES = 100;

/** Collects issues and bounds the walk over untyped data. */
export class IssueLog {
  readonly issues: ValidationIssue[] = [];
  /** True once walking further is pointless: too many nodes, or enough issues to report. */
  stopped = false;
  private nodes = 0;

  report(rule: ValidationRule, path: string, message: string): void {
    if (this.stopped) return;
    this.issues.push({ rule, path, message });
    if (this.issues.length >= MAX_COLLECTED_ISSUES) this.stopped = true;
  }

  /**
   * Counts one statement or expression at `depth` (a top-level statement is depth 1).
   * @returns false, after reporting why, when the node must not be looked into.
   */
  enter(path: string, depth: number): boolean {
    if (this.stopped) return false;
    this.nodes += 1;
    if (this.nodes > IR_LIMITS.maxNodes) {
      this.report('too-large', path, `The program has more than ${IR_LIMITS.maxNodes} statements and expressions.`);
      // Nothing after this point is looked at: an untyped caller cannot make the walk unbounded.
      this.stopped = true;
      return false;
    }
    if (depth > IR_LIMITS.maxDepth) {
      this.report(
        'too-deep',
        path,
        `Statements and expressions nest deeper than ${IR_LIMITS.maxDepth} levels here (or the data refers back to itself).`,
      );
      return false;
    }
    return true;
  }
}

/** `path.key`, or `key` at the root. */
export function at(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** `path[i]`. */
export function index(path: string, i: number): string {
  return `${path}[${i}]`;
}

/** What {@link field} returns for a property it may not or could not read. */
const UNREADABLE: unique symbol = Symbol('unreadable');

type Shape = 'record' | 'list' | 'typed-array' | 'other';

function shapeOf(value: unknown): Shape {
  if (typeof value !== 'object' || value === null) return 'other';
  try {
    if (Array.isArray(value)) return 'list';
    if (ArrayBuffer.isView(value)) return 'typed-array';
  } catch {
    // Array.isArray throws on a revoked proxy.
    return 'other';
  }
  return 'record';
}

/**
 * Reads an own data property without running any of the caller's code that could throw:
 * a getter, or a proxy trap that throws, gives back a marker that no check accepts.
 */
export function field(owner: object, key: string): unknown {
  try {
    const descriptor = Object.getOwnPropertyDescriptor(owner, key);
    if (descriptor === undefined) return undefined;
    return 'value' in descriptor ? descriptor.value : UNREADABLE;
  } catch {
    return UNREADABLE;
  }
}

/** A short, safe description of any value, for messages (never throws, never long). */
export function describe(value: unknown): string {
  if (value === UNREADABLE) return 'an unreadable property (a getter or a throwing proxy)';
  switch (typeof value) {
    case 'undefined':
      return 'nothing';
    case 'string':
      return value.length > 40 ? `${JSON.stringify(value.slice(0, 40))}…` : JSON.stringify(value);
    case 'number':
    case 'boolean':
      return String(value);
    case 'bigint':
      return 'a bigint';
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    default: {
      if (value === null) return 'null';
      const shape = shapeOf(value);
      return shape === 'list' ? 'a list' : shape === 'typed-array' ? 'a typed array' : 'an object';
    }
  }
}

/** `it is missing` or `got <value>`, to end a message. */
export function got(value: unknown): string {
  return value === undefined ? 'it is missing' : `got ${describe(value)}`;
}

/** The value as an object whose fields can be read with {@link field}, or a `malformed` issue. */
export function readRecord(log: IssueLog, value: unknown, path: string, what: string): object | undefined {
  if (shapeOf(value) === 'record') return value as object;
  log.report('malformed', path, `${what} must be an object; ${got(value)}.`);
  return undefined;
}

/** The length of a list (read its items with `field(list, String(i))`), or a `malformed` issue. */
export function readListLength(log: IssueLog, value: unknown, path: string, what: string): number | undefined {
  if (shapeOf(value) === 'list') {
    const length = field(value as object, 'length');
    if (typeof length === 'number' && Number.isInteger(length) && length >= 0) return length;
  }
  log.report('malformed', path, `${what} must be a list; ${got(value)}.`);
  return undefined;
}

/** A string field, or a `malformed` issue. */
export function readString(log: IssueLog, owner: object, path: string, key: string, what: string): string | undefined {
  const value = field(owner, key);
  if (typeof value === 'string') return value;
  log.report('malformed', at(path, key), `${what} must be a string; ${got(value)}.`);
  return undefined;
}

const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * A name field: `malformed` when not a string, `bad-name` when not an identifier of at
 * most `IR_LIMITS.maxNameLength` characters (the string still comes back, so scoping and
 * duplicate checks go on).
 */
export function readName(log: IssueLog, owner: object, path: string, key: string, what: string): string | undefined {
  const name = readString(log, owner, path, key, what);
  if (name === undefined) return undefined;
  if (name.length > IR_LIMITS.maxNameLength || !NAME_PATTERN.test(name)) {
    log.report(
      'bad-name',
      at(path, key),
      `${what} must start with a letter, continue with letters, digits or _, and be at most ${IR_LIMITS.maxNameLength} characters; got ${describe(name)}.`,
    );
  }
  return name;
}

/** A field that must be one of `choices`, or a `malformed` issue. */
export function readChoice<T extends string>(
  log: IssueLog,
  owner: object,
  path: string,
  key: string,
  choices: readonly T[],
  what: string,
): T | undefined {
  const value = field(owner, key);
  if (typeof value === 'string' && (choices as readonly string[]).includes(value)) return value as T;
  log.report('malformed', at(path, key), `${what} must be one of ${choices.join(', ')}; ${got(value)}.`);
  return undefined;
}
