/**
 * The Program IR: plain, JSON-serializable data that describes one compute kernel.
 *
 * A Program crosses to the worker by structured clone, is validated before anything
 * else touches it (`validate.ts`), hashed (`digest.ts`), lowered to WGSL (`src/lower/`)
 * and run on the CPU by the reference interpreter (`interpret.ts`). The semantics both
 * implementations share are written down in `docs/semantics.md`.
 *
 * Every node is discriminated on `kind`. Statements run once per invocation.
 */

/** Scalar types of expressions, buffers and parameters. `bool` buffers store one u32 word per element (0 = false). */
export const SCALAR_TYPES = ['u32', 'i32', 'f32', 'bool'] as const;
export type ScalarType = (typeof SCALAR_TYPES)[number];

/**
 * Vector types: two or four components of `f32`, `i32` or `u32` (no `bool` vectors, no
 * `vec3`: its 16-byte alignment with 12 bytes of data would make flat host arrays lie).
 * Operators work component-wise with each component following its scalar rule.
 */
export const VECTOR_TYPES = ['vec2<f32>', 'vec2<i32>', 'vec2<u32>', 'vec4<f32>', 'vec4<i32>', 'vec4<u32>'] as const;
export type VectorType = (typeof VECTOR_TYPES)[number];
/** The scalar types a vector can hold. */
export type ComponentType = 'f32' | 'i32' | 'u32';
export type VectorWidth = 2 | 4;

/** Any type a value, a local or a buffer element can have. */
export type ValueType = ScalarType | VectorType;
export const VALUE_TYPES: readonly ValueType[] = [...SCALAR_TYPES, ...VECTOR_TYPES];

/** True for one of {@link VECTOR_TYPES}. */
export function isVectorType(type: unknown): type is VectorType {
  return (VECTOR_TYPES as readonly unknown[]).includes(type);
}

/** Components of a value of `type`: 1 for a scalar. */
export function widthOf(type: ValueType): 1 | VectorWidth {
  return isVectorType(type) ? (type.startsWith('vec2') ? 2 : 4) : 1;
}

/** The scalar type of each component (a scalar type is its own component type). */
export function componentOf(type: ValueType): ScalarType {
  return isVectorType(type) ? (type.slice(5, 8) as ComponentType) : type;
}

/** The vector of `width` components of `component`; a width of 1 is the scalar itself. */
export function vectorOf(component: ScalarType, width: 1 | VectorWidth): ValueType | undefined {
  if (width === 1) return component;
  if (component === 'bool') return undefined;
  return `vec${width}<${component}>`;
}

/**
 * Buffer access modes.
 * - `read`: an input the caller supplies; the kernel only reads it.
 * - `read-write`: uploaded when supplied (zero-filled otherwise), read back after the dispatch.
 * - `output`: allocated zero-filled by the runtime, never supplied, read back.
 * - `uniform`: a small read-only input (lowered as read-only storage; see docs/semantics.md).
 * - `workgroup`: per-workgroup scratch memory with a static `count`; never bound, never read back.
 */
export const IR_ACCESS_MODES = ['read', 'read-write', 'output', 'uniform', 'workgroup'] as const;
export type IrAccess = (typeof IR_ACCESS_MODES)[number];

/**
 * How a runtime-allocated buffer (`output`, or `read-write` when not supplied) is sized:
 * - `{ kind: 'dispatch' }` (default): `options.outputs[name]`, else the length of the first input;
 * - `{ kind: 'static', count }`: always `count` elements;
 * - `{ kind: 'same-as', buffer }`: as many elements as the named buffer.
 */
export type OutputSizing =
  | { readonly kind: 'dispatch' }
  | { readonly kind: 'static'; readonly count: number }
  | { readonly kind: 'same-as'; readonly buffer: string };

export interface IrBuffer {
  readonly name: string;
  /** `@binding(N)` in group 0. Ignored (and must be -1) for `workgroup` buffers. */
  readonly binding: number;
  readonly access: IrAccess;
  /**
   * Element type. A vector element type makes the buffer an array of vectors: `count`,
   * `length` and indices count vectors; the host array stays flat (a `Float32Array` of
   * 4·n floats for n `vec4<f32>`). Atomics need a `u32`/`i32` scalar buffer.
   */
  readonly type: ValueType;
  /** Element count; required (> 0) for `workgroup` buffers, absent for every other access. */
  readonly count?: number;
  /** Sizing of runtime-allocated buffers; only for `output` and `read-write`. */
  readonly sizing?: OutputSizing;
}

/** A per-dispatch scalar parameter: changes every dispatch without a new pipeline. */
export interface IrParam {
  readonly name: string;
  readonly type: 'u32' | 'i32' | 'f32';
}

export const BUILTINS = [
  'global-id',
  'local-id',
  'workgroup-id',
  'num-workgroups',
  /** Dense global index: workgroup index (x-fastest over the grid) × invocations per workgroup + local index. */
  'linear-index',
  /** Index of the invocation within its workgroup (`local_invocation_index`). */
  'local-index',
] as const;
export type Builtin = (typeof BUILTINS)[number];

export const UNARY_OPS = [
  'neg',
  'not',
  'bit-not',
  'abs',
  'popcount',
  'clz',
  'ctz',
  'reverse-bits',
  'sqrt',
  'inverse-sqrt',
  'exp',
  'exp2',
  'log',
  'log2',
  'sin',
  'cos',
  'tan',
  'tanh',
  'floor',
  'ceil',
  'round',
  'trunc',
  'sign',
] as const;
export type UnaryOp = (typeof UNARY_OPS)[number];

export const BINARY_OPS = [
  'add',
  'sub',
  'mul',
  'div',
  'rem',
  'min',
  'max',
  'abs-diff',
  'mul-high',
  'bit-and',
  'bit-or',
  'bit-xor',
  'shl',
  'shr',
  'rotl',
  'rotr',
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'ge',
  'and',
  'or',
  'pow',
] as const;
export type BinaryOp = (typeof BINARY_OPS)[number];

export const ATOMIC_OPS = ['add', 'sub', 'min', 'max', 'and', 'or', 'xor', 'exchange', 'compare-exchange', 'load'] as const;
export type AtomicOp = (typeof ATOMIC_OPS)[number];

export type Expr =
  | { readonly kind: 'literal'; readonly type: ScalarType; readonly value: number | boolean }
  | { readonly kind: 'var'; readonly name: string }
  | { readonly kind: 'param'; readonly name: string }
  | { readonly kind: 'load'; readonly buffer: string; readonly index: Expr }
  /**
   * Vector `index` of a buffer of `f32`, `i32` or `u32` scalars: elements
   * `width·index … width·index + width − 1` as one `vec{width}`, each bounds-checked on
   * its own (docs/semantics.md, "Vectors"). `index` counts vectors, so every access is aligned.
   */
  | { readonly kind: 'load-vector'; readonly buffer: string; readonly width: VectorWidth; readonly index: Expr }
  | { readonly kind: 'length'; readonly buffer: string }
  | { readonly kind: 'builtin'; readonly name: Builtin; readonly axis: 0 | 1 | 2 }
  | { readonly kind: 'unary'; readonly op: UnaryOp; readonly value: Expr }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'select'; readonly cond: Expr; readonly ifTrue: Expr; readonly ifFalse: Expr }
  /** Scalar to scalar, or vector to vector of the same width, component by component. */
  | { readonly kind: 'cast'; readonly type: ValueType; readonly value: Expr }
  /** `f32` operands, or three vectors of `f32` of one type. */
  | { readonly kind: 'fma'; readonly a: Expr; readonly b: Expr; readonly c: Expr }
  /** Builds a vector from exactly `width` scalars of its component type, evaluated in order. */
  | { readonly kind: 'vector'; readonly type: VectorType; readonly components: readonly Expr[] }
  /** A vector whose every component is the scalar `value` (evaluated once). */
  | { readonly kind: 'splat'; readonly type: VectorType; readonly value: Expr }
  /** Component `index` (0 = x … 3 = w) of a vector; must be below its width. */
  | { readonly kind: 'component'; readonly value: Expr; readonly index: number }
  /** Dot product of two vectors of one type: a scalar of their component type (see docs/semantics.md). */
  | { readonly kind: 'dot'; readonly left: Expr; readonly right: Expr }
  | {
      readonly kind: 'atomic';
      readonly op: AtomicOp;
      readonly buffer: string;
      readonly index: Expr;
      /** The operand; for `compare-exchange` the replacement; absent for `load`. */
      readonly value?: Expr;
      /** Only for `compare-exchange`: the value the element must hold to be replaced. */
      readonly expected?: Expr;
    };

export type Stmt =
  /** Declares a mutable local, typed by its initial value. Shadowing is invalid. */
  | { readonly kind: 'let'; readonly name: string; readonly value: Expr }
  | { readonly kind: 'assign'; readonly name: string; readonly value: Expr }
  | { readonly kind: 'store'; readonly buffer: string; readonly index: Expr; readonly value: Expr }
  /** Writes a `vec{width}` into elements `width·index …` of a scalar buffer, per component like `load-vector` reads. */
  | { readonly kind: 'store-vector'; readonly buffer: string; readonly width: VectorWidth; readonly index: Expr; readonly value: Expr }
  | { readonly kind: 'if'; readonly cond: Expr; readonly then: readonly Stmt[]; readonly otherwise: readonly Stmt[] }
  /** Half-open `from ≤ var < to` over u32 or i32; bounds evaluated once; `var` is immutable. */
  | { readonly kind: 'loop'; readonly var: string; readonly from: Expr; readonly to: Expr; readonly body: readonly Stmt[] }
  /** Leaves the innermost loop. */
  | { readonly kind: 'break' }
  /** Ends this invocation. */
  | { readonly kind: 'return' }
  /** Workgroup barrier: every invocation of the workgroup must reach it (uniform control flow only). */
  | { readonly kind: 'barrier' }
  /** A new scope. */
  | { readonly kind: 'block'; readonly body: readonly Stmt[] }
  /** A named group of statements for readability and debugging; scope-transparent. */
  | { readonly kind: 'region'; readonly name: string; readonly body: readonly Stmt[] };

/**
 * What the type system knows of a program's buffers: name → element type and access.
 * Carried in a program's type only (never at run time), so a dispatch's result can be
 * typed per buffer; the loose default knows nothing and types every result by name.
 */
export type BufferSignature = { readonly [name: string]: { readonly type: ValueType; readonly access: IrAccess } };

/** A kernel in the IR. `S`: its buffers as the type system knows them. */
export interface IrProgram<S extends BufferSignature = BufferSignature> {
  readonly kind: 'ir';
  /** Optional human name, used in labels; not part of the digest. */
  readonly name?: string;
  readonly workgroupSize: readonly [number, number, number];
  readonly buffers: readonly IrBuffer[];
  readonly params: readonly IrParam[];
  readonly body: readonly Stmt[];
  /** Types only, never present: the buffers the type system knows (see {@link BufferSignature}). */
  readonly '~buffers'?: S;
}

/** Stated limits that validation enforces (an untyped caller cannot exhaust the worker). */
export const IR_LIMITS = {
  /** Deepest nesting of expressions and statements. */
  maxDepth: 64,
  /** Most nodes (expressions + statements) in one program. */
  maxNodes: 100_000,
  maxBuffers: 64,
  maxParams: 64,
  maxNameLength: 64,
  /** Most elements of one workgroup buffer (× 4 bytes must also fit maxComputeWorkgroupStorageSize). */
  maxWorkgroupCount: 16_384,
} as const;
