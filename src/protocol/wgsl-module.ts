/**
 * What reflection learns from a WGSL module, as plain data: its resources with their full
 * types and WGSL memory layout, its compute entry points, and its override constants.
 * It crosses the worker boundary inside a WGSL program and is what the dispatch path plans
 * with; the layout rules are WGSL's (https://www.w3.org/TR/WGSL/#memory-layouts).
 */

/** Scalar types a host-shareable buffer can hold. `bool` only appears in overrides. */
export type WgslScalar = 'f32' | 'f16' | 'i32' | 'u32' | 'bool';

/**
 * A type with its layout: `size` and `align` in bytes as WGSL defines them
 * (`AlignOf`, `SizeOf`); for a runtime-sized array, `size` is the stride of one element.
 */
export type WgslType =
  | { readonly kind: 'scalar'; readonly scalar: WgslScalar; readonly size: number; readonly align: number }
  | { readonly kind: 'vector'; readonly scalar: WgslScalar; readonly components: 2 | 3 | 4; readonly size: number; readonly align: number }
  | { readonly kind: 'matrix'; readonly scalar: 'f32' | 'f16'; readonly columns: 2 | 3 | 4; readonly rows: 2 | 3 | 4; readonly size: number; readonly align: number }
  | { readonly kind: 'atomic'; readonly scalar: 'u32' | 'i32'; readonly size: 4; readonly align: 4 }
  | {
      readonly kind: 'array';
      readonly element: WgslType;
      /** Element count; `null` for a runtime-sized array (only as a buffer or a struct's last member). */
      readonly count: number | null;
      /** Bytes from one element to the next (`roundUp(align, size)` of the element). */
      readonly stride: number;
      readonly size: number;
      readonly align: number;
    }
  | { readonly kind: 'struct'; readonly name: string; readonly members: readonly WgslMember[]; readonly size: number; readonly align: number };

/** A struct member and where it sits. */
export interface WgslMember {
  readonly name: string;
  readonly type: WgslType;
  /** Byte offset from the start of the struct. */
  readonly offset: number;
}

/** A buffer resource: `@group(g) @binding(b) var<uniform|storage[, access]> name: type;`. */
export interface WgslBufferResource {
  readonly kind: 'buffer';
  readonly name: string;
  readonly group: number;
  readonly binding: number;
  readonly space: 'uniform' | 'storage';
  /** `read` for uniforms and `var<storage>` / `var<storage, read>`; `read_write` otherwise. */
  readonly access: 'read' | 'read_write';
  readonly type: WgslType;
}

/** How a texture's coordinates are laid out, in WebGPU's words (`GPUTextureViewDimension`). */
export type TextureDimension = '1d' | '2d' | '2d-array' | '3d' | 'cube' | 'cube-array';

/**
 * A texture, storage texture or sampler resource (an "image" resource): what the bind
 * group layout needs, and what a dispatch must supply or read back for it.
 * - `texture`: `texture_2d<f32>` and kin, or `texture_depth_*`. `sampleType` is WebGPU's
 *   (`float` for `f32`, `sint`, `uint`, `depth`).
 * - `storage-texture`: `texture_storage_2d<rgba8unorm, write>` and kin; `access` in WebGPU's
 *   words (`write-only`, `read-only`, `read-write`).
 * - `sampler`: `sampler`, or `sampler_comparison` when `comparison`.
 */
export type WgslImageResource =
  | {
      readonly kind: 'texture';
      readonly name: string;
      readonly group: number;
      readonly binding: number;
      readonly dimension: TextureDimension;
      readonly sampleType: 'float' | 'sint' | 'uint' | 'depth';
      readonly multisampled: boolean;
    }
  | {
      readonly kind: 'storage-texture';
      readonly name: string;
      readonly group: number;
      readonly binding: number;
      readonly dimension: TextureDimension;
      /** The texel format, as written in the WGSL (`rgba8unorm`, `r32float` …). */
      readonly format: string;
      readonly access: 'write-only' | 'read-only' | 'read-write';
    }
  | { readonly kind: 'sampler'; readonly name: string; readonly group: number; readonly binding: number; readonly comparison: boolean };

/** A compute entry point: its workgroup size, per axis a number or the override that sets it. */
export interface WgslEntryPoint {
  readonly name: string;
  readonly workgroupSize: readonly [WorkgroupAxis, WorkgroupAxis, WorkgroupAxis];
  /** Names of the resources it uses, directly or through the functions it calls. */
  readonly resources: readonly string[];
}

/** One axis of `@workgroup_size`: a constant, or the override constant named. */
export type WorkgroupAxis = number | { readonly override: string };

/** An `override` declaration: its type, and whether it has a default. */
export interface WgslOverride {
  readonly name: string;
  readonly type: 'f32' | 'f16' | 'i32' | 'u32' | 'bool';
  /** `@id(n)` when given. */
  readonly id: number | null;
  /** True when it has no initializer: every compile must set it. */
  readonly required: boolean;
  /** The initializer's value when it is a literal; `null` for none, or for an expression. */
  readonly default: number | boolean | null;
}

/** Everything reflection learns from one module. */
export interface WgslModule {
  readonly resources: readonly WgslBufferResource[];
  /** Textures, storage textures and samplers, sorted by group, then binding. */
  readonly images: readonly WgslImageResource[];
  readonly entryPoints: readonly WgslEntryPoint[];
  readonly overrides: readonly WgslOverride[];
}
