/** The library version in code is the one package.json publishes. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LIBRARY_VERSION } from '../../src/version.ts';

describe('LIBRARY_VERSION', () => {
  it("equals package.json's version", () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: unknown };
    expect(typeof pkg.version).toBe('string');
    expect(LIBRARY_VERSION).toBe(pkg.version);
  });

  it('is a semantic version', () => {
    expect(LIBRARY_VERSION).toMatch(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/);
  });
});
