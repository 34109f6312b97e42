/**
 * The texture pool keeps idle textures per size class up to a byte bound: many small ones,
 * a chain's worth of 1080p frames, a few 4K ones, never none.
 */
import { describe, expect, it } from 'vitest';
import { idleLimit } from '../../src/gpu/texture-pool.ts';

describe('idle textures kept per class', () => {
  it('keeps 16 small textures, 12 1080p rgba8 frames (100,663,296 / 8,294,400 bytes = 12.1), 3 4K rgba8 (33 MB each) and 1 4K rgba32float (133 MB)', () => {
    expect(idleLimit(64 * 64 * 4)).toBe(16);
    expect(idleLimit(1920 * 1080 * 4)).toBe(12);
    expect(idleLimit(3840 * 2160 * 4)).toBe(3);
    expect(idleLimit(3840 * 2160 * 16)).toBe(1);
  });
});
