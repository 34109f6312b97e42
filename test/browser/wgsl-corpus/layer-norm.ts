/**
 * A transformer's layer norm: one row (token) per invocation, parameters in a uniform
 * `Params { N, D, eps }`, two-pass mean and variance, and the per-row statistics kept in an
 * `array<vec2f>` the way a training framework keeps them for the backward pass.
 */
import { defineShader, float32Output, randomFloats, relative } from './support.ts';

export const LAYER_NORM_WGSL: string = /* wgsl */ `
struct Params {
  N: u32,    // rows (tokens)
  D: u32,    // features per row
  eps: f32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> gamma: array<f32>;
@group(0) @binding(3) var<storage, read> beta: array<f32>;
@group(0) @binding(4) var<storage, read_write> y: array<f32>;
@group(0) @binding(5) var<storage, read_write> stats: array<vec2f>; // (mean, rstd) per row

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let row = gid.x;
  if (row >= params.N) { return; }
  let base = row * params.D;
  let count = f32(params.D);

  var sum = 0.0;
  for (var i = 0u; i < params.D; i++) { sum += x[base + i]; }
  let mean = sum / count;

  // Two passes: E[(x - mean)^2] loses nothing to cancellation, unlike E[x^2] - mean^2.
  var squares = 0.0;
  for (var i = 0u; i < params.D; i++) {
    let d = x[base + i] - mean;
    squares += d * d;
  }
  let rstd = inverseSqrt(squares / count + params.eps);

  for (var i = 0u; i < params.D; i++) {
    y[base + i] = (x[base + i] - mean) * rstd * gamma[i] + beta[i];
  }
  stats[row] = vec2f(mean, rstd);
}
`;

/** The uniform's fields and the three input tensors. */
export interface LayerNormInputs {
  readonly N: number;
  readonly D: number;
  readonly eps: number;
  readonly x: Float32Array;
  readonly gamma: Float32Array;
  readonly beta: Float32Array;
}

/** 8 tokens of 64 features, off-centre (mean ≈ 0.5) so the mean matters. */
export function layerNormInputs(): LayerNormInputs {
  const N = 8;
  const D = 64;
  return { N, D, eps: 1e-5, x: randomFloats(N * D, 101, -2, 3), gamma: randomFloats(D, 102, 0.5, 1.5), beta: randomFloats(D, 103, -0.5, 0.5) };
}

/** Layer norm in f64. */
export function layerNormReference(input: LayerNormInputs): { y: Float64Array; mean: Float64Array; rstd: Float64Array } {
  const { N, D, eps, x, gamma, beta } = input;
  const y = new Float64Array(N * D);
  const mean = new Float64Array(N);
  const rstd = new Float64Array(N);
  for (let row = 0; row < N; row++) {
    const values = x.subarray(row * D, (row + 1) * D);
    const m = values.reduce((a, v) => a + v, 0) / D;
    const variance = values.reduce((a, v) => a + (v - m) ** 2, 0) / D;
    const r = 1 / Math.sqrt(variance + eps);
    values.forEach((v, i) => {
      y[row * D + i] = (v - m) * r * (gamma[i] ?? 0) + (beta[i] ?? 0);
    });
    mean[row] = m;
    rstd[row] = r;
  }
  return { y, mean, rstd };
}

export const layerNorm = defineShader(
  'layer norm with a uniform Params struct',
  ['uniform param struct { N, D, eps }', 'loops bounded by uniform fields', 'array<vec2f> output'],
  async (run) => {
    const input = layerNormInputs();
    const { N, D, eps } = input;
    const pipeline = await run.compile({ code: LAYER_NORM_WGSL });
    const out = await pipeline.dispatch(
      { params: { N, D, eps }, x: input.x, gamma: input.gamma, beta: input.beta, y: new Float32Array(N * D), stats: new Float32Array(2 * N) },
      { grid: [Math.ceil(N / 64), 1, 1] },
    );
    const y = float32Output(out, 'y');
    const stats = float32Output(out, 'stats');
    const ref = layerNormReference(input);
    // A 64-term f32 sum of |x| < 3 rounds by at most 64·2⁻²⁴·Σ|x|, ≈ 6e-6 once divided by 64.
    run.close('mean', stats.filter((_, i) => i % 2 === 0), ref.mean, relative(1e-5, 1));
    // The variance's 64-term sum (≈ 4e-6 relative), halved by the square root, plus inverseSqrt's 2 ULP.
    run.close('rstd', stats.filter((_, i) => i % 2 === 1), ref.rstd, relative(1e-5));
    // The mean's and rstd's errors carried through (x − mean)·rstd·γ + β, whose terms stay below 3.
    run.close('y', y, ref.y, relative(3e-5, 1));
    run.fingerprint(y);
    run.fingerprint(stats);
  },
);
