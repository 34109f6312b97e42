/**
 * Images on the main thread's side of a dispatch. In: canvases, `<img>` elements, video
 * frames and offscreen canvases become an `ImageBitmap` first (`createImageBitmap` copies
 * their pixels once; the worker cannot read a DOM element), and an `ImageData` its raw
 * pixels. A bitmap crosses by structured clone, large pixels as a copy made here and moved
 * (input-copies.ts); with `transfer: true` the caller's bitmap or pixels move (both
 * detach). Out: a storage texture read back becomes `ImageData` (8-bit RGBA), an
 * `ImageBitmap`, or stays raw, as `imageOutputs` asks.
 */
import { VyreError } from '../errors.ts';
import { isWireImage, type WireImage } from '../protocol/images.ts';
import type { DispatchOptions } from '../protocol/dispatch.ts';

/** Image sources a worker cannot take as they are: each becomes an `ImageBitmap`. */
function needsBitmap(value: unknown): value is ImageBitmapSource {
  // Typed arrays and plain data first: a page's first look at HTMLCanvasElement, HTMLVideoElement
  // and VideoFrame makes Chrome build those interface objects (≈0.7 ms in all on the VM), which
  // the first dispatch of a page that sends no image would pay for nothing.
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return false;
  return (
    (typeof HTMLCanvasElement !== 'undefined' && value instanceof HTMLCanvasElement) ||
    (typeof HTMLImageElement !== 'undefined' && value instanceof HTMLImageElement) ||
    (typeof HTMLVideoElement !== 'undefined' && value instanceof HTMLVideoElement) ||
    (typeof OffscreenCanvas !== 'undefined' && value instanceof OffscreenCanvas) ||
    (typeof VideoFrame !== 'undefined' && value instanceof VideoFrame)
  );
}

/**
 * The inputs as they cross to the worker: every DOM image source replaced by an
 * `ImageBitmap`, every `ImageData` by its pixels `{ data, width, height }` (the same array,
 * no copy: the caller's pixels are copied, moved or cloned later, as the options say); the
 * same object when there is neither. A tainted (cross-origin) image makes
 * `createImageBitmap` throw a `SecurityError`, which becomes `invalid-input`.
 */
export async function withSendableImages<T extends Readonly<Record<string, unknown>>>(inputs: T): Promise<T> {
  const convert = (value: unknown): boolean => needsBitmap(value) || isImageData(value);
  if (typeof inputs !== 'object' || inputs === null || !Object.values(inputs).some(convert)) return inputs;
  const converted: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(inputs)) {
    // An ImageData cannot be transferred, but its pixels can: as raw pixels, they move without a copy.
    converted[name] = needsBitmap(value) ? await bitmapOf(name, value) : isImageData(value) ? { data: value.data, width: value.width, height: value.height } : value;
  }
  return converted as T;
}

/** Raw pixels `{ data, width, height[, format] }`, which is also what an `ImageData` crosses as. */
export function isRawPixels(value: unknown): value is { readonly data: ArrayBufferView; readonly width: number } {
  return typeof value === 'object' && value !== null && ArrayBuffer.isView((value as { data?: unknown }).data) && typeof (value as { width?: unknown }).width === 'number';
}

function isImageData(value: unknown): value is ImageData {
  return typeof ImageData !== 'undefined' && value instanceof ImageData;
}

async function bitmapOf(name: string, source: ImageBitmapSource): Promise<ImageBitmap> {
  try {
    // The pixels as stored, like getImageData: no premultiplied alpha, no colour-space conversion.
    return await createImageBitmap(source, { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
  } catch (error) {
    const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new VyreError(
      'invalid-input',
      `The image for "${name}" cannot be read (${reason}).`,
      'pass a loaded image, a canvas this thread still controls (not one handed to a worker with transferControlToOffscreen), or an open VideoFrame; a cross-origin image needs crossOrigin = "anonymous" and CORS headers.',
      { binding: name },
    );
  }
}

/** The value a storage texture comes back as, for `imageOutputs`. */
export async function fromWireImage(image: WireImage, mode: DispatchOptions['imageOutputs']): Promise<ImageData | ImageBitmap | Omit<WireImage, 'kind'>> {
  const raw = { data: image.data, width: image.width, height: image.height, format: image.format };
  if (mode === 'raw' || image.format !== 'rgba8unorm' || typeof ImageData === 'undefined') return raw;
  const pixels = new Uint8ClampedArray(image.data.buffer as ArrayBuffer, image.data.byteOffset, image.data.byteLength);
  const data = new ImageData(pixels, image.width, image.height);
  return mode === 'bitmap' ? createImageBitmap(data) : data;
}

/** `outputs` with every wire image converted; the same object when there is none. */
export async function withImageOutputs<T extends Record<string, unknown>>(outputs: T, mode: DispatchOptions['imageOutputs']): Promise<T> {
  if (!Object.values(outputs).some(isWireImage)) return outputs;
  const converted: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(outputs)) converted[name] = isWireImage(value) ? await fromWireImage(value, mode) : value;
  return converted as T;
}

/**
 * The `invalid-input` for inputs `postMessage` refused (`DataCloneError`): in practice an
 * `ImageBitmap` of a cross-origin image without CORS, which Chrome will not send to a
 * worker; `undefined` for any other error.
 */
export function uncloneable(error: unknown, batch: readonly Readonly<Record<string, unknown>>[]): VyreError | undefined {
  if (!(error instanceof Error) || error.name !== 'DataCloneError') return undefined;
  const bitmap = batch.flatMap((inputs) => Object.entries(inputs)).find(([, value]) => typeof ImageBitmap !== 'undefined' && value instanceof ImageBitmap);
  return new VyreError(
    'invalid-input',
    `The inputs cannot be sent to the worker (${error.name}: ${error.message}).`,
    'a cross-origin image needs crossOrigin = "anonymous" and CORS headers from its server; inputs must be typed arrays, plain values, ImageData or ImageBitmaps.',
    bitmap === undefined ? {} : { binding: bitmap[0] },
  );
}
