/**
 * JavaScript number → IEEE 754 binary16 bits, for packing `f16` fields. Node 20 and most
 * browsers have no `Math.f16round` or `Float16Array` yet, so the conversion is done here.
 *
 * It rounds the double directly to half precision, to nearest with ties to even, the way
 * `Math.f16round` is specified. Going through `Math.fround` first would round twice and
 * land one ulp off on values just above a half-way point (1 + 2⁻¹¹ + 2⁻⁴⁰ must give
 * 0x3C01, not 0x3C00).
 */

/** Bits of the quiet NaN every NaN becomes: exponent all ones, top mantissa bit set. */
export const FLOAT16_NAN = 0x7e00;
/** Bits of +Infinity; -Infinity is `0x8000 | FLOAT16_INFINITY`. */
export const FLOAT16_INFINITY = 0x7c00;

/** The smallest positive magnitude that rounds to infinity: half-way from 65504 (0x7BFF) to 2¹⁶. */
const OVERFLOW_THRESHOLD = 65520;
/** 2⁻¹⁴, the smallest normal half. Below it the value is a multiple of 2⁻²⁴ (subnormal). */
const MIN_NORMAL = 2 ** -14;
const SUBNORMAL_STEP = 2 ** -24;

/** Scratch space to read a double's exponent field exactly (Math.log2 can be off by one near powers of two). */
const scratch = new DataView(new ArrayBuffer(8));

/**
 * The binary16 bit pattern nearest to `value` (ties to even), as a number in 0…0xFFFF.
 * Magnitudes from 65520 up become ±Infinity (0x7C00); every NaN becomes {@link FLOAT16_NAN};
 * -0 keeps its sign (0x8000).
 *
 * @example
 * ```ts
 * float16Bits(1);      // 0x3C00
 * float16Bits(65504);  // 0x7BFF, the largest finite half
 * float16Bits(1e-5);   // 0x00A8, a subnormal: 1e-5 / 2⁻²⁴ = 167.77… → 168
 * ```
 */
export function float16Bits(value: number): number {
  if (Number.isNaN(value)) return FLOAT16_NAN;
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const magnitude = Math.abs(value);
  if (magnitude >= OVERFLOW_THRESHOLD) return sign | FLOAT16_INFINITY;
  if (magnitude < MIN_NORMAL) {
    // Exact: dividing by a power of two only moves the exponent. A result of 1024 is the
    // smallest normal (exponent field 1, mantissa 0), which the same bit pattern spells.
    return sign | roundHalfToEven(magnitude / SUBNORMAL_STEP);
  }
  let exponent = exponentOf(magnitude);
  // magnitude / 2^exponent is in [1, 2); the fraction times 2¹⁰ is exact in a double.
  let mantissa = roundHalfToEven((magnitude / 2 ** exponent - 1) * 1024);
  if (mantissa === 1024) {
    exponent += 1;
    mantissa = 0;
  }
  return sign | ((exponent + 15) << 10) | mantissa;
}

/** floor(log2(x)) for a normal, finite, positive double, read from its exponent field. */
function exponentOf(x: number): number {
  scratch.setFloat64(0, x);
  return ((scratch.getUint32(0) >>> 20) & 0x7ff) - 1023;
}

/** Rounds a non-negative number to an integer, ties to the even one. */
function roundHalfToEven(x: number): number {
  const floor = Math.floor(x);
  const rest = x - floor;
  if (rest > 0.5) return floor + 1;
  if (rest < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
