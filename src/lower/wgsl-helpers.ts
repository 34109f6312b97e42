/**
 * WGSL helper functions that give the lowering the exact semantics of
 * `docs/semantics.md`, independent of how a driver treats edge cases.
 *
 * They are emitted only when used. Calling a user-declared function also keeps WGSL's
 * constant evaluator away from our operands: an expression like `2147483647i + 1i` is a
 * const-expression in WGSL and overflow there is a shader-creation error, while the same
 * addition at run time wraps, which is what the IR promises.
 */
import type { ValueType, VectorType, VectorWidth } from '../protocol/ir.ts';
import { componentWiseHelper, dotHelper, vectorHelperName, vectorWidth, type GeneratedHelper } from './wgsl-vector-helpers.ts';

/** The WGSL spelling of a value type: the IR spells scalars and vectors (`vec4<f32>`) as WGSL does. */
export function wgslType(type: ValueType): string {
  return type;
}

/** Fixed helpers, by name. */
const FIXED: Record<string, string> = {
  vyre_div_u32: `fn vyre_div_u32(a: u32, b: u32) -> u32 { if (b == 0u) { return a; } return a / b; }`,
  vyre_div_i32: `fn vyre_div_i32(a: i32, b: i32) -> i32 {
  if (b == 0i || (a == bitcast<i32>(0x80000000u) && b == -1i)) { return a; }
  return a / b;
}`,
  vyre_rem_u32: `fn vyre_rem_u32(a: u32, b: u32) -> u32 { if (b == 0u) { return 0u; } return a % b; }`,
  vyre_rem_i32: `fn vyre_rem_i32(a: i32, b: i32) -> i32 { if (b == 0i || b == -1i) { return 0i; } return a % b; }`,
  vyre_rem_f32: `fn vyre_rem_f32(a: f32, b: f32, one: f32) -> f32 { let q = trunc(a / b); return a - vyre_mul_f32(b, q, one); }`,
  // An f32 product rounded on its own. Drivers may fuse a product that feeds an addition into
  // one fused multiply-add (NVIDIA's Vulkan compiler does), rounding once where the semantics
  // round twice. The product's bits go through an XOR with a run-time zero (made from \`one\`,
  // from num_workgroups, which no compiler can know), which no float optimisation sees
  // through. Lowering v2/v3 multiplied by \`one\` instead; that kept a single product exact but
  // not a sum of two (\`a·b + c·d\` came out up to 39 ULP off on an H200: the compiler
  // factored or fused across the multiplications by one).
  vyre_mul_f32: `fn vyre_mul_f32(a: f32, b: f32, one: f32) -> f32 { return bitcast<f32>(bitcast<u32>(a * b) ^ (bitcast<u32>(one) ^ 0x3f800000u)); }`,
  // A factor of an exact product that may be a sum, through the same XOR: a compiler that
  // cannot see the sum cannot distribute the product over it (sum-free.ts).
  vyre_keep_f32: `fn vyre_keep_f32(x: f32, one: f32) -> f32 { return bitcast<f32>(bitcast<u32>(x) ^ (bitcast<u32>(one) ^ 0x3f800000u)); }`,
  vyre_rotl_u32: `fn vyre_rotl_u32(a: u32, b: u32) -> u32 { let s = b & 31u; if (s == 0u) { return a; } return (a << s) | (a >> (32u - s)); }`,
  vyre_rotr_u32: `fn vyre_rotr_u32(a: u32, b: u32) -> u32 { let s = b & 31u; if (s == 0u) { return a; } return (a >> s) | (a << (32u - s)); }`,
  vyre_rotl_i32: `fn vyre_rotl_i32(a: i32, b: u32) -> i32 { return bitcast<i32>(vyre_rotl_u32(bitcast<u32>(a), b)); }`,
  vyre_rotr_i32: `fn vyre_rotr_i32(a: i32, b: u32) -> i32 { return bitcast<i32>(vyre_rotr_u32(bitcast<u32>(a), b)); }`,
  // Upper half of the 64-bit product from four 16×16-bit partial products; `cross` cannot overflow.
  vyre_mulhi_u32: `fn vyre_mulhi_u32(a: u32, b: u32) -> u32 {
  let al = a & 0xffffu; let ah = a >> 16u; let bl = b & 0xffffu; let bh = b >> 16u;
  let ll = al * bl; let hl = ah * bl; let lh = al * bh; let hh = ah * bh;
  let cross = (ll >> 16u) + (hl & 0xffffu) + lh;
  return hh + (hl >> 16u) + (cross >> 16u);
}`,
  // Signed high word = unsigned high word − (a < 0 ? b : 0) − (b < 0 ? a : 0), modulo 2³².
  vyre_mulhi_i32: `fn vyre_mulhi_i32(a: i32, b: i32) -> i32 {
  let ua = bitcast<u32>(a); let ub = bitcast<u32>(b);
  var hi = vyre_mulhi_u32(ua, ub);
  if (a < 0i) { hi = hi - ub; }
  if (b < 0i) { hi = hi - ua; }
  return bitcast<i32>(hi);
}`,
  vyre_absdiff_u32: `fn vyre_absdiff_u32(a: u32, b: u32) -> u32 { return select(b - a, a - b, a > b); }`,
  vyre_absdiff_i32: `fn vyre_absdiff_i32(a: i32, b: i32) -> u32 {
  let ua = bitcast<u32>(a); let ub = bitcast<u32>(b);
  return select(ub - ua, ua - ub, a > b);
}`,
  vyre_f32_to_i32: `fn vyre_f32_to_i32(x: f32) -> i32 { if (x != x) { return 0i; } return i32(clamp(x, -2147483648.0, 2147483520.0)); }`,
  vyre_f32_to_u32: `fn vyre_f32_to_u32(x: f32) -> u32 { if (x != x) { return 0u; } return u32(clamp(x, 0.0, 4294967040.0)); }`,
  vyre_opaque_u32: `fn vyre_opaque_u32(x: u32) -> u32 { return x; }`,
  vyre_opaque_i32: `fn vyre_opaque_i32(x: i32) -> i32 { return x; }`,
  vyre_opaque_f32: `fn vyre_opaque_f32(x: f32) -> f32 { return x; }`,
  vyre_opaque_bool: `fn vyre_opaque_bool(x: bool) -> bool { return x; }`,
};

/** Helpers a helper calls, so that requesting one emits its dependencies too. */
const DEPENDENCIES: Record<string, readonly string[]> = {
  vyre_rem_f32: ['vyre_mul_f32'],
  vyre_rotl_i32: ['vyre_rotl_u32'],
  vyre_rotr_i32: ['vyre_rotr_u32'],
  vyre_mulhi_i32: ['vyre_mulhi_u32'],
};

/** Collects the helpers a module uses, then emits them once, in a stable order. */
export class HelperSet {
  private readonly used = new Set<string>();
  /** Vector helpers (component-wise forms of fixed ones, `dot`), by name. */
  private readonly vector = new Map<string, string>();
  /** Whether a vector helper takes the run-time 1.0 (fixed ones: `vyre_mul_f32` and its users). */
  private vectorTakesOne = false;
  private readonly custom = new Map<string, string>();

  /** Requests a fixed helper; returns its name for the call site. */
  use(name: string): string {
    if (!(name in FIXED)) throw new Error(`lowering: unknown helper ${name}`);
    this.used.add(name);
    for (const dependency of DEPENDENCIES[name] ?? []) this.used.add(dependency);
    return name;
  }

  /**
   * Requests the vector form of fixed helper `name` (a scalar helper such as
   * `vyre_div_i32`), which applies it to each component (the exact f32 product has a
   * vector form of its own); see wgsl-vector-helpers.ts.
   * @returns the vector helper's name for the call site (`vyre_div_vec4_i32`).
   */
  useVector(name: string, width: VectorWidth): string {
    const vectorName = vectorHelperName(name, width);
    if (this.vector.has(vectorName)) return vectorName;
    if (!(name in FIXED)) throw new Error(`lowering: unknown helper ${name}`);
    return this.addVector(componentWiseHelper(name, FIXED[name] ?? '', width));
  }

  /**
   * Requests the `dot` helper of two vectors of `type`, with every product rounded on its
   * own (the exact f32 product) when `exact`; see wgsl-vector-helpers.ts.
   * @returns its name; an exact one takes the run-time 1.0 as its third argument.
   */
  useDot(type: VectorType, exact: boolean): string {
    const product = exact ? this.useVector('vyre_mul_f32', vectorWidth(type)) : undefined;
    return this.addVector(dotHelper(type, product));
  }

  private addVector(helper: GeneratedHelper): string {
    for (const called of helper.calls) this.use(called);
    this.vector.set(helper.name, helper.code);
    this.vectorTakesOne ||= helper.takesOne;
    return helper.name;
  }

  /**
   * Whether the entry point must declare the run-time 1.0 that exact f32 products take
   * (`RUNTIME_ONE_F32`): some helper in use has a parameter `one`.
   */
  needsRuntimeOne(): boolean {
    return this.used.has('vyre_mul_f32') || this.used.has('vyre_keep_f32') || this.vectorTakesOne;
  }

  /** Whether the module uses the fixed helper `name` (directly or as a dependency). */
  has(name: string): boolean {
    return this.used.has(name);
  }

  /** Registers a generated helper (bounds-checked buffer access) under a unique name. */
  define(name: string, code: string): string {
    this.custom.set(name, code);
    return name;
  }

  /**
   * All helper code: fixed helpers (sorted), vector helpers (sorted), then the generated
   * buffer accessors (in order of definition). A module without vectors gets no vector helper.
   */
  emit(): string {
    const fixed = [...this.used].sort().map((name) => FIXED[name] ?? '');
    const vector = [...this.vector.keys()].sort().map((name) => this.vector.get(name) ?? '');
    return [...fixed, ...vector, ...this.custom.values()].join('\n');
  }
}
