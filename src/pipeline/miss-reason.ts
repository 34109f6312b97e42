/**
 * Why the persistent tier missed, classified against what the store holds (the names are
 * defined in `protocol/compile.ts`). Order matters: the first rule that applies names the miss.
 */
import type { MissReason } from '../protocol/compile.ts';

/** What the store knows about the identity that missed. */
export interface MissEvidence {
  /** The exact record existed but failed its integrity check (it was deleted). */
  readonly corrupt: boolean;
  /** The store holds no record at all. */
  readonly storeIsEmpty: boolean;
  /** Some record has this program digest (any policy, any device). */
  readonly programKnown: boolean;
  /** Some record has this program digest and this policy (any device). */
  readonly programWithPolicyKnown: boolean;
  /** Some record has this program digest, policy and device fingerprint, under another identity. */
  readonly programWithPolicyOnDeviceKnown: boolean;
}

/**
 * - `corrupt-entry`: the record was there but failed its checksum or shape check;
 * - `empty-cache`: nothing stored yet (a first visit, or storage was cleared);
 * - `program-changed`: no record of this program: new, or its code changed;
 * - `dispatch-policy-changed`: the program is known, but not with this policy;
 * - `device-or-runtime-changed`: known with this policy, but for another device
 *   fingerprint (GPU, driver, browser version or library codegen changed);
 * - `key-absent`: everything matches some record, yet not this exact key (e.g. the
 *   key version changed, or the record was evicted and others remain).
 */
export function classifyMiss(evidence: MissEvidence): MissReason {
  if (evidence.corrupt) return 'corrupt-entry';
  if (evidence.storeIsEmpty) return 'empty-cache';
  if (!evidence.programKnown) return 'program-changed';
  if (!evidence.programWithPolicyKnown) return 'dispatch-policy-changed';
  if (!evidence.programWithPolicyOnDeviceKnown) return 'device-or-runtime-changed';
  return 'key-absent';
}
