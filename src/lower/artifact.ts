/**
 * The lowered artifact: everything needed to create a GPU pipeline and bind its
 * buffers, without looking at the Program again. This is also what the persistent
 * tier stores, so a later page load can skip lowering.
 */
import type { IrParam, OutputSizing } from '../protocol/ir.ts';
import type { BufferAccess, ElementType, WorkgroupSize } from '../protocol/elements.ts';
import type { WgslImageResource, WgslType } from '../protocol/wgsl-module.ts';

/** A buffer binding, as the dispatcher sees it. */
export interface BoundBuffer {
  readonly name: string;
  readonly binding: number;
  /** `uniform` IR buffers bind as `read`; `bool` elements travel as u32 words. */
  readonly access: BufferAccess;
  /**
   * The element type of a scalar array. For a buffer with a `layout`, the leaf scalar
   * when it is f32/u32/i32 (what a kept buffer holds), else `u32`.
   */
  readonly type: ElementType;
  /** How a runtime-allocated buffer is sized; absent means "at dispatch time". */
  readonly sizing?: OutputSizing;
  /** `@group(n)`; absent means 0 (every IR buffer). */
  readonly group?: number;
  /** `uniform` binds as a uniform buffer; absent means storage. */
  readonly space?: 'uniform' | 'storage';
  /**
   * The WGSL type with its layout, for the buffers of a reflected WGSL module: inputs are
   * packed by it and outputs read back by it. Absent for a plain scalar array.
   */
  readonly layout?: WgslType;
}

/**
 * How a buffer binds in its bind group layout: the one rule for the layouts the GPU build makes
 * (gpu/compile-pipeline.ts) and for telling whether two artifacts build the same pipeline
 * (pipeline/build-inputs.ts).
 */
export function bufferBindingType(buffer: Pick<BoundBuffer, 'space' | 'access'>): 'uniform' | 'read-only-storage' | 'storage' {
  if (buffer.space === 'uniform') return 'uniform';
  return buffer.access === 'read' ? 'read-only-storage' : 'storage';
}

/** Per-dispatch parameters: one uniform struct, one 4-byte field per parameter, in order. */
export interface ParamsLayout {
  readonly binding: number;
  readonly fields: readonly IrParam[];
  /** Byte size of the uniform buffer (a multiple of 16). */
  readonly byteSize: number;
}

export interface ShaderArtifact {
  readonly code: string;
  readonly entryPoint: string;
  /** The one resolved workgroup size: written into the WGSL and used for the grid. */
  readonly workgroupSize: WorkgroupSize;
  readonly buffers: readonly BoundBuffer[];
  readonly params: ParamsLayout | undefined;
  /**
   * True when the kernel indexes by `linear-index`-style dense indices, so the runtime may
   * fold a grid that exceeds `maxComputeWorkgroupsPerDimension` into y and z.
   */
  readonly foldableGrid: boolean;
  /** Values of the module's `override` constants, by name; absent when it sets none. */
  readonly constants?: Readonly<Record<string, number>>;
  /** Textures, storage textures and samplers the entry point uses (WGSL programs); absent: none. */
  readonly images?: readonly WgslImageResource[];
}
