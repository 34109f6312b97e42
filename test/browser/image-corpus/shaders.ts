/**
 * Image-processing compute shaders written the way real projects write them: textures and
 * samplers instead of storage arrays, a storage texture for the output, a padded uniform
 * struct for parameters, and (for the blur and Sobel) two bind groups — read-only inputs in
 * group 0, the output and per-pass parameters in group 1. They are the corpus for the
 * library's texture support; `reference.ts` holds what each one must compute.
 *
 * Every shader runs one invocation per output pixel with `@workgroup_size(8, 8)`, so a test
 * dispatches `ceil(width / 8) × ceil(height / 8)` workgroups; each invocation returns early
 * outside `textureDimensions(dst)`, because the test sizes (37 × 23, 64 × 48…) are not
 * always multiples of 8. Inputs are `rgba8unorm` (not `-srgb`: an sRGB view would decode to
 * linear values on read and the references would no longer match) except for the integer
 * shaders: the inversion and the luma accumulator read `rgba8uint`, and the accumulator's
 * running sum (a `read_write` storage texture, the one input that is also read back) and the
 * resolve's input are `r32uint`.
 */

/**
 * Single-pass box blur, averaging the `(2·radius + 1)²` neighbourhood of every pixel with
 * clamp-to-edge.
 *
 * Bindings:
 * - group 0, binding 0: `samp` (sampler; any filter and address mode will do, since every
 *   tap lands on a texel centre inside the image).
 * - group 0, binding 1: `src` (texture_2d<f32>, the picture, `rgba8unorm`).
 * - group 1, binding 0: `dst` (texture_storage_2d<rgba8unorm, write>, same size as `src`).
 * - group 1, binding 1: `params` (uniform `BlurParams`, 16 bytes: `radius: i32` at offset 0,
 *   then three `i32` pads at offsets 4, 8, 12). `radius` must be ≥ 0.
 *
 * The edge clamp happens in integer pixel space and each tap samples the exact centre of
 * the clamped texel, so a linear filter returns that texel unchanged: the sampler is the
 * idiom, not a source of blending.
 */
export const BOX_BLUR: string = /* wgsl */ `
struct BlurParams {
  radius: i32,
  // Padding to 16 bytes, the size most uniform structs are rounded to by hand.
  _pad0: i32,
  _pad1: i32,
  _pad2: i32,
}

@group(0) @binding(0) var samp: sampler;
@group(0) @binding(1) var src: texture_2d<f32>;
@group(1) @binding(0) var dst: texture_storage_2d<rgba8unorm, write>;
@group(1) @binding(1) var<uniform> params: BlurParams;

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let outSize = textureDimensions(dst);
  if (gid.x >= outSize.x || gid.y >= outSize.y) { return; }

  let size = textureDimensions(src);
  let lastPixel = vec2i(size) - 1;
  let r = params.radius;
  var sum = vec4f(0.0);
  for (var dy = -r; dy <= r; dy++) {
    for (var dx = -r; dx <= r; dx++) {
      // Clamp in pixels, then sample the texel centre: clamp-to-edge without filtering.
      let pixel = clamp(vec2i(gid.xy) + vec2i(dx, dy), vec2i(0), lastPixel);
      let uv = (vec2f(pixel) + 0.5) / vec2f(size);
      sum += textureSampleLevel(src, samp, uv, 0.0);
    }
  }
  let count = f32((2 * r + 1) * (2 * r + 1));
  textureStore(dst, gid.xy, sum / count);
}
`;

/**
 * Sobel edge magnitude on BT.709 luminance, scaled and clamped to 1, written as grey.
 *
 * Bindings (no sampler: the shader reads with integer `textureLoad`, so it declares none):
 * - group 0, binding 0: `src` (texture_2d<f32>, the picture, `rgba8unorm`).
 * - group 1, binding 0: `dst` (texture_storage_2d<rgba8unorm, write>, same size as `src`;
 *   every pixel is `(m, m, m, 1)`).
 * - group 1, binding 1: `params` (uniform `SobelParams`, 16 bytes: `scale: f32` at offset 0,
 *   then three `f32` pads at offsets 4, 8, 12).
 *
 * Neighbours outside the image repeat the edge pixel (clamp-to-edge).
 */
export const SOBEL: string = /* wgsl */ `
struct SobelParams {
  scale: f32,
  _pad0: f32,
  _pad1: f32,
  _pad2: f32,
}

@group(0) @binding(0) var src: texture_2d<f32>;
@group(1) @binding(0) var dst: texture_storage_2d<rgba8unorm, write>;
@group(1) @binding(1) var<uniform> params: SobelParams;

// BT.709 luma weights, applied to the stored (gamma-encoded) values like most edge detectors.
const LUMA = vec3f(0.2126, 0.7152, 0.0722);

fn luminanceAt(p: vec2i, dims: vec2i) -> f32 {
  return dot(textureLoad(src, clamp(p, vec2i(0), dims - 1), 0).rgb, LUMA);
}

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  if (any(gid.xy >= textureDimensions(dst))) { return; }

  let dims = vec2i(textureDimensions(src));
  let p = vec2i(gid.xy);
  let tl = luminanceAt(p + vec2i(-1, -1), dims);
  let t  = luminanceAt(p + vec2i( 0, -1), dims);
  let tr = luminanceAt(p + vec2i( 1, -1), dims);
  let l  = luminanceAt(p + vec2i(-1,  0), dims);
  let r  = luminanceAt(p + vec2i( 1,  0), dims);
  let bl = luminanceAt(p + vec2i(-1,  1), dims);
  let b  = luminanceAt(p + vec2i( 0,  1), dims);
  let br = luminanceAt(p + vec2i( 1,  1), dims);

  let gx = (tr + 2.0 * r + br) - (tl + 2.0 * l + bl);
  let gy = (bl + 2.0 * b + br) - (tl + 2.0 * t + tr);
  let m = min(sqrt(gx * gx + gy * gy) * params.scale, 1.0);
  textureStore(dst, gid.xy, vec4f(m, m, m, 1.0));
}
`;

/**
 * RGB → YCbCr, BT.601 full range (the JPEG convention): Y, Cb, Cr in the red, green and
 * blue channels, alpha passed through.
 *
 * Bindings (one group, no uniform):
 * - group 0, binding 0: `src` (texture_2d<f32>, the picture, `rgba8unorm`).
 * - group 0, binding 1: `dst` (texture_storage_2d<rgba8unorm, write>, same size as `src`).
 */
export const RGB_TO_YCBCR: string = /* wgsl */ `
@group(0) @binding(0) var src: texture_2d<f32>;
@group(0) @binding(1) var dst: texture_storage_2d<rgba8unorm, write>;

// BT.601 full range; chroma is centred on 0.5 so it fits an unsigned-normalized channel.
const TO_Y  = vec3f(0.299, 0.587, 0.114);
const TO_CB = vec3f(-0.168736, -0.331264, 0.5);
const TO_CR = vec3f(0.5, -0.418688, -0.081312);

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  if (any(gid.xy >= textureDimensions(dst))) { return; }

  let rgba = textureLoad(src, gid.xy, 0);
  let y  = dot(rgba.rgb, TO_Y);
  let cb = 0.5 + dot(rgba.rgb, TO_CB);
  let cr = 0.5 + dot(rgba.rgb, TO_CR);
  textureStore(dst, gid.xy, vec4f(y, cb, cr, rgba.a));
}
`;

/**
 * Colour inversion on an integer texture: the case where values are never converted to
 * float, so the output must match the reference bit for bit.
 *
 * Bindings (one group, no uniform):
 * - group 0, binding 0: `src` (texture_2d<u32>, the picture, `rgba8uint`).
 * - group 0, binding 1: `dst` (texture_storage_2d<rgba8uint, write>, same size as `src`;
 *   `255 - v` in red, green and blue, alpha unchanged).
 */
export const INVERT_RGBA8UINT: string = /* wgsl */ `
@group(0) @binding(0) var src: texture_2d<u32>;
@group(0) @binding(1) var dst: texture_storage_2d<rgba8uint, write>;

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  if (any(gid.xy >= textureDimensions(dst))) { return; }

  let v = textureLoad(src, gid.xy, 0);
  textureStore(dst, gid.xy, vec4u(255u - v.r, 255u - v.g, 255u - v.b, v.a));
}
`;

/**
 * Long-exposure accumulation: adds each frame's 8-bit luma to a running per-pixel sum held
 * in a `read_write` storage texture, the way a frame-stacking or temporal-average pass keeps
 * its accumulator from one frame to the next. The sum is `r32uint`, one of the formats
 * WebGPU allows `read_write` without an extra feature (`r32float`, `r32uint`, `r32sint`), and
 * integer all the way, so the output must match the reference exactly.
 *
 * Bindings (one group, no uniform):
 * - group 0, binding 0: `frame` (texture_2d<u32>, the new frame, `rgba8uint`; alpha unused).
 * - group 0, binding 1: `sum` (texture_storage_2d<r32uint, read_write>, the running sum,
 *   same size as `frame`; its starting contents are an input, and it is read back after).
 */
export const ACCUMULATE_LUMA: string = /* wgsl */ `
@group(0) @binding(0) var frame: texture_2d<u32>;
@group(0) @binding(1) var sum: texture_storage_2d<r32uint, read_write>;

// BT.601 luma in 8.8 fixed point, the integer RGB → Y weights of libjpeg and libyuv (they
// sum to 256); adding 128 before the shift rounds to nearest.
const LUMA_WEIGHTS = vec3u(77u, 150u, 29u);

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  if (any(gid.xy >= textureDimensions(sum))) { return; }

  let rgb = textureLoad(frame, gid.xy, 0).rgb;
  let luma = (dot(rgb, LUMA_WEIGHTS) + 128u) >> 8u;
  let previous = textureLoad(sum, gid.xy).r;
  textureStore(sum, gid.xy, vec4u(previous + luma, 0u, 0u, 0u));
}
`;

/**
 * The resolve after `ACCUMULATE_LUMA`: the running sum divided by the number of frames, as
 * an opaque grey picture. The mean is taken in integers (rounded to nearest) and converted
 * to unorm once, so it is the float path's one 8-bit step at most from the reference.
 *
 * Bindings (one group):
 * - group 0, binding 0: `sum` (texture_2d<u32>, `r32uint`: a kept `ACCUMULATE_LUMA` output).
 * - group 0, binding 1: `dst` (texture_storage_2d<rgba8unorm, write>, same size as `sum`).
 * - group 0, binding 2: `params` (uniform `ResolveParams`, 16 bytes: `frames: u32` at
 *   offset 0, ≥ 1, then three `u32` pads at offsets 4, 8, 12).
 */
export const RESOLVE_MEAN: string = /* wgsl */ `
struct ResolveParams {
  frames: u32,
  _pad0: u32,
  _pad1: u32,
  _pad2: u32,
}

@group(0) @binding(0) var sum: texture_2d<u32>;
@group(0) @binding(1) var dst: texture_storage_2d<rgba8unorm, write>;
@group(0) @binding(2) var<uniform> params: ResolveParams;

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  if (any(gid.xy >= textureDimensions(dst))) { return; }

  let total = textureLoad(sum, gid.xy, 0).r;
  let mean = (total + params.frames / 2u) / params.frames;
  let grey = f32(mean) / 255.0;
  textureStore(dst, gid.xy, vec4f(grey, grey, grey, 1.0));
}
`;
