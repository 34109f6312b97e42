/**
 * Deterministic test pictures for the image corpus: the same seed gives the same bytes on
 * every machine (a small integer PRNG, never `Math.random`), so a failure can be replayed.
 * Each picture mixes what image shaders are sensitive to: smooth gradients (blur should
 * barely change them), hard edges (Sobel must find them), seeded noise (so no two
 * neighbours are accidentally equal) and a region of varying alpha (alpha is carried, not
 * assumed opaque).
 */
import { Random } from '../../fuzz/random.ts';
import type { RgbaImageResult } from './reference.ts';

/** How far the noise moves each colour channel, in 8-bit steps, either way. */
const NOISE_AMPLITUDE = 6;
/** The colour of the solid rectangle: a hard edge against the gradient on every side. */
const RECTANGLE_RGB = [240, 40, 40] as const;


/** The noiseless colour at (x, y): gradients, a solid rectangle and a dark vertical bar. */
function baseColour(x: number, y: number, width: number, height: number): readonly [number, number, number] {
  const inRectangle = x >= width / 4 && x < width / 2 && y >= height / 4 && y < (3 * height) / 4;
  if (inRectangle) return RECTANGLE_RGB;
  const barStart = Math.floor((3 * width) / 4);
  if (x >= barStart && x < barStart + 2) return [10, 10, 10];
  // Ratios guard width or height 1, where there is no span to spread a gradient over.
  const u = x / Math.max(1, width - 1);
  const v = y / Math.max(1, height - 1);
  return [255 * u, 255 * v, 128 + 100 * (u - v) / 2];
}

/** Alpha at (x, y): opaque, except a bottom-right region where it ramps and ripples. */
function alphaAt(x: number, y: number, width: number, height: number): number {
  const left = Math.floor((2 * width) / 3);
  const top = Math.floor((2 * height) / 3);
  if (x < left || y < top) return 255;
  return 40 + ((x - left) * 23 + (y - top) * 41) % 200;
}

/**
 * A deterministic RGBA8 test picture.
 *
 * @param width - Width in pixels (≥ 1); tests use sizes that are not multiples of 8, like 37.
 * @param height - Height in pixels (≥ 1), like 23 or 48.
 * @param seed - The noise seed; equal seeds give equal bytes, different seeds different noise.
 * @returns The picture, tightly packed, alpha 255 outside its bottom-right third.
 * @throws RangeError when a size is not a whole number ≥ 1.
 * @example
 * const picture = testPicture(37, 23, 1);
 * const expected = boxBlurReference(picture, 2);
 */
export function testPicture(width: number, height: number, seed: number): RgbaImageResult {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`test picture size ${width}×${height} is not whole and ≥ 1. Fix: pass e.g. 37, 23.`);
  }
  const generator = new Random(seed);
  const random = (): number => generator.nextU32() / 0x1_0000_0000;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const offset = (y * width + x) * 4;
      const colour = baseColour(x, y, width, height);
      // A Uint8ClampedArray rounds and clamps on assignment, so noise near 0 or 255 saturates.
      for (let c = 0; c < 3; c++) data[offset + c] = (colour[c] ?? 0) + Math.round((random() * 2 - 1) * NOISE_AMPLITUDE);
      data[offset + 3] = alphaAt(x, y, width, height);
    }
  }
  return { data, width, height };
}
