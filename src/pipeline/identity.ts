/**
 * Pipeline identity: the cache key of a compiled pipeline, in both tiers.
 *
 *   identity = H("vyre-web/pipeline-identity", KEY_VERSION, programDigest, policyDigest, deviceFingerprint)
 *
 * Framing (field encoding in `src/hash/framing.ts`):
 *
 *   label  "vyre-web/pipeline-identity"
 *   u32    CURRENT_PIPELINE_CACHE_KEY_VERSION
 *   string program digest             (hex, `src/program/digest.ts`)
 *   string policy digest              (hex, {@link policyDigest})
 *   string device fingerprint digest  (hex, `fingerprint.ts`)
 *
 * The label carries no version of its own: the key version right behind it is the
 * version, and bumping it retires every stored key at once. Launch-time settings (grid,
 * output sizes, params, labels) never enter; the policy string holds only what changes
 * generated code.
 *
 * Policy digest framing: label "vyre-web/dispatch-policy/v1", string policy string.
 */
import { invariant } from '../errors.ts';
import { FrameWriter } from '../hash/framing.ts';

/** Version mixed into every pipeline cache key; bump it when the key's meaning changes. */
export const CURRENT_PIPELINE_CACHE_KEY_VERSION = 1;

export const PIPELINE_IDENTITY_LABEL = 'vyre-web/pipeline-identity';
export const DISPATCH_POLICY_LABEL = 'vyre-web/dispatch-policy/v1';

/** Length of the public pipeline id, in hex characters (64 bits). */
export const PIPELINE_ID_LENGTH = 16;

/**
 * Digest of a resolved dispatch policy.
 * @param policyString - the stable policy string, e.g. `wg=[64,1,1]` (`policy.ts`).
 * @returns 64 lowercase hex characters; depends on nothing but `policyString`.
 */
export function policyDigest(policyString: string): string {
  return new FrameWriter().label(DISPATCH_POLICY_LABEL).string(policyString).digestHex();
}

/** The three facts a pipeline identity is made of. */
export interface IdentityParts {
  /** Normalized program digest, hex. */
  readonly programDigest: string;
  /** Stable policy string; digested here with {@link policyDigest}. */
  readonly policyString: string;
  /** Device fingerprint digest, hex. */
  readonly deviceFingerprint: string;
}

/**
 * The full pipeline identity: the key of both cache tiers.
 * @param parts - program digest, policy string and device fingerprint digest.
 * @returns 64 lowercase hex characters.
 * @example
 * ```ts
 * const identity = pipelineIdentity({ programDigest: programDigest(program), policyString: policy.string,
 *   deviceFingerprint: fingerprint.digest });
 * const id = pipelineIdOf(identity);
 * ```
 */
export function pipelineIdentity(parts: IdentityParts): string {
  return new FrameWriter()
    .label(PIPELINE_IDENTITY_LABEL)
    .u32(CURRENT_PIPELINE_CACHE_KEY_VERSION)
    .string(parts.programDigest)
    .string(policyDigest(parts.policyString))
    .string(parts.deviceFingerprint)
    .digestHex();
}

/**
 * The public pipeline id: the first {@link PIPELINE_ID_LENGTH} hex characters of the
 * identity. Short enough to read in labels and logs; the full identity stays the key.
 * @param identity - a value returned by {@link pipelineIdentity}.
 * @throws VyreError `internal` when `identity` is not 64 lowercase hex characters.
 */
export function pipelineIdOf(identity: string): string {
  invariant(/^[0-9a-f]{64}$/.test(identity), `a pipeline identity is 64 lowercase hex characters, got ${JSON.stringify(identity.slice(0, 80))}`);
  return identity.slice(0, PIPELINE_ID_LENGTH);
}
