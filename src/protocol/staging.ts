/**
 * Large inputs sent in bands ahead of their dispatch ("staged"), so that the worker's upload
 * of one band overlaps the main thread's copy of the next.
 *
 * Why: an input the caller keeps (no `transfer`, no shared memory) must be copied on the
 * main thread, and the worker then writes it to the GPU: two copies of the whole input, one
 * after the other, where raw WebGPU on the main thread makes one. Sent as bands, the copy
 * and the upload run side by side and only the last band's upload is added
 * (docs/benchmarks.md, "Images" and "The kernels suite").
 *
 * The exchange, in message order on the one worker port:
 *   { type: 'vyre-band', band }    one per band, posted on the worker itself (not a Comlink
 *                                  call: no reply, and the same port keeps it ahead of the
 *                                  dispatch); the worker writes each band into a GPU buffer
 *                                  of `band.totalBytes` as it arrives
 *   dispatch(…, { name: StagedRef })  a Comlink call; the input names the upload by `id`
 * The dispatch consumes every upload it names, whether it succeeds or fails; the bands'
 * `ArrayBuffer`s come back with its reply (`recycled`) for the next copy.
 */

/** Inputs of at least this many bytes are staged (a single band below it gains nothing). */
export const STAGE_FROM_BYTES = 2 * 1024 * 1024;

/**
 * Bytes per band. Smaller bands hide more of the upload (only the last is not overlapped)
 * but cost a message each: 1 MiB is eight messages for a 1080p RGBA image.
 */
export const STAGE_BAND_BYTES = 1024 * 1024;

/** At most this many inputs of one dispatch (or batch) are staged; the rest are copied and moved whole. */
export const STAGE_MAX_PER_DISPATCH = 32;

/** Inputs over this many bytes are copied and moved whole: a pooled buffer of their size class could exceed the device's `maxBufferSize`. */
export const STAGE_UP_TO_BYTES = 64 * 1024 * 1024;

/** WebGPU's row alignment for buffer-to-texture copies: staged pixel rows are padded to it. */
export const STAGED_ROW_ALIGNMENT = 256;

/** One band of a staged upload, its bytes transferred. */
export interface StagedBand {
  /** Names the upload; unique per runtime. */
  readonly id: number;
  /** Where the band goes in the upload, in bytes. */
  readonly offset: number;
  /** The whole upload's size in bytes (the same in every band). */
  readonly totalBytes: number;
  readonly bytes: ArrayBuffer;
}

/** The message that carries a band; Comlink passes over it (it has no Comlink `type`). */
export interface BandMessage {
  readonly type: 'vyre-band';
  readonly band: StagedBand;
}

/** True for a {@link BandMessage} (its band is checked where it is used). */
export function isBandMessage(value: unknown): value is BandMessage {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'vyre-band';
}

/**
 * Stands for a staged input in a dispatch's inputs: a typed array given to a buffer, or the
 * `data` of raw pixels given to a texture (then its rows are `bytesPerRow` apart, padded).
 */
export interface StagedRef {
  readonly kind: 'vyre-staged';
  readonly id: number;
  /** The caller's typed array's constructor name: what planning checks, as it checks the array. */
  readonly array: string;
  /** Elements of the caller's array. */
  readonly length: number;
  /** Bytes per element of the caller's array. */
  readonly elementBytes: number;
  /** For pixels: bytes from one row's start to the next in the upload (a multiple of {@link STAGED_ROW_ALIGNMENT}). */
  readonly bytesPerRow?: number;
}

/** True for a {@link StagedRef}. */
export function isStagedRef(value: unknown): value is StagedRef {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'vyre-staged';
}
