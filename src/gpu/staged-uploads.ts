/**
 * The worker's side of staged uploads (protocol/staging.ts): each band of a large input is
 * written to a pooled GPU buffer as soon as it arrives, while the main thread is still
 * copying the next one; the dispatch that names the upload then binds that buffer (an
 * array input) or copies it into its texture (pixels), and gives it back to the pool.
 */
import { VyreError } from '../errors.ts';
import type { ElementType } from '../protocol/elements.ts';
import type { ResidentBufferRef } from '../protocol/resident.ts';
import { isStagedRef, STAGE_MAX_PER_DISPATCH, type StagedBand } from '../protocol/staging.ts';
import type { BufferPool } from './buffer-pool.ts';
import type { GpuCounters } from './gpu-stats.ts';
import { storageUsage, type ResidentRegistry } from './resident-registry.ts';

interface StagedUpload {
  readonly buffer: GPUBuffer;
  readonly totalBytes: number;
  written: number;
  /** Named by a dispatch that has arrived: never dropped to make room. */
  claimed: boolean;
  /** A band that did not fit: the upload is unusable, and the dispatch naming it says so. */
  broken: boolean;
  /** The bands' memory, handed back to the client with the dispatch's reply. */
  readonly bands: ArrayBuffer[];
}

/**
 * Uploads no dispatch has named yet, at most. Our client posts the dispatch right after
 * the bands (and stages at most {@link STAGE_MAX_PER_DISPATCH} inputs per dispatch), so
 * more only pile up when a dispatch never came (its message failed to post): then the
 * oldest are dropped rather than held for the worker's lifetime.
 */
const MAX_UNCLAIMED_UPLOADS = 2 * STAGE_MAX_PER_DISPATCH;

export class StagedUploads {
  readonly #uploads = new Map<number, StagedUpload>();

  constructor(
    private readonly device: GPUDevice,
    private readonly pool: BufferPool,
    private readonly stats: GpuCounters,
  ) {}

  /** Writes `band` into its upload's buffer, taking one from the pool for a new upload. Malformed bands mark the upload broken. */
  write(band: unknown): void {
    if (!isBand(band)) return;
    let upload = this.#uploads.get(band.id);
    if (upload === undefined) {
      this.#dropUnclaimedBeyond(MAX_UNCLAIMED_UPLOADS - 1);
      const buffer = this.pool.acquire(band.totalBytes, storageUsage(), 'vyre-web', `staged input ${band.id}`);
      upload = { buffer, totalBytes: band.totalBytes, written: 0, claimed: false, broken: false, bands: [] };
      this.#uploads.set(band.id, upload);
      this.stats.stagedUploads++;
    }
    if (band.totalBytes !== upload.totalBytes || band.offset + band.bytes.byteLength > upload.totalBytes) {
      upload.broken = true;
      return;
    }
    this.device.queue.writeBuffer(upload.buffer, band.offset, band.bytes);
    upload.written += band.bytes.byteLength;
    upload.bands.push(band.bytes);
  }

  /**
   * The buffer holding upload `id`, every byte written.
   * @throws VyreError `internal` when it is unknown or incomplete: our client sends every band before the dispatch.
   */
  buffer(id: number): GPUBuffer {
    const upload = this.#uploads.get(id);
    if (upload === undefined || upload.broken || upload.written !== upload.totalBytes) {
      throw new VyreError(
        'internal',
        `Staged input ${id} ${upload === undefined ? 'never arrived' : `arrived incomplete (${upload.written} of ${upload.totalBytes} bytes)`}.`,
        'retry the dispatch (if the GPU device was lost meanwhile, the retry succeeds); otherwise this is a vyre-web bug, please report it.',
        { upload: id },
      );
    }
    return upload.buffer;
  }

  /** Ends the uploads `ids`: their buffers go back to the pool (after the submit that read them), their bands' memory is returned. */
  finish(ids: Iterable<number>): ArrayBuffer[] {
    const bands: ArrayBuffer[] = [];
    for (const id of ids) {
      const upload = this.#uploads.get(id);
      if (upload === undefined) continue;
      this.#uploads.delete(id);
      this.pool.release(upload.buffer);
      bands.push(...upload.bands);
    }
    return bands;
  }

  /** Marks the uploads `ids` as named by a dispatch that has arrived (call it before anything awaits). */
  claim(ids: readonly number[]): void {
    for (const id of ids) {
      const upload = this.#uploads.get(id);
      if (upload !== undefined) upload.claimed = true;
    }
  }

  #dropUnclaimedBeyond(count: number): void {
    // A Map iterates in insertion order: the first keys are the oldest uploads.
    const unclaimed = [...this.#uploads].filter(([, upload]) => !upload.claimed).map(([id]) => id);
    this.finish(unclaimed.slice(0, Math.max(0, unclaimed.length - count)));
  }
}

/** A band whose numbers WebGPU's `writeBuffer` takes: offsets and sizes multiples of 4. */
function isBand(value: unknown): value is StagedBand {
  if (typeof value !== 'object' || value === null) return false;
  const { id, offset, totalBytes, bytes } = value as Partial<StagedBand>;
  return (
    Number.isSafeInteger(id) &&
    Number.isSafeInteger(offset) &&
    Number.isSafeInteger(totalBytes) &&
    bytes instanceof ArrayBuffer &&
    (offset as number) >= 0 &&
    (offset as number) % 4 === 0 &&
    bytes.byteLength % 4 === 0 &&
    (totalBytes as number) > 0
  );
}

/** A batch whose staged array inputs are lent as resident buffers, and what to end after it ran. */
export interface LentBatch {
  readonly batch: unknown[];
  /** Every staged upload the batch names, arrays and pixels alike. */
  readonly ids: readonly number[];
  readonly lent: readonly ResidentBufferRef[];
}

/** The element type a staged array's constructor carries; only the three a buffer holds. */
const ELEMENT_TYPE_OF_ARRAY: Readonly<Record<string, ElementType>> = { Float32Array: 'f32', Uint32Array: 'u32', Int32Array: 'i32' };

/**
 * `batch` with each staged array input replaced by a resident buffer lent for this dispatch
 * (planning and binding need nothing new for it); staged pixels stay as they are, for the
 * image binder. `ids`: {@link stagedIdsOf} the batch. Call {@link endLoans} after the
 * dispatch, whatever its outcome.
 * @throws VyreError `invalid-input` for a staged array no buffer can hold, `internal` for a missing upload.
 */
export function lendStagedInputs(batch: readonly unknown[], ids: readonly number[], uploads: StagedUploads, residents: ResidentRegistry): LentBatch {
  const lent: ResidentBufferRef[] = [];
  try {
    const resolved = batch.map((inputs) => lendItem(inputs, uploads, residents, lent));
    return { batch: resolved, ids, lent };
  } catch (error) {
    // Every upload the batch names ends here, lent or not: none is left behind.
    endLoans({ batch: [], ids, lent }, uploads, residents);
    throw error;
  }
}

function lendItem(inputs: unknown, uploads: StagedUploads, residents: ResidentRegistry, lent: ResidentBufferRef[]): unknown {
  if (typeof inputs !== 'object' || inputs === null) return inputs;
  let changed: Record<string, unknown> | undefined;
  for (const [name, value] of Object.entries(inputs)) {
    if (!isStagedRef(value)) continue;
    const type = ELEMENT_TYPE_OF_ARRAY[value.array];
    if (type === undefined) throw new VyreError('invalid-input', `Buffer "${name}" got a staged ${value.array}.`, 'pass a Float32Array, Uint32Array or Int32Array.', { buffer: name });
    const ref = residents.adopt(uploads.buffer(value.id), type, value.length);
    lent.push(ref);
    (changed ??= { ...inputs })[name] = ref;
  }
  return changed ?? inputs;
}

/** The staged uploads a batch names, arrays and pixels alike. */
export function stagedIdsOf(batch: readonly unknown[]): number[] {
  return batch.flatMap(stagedIdsOfItem);
}

function stagedIdsOfItem(inputs: unknown): number[] {
  if (typeof inputs !== 'object' || inputs === null) return [];
  const ids: number[] = [];
  for (const value of Object.values(inputs)) {
    const pixels = typeof value === 'object' && value !== null ? (value as { data?: unknown }).data : undefined;
    if (isStagedRef(value)) ids.push(value.id);
    else if (isStagedRef(pixels)) ids.push(pixels.id);
  }
  return ids;
}

/** Ends what {@link lendStagedInputs} lent and the uploads it named; returns the bands' memory. */
export function endLoans(loans: LentBatch, uploads: StagedUploads, residents: ResidentRegistry): ArrayBuffer[] {
  for (const ref of loans.lent) residents.forget(ref);
  return uploads.finish(loans.ids);
}
