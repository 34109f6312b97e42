/**
 * The buffers a generated program declares, and the inputs and output sizes of its run.
 *
 * A scalar program declares one buffer of each scalar type per role (as the fuzzer always
 * has). A vector program must stay within WebGPU's guaranteed 8 storage buffers, so it
 * keeps `out_u` (its bounds guard) and three other scalar buffers, and adds four vector
 * buffers of random types: an f32 and an integer input, an output and a read-write buffer.
 * Vector buffers count vectors (index, `length`, `options.outputs`); their host arrays are
 * flat, width·n components (docs/semantics.md, "Vectors").
 */
import { VECTOR_TYPES, componentOf, widthOf, type IrBuffer, type ValueType, type VectorType } from '../../src/protocol/ir.ts';
import { randomDyadic } from './generate-ops.ts';
import type { Random } from './random.ts';

export type HostArray = Uint32Array | Int32Array | Float32Array;

export const SCALAR_BUFFERS: readonly IrBuffer[] = [
  { name: 'in_u', binding: 0, access: 'read', type: 'u32' },
  { name: 'in_i', binding: 1, access: 'read', type: 'i32' },
  { name: 'in_f', binding: 2, access: 'read', type: 'f32' },
  { name: 'out_u', binding: 3, access: 'output', type: 'u32' },
  { name: 'out_i', binding: 4, access: 'output', type: 'i32' },
  { name: 'out_f', binding: 5, access: 'output', type: 'f32' },
  { name: 'out_b', binding: 6, access: 'output', type: 'bool' },
  { name: 'acc', binding: 7, access: 'output', type: 'u32', sizing: { kind: 'static', count: 8 } },
];

/** The buffer every program's bounds guard (`i < length(out_u)`) reads. */
export const GUARD_BUFFER = 'out_u';

export const F32_VECTORS: readonly VectorType[] = VECTOR_TYPES.filter((type) => componentOf(type) === 'f32');
export const INT_VECTORS: readonly VectorType[] = VECTOR_TYPES.filter((type) => componentOf(type) !== 'f32');

/** The buffers of a vector program: four scalar ones (with their usual bindings) and four vector ones. */
export function vectorProgramBuffers(random: Random): IrBuffer[] {
  const others = SCALAR_BUFFERS.filter((buffer) => buffer.name !== GUARD_BUFFER);
  const kept = new Set([GUARD_BUFFER]);
  while (kept.size < 4) kept.add(random.pick(others).name);
  return [
    ...SCALAR_BUFFERS.filter((buffer) => kept.has(buffer.name)),
    { name: 'vin_f', binding: 8, access: 'read', type: random.pick(F32_VECTORS) },
    { name: 'vin_n', binding: 9, access: 'read', type: random.pick(INT_VECTORS) },
    { name: 'vout', binding: 10, access: 'output', type: random.pick(VECTOR_TYPES) },
    { name: 'vrw', binding: 11, access: 'read-write', type: random.pick(VECTOR_TYPES) },
  ];
}

/** A program's buffers, looked up the ways the generator needs. */
export class BufferSet {
  readonly hasVectors: boolean;

  constructor(readonly buffers: readonly IrBuffer[]) {
    this.hasVectors = buffers.some((buffer) => widthOf(buffer.type) > 1);
  }

  has(name: string): boolean {
    return this.buffers.some((buffer) => buffer.name === name);
  }

  /** Buffers holding `type` that a program may load: inputs, and (own element only) read-write ones. */
  readable(type: ValueType): IrBuffer[] {
    return this.buffers.filter((buffer) => buffer.type === type && (buffer.access === 'read' || buffer.access === 'read-write'));
  }

  /** Read-only inputs holding `type`: their contents are the dyadic values the generator made. */
  inputsOf(type: ValueType): IrBuffer[] {
    return this.buffers.filter((buffer) => buffer.type === type && buffer.access === 'read');
  }

  /** Buffers each invocation stores its results into, in binding order (not the statically sized atomic counters). */
  stored(): IrBuffer[] {
    return this.buffers.filter((buffer) => (buffer.access === 'output' || buffer.access === 'read-write') && buffer.sizing === undefined);
  }
}

/**
 * The inputs of one run of `n` invocations: every read buffer filled with 1…n elements,
 * read-write buffers supplied most of the time (else sized by `options.outputs`), and the
 * element counts of the outputs.
 */
export function makeInputs(random: Random, buffers: readonly IrBuffer[], n: number): { inputs: Record<string, HostArray>; outputs: Record<string, number> } {
  const inputs: Record<string, HostArray> = {};
  const outputs: Record<string, number> = {};
  for (const buffer of buffers) {
    if (buffer.access === 'read' || (buffer.access === 'read-write' && random.chance(0.7))) {
      inputs[buffer.name] = randomArray(random, buffer.type, random.between(1, n));
    } else if (buffer.sizing === undefined) {
      outputs[buffer.name] = n;
    }
  }
  return { inputs, outputs };
}

/** `count` random elements of `type`, flat (width·count components); floats are dyadic. */
function randomArray(random: Random, type: ValueType, count: number): HostArray {
  const length = count * widthOf(type);
  switch (componentOf(type)) {
    case 'f32':
      return Float32Array.from({ length }, () => randomDyadic(random));
    case 'i32':
      return Int32Array.from({ length }, () => random.nextU32() | 0);
    default:
      return Uint32Array.from({ length }, () => random.nextU32());
  }
}
