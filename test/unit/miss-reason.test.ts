/**
 * Miss classification: the first rule that applies names the miss, in the order of
 * DESIGN.md §4 (corrupt first, then empty cache, program, policy, device or runtime).
 */
import { describe, expect, it } from 'vitest';
import { classifyMiss, type MissEvidence } from '../../src/pipeline/miss-reason.ts';
import { MISS_REASONS, type MissReason } from '../../src/protocol/compile.ts';

const evidence = (fields: Partial<MissEvidence>): MissEvidence => ({
  corrupt: false,
  storeIsEmpty: false,
  programKnown: true,
  programWithPolicyKnown: true,
  programWithPolicyOnDeviceKnown: false,
  ...fields,
});

describe('classifyMiss', () => {
  it('has a stable name for every reason, in classification order', () => {
    expect(MISS_REASONS).toEqual(['corrupt-entry', 'empty-cache', 'program-changed', 'dispatch-policy-changed', 'device-or-runtime-changed', 'key-absent']);
  });

  it.each<[string, Partial<MissEvidence>, MissReason]>([
    // One condition at a time.
    ['a record that failed its integrity check', { corrupt: true }, 'corrupt-entry'],
    ['an empty store', { storeIsEmpty: true, programKnown: false, programWithPolicyKnown: false }, 'empty-cache'],
    ['a program the store has never seen', { programKnown: false, programWithPolicyKnown: false }, 'program-changed'],
    ['a known program under a new policy', { programWithPolicyKnown: false }, 'dispatch-policy-changed'],
    ['a known program and policy on another device or runtime', {}, 'device-or-runtime-changed'],
    ['a known program, policy and device under another key', { programWithPolicyOnDeviceKnown: true }, 'key-absent'],
  ])('names %s', (_, fields, reason) => {
    expect(classifyMiss(evidence(fields))).toBe(reason);
  });

  it.each<[string, Partial<MissEvidence>, MissReason]>([
    // Several conditions at once: the earliest rule wins.
    ['corrupt beats everything else', { corrupt: true, storeIsEmpty: true, programKnown: false, programWithPolicyKnown: false }, 'corrupt-entry'],
    ['corrupt beats an unknown program', { corrupt: true, programKnown: false }, 'corrupt-entry'],
    ['corrupt beats a new policy', { corrupt: true, programWithPolicyKnown: false }, 'corrupt-entry'],
    // The corrupt record was deleted, which may have emptied the store: still corrupt.
    ['corrupt beats an empty store', { corrupt: true, storeIsEmpty: true }, 'corrupt-entry'],
    ['an empty store beats an unknown program', { storeIsEmpty: true, programKnown: false }, 'empty-cache'],
    // Inconsistent evidence (empty yet "known") still reads as empty: emptiness is checked first.
    ['an empty store beats known-program flags', { storeIsEmpty: true }, 'empty-cache'],
    ['an unknown program beats a new policy', { programKnown: false, programWithPolicyKnown: false }, 'program-changed'],
    // Inconsistent evidence (policy known for an unknown program) names the program.
    ['an unknown program beats a policy flag that claims otherwise', { programKnown: false, programWithPolicyKnown: true }, 'program-changed'],
  ])('precedence: %s', (_, fields, reason) => {
    expect(classifyMiss(evidence(fields))).toBe(reason);
  });

  it('names every combination of the five flags with the first applicable rule', () => {
    for (let bits = 0; bits < 32; bits++) {
      const e: MissEvidence = { corrupt: (bits & 1) !== 0, storeIsEmpty: (bits & 2) !== 0, programKnown: (bits & 4) !== 0, programWithPolicyKnown: (bits & 8) !== 0, programWithPolicyOnDeviceKnown: (bits & 16) !== 0 };
      const expected: MissReason = e.corrupt
        ? 'corrupt-entry'
        : e.storeIsEmpty
          ? 'empty-cache'
          : !e.programKnown
            ? 'program-changed'
            : !e.programWithPolicyKnown
              ? 'dispatch-policy-changed'
              : !e.programWithPolicyOnDeviceKnown
                ? 'device-or-runtime-changed'
                : 'key-absent';
      expect(classifyMiss(e), JSON.stringify(e)).toBe(expected);
    }
  });
});
