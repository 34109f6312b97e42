/**
 * The main thread's handle on a compiled pipeline. Every dispatch goes through the
 * runtime's {@link WorkerLink}, so it rejects when the runtime is disposed or its worker dies.
 */
import { transfer } from 'comlink';
import { isRawPixels, uncloneable, withImageOutputs, withSendableImages } from './image-io.ts';
import { withMovableCopies, type CopyPool } from './input-copies.ts';
import { STAGE_FROM_BYTES, type BandMessage, type StagedBand } from '../protocol/staging.ts';
import type { ResidentTextureRef } from '../protocol/images.ts';
import type { CompileReport } from '../protocol/compile.ts';
import type { DispatchOptions, DispatchReply } from '../protocol/dispatch.ts';
import type { BufferDeclaration, WorkgroupSize } from '../protocol/elements.ts';
import type { BufferSignature } from '../protocol/ir.ts';
import type { ResidentBufferRef } from '../protocol/resident.ts';
import { fromWireOutputs, toWireInputs } from './resident-buffer.ts';
import type { BatchResult, CompiledPipeline, DispatchInputs, DispatchResult } from './runtime-types.ts';
import type { WorkerLink } from './worker-link.ts';

/** `S`: the program's buffers as the type system knows them (nothing at run time). */
export class RemotePipeline<S extends BufferSignature> implements CompiledPipeline<S> {
  readonly id: string;
  readonly entryPoint: string;
  readonly workgroupSize: WorkgroupSize;
  readonly buffers: readonly BufferDeclaration[];
  readonly #link: WorkerLink;
  readonly #destroy: (ref: ResidentBufferRef) => Promise<void>;
  readonly #copies: CopyPool;
  readonly #bands: boolean;
  readonly #destroyTexture = (ref: ResidentTextureRef): Promise<void> => this.#link.call((remote) => remote.destroyTexture(ref));
  /** Posts a band, its memory moved: a plain message, no reply (protocol/staging.ts). A lost band fails the dispatch naming it. */
  readonly #sendBand = (band: StagedBand): void => this.#link.post({ type: 'vyre-band', band } satisfies BandMessage, [band.bytes]);

  /** `transport`: the runtime's pool of copies' memory, and whether large inputs go in bands (`inputBands`). */
  constructor(report: CompileReport, link: WorkerLink, destroy: (ref: ResidentBufferRef) => Promise<void>, transport: { readonly copies: CopyPool; readonly bands: boolean }) {
    this.id = report.pipelineId;
    this.entryPoint = report.entryPoint;
    this.workgroupSize = report.workgroupSize;
    this.buffers = report.buffers;
    this.#link = link;
    this.#destroy = destroy;
    this.#copies = transport.copies;
    this.#bands = transport.bands;
  }

  async dispatch<const O extends DispatchOptions>(inputs: DispatchInputs, options?: O): Promise<DispatchResult<O, S>> {
    const reply = await this.#run([inputs], options);
    const outputs = await withImageOutputs(fromWireOutputs(reply.outputs[0] ?? {}, inputs, this.#destroy, this.#destroyTexture), options?.imageOutputs);
    // The one cast of this path: the value matches what the options ask for, which the
    // conditional result type expresses and TypeScript cannot follow through a branch.
    if (options?.timing !== true) return outputs as DispatchResult<O, S>;
    return { outputs, timing: { wallMs: reply.timing?.wallMs ?? 0, gpuMs: reply.timing?.gpuMs[0] ?? null } } as DispatchResult<O, S>;
  }

  async dispatchBatch<const O extends DispatchOptions>(batch: readonly DispatchInputs[], options?: O): Promise<BatchResult<O, S>> {
    const reply = await this.#run(batch, options);
    const outputs = await Promise.all(reply.outputs.map((item, index) => withImageOutputs(fromWireOutputs(item, batch[index], this.#destroy, this.#destroyTexture), options?.imageOutputs)));
    if (options?.timing !== true) return outputs as BatchResult<O, S>;
    return { outputs, timing: { wallMs: reply.timing?.wallMs ?? 0, gpuMs: reply.timing?.gpuMs ?? batch.map(() => null) } } as BatchResult<O, S>;
  }

  async #run(batch: readonly DispatchInputs[], options: DispatchOptions | undefined): Promise<DispatchReply> {
    const transferring = options?.transfer === true;
    const withImages = await Promise.all(batch.map(withSendableImages));
    // Without transfer, large arrays cross to a worker as copies made here and moved: the
    // largest in bands ahead of the dispatch (staged-inputs.ts), the rest whole
    // (input-copies.ts). In same-thread mode nothing crosses, so nothing is copied.
    const copying = !transferring && !this.#link.inProcess;
    // The banding code is its own chunk, loaded by the first dispatch with an input that large.
    const staging = copying && this.#bands && withImages.some(hasStageableSize) ? await import('./staged-inputs.ts') : undefined;
    // From here to the dispatch's post nothing awaits: the worker gets the bands, then the dispatch naming them.
    const staged = staging?.withStagedInputs(withImages, { buffers: this.buffers, pool: this.#copies, send: this.#sendBand }) ?? { batch: withImages, staged: 0 };
    const copies = copying ? withMovableCopies(staged.batch, this.#copies) : { batch: withImages, buffers: [] };
    const converted = copies.batch;
    const wire = converted.map(toWireInputs);
    // Transfer is opt-in for the caller's arrays and bitmaps (it detaches them); bitmaps made
    // here from canvases and images are ours, and always move without a copy, as do our copies.
    const ours = [...madeBitmaps(batch, withImages), ...copies.buffers];
    const moved = transferring ? [...inputTransferables(batch), ...ours] : ours;
    const payload = moved.length > 0 ? transfer(wire, moved) : wire;
    try {
      // Only our own copies are ever asked back: never the caller's arrays.
      const recycle = copies.buffers.length > 0 || staged.staged > 0;
      const reply = await this.#link.call((remote) => remote.dispatch(this.id, payload, options, recycle));
      if (reply.recycled !== undefined) this.#copies.give(reply.recycled);
      return reply;
    } catch (error) {
      throw uncloneable(error, wire) ?? error;
    }
  }
}

function inputTransferables(batch: readonly DispatchInputs[]): Transferable[] {
  const moved = new Set<Transferable>();
  for (const inputs of batch) {
    for (const value of Object.values(inputs)) {
      // Shared memory cannot be transferred, and needs no transfer: it crosses as it is.
      if (ArrayBuffer.isView(value)) {
        if (value.buffer instanceof ArrayBuffer) moved.add(value.buffer);
      } else if (typeof ImageBitmap !== 'undefined' && value instanceof ImageBitmap) moved.add(value);
      else if (isRawPixels(value) && value.data.buffer instanceof ArrayBuffer) moved.add(value.data.buffer);
    }
  }
  return [...moved];
}

/** The bitmaps `withSendableImages` made (a value that differs from the caller's). */
function madeBitmaps(batch: readonly DispatchInputs[], converted: readonly DispatchInputs[]): Transferable[] {
  const made: Transferable[] = [];
  converted.forEach((inputs, index) => {
    if (inputs === batch[index]) return;
    for (const [name, value] of Object.entries(inputs)) if (value !== batch[index]?.[name] && typeof ImageBitmap !== 'undefined' && value instanceof ImageBitmap) made.push(value);
  });
  return made;
}

/** Whether `inputs` holds an array, or pixels, of at least {@link STAGE_FROM_BYTES}: the size from which inputs may go in bands. */
function hasStageableSize(inputs: DispatchInputs): boolean {
  if (typeof inputs !== 'object' || inputs === null) return false;
  for (const value of Object.values(inputs)) {
    const data: unknown = isRawPixels(value) ? value.data : value;
    if (ArrayBuffer.isView(data) && data.byteLength >= STAGE_FROM_BYTES) return true;
  }
  return false;
}
