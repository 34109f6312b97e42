/**
 * One dense layer of an MLP, relu(W·x + b), with the weights and the activations packed as
 * `array<vec4f>` so each step of the dot product is one vec4 multiply-add, the way
 * hand-written inference kernels lay them out.
 */
import { defineShader, float32Output, randomFloats, type Tolerance } from './support.ts';

export const MLP_LAYER_WGSL: string = /* wgsl */ `
struct Dims {
  rows: u32,   // output features
  cols4: u32,  // input features / 4
}

@group(0) @binding(0) var<uniform> dims: Dims;
@group(0) @binding(1) var<storage, read> weights: array<vec4f>;      // row-major, rows × cols4
@group(0) @binding(2) var<storage, read> activations: array<vec4f>;  // cols4
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> result: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let row = gid.x;
  if (row >= dims.rows) { return; }
  let base = row * dims.cols4;
  var acc = vec4f(0.0);
  for (var k = 0u; k < dims.cols4; k++) {
    acc += weights[base + k] * activations[k];
  }
  let z = acc.x + acc.y + acc.z + acc.w + bias[row];
  result[row] = max(z, 0.0);
}
`;

/** The layer's sizes (cols a multiple of 4), weights row-major, activations and bias. */
export interface MlpInputs {
  readonly rows: number;
  readonly cols: number;
  readonly weights: Float32Array;
  readonly activations: Float32Array;
  readonly bias: Float32Array;
}

/** 96 outputs from 256 inputs (24,576 weights); about half the pre-activations are negative. */
export function mlpInputs(): MlpInputs {
  const rows = 96;
  const cols = 256;
  return { rows, cols, weights: randomFloats(rows * cols, 301, -0.25, 0.25), activations: randomFloats(cols, 302, -1, 1), bias: randomFloats(rows, 303, -0.5, 0.5) };
}

/** relu(W·x + b) in f64, and Σ|wᵢxᵢ| + |b| per row (what bounds the f32 rounding). */
export function mlpReference(input: MlpInputs): { result: Float64Array; magnitude: Float64Array } {
  const { rows, cols, weights, activations, bias } = input;
  const result = new Float64Array(rows);
  const magnitude = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let z = bias[r] ?? 0;
    let m = Math.abs(z);
    for (let k = 0; k < cols; k++) {
      const term = (weights[r * cols + k] ?? 0) * (activations[k] ?? 0);
      z += term;
      m += Math.abs(term);
    }
    result[r] = Math.max(z, 0);
    magnitude[r] = m;
  }
  return { result, magnitude };
}

export const mlpLayer = defineShader(
  'an MLP layer (matvec + bias + ReLU) over array<vec4f>',
  ['uniform dims struct', 'array<vec4f> weights and activations', 'vec4 multiply-add dot product'],
  async (run) => {
    const input = mlpInputs();
    const { rows, cols } = input;
    const pipeline = await run.compile({ code: MLP_LAYER_WGSL });
    const out = await pipeline.dispatch(
      { dims: { rows, cols4: cols / 4 }, weights: input.weights, activations: input.activations, bias: input.bias, result: new Float32Array(rows) },
      { grid: [Math.ceil(rows / 64), 1, 1] },
    );
    const result = float32Output(out, 'result');
    const ref = mlpReference(input);
    // Each lane chains 64 multiply-adds, then 4 more adds: at most ~70·2⁻²⁴ ≈ 4.2e-6 of Σ|terms|;
    // ReLU is 1-Lipschitz, so the bound survives it.
    const tolerance: Tolerance = { text: '1e-5·(Σ|wᵢxᵢ| + |b|)', allowed: (_, i) => 1e-5 * (ref.magnitude[i] ?? 0) };
    run.close('result', result, ref.result, tolerance);
    run.fingerprint(result);
  },
);
