/**
 * The programs `compile` takes. Both kinds are plain, frozen data that cross to the worker
 * by structured clone; the worker validates them again, since a caller may be untyped.
 */
import type { BufferDeclaration, WorkgroupSize } from './elements.ts';
import type { BufferSignature, IrProgram } from './ir.ts';

/** A kernel written in WGSL, resolved by `wgsl()` and ready to compile. */
export interface WgslProgram<S extends BufferSignature = BufferSignature> {
  readonly kind: 'wgsl';
  readonly code: string;
  /** The `@compute` function to run; `null`: the module's only one. */
  readonly entryPoint: string | null;
  /** A declared workgroup size (checked against the code); `null`: read from the code. */
  readonly workgroupSize: WorkgroupSize | null;
  /** Declared buffers (scalar arrays in group 0); empty when `reflected`. */
  readonly buffers: readonly BufferDeclaration[];
  /**
   * True when the buffers are reflected from the code in the worker, at compile: any WGSL
   * type, any group, packed by the WGSL layout rules. False when declared with `buffers`.
   */
  readonly reflected: boolean;
  /** Types only, never present: the buffers the type system knows (see {@link BufferSignature}). */
  readonly '~buffers'?: S;
}

/**
 * A program any runtime method accepts: WGSL source (`wgsl()`) or the IR (`program()`).
 * `S` is what the type system knows of its buffers; dispatch results are typed by it.
 */
export type Program<S extends BufferSignature = BufferSignature> = WgslProgram<S> | IrProgram<S>;

/** The buffer signature a program carries in its type; the loose one when it carries none. */
export type SignatureOf<P> = P extends { readonly '~buffers'?: infer S } ? (NonNullable<S> extends BufferSignature ? NonNullable<S> : BufferSignature) : BufferSignature;

/**
 * Code-generation switches of a compile; part of the cache key. Launch-time settings
 * (grid, output sizes, params) belong in dispatch options instead.
 */
export interface DispatchPolicy {
  /** Overrides the program's workgroup size (IR programs only). */
  readonly workgroupSize?: number | readonly number[];
  /**
   * Values of a WGSL module's `override` constants, by name (WGSL programs only): checked
   * against the declarations (type, range, required ones set); a workgroup size that
   * depends on an override follows it.
   */
  readonly constants?: Readonly<Record<string, number | boolean>>;
  /**
   * Float contraction (IR programs only; default `'exact'`). `'exact'`: every f32 product
   * is rounded on its own and never fused into a following add, so the GPU agrees with the
   * reference interpreter bit for bit. `'fast'`: the shader compiler may fuse `a·b + c` into
   * one rounding and use its cheaper forms; results then agree within the per-operation
   * tolerance of docs/semantics.md ("Float policy"). Part of the cache key and the manifest.
   */
  readonly floats?: FloatPolicy;
  /**
   * Set by `runtime.compileTuned`, not by hand: marks the pipeline as the variant the tuner
   * chose for a kernel family on this device (`family@shape/variant|variant|…`). It changes no
   * code; it is part of the cache key and the manifest so that the choice is stored with
   * the artifact and the next load finds it without timing the variants again.
   */
  readonly tuned?: string;
}

/** See {@link DispatchPolicy.floats}. */
export type FloatPolicy = 'exact' | 'fast';

/** Every {@link FloatPolicy}, for checks. */
export const FLOAT_POLICIES: readonly FloatPolicy[] = ['exact', 'fast'];
