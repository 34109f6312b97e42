/**
 * Softmax over the rows of a score matrix, as in attention: one workgroup per row, the
 * row's maximum and then its sum of exponentials reduced through workgroup memory with
 * barriers, the maximum subtracted before `exp` so nothing overflows.
 */
import { defineShader, float32Output, randomFloats, relative } from './support.ts';

export const SOFTMAX_WGSL: string = /* wgsl */ `
struct Shape {
  rows: u32,
  cols: u32,
}

@group(0) @binding(0) var<uniform> shape: Shape;
@group(0) @binding(1) var<storage, read> logits: array<f32>;
@group(0) @binding(2) var<storage, read_write> probs: array<f32>;

const WG = 64u;
var<workgroup> scratch: array<f32, WG>;

// Tree reduction of scratch[0..WG) into scratch[0]; every invocation of the workgroup calls it.
fn reduceMax(lid: u32) {
  for (var stride = WG / 2u; stride > 0u; stride >>= 1u) {
    if (lid < stride) { scratch[lid] = max(scratch[lid], scratch[lid + stride]); }
    workgroupBarrier();
  }
}

fn reduceSum(lid: u32) {
  for (var stride = WG / 2u; stride > 0u; stride >>= 1u) {
    if (lid < stride) { scratch[lid] += scratch[lid + stride]; }
    workgroupBarrier();
  }
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let row = wid.x;             // one workgroup per row: the early return is uniform
  if (row >= shape.rows) { return; }
  let base = row * shape.cols;

  var localMax = logits[base];
  for (var c = lid; c < shape.cols; c += WG) { localMax = max(localMax, logits[base + c]); }
  scratch[lid] = localMax;
  workgroupBarrier();
  reduceMax(lid);
  let rowMax = scratch[0];
  workgroupBarrier();          // everyone has read the maximum before scratch is reused

  var localSum = 0.0;
  for (var c = lid; c < shape.cols; c += WG) { localSum += exp(logits[base + c] - rowMax); }
  scratch[lid] = localSum;
  workgroupBarrier();
  reduceSum(lid);
  let total = scratch[0];

  for (var c = lid; c < shape.cols; c += WG) {
    probs[base + c] = exp(logits[base + c] - rowMax) / total;
  }
}
`;

/** 16 rows of 200 scores in [-4, 4): 200 is not a multiple of 64, so the strided loops are ragged. */
export function softmaxInputs(): { rows: number; cols: number; logits: Float32Array } {
  const rows = 16;
  const cols = 200;
  return { rows, cols, logits: randomFloats(rows * cols, 201, -4, 4) };
}

/** Row-wise softmax in f64. */
export function softmaxReference(rows: number, cols: number, logits: ArrayLike<number>): Float64Array {
  const probs = new Float64Array(rows * cols);
  for (let row = 0; row < rows; row++) {
    let max = -Infinity;
    for (let c = 0; c < cols; c++) max = Math.max(max, logits[row * cols + c] ?? 0);
    let total = 0;
    for (let c = 0; c < cols; c++) total += Math.exp((logits[row * cols + c] ?? 0) - max);
    for (let c = 0; c < cols; c++) probs[row * cols + c] = Math.exp((logits[row * cols + c] ?? 0) - max) / total;
  }
  return probs;
}

export const softmax = defineShader(
  'softmax over rows with a workgroup reduction and barriers',
  ['uniform shape struct', 'one workgroup per row', 'var<workgroup> reduction with workgroupBarrier', 'max-subtracted exp'],
  async (run) => {
    const { rows, cols, logits } = softmaxInputs();
    const pipeline = await run.compile({ code: SOFTMAX_WGSL });
    const out = await pipeline.dispatch({ shape: { rows, cols }, logits, probs: new Float32Array(rows * cols) }, { grid: [rows, 1, 1] });
    const probs = float32Output(out, 'probs');
    // exp of x − max ∈ [-8, 0] is within 3 + 2·8 ULP (WGSL's bound, ≈ 2.3e-6), the 200-term sum and
    // the division add under 1e-6: relative 1e-5 holds with margin.
    run.close('probs', probs, softmaxReference(rows, cols, logits), relative(1e-5));
    run.fingerprint(probs);
  },
);
