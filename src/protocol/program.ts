/**
 * The programs `compile` takes. Both kinds are plain, frozen data that cross to the worker
 * by structured clone; the worker validates them again, since a caller may be untyped.
 */
import type { BufferDeclaration, WorkgroupSize } from './elements.ts';
import type { IrProgram } from './ir.ts';

/** A kernel written in WGSL, resolved by `wgsl()` and ready to compile. */
export interface WgslProgram {
  readonly kind: 'wgsl';
  readonly code: string;
  readonly entryPoint: string;
  readonly workgroupSize: WorkgroupSize;
  readonly buffers: readonly BufferDeclaration[];
}

/** A program any runtime method accepts: WGSL source (`wgsl()`) or the IR (`program()`). */
export type Program = WgslProgram | IrProgram;

/**
 * Code-generation switches of a compile; part of the cache key. Launch-time settings
 * (grid, output sizes, params) belong in dispatch options instead.
 */
export interface DispatchPolicy {
  /** Overrides the program's workgroup size (IR programs only). */
  readonly workgroupSize?: number | readonly number[];
}
