/**
 * Per-tensor affine int8 quantization (and back), as inference runtimes do it, with the
 * quantization parameters in a uniform of their own bind group, `@group(1)`, apart from
 * the tensors in `@group(0)`: q = clamp(round(x / scale) + zeroPoint, qmin, qmax).
 */
import { defineShader, float32Output, int32Output, randomInts } from './support.ts';

export const QUANTIZE_WGSL: string = /* wgsl */ `
struct Quant {
  scale: f32,
  zeroPoint: i32,
  qmin: i32,
  qmax: i32,
}

@group(0) @binding(0) var<storage, read> real: array<f32>;
@group(0) @binding(1) var<storage, read_write> quantized: array<i32>;
@group(0) @binding(2) var<storage, read_write> restored: array<f32>;
@group(1) @binding(0) var<uniform> quant: Quant;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= arrayLength(&real)) { return; }
  // round() is round-half-to-even in WGSL, as in ONNX QuantizeLinear.
  let q = clamp(i32(round(real[i] / quant.scale)) + quant.zeroPoint, quant.qmin, quant.qmax);
  quantized[i] = q;
  restored[i] = f32(q - quant.zeroPoint) * quant.scale;
}
`;

/**
 * The quantization parameters, and 1,000 values that are multiples of 1/32 in [-10, 10]:
 * with scale 1/16 the division is exact and lands on halves (ties), and about a fifth of
 * the values clamp at qmin or qmax.
 */
export function quantizeInputs(): { quant: { scale: number; zeroPoint: number; qmin: number; qmax: number }; real: Float32Array } {
  return { quant: { scale: 1 / 16, zeroPoint: -3, qmin: -128, qmax: 127 }, real: Float32Array.from(randomInts(1000, 1001, -320, 320), (k) => k / 32) };
}

/** Round half to even, as WGSL's round(). */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff < 0.5) return floor;
  if (diff > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** The quantized values and their dequantization, as the shader computes them. */
export function quantizeReference(real: ArrayLike<number>, quant: ReturnType<typeof quantizeInputs>['quant']): { quantized: Int32Array; restored: Float64Array } {
  const quantized = Int32Array.from(real, (x) => Math.min(Math.max(roundHalfEven(x / quant.scale) + quant.zeroPoint, quant.qmin), quant.qmax));
  return { quantized, restored: Float64Array.from(quantized, (q) => (q - quant.zeroPoint) * quant.scale) };
}

export const quantize = defineShader(
  'int8 quantization with its params in @group(1)',
  ['uniform in a second bind group, @group(1)', 'mixed f32 / i32 uniform struct', 'array<i32> output', 'round-half-to-even ties'],
  async (run) => {
    const { quant, real } = quantizeInputs();
    const pipeline = await run.compile({ code: QUANTIZE_WGSL });
    const out = await pipeline.dispatch(
      { real, quant, quantized: new Int32Array(real.length), restored: new Float32Array(real.length) },
      { grid: [Math.ceil(real.length / 64), 1, 1] },
    );
    const ref = quantizeReference(real, quant);
    const quantized = int32Output(out, 'quantized');
    const restored = float32Output(out, 'restored');
    run.exact('quantized', quantized, ref.quantized);
    // Exact: (q − zeroPoint) is a small integer and the scale a power of two.
    run.exact('restored', restored, ref.restored);
    run.fingerprint(quantized);
    run.fingerprint(restored);
  },
);
