/**
 * The memory tier's LRU: bounded by entries and by estimated bytes, evicting the least
 * recently used first, and honest about what it evicted.
 */
import { describe, expect, it } from 'vitest';
import { isVyreError } from '../../src/errors.ts';
import { ESTIMATED_BINDING_OVERHEAD_BYTES, ESTIMATED_PIPELINE_OVERHEAD_BYTES, LruCache, estimateArtifactBytes } from '../../src/pipeline/memory-cache.ts';

/** Values are their own size in bytes, so every byte count below is plain arithmetic. */
const sized = (maxEntries: number, maxBytes: number) => new LruCache<number>({ maxEntries, maxBytes }, (value) => value);

describe('LruCache', () => {
  it('holds what was set, and counts entries and bytes', () => {
    const cache = sized(10, 1000);
    expect(cache.set('a', 10)).toEqual([]);
    expect(cache.set('b', 20)).toEqual([]);
    expect(cache.get('a')).toBe(10);
    expect(cache.has('b')).toBe(true);
    expect(cache.has('c')).toBe(false);
    expect(cache.get('c')).toBeUndefined();
    expect(cache.size).toBe(2);
    expect(cache.bytes).toBe(30);
    expect(cache.evictions).toBe(0);
  });

  it('evicts the least recently used entry when the entry bound is exceeded', () => {
    const cache = sized(2, 1000);
    cache.set('a', 1);
    cache.set('b', 1);
    expect(cache.set('c', 1)).toEqual(['a']);
    expect(cache.keys()).toEqual(['c', 'b']);
    expect(cache.evictions).toBe(1);
  });

  it('evicts least recently used entries until the byte bound holds', () => {
    const cache = sized(10, 100);
    cache.set('a', 40);
    cache.set('b', 40);
    cache.set('c', 10);
    // 90 + 70 = 160 > 100: dropping a (40) leaves 120, dropping b (40) leaves 80.
    expect(cache.set('d', 70)).toEqual(['a', 'b']);
    expect(cache.keys()).toEqual(['d', 'c']);
    expect(cache.bytes).toBe(80);
    expect(cache.evictions).toBe(2);
  });

  it('keeps an entry that exactly fills the byte bound', () => {
    const cache = sized(10, 100);
    cache.set('a', 50);
    expect(cache.set('b', 50)).toEqual([]);
    expect(cache.bytes).toBe(100);
  });

  it('refreshes recency on get, so the entry read survives the next eviction', () => {
    const cache = sized(2, 1000);
    cache.set('a', 1);
    cache.set('b', 1);
    cache.get('a');
    expect(cache.set('c', 1)).toEqual(['b']);
    expect(cache.keys()).toEqual(['c', 'a']);
  });

  it('does not refresh recency on peek or has', () => {
    const cache = sized(2, 1000);
    cache.set('a', 1);
    cache.set('b', 1);
    expect(cache.peek('a')).toBe(1);
    expect(cache.has('a')).toBe(true);
    expect(cache.set('c', 1)).toEqual(['a']);
    expect(cache.peek('a')).toBeUndefined();
  });

  it('replaces a value in place: bytes follow the new size, recency moves to the front, nothing is evicted', () => {
    const cache = sized(2, 100);
    cache.set('a', 30);
    cache.set('b', 30);
    expect(cache.set('a', 50)).toEqual([]);
    expect(cache.bytes).toBe(80);
    expect(cache.size).toBe(2);
    expect(cache.keys()).toEqual(['a', 'b']);
    expect(cache.evictions).toBe(0);
  });

  it('evicts others, not the replaced key, when a replacement grows past the byte bound', () => {
    const cache = sized(10, 100);
    cache.set('a', 30);
    cache.set('b', 30);
    expect(cache.set('a', 80)).toEqual(['b']);
    expect(cache.keys()).toEqual(['a']);
    expect(cache.bytes).toBe(80);
  });

  it('refuses a value larger than the byte bound on its own, returning its key and keeping the rest', () => {
    const cache = sized(10, 100);
    cache.set('a', 10);
    cache.set('huge', 5);
    expect(cache.set('huge', 101)).toEqual(['huge']);
    expect(cache.has('huge')).toBe(false);
    expect(cache.keys()).toEqual(['a']);
    expect(cache.bytes).toBe(10);
    expect(cache.evictions).toBe(1);
  });

  it('counts evictions over its life, but not delete, clear or replace', () => {
    const cache = sized(1, 1000);
    cache.set('a', 1);
    cache.set('a', 2);
    cache.set('b', 1); // evicts a
    cache.set('c', 1); // evicts b
    expect(cache.delete('c')).toBe(true);
    expect(cache.delete('c')).toBe(false);
    cache.set('d', 1);
    cache.clear();
    expect(cache.evictions).toBe(2);
    expect(cache.size).toBe(0);
    expect(cache.bytes).toBe(0);
    expect(cache.keys()).toEqual([]);
  });

  it('frees the bytes of a deleted entry', () => {
    const cache = sized(10, 100);
    cache.set('a', 60);
    cache.delete('a');
    expect(cache.bytes).toBe(0);
    expect(cache.set('b', 100)).toEqual([]);
  });

  it('lists keys most recently used first', () => {
    const cache = sized(10, 1000);
    for (const key of ['a', 'b', 'c', 'd']) cache.set(key, 1);
    cache.get('b');
    cache.set('a', 1);
    expect(cache.keys()).toEqual(['a', 'b', 'd', 'c']);
  });

  it('never holds more than its bounds through a long random workload', () => {
    const cache = sized(5, 50);
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 2000; i++) {
      const key = `k${next() % 12}`;
      if (next() % 3 === 0) cache.get(key);
      else cache.set(key, next() % 30);
      expect(cache.size).toBeLessThanOrEqual(5);
      expect(cache.bytes).toBeLessThanOrEqual(50);
      expect(cache.bytes).toBe(cache.keys().reduce((sum, k) => sum + (cache.peek(k) ?? 0), 0));
    }
  });

  it.each([
    [{ maxEntries: 0, maxBytes: 1 }],
    [{ maxEntries: 1, maxBytes: 0 }],
    [{ maxEntries: 1.5, maxBytes: 1 }],
    [{ maxEntries: 1, maxBytes: Number.POSITIVE_INFINITY }],
  ])('rejects bounds %j as a vyre-web bug (limits.ts resolves user input first)', (bounds) => {
    expect(() => new LruCache<number>(bounds, (v) => v)).toThrow(expect.objectContaining({ code: 'internal' }));
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('rejects a size estimate of %s as a vyre-web bug', (size) => {
    const cache = new LruCache<number>({ maxEntries: 1, maxBytes: 1 }, () => size);
    let thrown: unknown;
    try {
      cache.set('a', 0);
    } catch (error) {
      thrown = error;
    }
    expect(isVyreError(thrown) && thrown.code).toBe('internal');
  });
});

describe('estimateArtifactBytes', () => {
  it('is UTF-16 code length × 2 + 256 per binding + a fixed 16 KiB', () => {
    expect(ESTIMATED_PIPELINE_OVERHEAD_BYTES).toBe(16 * 1024);
    expect(ESTIMATED_BINDING_OVERHEAD_BYTES).toBe(256);
    // 10 UTF-16 units × 2 + 3 × 256 + 16384
    expect(estimateArtifactBytes({ code: '0123456789', buffers: [{}, {}, {}] })).toBe(20 + 768 + 16384);
  });

  it('counts UTF-16 units, not UTF-8 bytes or code points', () => {
    // "é" is one UTF-16 unit, "𝑥" two (a surrogate pair).
    expect(estimateArtifactBytes({ code: 'é𝑥', buffers: [] })).toBe(3 * 2 + 16384);
  });

  it('gives even an empty artifact the fixed pipeline cost', () => {
    expect(estimateArtifactBytes({ code: '', buffers: [] })).toBe(16384);
  });
});
