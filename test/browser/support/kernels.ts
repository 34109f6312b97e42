/** WGSL kernels shared by the browser tests. Each is small and has an obvious CPU reference. */

/** y[i] = 2 * x[i] + 1 over f32. */
export const SCALE_F32 = /* wgsl */ `
@group(0) @binding(0) var<storage, read> x: array<f32>;
@group(0) @binding(1) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let i = id.x;
  if (i < arrayLength(&x)) {
    y[i] = 2.0 * x[i] + 1.0;
  }
}`;

/** d[i] = a[i] - b[i] over i32 (wrapping subtraction, negative results). */
export const SUBTRACT_I32 = /* wgsl */ `
@group(0) @binding(0) var<storage, read> a: array<i32>;
@group(0) @binding(1) var<storage, read> b: array<i32>;
@group(0) @binding(2) var<storage, read_write> d: array<i32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3u) {
  if (id.x < arrayLength(&d)) {
    d[id.x] = a[id.x] - b[id.x];
  }
}`;

/** out[i] = i * i + seed[0] over u32, with a workgroup size of 96 (lengths rarely divide it). */
export const SQUARES_U32 = /* wgsl */ `
@group(0) @binding(0) var<storage, read> seed: array<u32>;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;

@compute @workgroup_size(96)
fn main(@builtin(global_invocation_id) id: vec3u) {
  if (id.x < arrayLength(&out)) {
    out[id.x] = id.x * id.x + seed[0];
  }
}`;
