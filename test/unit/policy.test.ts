/**
 * The dispatch policy of a compile, resolved against the program's own workgroup size: its
 * stable string goes into the cache key and the manifest (`wg=[x,y,z]`, or `wg=code` for a
 * WGSL program whose size its code says, then `;constants={…}` when constants are set).
 */
import { describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../src/pipeline/policy.ts';
import { thrownBy } from './support/thrown-by.ts';

describe('resolvePolicy: IR programs', () => {
  it('keeps the program size when the policy is absent', () => {
    expect(resolvePolicy(undefined, [64, 1, 1], true)).toEqual({ workgroupSize: [64, 1, 1], constants: {}, floats: 'exact', tuned: '', string: 'wg=[64,1,1]' });
    expect(resolvePolicy(null, [8, 8, 1], true).string).toBe('wg=[8,8,1]');
  });

  it.each<[string, unknown, readonly number[]]>([
    ['a number', 128, [128, 1, 1]],
    ['two axes', [16, 16], [16, 16, 1]],
    ['three axes', [4, 4, 4], [4, 4, 4]],
  ])('overrides the size with a workgroupSize of %s', (_what, workgroupSize, expected) => {
    const resolved = resolvePolicy({ workgroupSize }, [64, 1, 1], true);
    expect(resolved.workgroupSize).toEqual(expected);
    expect(resolved.string).toBe(`wg=[${expected.join(',')}]`);
  });

  it('rejects constants, which only WGSL programs declare', () => {
    expect(thrownBy(() => resolvePolicy({ constants: { WG: 64 } }, [64, 1, 1], true)).code).toBe('invalid-policy');
  });
});

describe('resolvePolicy: floats', () => {
  it("writes nothing for floats 'exact', the default, so keys stored before the field existed still match", () => {
    expect(resolvePolicy({ floats: 'exact' }, [64, 1, 1], true)).toEqual(resolvePolicy(undefined, [64, 1, 1], true));
  });

  it("appends ;floats=fast after the size, so a fast build is a pipeline of its own", () => {
    const resolved = resolvePolicy({ floats: 'fast', workgroupSize: 128 }, [64, 1, 1], true);
    expect(resolved).toMatchObject({ floats: 'fast', workgroupSize: [128, 1, 1], string: 'wg=[128,1,1];floats=fast' });
  });

  it.each<[string, unknown]>([
    ['a misspelling', 'fastest'],
    ['a boolean', true],
    ['null', null],
  ])('rejects floats given as %s with invalid-policy, naming both values', (_what, floats) => {
    const error = thrownBy(() => resolvePolicy({ floats }, [64, 1, 1], true));
    expect(error.code).toBe('invalid-policy');
    expect(error.message).toContain("'exact', 'fast'");
    expect(error.message).toContain('Fix:');
  });

  it('rejects floats for a WGSL program, whose code is compiled as written', () => {
    const error = thrownBy(() => resolvePolicy({ floats: 'fast' }, null, false));
    expect(error.code).toBe('invalid-policy');
    expect(error.message).toMatch(/fma\(\)/);
  });
});

describe('resolvePolicy: WGSL programs', () => {
  it('says `wg=code` for a program whose size its code says', () => {
    expect(resolvePolicy(undefined, null, false).string).toBe('wg=code');
  });

  it('says the declared size for a program that declares one', () => {
    expect(resolvePolicy(undefined, [64, 1, 1], false).string).toBe('wg=[64,1,1]');
  });

  it('appends the constants by name, booleans as 1 and 0, whatever order they were given in', () => {
    const resolved = resolvePolicy({ constants: { WG: 128, flag: true, alpha: 0.5, off: false } }, null, false);
    expect(resolved.constants).toEqual({ WG: 128, alpha: 0.5, flag: 1, off: 0 });
    // Object.keys(...).sort(): upper case sorts before lower case.
    expect(resolved.string).toBe('wg=code;constants={WG=128,alpha=0.5,flag=1,off=0}');
    expect(resolvePolicy({ constants: { off: false, alpha: 0.5, flag: true, WG: 128 } }, null, false).string).toBe(resolved.string);
  });

  it('says nothing of constants when the policy sets none', () => {
    expect(resolvePolicy({ constants: {} }, null, false).string).toBe('wg=code');
  });

  it.each<[string, unknown]>([
    ['a workgroupSize other than the declared one', { workgroupSize: 32 }],
    ['constants that are not an object', { constants: [1] }],
    ['a constant named with a non-identifier', { constants: { 'not-a-name': 1 } }],
    ['a constant that is not finite', { constants: { WG: Number.POSITIVE_INFINITY } }],
    ['a constant that is a string', { constants: { WG: '64' } }],
    ['an unknown field', { bounds: 'guard' }],
  ])('rejects %s with invalid-policy', (_what, policy) => {
    expect(thrownBy(() => resolvePolicy(policy, [64, 1, 1], false)).code).toBe('invalid-policy');
  });
});
