/**
 * Whole-vector access to scalar buffers in generated programs (`load-vector`,
 * `store-vector`; docs/semantics.md, "Vectors"), kept race-free and comparable bit for bit:
 * - loads read only read-only inputs, so any index is free of races: mostly the
 *   invocation's own vector `i`, sometimes `i + k` (past the end, or straddling it), and
 *   sometimes `i + 2³²/width`, whose exact element index is past 2³² — it must read the
 *   zero vector, where an index wrapped to 32 bits would read element `width·i` instead;
 * - a store replaces the one store of an output buffer at the end of the body, at the own
 *   vector `i` (elements `width·i …`, which no other invocation writes) or surely past the
 *   end; with n invocations and n elements, the vector at `⌊n / width⌋` straddles the end
 *   whenever n is not a multiple of the width.
 * Only some vector programs use them (see `seedAccessesScalarsAsVectors` in generate.ts).
 */
import { componentOf, type ComponentType, type Expr, type IrBuffer, type Stmt, type VectorType, type VectorWidth } from '../../src/protocol/ir.ts';
import type { BufferSet } from './generate-buffers.ts';
import { OWN_INDEX, binary, literal } from './generate-ops.ts';
import type { Random } from './random.ts';

/** The vector index whose first element is exactly 2³² past the own vector's: `i + 2³²/width`. */
const WRAPPING_OFFSET: Record<VectorWidth, number> = { 2: 0x8000_0000, 4: 0x4000_0000 };

/** A `load-vector` of `type` from a read-only input of its component type, if the program has one. */
export function vectorLoadOfScalars(random: Random, buffers: BufferSet, type: VectorType): Expr | undefined {
  const candidates = buffers.inputsOf(componentOf(type));
  if (candidates.length === 0) return undefined;
  const buffer = random.pick(candidates);
  const width: VectorWidth = type.startsWith('vec2') ? 2 : 4;
  const roll = random.below(10);
  const index = roll < 7 ? OWN_INDEX : binary('add', OWN_INDEX, literal('u32', roll < 9 ? random.between(1, 100) : WRAPPING_OFFSET[width]));
  return { kind: 'load-vector', buffer: buffer.name, width, index };
}

/** Whether `buffer` can take a `store-vector`: its elements are f32, i32 or u32 scalars. */
export function takesVectorStores(buffer: IrBuffer): boolean {
  return buffer.type === 'f32' || buffer.type === 'i32' || buffer.type === 'u32';
}

/**
 * The one store into the output `buffer` as a `store-vector` of a random width: at the
 * own vector, or one surely past the end (`i + length`, in vectors of the width).
 * @param value - makes the stored vector of the type given.
 */
export function vectorStoreOfScalars(random: Random, buffer: IrBuffer, value: (type: VectorType) => Expr): Stmt {
  const width = random.pick([2, 4] as const);
  const index = random.chance(0.1) ? binary('add', OWN_INDEX, { kind: 'length', buffer: buffer.name }) : OWN_INDEX;
  const type: VectorType = `vec${width}<${buffer.type as ComponentType}>`;
  return { kind: 'store-vector', buffer: buffer.name, width, index, value: value(type) };
}
