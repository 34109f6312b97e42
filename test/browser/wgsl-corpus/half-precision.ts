/**
 * Half precision where the adapter has `shader-f16`: `enable f16;`, `array<vec4h>` inputs
 * and output, an `f16` field in a uniform struct, and a dot product widened to f32 — the
 * mixed-precision pattern of on-device inference. Without the feature the shader does not
 * run, and its outcome says why instead of passing.
 */
import { defineShader, float32Output, randomInts, uint16Output } from './support.ts';
import { fromHalfBits } from '../../support/half-float.ts';

export const HALF_PRECISION_WGSL: string = /* wgsl */ `
enable f16;

struct Params {
  count: u32,
  scale: f16,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> a: array<vec4h>;
@group(0) @binding(2) var<storage, read> b: array<vec4h>;
@group(0) @binding(3) var<storage, read_write> scaled: array<vec4h>;   // a * b * scale, in f16
@group(0) @binding(4) var<storage, read_write> dots: array<f32>;       // dot(a, b), widened to f32

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= params.count) { return; }
  scaled[i] = a[i] * b[i] * params.scale;
  dots[i] = dot(vec4f(a[i]), vec4f(b[i]));
}
`;

/** IEEE binary16 bits of `value`, which must be exactly representable (all this shader uses). */
export function toHalfBits(value: number): number {
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const magnitude = Math.abs(value);
  let bits: number;
  if (magnitude === 0) bits = 0;
  else if (magnitude < 2 ** -14) bits = Math.round(magnitude * 2 ** 24);
  else {
    const exponent = Math.floor(Math.log2(magnitude));
    bits = ((exponent + 15) << 10) | Math.round((magnitude / 2 ** exponent - 1) * 1024);
  }
  if (fromHalfBits(sign | bits) !== value) throw new Error(`${value} is not exactly representable in f16`);
  return sign | bits;
}


/**
 * 300 vec4h pairs of multiples of 1/4 in [-8, 8], scale 1/2: every product has at most 11
 * significant bits, so a·b·scale is exact in f16, and dot(a, b) exact in f32.
 */
export function halfInputs(): { count: number; scale: number; a: number[]; b: number[] } {
  return { count: 300, scale: 0.5, a: randomInts(1200, 1401, -32, 32).map((k) => k / 4), b: randomInts(1200, 1402, -32, 32).map((k) => k / 4) };
}

/** a·b·scale per component, and dot(a, b) per vec4, in f64. */
export function halfReference(a: readonly number[], b: readonly number[], scale: number): { scaled: number[]; dots: number[] } {
  const scaled = a.map((v, i) => v * (b[i] ?? 0) * scale);
  const dots = Array.from({ length: a.length / 4 }, (_, i) => [0, 1, 2, 3].reduce((sum, k) => sum + (a[4 * i + k] ?? 0) * (b[4 * i + k] ?? 0), 0));
  return { scaled, dots };
}

/** Values as the raw bytes of binary16. */
function halfBytes(values: readonly number[]): ArrayBuffer {
  return Uint16Array.from(values, toHalfBits).buffer;
}

export const halfPrecision = defineShader(
  'f16 arithmetic with enable f16',
  ['enable f16', 'array<vec4h> in and out (raw half bits)', 'f16 field in a uniform struct', 'f16 widened to f32'],
  async (run) => {
    const { count, scale, a, b } = halfInputs();
    const pipeline = await run.compile({ code: HALF_PRECISION_WGSL });
    const out = await pipeline.dispatch(
      { params: { count, scale }, a: halfBytes(a), b: halfBytes(b), scaled: new ArrayBuffer(count * 8), dots: new Float32Array(count) },
      { grid: [Math.ceil(count / 64), 1, 1] },
    );
    const ref = halfReference(a, b, scale);
    const scaled = uint16Output(out, 'scaled');
    const dots = float32Output(out, 'dots');
    // Exact on both: see halfInputs.
    run.exact('scaled (decoded from f16 bits)', Array.from(scaled, fromHalfBits), ref.scaled);
    run.exact('dots', dots, ref.dots);
    run.fingerprint(scaled);
    run.fingerprint(dots);
  },
  ['shader-f16'],
);
