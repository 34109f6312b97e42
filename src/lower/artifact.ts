/**
 * The lowered artifact: everything needed to create a GPU pipeline and bind its
 * buffers, without looking at the Program again. This is also what the persistent
 * tier stores, so a later page load can skip lowering.
 */
import type { IrParam, OutputSizing } from '../protocol/ir.ts';
import type { BufferAccess, ElementType, WorkgroupSize } from '../protocol/elements.ts';

/** A storage buffer bound in group 0, as the dispatcher sees it. */
export interface BoundBuffer {
  readonly name: string;
  readonly binding: number;
  /** `uniform` IR buffers bind as `read`; `bool` elements travel as u32 words. */
  readonly access: BufferAccess;
  readonly type: ElementType;
  /** How a runtime-allocated buffer is sized; absent means "at dispatch time". */
  readonly sizing?: OutputSizing;
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
}
