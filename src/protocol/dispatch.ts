/**
 * What a dispatch sends and gets back across the worker boundary. The client's typed
 * facade (`client/runtime-types.ts`) maps these onto resident-buffer objects.
 */
import type { ElementArray, OutputArray } from './elements.ts';
import type { ImageSize, ResidentTextureRef, SamplerOptions, WireImage } from './images.ts';
import type { ResidentBufferRef } from './resident.ts';

/** Launch-time settings of one dispatch; none of them enters the pipeline identity. */
export interface DispatchOptions {
  /**
   * Element count per `output` / `read-write` buffer (default: the length of the first
   * input); `{ width, height }` per storage texture written (default: the first texture's size).
   */
  readonly outputs?: Readonly<Record<string, number | ImageSize>>;
  /** Sampler settings by binding name; default linear filtering, clamp-to-edge. */
  readonly samplers?: Readonly<Record<string, SamplerOptions>>;
  /**
   * How storage textures come back: `image-data` (default: `ImageData` for `rgba8unorm`,
   * raw `{ data, width, height, format }` otherwise), `raw` always, or `bitmap` (an
   * `ImageBitmap` for `rgba8unorm`).
   */
  readonly imageOutputs?: 'image-data' | 'raw' | 'bitmap';
  /** Workgroups per dimension; default: one invocation per output element. */
  readonly grid?: number | readonly number[];
  /**
   * How many invocations the default grid must cover (default: one per element of the
   * largest read-back buffer). The grid is folded when it exceeds the per-dimension limit.
   */
  readonly invocations?: number;
  /** Per-dispatch scalar parameters of an IR program, by name. */
  readonly params?: Readonly<Record<string, number>>;
  /**
   * Fold the default grid as if the device allowed at most this many workgroups per
   * dimension (never more than it does). For testing grid folding at small sizes.
   */
  readonly foldAt?: number;
  /**
   * Read-back buffers to keep on the GPU: they come back as resident-buffer handles instead
   * of arrays, so the next dispatch can take them as inputs without a round trip.
   */
  readonly keep?: readonly string[];
  /** Measure GPU time with timestamp queries, where the adapter has them. */
  readonly timing?: boolean;
  /**
   * Transfer (detach) the input arrays to the worker instead of copying them. Arrays over a
   * `SharedArrayBuffer` are never copied or detached: the worker reads the shared memory as
   * it is when the dispatch runs (the fastest way to send large inputs, in cross-origin
   * isolated pages).
   */
  readonly transfer?: boolean;
}

/**
 * The options that shape a launch (sizes, grid, params) without changing what a dispatch
 * returns; what the kernel library's option helpers produce. Spread one into a
 * {@link DispatchOptions} to add `keep` or `timing`.
 */
export type LaunchOptions = Pick<DispatchOptions, 'outputs' | 'grid' | 'invocations' | 'params' | 'foldAt'>;

/**
 * A plain value for a uniform or a storage binding that is a single struct, vector or
 * scalar (WGSL programs): numbers, arrays for vectors and fixed arrays, objects of fields
 * for structs, packed in the worker by the WGSL layout rules.
 */
export type FieldValue = number | ArrayLike<number> | readonly FieldValue[] | { readonly [field: string]: FieldValue };

/** One dispatch's inputs as they cross: typed arrays or bytes, references to resident buffers, field values. */
export type WireInputs = Readonly<Record<string, ElementArray | ArrayBuffer | ArrayBufferView | ResidentBufferRef | FieldValue>>;

/** Outputs of a dispatch, read back: every `output` and `read-write` buffer by name. */
export type DispatchOutputs = Record<string, OutputArray>;

/** One dispatch's results as they cross: arrays read back, and references to outputs kept on the GPU. */
export type WireOutputs = Record<string, OutputArray | ResidentBufferRef | WireImage | ResidentTextureRef>;

/** Wall time of a whole batch in the worker, and GPU time per item (`null` without timestamp queries). */
export interface WireTiming {
  readonly wallMs: number;
  readonly gpuMs: readonly (number | null)[];
}

/**
 * Inputs of at least this many bytes cross as a copy the client makes and moves (below it a
 * structured clone is as cheap), and with `recycle` the worker moves them back.
 */
export const COPY_FROM_BYTES = 64 * 1024;

/**
 * What a batch returns: outputs per item, and timing only when asked for. Lean on purpose:
 * a 1,000-item batch crosses the worker boundary as 1,000 small objects, not 3,000.
 */
export interface DispatchReply {
  readonly outputs: WireOutputs[];
  readonly timing?: WireTiming;
  /**
   * With `recycle` asked for: the large input buffers the client copied and moved here,
   * moved back once uploaded, so its next copy reuses their memory instead of allocating.
   */
  readonly recycled?: ArrayBuffer[];
}
