/**
 * A box blur over an RGBA image held as `array<vec4f>` (one pixel per element), its size
 * and radius in a uniform `{ width, height, radius }`, edges clamped like a sampler's
 * clamp-to-edge — the image-processing kernel of every compute tutorial, without textures.
 */
import { defineShader, float32Output, randomInts, relative } from './support.ts';

export const BOX_BLUR_WGSL: string = /* wgsl */ `
struct Blur {
  width: u32,
  height: u32,
  radius: u32,
}

@group(0) @binding(0) var<uniform> blur: Blur;
@group(0) @binding(1) var<storage, read> src: array<vec4f>;
@group(0) @binding(2) var<storage, read_write> dst: array<vec4f>;

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  if (gid.x >= blur.width || gid.y >= blur.height) { return; }
  let r = i32(blur.radius);
  let maxX = i32(blur.width) - 1;
  let maxY = i32(blur.height) - 1;
  var acc = vec4f(0.0);
  for (var dy = -r; dy <= r; dy++) {
    for (var dx = -r; dx <= r; dx++) {
      let x = clamp(i32(gid.x) + dx, 0, maxX);
      let y = clamp(i32(gid.y) + dy, 0, maxY);
      acc += src[u32(y) * blur.width + u32(x)];
    }
  }
  let taps = f32((2 * r + 1) * (2 * r + 1));
  dst[gid.y * blur.width + gid.x] = acc / taps;
}
`;

/**
 * A 37 × 23 image (ragged against 8 × 8), radius 2. Channels are 8-bit levels k/256, so every
 * partial sum of a 25-tap window is exact in f32 and only the final division rounds.
 */
export function boxBlurInputs(): { width: number; height: number; radius: number; pixels: Float32Array } {
  const width = 37;
  const height = 23;
  return { width, height, radius: 2, pixels: Float32Array.from(randomInts(width * height * 4, 801, 0, 255), (k) => k / 256) };
}

/** The (2r+1)² box average per channel in f64, coordinates clamped to the image. */
export function boxBlurReference(width: number, height: number, radius: number, pixels: ArrayLike<number>): Float64Array {
  const out = new Float64Array(width * height * 4);
  const clamp = (v: number, hi: number) => Math.min(Math.max(v, 0), hi);
  const taps = (2 * radius + 1) ** 2;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 4; c++) {
        let sum = 0;
        for (let dy = -radius; dy <= radius; dy++) {
          for (let dx = -radius; dx <= radius; dx++) sum += pixels[(clamp(y + dy, height - 1) * width + clamp(x + dx, width - 1)) * 4 + c] ?? 0;
        }
        out[(y * width + x) * 4 + c] = sum / taps;
      }
    }
  }
  return out;
}

export const boxBlur = defineShader(
  'a box blur over array<vec4f> pixels with a uniform { width, height, radius }',
  ['array<vec4f> image', 'uniform size-and-radius struct', '2-D dispatch with a bounds guard', 'clamp-to-edge addressing in i32'],
  async (run) => {
    const { width, height, radius, pixels } = boxBlurInputs();
    const pipeline = await run.compile({ code: BOX_BLUR_WGSL });
    const out = await pipeline.dispatch(
      { blur: { width, height, radius }, src: pixels, dst: new Float32Array(pixels.length) },
      { grid: [Math.ceil(width / 8), Math.ceil(height / 8), 1] },
    );
    const dst = float32Output(out, 'dst');
    // The sums are exact (see boxBlurInputs); WGSL allows the division 2.5 ULP (≈ 3e-7 relative).
    run.close('dst', dst, boxBlurReference(width, height, radius, pixels), relative(1e-6));
    run.fingerprint(dst);
  },
);
