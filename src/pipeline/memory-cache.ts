/**
 * The memory tier's store: a least-recently-used map bounded by entry count and by
 * estimated bytes. Generic and synchronous; the compiler keeps GPU pipelines in it.
 *
 * Invariants after every call: `size <= maxEntries` and `bytes <= maxBytes`.
 */
import { invariant } from '../errors.ts';
import type { CacheBounds } from '../protocol/cache.ts';


/**
 * A least-recently-used cache bounded by entries and by bytes.
 *
 * Recency is kept by `Map` insertion order: the first key is the least recently used.
 * Only {@link LruCache.get} and {@link LruCache.set} count as a use.
 *
 * A value larger than `maxBytes` on its own is never stored: keeping it would flush
 * every other entry and still break the byte bound. `set` drops it (and any older value
 * under the same key) and returns its key among the evicted, counted as one eviction,
 * so callers handle it like any other eviction.
 */
export class LruCache<V> {
  readonly #bounds: CacheBounds;
  readonly #sizeOf: (value: V) => number;
  readonly #entries = new Map<string, { readonly value: V; readonly bytes: number }>();
  #bytes = 0;
  #evictions = 0;

  /**
   * @param bounds - positive safe integers; resolve user options with `resolveBounds` first.
   * @param sizeOf - estimated bytes of one value; called once per `set`.
   * @throws VyreError `internal` when a bound is not a positive safe integer.
   */
  constructor(bounds: CacheBounds, sizeOf: (value: V) => number) {
    invariant(isPositiveSafeInteger(bounds.maxEntries), `cache maxEntries must be a positive safe integer, got ${String(bounds.maxEntries)}`);
    invariant(isPositiveSafeInteger(bounds.maxBytes), `cache maxBytes must be a positive safe integer, got ${String(bounds.maxBytes)}`);
    this.#bounds = { maxEntries: bounds.maxEntries, maxBytes: bounds.maxBytes };
    this.#sizeOf = sizeOf;
  }

  /** Number of entries held. */
  get size(): number {
    return this.#entries.size;
  }

  /** Sum of the estimated bytes of the entries held. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Entries dropped to stay within the bounds (not `delete`, `clear` or a replace), since creation. */
  get evictions(): number {
    return this.#evictions;
  }

  /** The value under `key`, marking it most recently used. */
  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  /** The value under `key`, leaving recency untouched. */
  peek(key: string): V | undefined {
    return this.#entries.get(key)?.value;
  }

  has(key: string): boolean {
    return this.#entries.has(key);
  }

  /**
   * Inserts or replaces `key` as the most recently used entry, then evicts least recently
   * used entries until both bounds hold.
   * @returns the evicted keys, least recently used first (empty when nothing was evicted).
   * @throws VyreError `internal` when `sizeOf` returns a negative or non-finite number.
   */
  set(key: string, value: V): string[] {
    const bytes = this.#sizeOf(value);
    invariant(Number.isFinite(bytes) && bytes >= 0, `a cache value's size must be a finite non-negative number, got ${String(bytes)}`);
    this.delete(key);
    if (bytes > this.#bounds.maxBytes) {
      this.#evictions = saturatingIncrement(this.#evictions);
      return [key];
    }
    this.#entries.set(key, { value, bytes });
    this.#bytes += bytes;
    const evicted: string[] = [];
    while (this.#entries.size > this.#bounds.maxEntries || this.#bytes > this.#bounds.maxBytes) {
      // The new entry alone fits both bounds, so the loop stops before reaching it.
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.delete(oldest.value);
      evicted.push(oldest.value);
      this.#evictions = saturatingIncrement(this.#evictions);
    }
    return evicted;
  }

  /** Removes `key`; true when it was there. Not counted as an eviction. */
  delete(key: string): boolean {
    const entry = this.#entries.get(key);
    if (entry === undefined) return false;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
    return true;
  }

  /** Removes every entry. The eviction count is kept: it counts over the cache's life. */
  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }

  /** Keys, most recently used first. */
  keys(): string[] {
    return [...this.#entries.keys()].reverse();
  }
}

/** Fixed estimate for one compute pipeline beyond its WGSL text; see {@link estimateArtifactBytes}. */
export const ESTIMATED_PIPELINE_OVERHEAD_BYTES = 16 * 1024;
/** Estimate per binding (bind-group layout entry, buffer declaration); see {@link estimateArtifactBytes}. */
export const ESTIMATED_BINDING_OVERHEAD_BYTES = 256;

/**
 * Estimated bytes one memory-tier entry keeps alive. An **estimate, not a measurement**:
 * WebGPU exposes no size for a `GPUComputePipeline`, and the driver's compiled binary
 * lives in the GPU process, out of reach.
 *
 *   code.length × 2                      the WGSL text, held as a UTF-16 string
 * + buffers.length × 256                 per binding: its declaration and layout entry
 * + 16 KiB                               the pipeline, its layouts and the driver binary
 *
 * The fixed part keeps thousands of tiny shaders from looking free; the text part makes
 * huge generated shaders count for what they are.
 */
export function estimateArtifactBytes(artifact: { readonly code: string; readonly buffers: readonly unknown[] }): number {
  return artifact.code.length * 2 + artifact.buffers.length * ESTIMATED_BINDING_OVERHEAD_BYTES + ESTIMATED_PIPELINE_OVERHEAD_BYTES;
}

function isPositiveSafeInteger(value: unknown): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

function saturatingIncrement(value: number): number {
  return value >= Number.MAX_SAFE_INTEGER ? value : value + 1;
}
