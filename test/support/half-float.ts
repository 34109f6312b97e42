/**
 * binary16 decoded by its definition (sign, 5-bit exponent, 10-bit mantissa): an
 * independent reference for the library's f16 packing and for results read back as
 * half-float bits. Shared by the unit tests and the WGSL corpus.
 */

/** The number binary16 `bits` stand for. */
export function fromHalfBits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 31) return mantissa === 0 ? sign * Infinity : Number.NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}
