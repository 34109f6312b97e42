/**
 * Validation of whole-vector access to scalar buffers, `load-vector` and `store-vector`
 * (docs/semantics.md, "Vectors"): the width, the buffer's element type, and the rule that
 * a buffer an atomic touches is accessed one element at a time.
 *
 * The last rule needs the whole body (an atomic may come after the access), so the walk
 * notes atomics and vector accesses as it goes and {@link VectorAccessLog} judges them at
 * its end. Kept apart from validate-expr.ts, which calls these with the parts it has
 * already checked; this file imports nothing of it, so there is no cycle.
 */
import { isVectorType, type ValueType, type VectorType, type VectorWidth } from '../protocol/ir.ts';
import { at, describe, field, got, type IssueLog } from './validate-report.ts';

/** The `width` field of a vector access: 2 or 4; otherwise `bad-vector-width` (`malformed` when not a number). */
export function readVectorWidth(log: IssueLog, record: object, path: string): VectorWidth | undefined {
  const width = field(record, 'width');
  if (width === 2 || width === 4) return width;
  if (typeof width !== 'number') {
    log.report('malformed', at(path, 'width'), `A vector access width must be the number 2 or 4; ${got(width)}.`);
  } else {
    log.report('bad-vector-width', at(path, 'width'), `A vector access reads or writes 2 or 4 elements (vec2 or vec4); got a width of ${String(width)}.`);
  }
  return undefined;
}

/**
 * The type of `width` elements of buffer `name` (holding `type`) taken as one vector, or
 * `undefined`: after reporting `vector-access-wrong-buffer` at `path`'s buffer when its
 * elements are not `f32`, `i32` or `u32` scalars, silently when a part is unknown
 * (already reported).
 */
export function vectorAccessType(log: IssueLog, name: string, type: ValueType | undefined, width: VectorWidth | undefined, path: string): VectorType | undefined {
  if (type === undefined) return undefined;
  if (isVectorType(type)) {
    log.report('vector-access-wrong-buffer', at(path, 'buffer'), `${describe(name)} holds ${type}: its elements are already vectors, which load and store read and write whole.`);
    return undefined;
  }
  if (type === 'bool') {
    log.report('vector-access-wrong-buffer', at(path, 'buffer'), `${describe(name)} holds bool, and there are no bool vectors.`);
    return undefined;
  }
  return width === undefined ? undefined : `vec${width}<${type}>`;
}

/** Atomics and vector accesses noted during the walk of a body, judged when it ends. */
export class VectorAccessLog {
  private readonly atomicBuffers = new Set<string>();
  private readonly accesses: { readonly buffer: string; readonly path: string }[] = [];

  /** An atomic touches `buffer`: every access to it is atomic (docs/semantics.md, "Memory"). */
  noteAtomic(buffer: string): void {
    this.atomicBuffers.add(buffer);
  }

  /** A `load-vector` or `store-vector` of `buffer`, the node at `path`. */
  noteAccess(buffer: string, path: string): void {
    this.accesses.push({ buffer, path });
  }

  /**
   * Reports `vector-access-wrong-buffer` for every vector access of a buffer that an
   * atomic touches: those accesses are atomic, one element at a time, so a vector of them
   * could not be one load or store (and WGSL has no vector atomics).
   */
  reportAtomicBuffers(log: IssueLog): void {
    for (const { buffer, path } of this.accesses) {
      if (!this.atomicBuffers.has(buffer)) continue;
      log.report('vector-access-wrong-buffer', at(path, 'buffer'), `An atomic touches ${describe(buffer)}, so it is accessed one element at a time; a vector access cannot read or write it.`);
    }
  }
}
