/**
 * The image corpus references (`test/browser/image-corpus/reference.ts`) against cases
 * worked out by hand, so a GPU test that compares with them compares with something known
 * to be right; and the test pictures they run on are deterministic and shaped as asked.
 */
import { describe, expect, it } from 'vitest';
import { testPicture } from '../browser/image-corpus/images.ts';
import {
  accumulateLumaReference,
  boxBlurReference,
  compareImages,
  invertRgba8uintReference,
  resolveMeanReference,
  rgbToYcbcrReference,
  sobelReference,
  type R32uintImage,
  type RgbaImage,
} from '../browser/image-corpus/reference.ts';

/** An image from its pixels, each `[r, g, b, a]`, row by row. */
function image(width: number, height: number, pixels: readonly (readonly number[])[]): RgbaImage {
  return { data: Uint8ClampedArray.from(pixels.flat()), width, height };
}

/** The pixels of an image as `[r, g, b, a]` arrays, row by row. */
function pixelsOf(picture: RgbaImage): number[][] {
  const pixels: number[][] = [];
  for (let i = 0; i < picture.data.length; i += 4) pixels.push(Array.from(picture.data.subarray(i, i + 4)));
  return pixels;
}

/** The red channel of every pixel, row by row. */
function redOf(picture: RgbaImage): number[] {
  return pixelsOf(picture).map((pixel) => pixel[0] ?? -1);
}

const P0 = [30, 90, 0, 255];
const P1 = [60, 0, 255, 255];
const P2 = [90, 30, 0, 0];

describe('boxBlurReference', () => {
  it('averages a 3×1 row with radius 1, repeating the edge pixels', () => {
    // Every tap row clamps to row 0, so each pixel is the mean of its three clamped columns:
    //   x=0: (P0 + P0 + P1) / 3 = (120, 180, 255, 765) / 3 = (40, 60, 85, 255)
    //   x=1: (P0 + P1 + P2) / 3 = (180, 120, 255, 510) / 3 = (60, 40, 85, 170)
    //   x=2: (P1 + P2 + P2) / 3 = (240,  60, 255, 255) / 3 = (80, 20, 85,  85)
    const blurred = boxBlurReference(image(3, 1, [P0, P1, P2]), 1);
    expect(pixelsOf(blurred)).toEqual([
      [40, 60, 85, 255],
      [60, 40, 85, 170],
      [80, 20, 85, 85],
    ]);
  });

  it('averages a 1×3 column the same way, repeating the top and bottom rows', () => {
    const blurred = boxBlurReference(image(1, 3, [P0, P1, P2]), 1);
    expect(pixelsOf(blurred)).toEqual([
      [40, 60, 85, 255],
      [60, 40, 85, 170],
      [80, 20, 85, 85],
    ]);
  });

  it('repeats an edge pixel as often as the radius reaches past it', () => {
    // Radius 2 on 3×1, five columns per tap row:
    //   x=0: {0,0,0,1,2} → (3·P0 + P1 + P2) / 5 = (240, 300, 255, 1020) / 5 = (48, 60, 51, 204)
    //   x=1: {0,0,1,2,2} → (2·P0 + P1 + 2·P2) / 5 = (300, 240, 255, 765) / 5 = (60, 48, 51, 153)
    //   x=2: {0,1,2,2,2} → (P0 + P1 + 3·P2) / 5 = (360, 180, 255, 510) / 5 = (72, 36, 51, 102)
    const blurred = boxBlurReference(image(3, 1, [P0, P1, P2]), 2);
    expect(pixelsOf(blurred)).toEqual([
      [48, 60, 51, 204],
      [60, 48, 51, 153],
      [72, 36, 51, 102],
    ]);
  });

  it('clamps x and y together at a corner', () => {
    // Red 0, 90 / 180, 255 in a 2×2. At (0,0) the taps are columns {0,0,1} × rows {0,0,1}:
    //   (4·0 + 2·90 + 2·180 + 255) / 9 = 795 / 9 = 88.33 → 88
    // At (1,1) columns {0,1,1} × rows {0,1,1}:
    //   (0 + 2·90 + 2·180 + 4·255) / 9 = 1560 / 9 = 173.33 → 173
    const corners = image(2, 2, [
      [0, 0, 0, 255],
      [90, 0, 0, 255],
      [180, 0, 0, 255],
      [255, 0, 0, 255],
    ]);
    const red = redOf(boxBlurReference(corners, 1));
    expect(red[0]).toBe(88);
    expect(red[3]).toBe(173);
  });

  it('leaves every byte unchanged with radius 0', () => {
    const picture = testPicture(37, 23, 7);
    expect(boxBlurReference(picture, 0).data).toEqual(picture.data);
  });

  it('refuses a negative or fractional radius', () => {
    const one = image(1, 1, [P0]);
    expect(() => boxBlurReference(one, -1)).toThrow(RangeError);
    expect(() => boxBlurReference(one, 1.5)).toThrow(RangeError);
  });
});

describe('sobelReference', () => {
  it('is 0 everywhere on a flat image, with alpha 255 whatever the input alpha', () => {
    const flat = image(5, 4, Array.from({ length: 20 }, () => [90, 140, 200, 30]));
    expect(pixelsOf(sobelReference(flat, 1))).toEqual(Array.from({ length: 20 }, () => [0, 0, 0, 255]));
  });

  // Columns 0–1 black, columns 2–3 grey 51 (luminance 51/255 = 0.2, the weights sum to 1).
  // x=0 sees columns {0,0,1}: all black → 0. x=3 sees {2,3,3}: all grey → 0.
  // x=1 sees {0,1,2} and x=2 sees {1,2,3}: black on the left, grey on the right, so
  //   gx = (0.2 + 2·0.2 + 0.2) − 0 = 0.8, gy = 0 (every row alike) → 0.8 · 255 = 204.
  const BLACK = [0, 0, 0, 255];
  const GREY = [51, 51, 51, 255];
  const stepRow = [BLACK, BLACK, GREY, GREY];

  it('finds a vertical step edge on both sides of the step', () => {
    const step = image(4, 3, [...stepRow, ...stepRow, ...stepRow]);
    expect(redOf(sobelReference(step, 1))).toEqual([0, 204, 204, 0, 0, 204, 204, 0, 0, 204, 204, 0]);
  });

  it('finds a horizontal step edge through gy', () => {
    // The same step turned on its side: rows 0–1 black, rows 2–3 grey, 3 wide.
    const step = image(3, 4, [BLACK, BLACK, BLACK, BLACK, BLACK, BLACK, GREY, GREY, GREY, GREY, GREY, GREY]);
    expect(redOf(sobelReference(step, 1))).toEqual([0, 0, 0, 204, 204, 204, 204, 204, 204, 0, 0, 0]);
  });

  it('scales the magnitude and saturates at 255', () => {
    const step = image(4, 1, stepRow);
    // 0.8 · 0.5 = 0.4 → 102; 0.8 · 2 = 1.6 → clamped to 1 → 255.
    expect(redOf(sobelReference(step, 0.5))).toEqual([0, 102, 102, 0]);
    expect(redOf(sobelReference(step, 2))).toEqual([0, 255, 255, 0]);
  });

  it('writes the magnitude as opaque grey', () => {
    expect(pixelsOf(sobelReference(image(4, 1, stepRow), 1))[1]).toEqual([204, 204, 204, 255]);
  });
});

describe('rgbToYcbcrReference', () => {
  // Chroma of any grey is exactly 0.5: 0.5 · 255 = 127.5, a tie, which the reference rounds
  // up to 128 (a truncating GPU would store 127, inside the tolerance of 1).
  it.each([
    ['white', [255, 255, 255, 255], [255, 128, 128, 255]],
    ['black', [0, 0, 0, 255], [0, 128, 128, 255]],
    // Y = 0.299 · 255 = 76.245 → 76; Cb = 0.5 − 0.168736 = 0.331264 → 84.47 → 84; Cr = 1 → 255.
    ['red', [255, 0, 0, 255], [76, 84, 255, 255]],
    // Y = 0.114 · 255 = 29.07 → 29; Cb = 1 → 255; Cr = 0.5 − 0.081312 = 0.418688 → 106.77 → 107.
    ['blue', [0, 0, 255, 255], [29, 255, 107, 255]],
  ])('converts %s', (_name, rgba, ycbcr) => {
    expect(pixelsOf(rgbToYcbcrReference(image(1, 1, [rgba])))).toEqual([ycbcr]);
  });

  it('passes alpha through', () => {
    const alphas = [0, 1, 77, 128, 254];
    const converted = rgbToYcbcrReference(image(5, 1, alphas.map((a) => [10, 20, 30, a])));
    expect(pixelsOf(converted).map((pixel) => pixel[3])).toEqual(alphas);
  });
});

describe('invertRgba8uintReference', () => {
  it('subtracts colour from 255 and keeps alpha', () => {
    const inverted = invertRgba8uintReference(image(2, 1, [[10, 200, 255, 77], [0, 0, 0, 0]]));
    expect(pixelsOf(inverted)).toEqual([
      [245, 55, 0, 77],
      [255, 255, 255, 0],
    ]);
  });

  it('is its own inverse', () => {
    const picture = testPicture(37, 23, 3);
    expect(invertRgba8uintReference(invertRgba8uintReference(picture)).data).toEqual(picture.data);
  });
});

/** An r32uint image from its values, row by row. */
function sums(width: number, height: number, values: readonly number[]): R32uintImage {
  return { data: Uint32Array.from(values), width, height };
}

describe('accumulateLumaReference', () => {
  // (77·r + 150·g + 29·b + 128) >> 8, worked out per pixel:
  //   white: (256·255 + 128) >> 8 = 65408 >> 8 = 255     black: 128 >> 8 = 0
  //   red:   (77·255 + 128) >> 8 = 19763 >> 8 = 77 (77.2) green: (150·255 + 128) >> 8 = 38378 >> 8 = 149 (149.9)
  //   blue:  (29·255 + 128) >> 8 = 7523 >> 8 = 29 (29.4)
  const frame = image(5, 1, [[255, 255, 255, 255], [0, 0, 0, 255], [255, 0, 0, 255], [0, 255, 0, 255], [0, 0, 255, 255]]);

  it('adds each pixel\'s fixed-point BT.601 luma to a zero sum', () => {
    expect(Array.from(accumulateLumaReference(sums(5, 1, [0, 0, 0, 0, 0]), frame).data)).toEqual([255, 0, 77, 149, 29]);
  });

  it('adds to the starting sum, pixel by pixel', () => {
    expect(Array.from(accumulateLumaReference(sums(5, 1, [1000, 7, 0, 1, 2]), frame).data)).toEqual([1255, 7, 77, 150, 31]);
  });

  it('ignores alpha', () => {
    const translucent = image(2, 1, [[255, 0, 0, 0], [255, 0, 0, 255]]);
    expect(Array.from(accumulateLumaReference(sums(2, 1, [0, 0]), translucent).data)).toEqual([77, 77]);
  });

  it('wraps at 2³² like a u32', () => {
    expect(Array.from(accumulateLumaReference(sums(1, 1, [0xffff_ffff]), image(1, 1, [[255, 255, 255, 255]])).data)).toEqual([254]);
  });

  it('refuses a sum of another size than the frame', () => {
    expect(() => accumulateLumaReference(sums(4, 1, [0, 0, 0, 0]), frame)).toThrow(RangeError);
  });
});

describe('resolveMeanReference', () => {
  it('divides by the frame count, rounding to nearest, as opaque grey', () => {
    // Four frames: (10 + 2) / 4 = 3 (2.5 rounds up), (9 + 2) / 4 = 2 (2.25 rounds down), 0 stays 0,
    // (1020 + 2) / 4 = 255 (255.5, the integer division floors).
    expect(pixelsOf(resolveMeanReference(sums(4, 1, [10, 9, 0, 1020]), 4))).toEqual([
      [3, 3, 3, 255],
      [2, 2, 2, 255],
      [0, 0, 0, 255],
      [255, 255, 255, 255],
    ]);
  });

  it('saturates at 255 when the sum holds more frames than it is told', () => {
    expect(pixelsOf(resolveMeanReference(sums(1, 1, [600]), 1))).toEqual([[255, 255, 255, 255]]);
  });

  it('is the mean luma of the accumulated frames', () => {
    const white = image(1, 1, [[255, 255, 255, 255]]);
    const red = image(1, 1, [[255, 0, 0, 255]]);
    // 255 + 77 + 77 = 409; (409 + 1) / 3 = 136 (136.3).
    const sum = [white, red, red].reduce((total, frame) => accumulateLumaReference(total, frame), sums(1, 1, [0]));
    expect(pixelsOf(resolveMeanReference(sum, 3))).toEqual([[136, 136, 136, 255]]);
  });

  it('refuses a frame count that is not a whole number ≥ 1', () => {
    expect(() => resolveMeanReference(sums(1, 1, [0]), 0)).toThrow(RangeError);
    expect(() => resolveMeanReference(sums(1, 1, [0]), 1.5)).toThrow(RangeError);
  });
});

describe('compareImages', () => {
  const reference = image(2, 1, [[11, 20, 30, 40], [50, 63, 70, 80]]);
  const gpu = image(2, 1, [[10, 20, 30, 40], [50, 60, 70, 80]]);

  it('reports the largest difference and counts only those above the tolerance', () => {
    expect(compareImages(gpu, reference, 1)).toEqual({ maxDifference: 3, differing: 1, first: ['1,0 g 60 vs 63'] });
  });

  it('counts every difference with tolerance 0', () => {
    expect(compareImages(gpu, reference, 0)).toEqual({ maxDifference: 3, differing: 2, first: ['0,0 r 10 vs 11', '1,0 g 60 vs 63'] });
  });

  it('reports nothing for equal images', () => {
    expect(compareImages(reference, reference, 0)).toEqual({ maxDifference: 0, differing: 0, first: [] });
  });

  it('describes only the first few of many differences but counts them all', () => {
    const zeros = image(5, 4, Array.from({ length: 20 }, () => [0, 0, 0, 0]));
    const ones = image(5, 4, Array.from({ length: 20 }, () => [1, 0, 0, 0]));
    const comparison = compareImages(ones, zeros, 0);
    expect(comparison.differing).toBe(20);
    expect(comparison.first.length).toBeLessThan(20);
    expect(comparison.first[0]).toBe('0,0 r 1 vs 0');
    expect(comparison.first[1]).toBe('1,0 r 1 vs 0');
  });

  it('refuses images of different sizes', () => {
    expect(() => compareImages(image(1, 2, [P0, P1]), image(2, 1, [P0, P1]), 1)).toThrow(RangeError);
  });
});

describe('testPicture', () => {
  it.each([
    [37, 23],
    [64, 48],
  ])('is %i×%i, 4 bytes a pixel', (width, height) => {
    const picture = testPicture(width, height, 1);
    expect([picture.width, picture.height, picture.data.length]).toEqual([width, height, width * height * 4]);
    expect(picture.data).toBeInstanceOf(Uint8ClampedArray);
  });

  it('gives the same bytes for the same seed', () => {
    expect(testPicture(37, 23, 42).data).toEqual(testPicture(37, 23, 42).data);
  });

  it('gives different bytes for a different seed, differing only by the noise (±6 a channel)', () => {
    const comparison = compareImages(testPicture(37, 23, 1), testPicture(37, 23, 2), 12);
    expect(comparison.maxDifference).toBeGreaterThan(0);
    expect(comparison.differing).toBe(0);
  });

  it('is opaque in its top-left and has varying translucent alpha in its bottom-right corner', () => {
    const picture = testPicture(64, 48, 1);
    const alphaAt = (x: number, y: number): number => picture.data[(y * 64 + x) * 4 + 3] ?? -1;
    const corner: number[] = [];
    for (let y = 40; y < 48; y++) for (let x = 56; x < 64; x++) corner.push(alphaAt(x, y));
    for (let y = 0; y < 16; y++) for (let x = 0; x < 16; x++) expect(alphaAt(x, y)).toBe(255);
    expect(corner.every((a) => a < 255)).toBe(true);
    expect(new Set(corner).size).toBeGreaterThan(4);
  });

  it('has hard edges that Sobel finds, beyond what gradients and noise give', () => {
    // In smooth parts neighbouring luminances differ by at most ~20 levels (the 23-row green
    // gradient ≈ 8 after its 0.7152 weight, noise ≤ 12), so Sobel stays under 4·√2·20 ≈ 115
    // there at scale 1; only a hard edge reaches 200.
    const edges = redOf(sobelReference(testPicture(37, 23, 1), 1));
    expect(edges.filter((m) => m >= 200).length).toBeGreaterThan(10);
  });
});
