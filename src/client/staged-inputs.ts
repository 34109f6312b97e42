/**
 * Large inputs the caller keeps are sent to the worker in bands ahead of their dispatch
 * (protocol/staging.ts): each band is copied here into reused memory and moved, and the
 * worker writes it to the GPU while the next band is being copied. Sent whole instead
 * (input-copies.ts), the worker's upload could only start after the whole copy.
 *
 * What is staged: a typed array of at least {@link STAGE_FROM_BYTES} over an ordinary
 * `ArrayBuffer` for a plain `read` array of its own element type (a buffer with a WGSL
 * layout is packed in the worker, so it is not), and raw pixels (an `ImageData` arrives as
 * them) of that size, their rows padded to WebGPU's 256-byte copy alignment here, where
 * the copy is made anyway. This file is its own chunk, imported by the first dispatch that
 * has an input this large (remote-pipeline.ts): the main-thread entry stays without it.
 */
import type { BufferDeclaration } from '../protocol/elements.ts';
import type { WgslType } from '../protocol/wgsl-module.ts';
import { elementTypeOf } from '../protocol/elements.ts';
import {
  STAGE_BAND_BYTES,
  STAGE_FROM_BYTES,
  STAGE_MAX_PER_DISPATCH,
  STAGE_UP_TO_BYTES,
  STAGED_ROW_ALIGNMENT,
  type StagedBand,
  type StagedRef,
} from '../protocol/staging.ts';
import { isRawPixels } from './image-io.ts';
import type { CopyPool } from './input-copies.ts';
import type { DispatchInputs } from './runtime-types.ts';

/** Where bands go (the worker's `stage`, their bytes moved) and where their memory comes from. */
export interface StagingContext {
  readonly buffers: readonly BufferDeclaration[];
  readonly pool: CopyPool;
  readonly send: (band: StagedBand) => void;
}

type StageableView = Exclude<ArrayBufferView, DataView> & { readonly length: number; readonly BYTES_PER_ELEMENT: number };

/** Unique per worker: every runtime of this thread draws from it. */
let nextUploadId = 1;

/**
 * `batch` with every stageable input replaced by a {@link StagedRef}, its bands already sent.
 * The dispatch naming them must be posted right after, in the same task.
 * @returns the batch, and how many inputs were staged.
 */
export function withStagedInputs(batch: readonly DispatchInputs[], context: StagingContext): { batch: DispatchInputs[]; staged: number } {
  let staged = 0;
  const result = batch.map((inputs) => {
    if (typeof inputs !== 'object' || inputs === null) return inputs;
    let changed: Record<string, unknown> | undefined;
    for (const [name, value] of Object.entries(inputs)) {
      if (staged >= STAGE_MAX_PER_DISPATCH) break;
      const replacement = stagedValue(name, value, context);
      if (replacement === undefined) continue;
      (changed ??= { ...inputs })[name] = replacement;
      staged++;
    }
    return (changed ?? inputs) as DispatchInputs;
  });
  return { batch: result, staged };
}

function stagedValue(name: string, value: unknown, context: StagingContext): unknown {
  if (isRawPixels(value)) {
    const rows = pixelRows(value);
    return rows === undefined ? undefined : { ...value, data: stage(rows.data, rows.rowBytes, rows.height, context) };
  }
  const declaration = context.buffers.find((buffer) => buffer.name === name);
  if (declaration === undefined || !isStageable(value) || elementTypeOf(value) !== declaration.type || !takesBytesAsTheyAre(declaration, value.length)) return undefined;
  return stage(value, value.byteLength, 1, context);
}

/**
 * A `read` storage buffer whose bytes are the array's as they are: an IR buffer, or a WGSL
 * array of the array's scalar, or of vec2/vec4 of it (no padding between elements), given
 * whole vectors. Anything else is packed in the worker (binding-bytes.ts), so not staged.
 */
function takesBytesAsTheyAre(declaration: BufferDeclaration, length: number): boolean {
  // A reflected WGSL buffer's declaration carries its layout and space (lower/artifact.ts, BoundBuffer).
  const { layout, space } = declaration as BufferDeclaration & { readonly layout?: WgslType; readonly space?: string };
  if (declaration.access !== 'read' || space === 'uniform') return false;
  if (layout === undefined) return true;
  if (layout.kind !== 'array' || layout.count !== null) return false;
  const element = layout.element;
  if (element.kind === 'scalar') return element.scalar === declaration.type;
  return element.kind === 'vector' && element.components !== 3 && element.scalar === declaration.type && length % element.components === 0;
}

function isStageable(value: unknown): value is StageableView {
  return ArrayBuffer.isView(value) && !(value instanceof DataView) && value.buffer instanceof ArrayBuffer && value.byteLength >= STAGE_FROM_BYTES && value.byteLength <= STAGE_UP_TO_BYTES;
}

/** Pixels' data and rows, when they are large enough and their rows are whole bytes; else undefined (planning reports bad sizes). */
function pixelRows(pixels: { readonly data: ArrayBufferView; readonly width: number }): { data: StageableView; rowBytes: number; height: number } | undefined {
  const { data } = pixels;
  const height = (pixels as { height?: unknown }).height;
  if (!isStageable(data) || typeof height !== 'number' || !Number.isSafeInteger(height) || height < 1 || data.byteLength % height !== 0) return undefined;
  return { data, rowBytes: data.byteLength / height, height };
}

/**
 * Sends `data` as bands of whole rows (`rowBytes` each, `height` of them; an array is one
 * row), rows padded to {@link STAGED_ROW_ALIGNMENT} when there is more than one.
 */
function stage(data: StageableView, rowBytes: number, height: number, context: StagingContext): StagedRef {
  const id = nextUploadId++;
  const bytesPerRow = height === 1 ? rowBytes : Math.ceil(rowBytes / STAGED_ROW_ALIGNMENT) * STAGED_ROW_ALIGNMENT;
  const totalBytes = height === 1 ? roundUp4(rowBytes) : bytesPerRow * height;
  const source = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  for (const band of bands(bytesPerRow, height, totalBytes)) {
    const bytes = context.pool.take(band.bytes) ?? new ArrayBuffer(band.bytes);
    copyBand(source, new Uint8Array(bytes), band, rowBytes, bytesPerRow);
    context.send({ id, offset: band.offset, totalBytes, bytes });
  }
  const ref: StagedRef = { kind: 'vyre-staged', id, array: data.constructor.name, length: data.length, elementBytes: data.BYTES_PER_ELEMENT };
  return height === 1 ? ref : { ...ref, bytesPerRow };
}

/** One band: `rows` rows from `firstRow` (an array: byte ranges of one row), `bytes` long at `offset`. */
export interface Band {
  readonly offset: number;
  readonly bytes: number;
  readonly firstRow: number;
  readonly rows: number;
}

/**
 * The bands of an upload, in order, covering `totalBytes`: whole padded rows of at most
 * {@link STAGE_BAND_BYTES} (at least one row), or for an array (`height` 1) byte ranges.
 */
export function bands(bytesPerRow: number, height: number, totalBytes: number): Band[] {
  const result: Band[] = [];
  if (height === 1) {
    for (let offset = 0; offset < totalBytes; offset += STAGE_BAND_BYTES) result.push({ offset, bytes: Math.min(STAGE_BAND_BYTES, totalBytes - offset), firstRow: 0, rows: 1 });
    return result;
  }
  const rowsPerBand = Math.max(1, Math.floor(STAGE_BAND_BYTES / bytesPerRow));
  for (let firstRow = 0; firstRow < height; firstRow += rowsPerBand) {
    const rows = Math.min(rowsPerBand, height - firstRow);
    result.push({ offset: firstRow * bytesPerRow, bytes: rows * bytesPerRow, firstRow, rows });
  }
  return result;
}

/** Copies one band of `source` into `target`: a byte range as it is, or rows re-spaced `bytesPerRow` apart. */
function copyBand(source: Uint8Array, target: Uint8Array, band: Band, rowBytes: number, bytesPerRow: number): void {
  if (rowBytes === bytesPerRow) {
    target.set(source.subarray(band.offset, Math.min(source.byteLength, band.offset + band.bytes)));
    return;
  }
  for (let row = 0; row < band.rows; row++) {
    const from = (band.firstRow + row) * rowBytes;
    target.set(source.subarray(from, from + rowBytes), row * bytesPerRow);
  }
}

function roundUp4(bytes: number): number {
  return Math.ceil(bytes / 4) * 4;
}
