/**
 * Plain-JS references for the image corpus shaders (`shaders.ts`), modelling the GPU closely
 * enough that a float-path shader matches them to within one 8-bit step:
 *
 * - Reading an `rgba8unorm` texel gives `byte / 255` rounded to f32.
 * - Arithmetic the shader does in f32 is done here in the same order, each step rounded
 *   with `Math.fround`. (A GPU may still fuse a multiply-add or divide to 2.5 ULP; such
 *   differences stay far below one 8-bit step except exactly at a rounding boundary.)
 * - Storing to `rgba8unorm` gives `Math.round(clamp(v, 0, 1) · 255)`: nearest, ties up.
 *   WebGPU does not fix whether the float → unorm8 conversion rounds to nearest or
 *   truncates with a tie-break, so the same f32 value may land one step apart on two
 *   GPUs (0.5 → 127.5 is 128 here, 127 on a truncating GPU). Tests therefore compare
 *   float-path shaders with a tolerance of 1 (one 8-bit step) and the integer shaders
 *   (`rgba8uint`, `r32uint`: no conversion at all) exactly, with a tolerance of 0.
 */

/** An RGBA8 image: 4 bytes per pixel (r, g, b, a), rows top to bottom, no row padding. */
export interface RgbaImage {
  readonly data: Uint8ClampedArray | Uint8Array;
  readonly width: number;
  readonly height: number;
}

/** What a reference returns: an RGBA8 image in a clamped array, like canvas `ImageData`. */
export interface RgbaImageResult extends RgbaImage {
  readonly data: Uint8ClampedArray;
}

/** How two images differ, channel by channel. */
export interface ImageComparison {
  /** Largest absolute difference over every channel of every pixel. */
  readonly maxDifference: number;
  /** How many channel values differ by more than the tolerance. */
  readonly differing: number;
  /** The first few of those, as `x,y channel gpu vs ref`, e.g. `3,0 g 130 vs 128`. */
  readonly first: string[];
}

const CHANNELS = ['r', 'g', 'b', 'a'] as const;
/** How many differing channel values `compareImages` spells out. */
const SHOWN_DIFFERENCES = 8;
const F32_LUMA = [0.2126, 0.7152, 0.0722].map(Math.fround);
const F32_TO_Y = [0.299, 0.587, 0.114].map(Math.fround);
const F32_TO_CB = [-0.168736, -0.331264, 0.5].map(Math.fround);
const F32_TO_CR = [0.5, -0.418688, -0.081312].map(Math.fround);

/** Reading an `rgba8unorm` channel: the byte over 255, as an f32. */
function unormToFloat(byte: number): number {
  return Math.fround(byte / 255);
}

/** Storing to an `rgba8unorm` channel: clamp to [0, 1], scale, round to nearest (ties up). */
function floatToUnorm(value: number): number {
  return Math.round(Math.min(Math.max(value, 0), 1) * 255);
}

function clampIndex(i: number, size: number): number {
  return Math.min(Math.max(i, 0), size - 1);
}

/** One channel of the pixel at (x, y), clamped to the image like the shaders' clamp-to-edge. */
function byteAt(image: RgbaImage, x: number, y: number, channel: number): number {
  const index = (clampIndex(y, image.height) * image.width + clampIndex(x, image.width)) * 4 + channel;
  return image.data[index] ?? 0;
}

/** The f32 dot product, rounded after every multiply and add, left to right. */
function dotF32(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum = Math.fround(sum + Math.fround((a[i] ?? 0) * (b[i] ?? 0)));
  return sum;
}

/** The f32 RGB of the pixel at (x, y), clamped to the image. */
function rgbAt(image: RgbaImage, x: number, y: number): number[] {
  return [0, 1, 2].map((c) => unormToFloat(byteAt(image, x, y, c)));
}

/** A new image of the same size, each pixel's four bytes from `pixel(x, y)`. */
function mapPixels(image: RgbaImage, pixel: (x: number, y: number) => readonly number[]): RgbaImageResult {
  const data = new Uint8ClampedArray(image.width * image.height * 4);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) data.set(pixel(x, y), (y * image.width + x) * 4);
  }
  return { data, width: image.width, height: image.height };
}

function checkImage(image: RgbaImage): void {
  if (image.data.length !== image.width * image.height * 4) {
    throw new RangeError(
      `image data holds ${image.data.length} bytes, not ${image.width}×${image.height}×4. ` +
        'Fix: pass tightly packed RGBA8 rows (4 bytes per pixel, no padding).',
    );
  }
}

/**
 * What `BOX_BLUR` writes: each channel the f32 mean of the `(2·radius + 1)²` clamped
 * neighbours, summed row by row as the shader's loops do.
 *
 * @param image - The picture (`src`).
 * @param radius - The uniform's `radius`; a whole number ≥ 0.
 * @returns The blurred image (`dst`).
 * @throws RangeError when `radius` is negative or fractional, or the data is not width·height·4 bytes.
 */
export function boxBlurReference(image: RgbaImage, radius: number): RgbaImageResult {
  checkImage(image);
  if (!Number.isInteger(radius) || radius < 0) {
    throw new RangeError(`radius ${radius} is not a whole number ≥ 0. Fix: pass 0, 1, 2…`);
  }
  const count = Math.fround((2 * radius + 1) ** 2);
  return mapPixels(image, (x, y) =>
    [0, 1, 2, 3].map((c) => {
      let sum = 0;
      for (let dy = -radius; dy <= radius; dy++) {
        for (let dx = -radius; dx <= radius; dx++) sum = Math.fround(sum + unormToFloat(byteAt(image, x + dx, y + dy, c)));
      }
      return floatToUnorm(Math.fround(sum / count));
    }),
  );
}

/** The f32 BT.709 luminance at (x, y), clamped to the image. */
function luminanceAt(image: RgbaImage, x: number, y: number): number {
  return dotF32(rgbAt(image, x, y), F32_LUMA);
}

/** `(a + 2·b) + c` in f32, the shape of one side of a Sobel kernel. */
function sobelSide(a: number, b: number, c: number): number {
  return Math.fround(Math.fround(a + Math.fround(2 * b)) + c);
}

/** The f32 Sobel magnitude at (x, y), before scaling. */
function sobelMagnitude(image: RgbaImage, x: number, y: number): number {
  const at = (dx: number, dy: number): number => luminanceAt(image, x + dx, y + dy);
  const gx = Math.fround(sobelSide(at(1, -1), at(1, 0), at(1, 1)) - sobelSide(at(-1, -1), at(-1, 0), at(-1, 1)));
  const gy = Math.fround(sobelSide(at(-1, 1), at(0, 1), at(1, 1)) - sobelSide(at(-1, -1), at(0, -1), at(1, -1)));
  return Math.fround(Math.sqrt(Math.fround(Math.fround(gx * gx) + Math.fround(gy * gy))));
}

/**
 * What `SOBEL` writes: the Sobel gradient magnitude of BT.709 luminance, times `scale`,
 * clamped to 1, as opaque grey.
 *
 * @param image - The picture (`src`).
 * @param scale - The uniform's `scale` (rounded to f32 like the uniform).
 * @returns The edge image (`dst`): r = g = b = magnitude, a = 255.
 * @throws RangeError when the data is not width·height·4 bytes.
 */
export function sobelReference(image: RgbaImage, scale: number): RgbaImageResult {
  checkImage(image);
  const scaleF32 = Math.fround(scale);
  return mapPixels(image, (x, y) => {
    const m = floatToUnorm(Math.min(Math.fround(sobelMagnitude(image, x, y) * scaleF32), 1));
    return [m, m, m, 255];
  });
}

/**
 * What `RGB_TO_YCBCR` writes: BT.601 full-range Y, Cb, Cr (chroma offset by 0.5) in
 * r, g, b, and the source alpha.
 *
 * @param image - The picture (`src`).
 * @returns The converted image (`dst`).
 * @throws RangeError when the data is not width·height·4 bytes.
 */
export function rgbToYcbcrReference(image: RgbaImage): RgbaImageResult {
  checkImage(image);
  return mapPixels(image, (x, y) => {
    const rgb = rgbAt(image, x, y);
    const luma = dotF32(rgb, F32_TO_Y);
    const cb = Math.fround(0.5 + dotF32(rgb, F32_TO_CB));
    const cr = Math.fround(0.5 + dotF32(rgb, F32_TO_CR));
    return [luma, cb, cr, unormToFloat(byteAt(image, x, y, 3))].map(floatToUnorm);
  });
}

/**
 * What `INVERT_RGBA8UINT` writes: `255 - v` in r, g and b, alpha unchanged. Integer all the
 * way, so a GPU must match it exactly.
 *
 * @param image - The picture (`src`, `rgba8uint`).
 * @returns The inverted image (`dst`).
 * @throws RangeError when the data is not width·height·4 bytes.
 */
export function invertRgba8uintReference(image: RgbaImage): RgbaImageResult {
  checkImage(image);
  return mapPixels(image, (x, y) => [0, 1, 2, 3].map((c) => (c === 3 ? byteAt(image, x, y, c) : 255 - byteAt(image, x, y, c))));
}

/** An `r32uint` image: one unsigned 32-bit value per pixel, rows top to bottom, no row padding. */
export interface R32uintImage {
  readonly data: Uint32Array;
  readonly width: number;
  readonly height: number;
}

/** BT.601 luma weights in 8.8 fixed point, as `ACCUMULATE_LUMA` declares them. */
const FIXED_LUMA = [77, 150, 29] as const;

/**
 * What `ACCUMULATE_LUMA` leaves in its `read_write` sum: each pixel's starting sum plus the
 * frame's fixed-point luma `(77·r + 150·g + 29·b + 128) >> 8`, wrapping at 2³² like a `u32`.
 *
 * @param sum - The running sum before the dispatch (the `sum` input).
 * @param frame - The new frame (`frame`, `rgba8uint`; alpha is ignored).
 * @returns The running sum after the dispatch (`sum` read back).
 * @throws RangeError when the two differ in size or either's data does not fit its size.
 */
export function accumulateLumaReference(sum: R32uintImage, frame: RgbaImage): R32uintImage {
  checkImage(frame);
  if (sum.width !== frame.width || sum.height !== frame.height || sum.data.length !== sum.width * sum.height) {
    throw new RangeError(
      `the sum is ${sum.width}×${sum.height} (${sum.data.length} values), the frame ${frame.width}×${frame.height}. ` +
        'Fix: pass a sum of one value per pixel of the frame.',
    );
  }
  const data = new Uint32Array(sum.data.length);
  for (let i = 0; i < data.length; i++) {
    const weighted = FIXED_LUMA.reduce((total, weight, c) => total + weight * (frame.data[i * 4 + c] ?? 0), 0);
    data[i] = (sum.data[i] ?? 0) + ((weighted + 128) >> 8);
  }
  return { data, width: sum.width, height: sum.height };
}

/**
 * What `RESOLVE_MEAN` writes: the integer mean `(sum + ⌊frames / 2⌋) / frames` (in `u32`),
 * stored as unorm grey, opaque.
 *
 * @param sum - The running sum (`sum`, `r32uint`).
 * @param frames - The uniform's `frames`: a whole number ≥ 1.
 * @returns The mean picture (`dst`): r = g = b = mean, a = 255.
 * @throws RangeError when `frames` is not a whole number ≥ 1.
 */
export function resolveMeanReference(sum: R32uintImage, frames: number): RgbaImageResult {
  if (!Number.isInteger(frames) || frames < 1 || frames > 0xffff_ffff) {
    throw new RangeError(`frames ${frames} is not a whole number ≥ 1. Fix: pass how many frames the sum holds, e.g. 3.`);
  }
  const data = new Uint8ClampedArray(sum.width * sum.height * 4);
  for (let i = 0; i < sum.width * sum.height; i++) {
    const rounded = ((sum.data[i] ?? 0) + Math.floor(frames / 2)) >>> 0;
    const grey = floatToUnorm(Math.fround(Math.floor(rounded / frames) / 255));
    data.set([grey, grey, grey, 255], i * 4);
  }
  return { data, width: sum.width, height: sum.height };
}

/**
 * Compares a GPU result with a reference, channel by channel.
 *
 * @param gpu - The image read back from the GPU.
 * @param reference - The reference's image.
 * @param tolerance - The largest difference that still counts as equal: 1 for float-path
 *   shaders (see the module comment), 0 for the integer shader.
 * @returns The largest difference, how many channel values exceed `tolerance`, and the
 *   first few of them described.
 * @throws RangeError when the two images differ in size.
 */
export function compareImages(gpu: RgbaImage, reference: RgbaImage, tolerance: number): ImageComparison {
  if (gpu.width !== reference.width || gpu.height !== reference.height || gpu.data.length !== reference.data.length) {
    throw new RangeError(
      `the GPU image is ${gpu.width}×${gpu.height} (${gpu.data.length} bytes), the reference ` +
        `${reference.width}×${reference.height} (${reference.data.length} bytes). Fix: read back the whole texture without row padding.`,
    );
  }
  let maxDifference = 0;
  let differing = 0;
  const first: string[] = [];
  for (let i = 0; i < gpu.data.length; i++) {
    const got = gpu.data[i] ?? 0;
    const want = reference.data[i] ?? 0;
    const difference = Math.abs(got - want);
    maxDifference = Math.max(maxDifference, difference);
    if (difference <= tolerance) continue;
    differing++;
    if (first.length < SHOWN_DIFFERENCES) {
      const pixel = Math.floor(i / 4);
      first.push(`${pixel % gpu.width},${Math.floor(pixel / gpu.width)} ${CHANNELS[i % 4] ?? '?'} ${got} vs ${want}`);
    }
  }
  return { maxDifference, differing, first };
}
