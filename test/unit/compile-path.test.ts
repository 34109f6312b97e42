/**
 * The compile path as a chunk of its own (src/pipeline/compile-path.ts): loaded once and
 * shared, and a chunk that does not load is a VyreError with a Fix, not a stuck runtime.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

const TIER_LOOKUP = '../../src/pipeline/tier-lookup.ts';
const WGSL_ARTIFACT = '../../src/pipeline/wgsl-artifact.ts';

afterEach(() => {
  vi.doUnmock(TIER_LOOKUP);
  vi.doUnmock(WGSL_ARTIFACT);
  vi.resetModules();
});

describe('the compile path, loaded on demand', () => {
  it('loads once: every caller gets the same module, with the compile functions', async () => {
    const { loadCompilePath } = await import('../../src/pipeline/compile-path.ts');
    const [a, b] = await Promise.all([loadCompilePath(), loadCompilePath()]);
    expect(a).toBe(b);
    expect(a).toBe(await loadCompilePath());
    expect(typeof a.compileKeyOf).toBe('function');
    expect(typeof a.lookUpOrLower).toBe('function');
  });

  it('a chunk that does not load rejects with worker-terminated and a Fix, and the next call tries again', async () => {
    vi.resetModules();
    vi.doMock(TIER_LOOKUP, () => {
      throw new TypeError('Failed to fetch dynamically imported module: https://app.example/assets/worker-tier-lookup-x.js');
    });
    const { loadCompilePath } = await import('../../src/pipeline/compile-path.ts');
    // Loaded after the reset: the VyreError class compile-path.ts now throws.
    const { isVyreError } = await import('../../src/errors.ts');
    const error: unknown = await loadCompilePath().then(() => 'loaded', (e: unknown) => e);
    expect(isVyreError(error) && error.code).toBe('worker-terminated');
    // The cause's text is vitest's wrapping of the mock's throw here; in a browser, the fetch error naming the chunk.
    expect((error as Error).message).toMatch(/^The worker's compile code did not load: .+\. Fix: host every dist\/worker\*\.js file/);
    expect((error as Error).cause).toBeInstanceOf(Error);
    vi.doUnmock(TIER_LOOKUP);
    await expect(loadCompilePath()).resolves.toHaveProperty('compileKeyOf');
  });

  it('its WGSL side loads apart, once: before it has, lowering a WGSL module is an internal error; a chunk that does not load is worker-terminated, and the next call tries again', async () => {
    vi.resetModules();
    const { loadWgslPath, wgslPath } = await import('../../src/pipeline/wgsl-slot.ts');
    const { isVyreError } = await import('../../src/errors.ts');
    const early: unknown = (() => {
      try {
        return wgslPath();
      } catch (error) {
        return error;
      }
    })();
    expect(isVyreError(early) && early.code).toBe('internal');
    const [a, b] = await Promise.all([loadWgslPath(), loadWgslPath()]);
    expect(a).toBe(b);
    expect(wgslPath()).toBe(a);
    expect(typeof a.wgslArtifact).toBe('function');

    vi.resetModules();
    vi.doMock(WGSL_ARTIFACT, () => {
      throw new TypeError('Failed to fetch dynamically imported module: https://app.example/assets/worker-wgsl-artifact-x.js');
    });
    const fresh = await import('../../src/pipeline/wgsl-slot.ts');
    const errors = await import('../../src/errors.ts');
    const failed: unknown = await fresh.loadWgslPath().then(() => 'loaded', (e: unknown) => e);
    expect(errors.isVyreError(failed) && failed.code).toBe('worker-terminated');
    expect((failed as Error).message).toMatch(/Fix: host every dist\/worker\*\.js file/);
    vi.doUnmock(WGSL_ARTIFACT);
    await expect(fresh.loadWgslPath()).resolves.toHaveProperty('wgslArtifact');
  });
});
