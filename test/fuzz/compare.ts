/** Compares GPU outputs with the interpreter's: bit-exact for integers, tolerant for floats. */

export interface Mismatch {
  readonly buffer: string;
  readonly index: number;
  readonly gpu: number;
  readonly reference: number;
}

type Outputs = Readonly<Record<string, Uint32Array | Int32Array | Float32Array>>;

/**
 * Float tolerance for the fuzzer's correctly rounded operations: the two sides may differ
 * only by subnormal flushing or the sign of zero. Anything else is a real mismatch.
 */
function sameFloat(a: number, b: number): boolean {
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  if (a === b) return true; // also -0 === 0
  const tiny = 2 ** -126;
  return Math.abs(a) < tiny && Math.abs(b) < tiny;
}

/** The first `limit` mismatches between `gpu` and `reference`, buffer by buffer. */
export function compareOutputs(gpu: Readonly<Record<string, ArrayLike<number>>>, reference: Outputs, limit = 8): Mismatch[] {
  const mismatches: Mismatch[] = [];
  for (const [name, expected] of Object.entries(reference)) {
    const actual = gpu[name];
    if (actual === undefined || actual.length !== expected.length) {
      mismatches.push({ buffer: name, index: -1, gpu: actual?.length ?? -1, reference: expected.length });
      continue;
    }
    for (let i = 0; i < expected.length && mismatches.length < limit; i++) {
      const a = actual[i] ?? 0;
      const b = expected[i] ?? 0;
      const same = expected instanceof Float32Array ? sameFloat(a, b) : a === b;
      if (!same) mismatches.push({ buffer: name, index: i, gpu: a, reference: b });
    }
  }
  return mismatches;
}
