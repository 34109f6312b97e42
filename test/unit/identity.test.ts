/**
 * The pipeline identity: one key per (program, code-generation policy, device), with the
 * key version mixed in, framed exactly as DESIGN.md §4 writes it.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isVyreError } from '../../src/errors.ts';
import {
  CURRENT_PIPELINE_CACHE_KEY_VERSION,
  pipelineIdOf,
  pipelineIdentity,
  policyDigest,
  type IdentityParts,
} from '../../src/pipeline/identity.ts';

const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

const BASE: IdentityParts = {
  programDigest: sha256Hex('program'),
  policyString: 'wg=[64,1,1]',
  deviceFingerprint: sha256Hex('device'),
};

/** The framing of src/hash/framing.ts, rebuilt from its documentation. */
function field(tag: number, payload: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32LE(payload.length);
  return Buffer.concat([Buffer.from([tag]), length, payload]);
}
const label = (text: string) => field(0x03, Buffer.from(text, 'utf8'));
const string = (text: string) => field(0x02, Buffer.from(text, 'utf8'));
const u32 = (value: number) => {
  const bytes = Buffer.alloc(5);
  bytes[0] = 0x01;
  bytes.writeUInt32LE(value, 1);
  return bytes;
};
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('pipelineIdentity', () => {
  it('is 64 lowercase hex characters, the same for the same parts', () => {
    const identity = pipelineIdentity(BASE);
    expect(identity).toMatch(/^[0-9a-f]{64}$/);
    expect(pipelineIdentity({ ...BASE })).toBe(identity);
  });

  it('is H("vyre-web/pipeline-identity", KEY_VERSION, programDigest, policyDigest, deviceFingerprint)', () => {
    const policy = sha(Buffer.concat([label('vyre-web/dispatch-policy/v1'), string(BASE.policyString)]));
    const expected = sha(
      Buffer.concat([
        label('vyre-web/pipeline-identity'),
        u32(1), // CURRENT_PIPELINE_CACHE_KEY_VERSION, written out: the design fixes it at 1
        string(BASE.programDigest),
        string(policy),
        string(BASE.deviceFingerprint),
      ]),
    );
    expect(pipelineIdentity(BASE)).toBe(expected);
  });

  it('mixes in the key version: the same parts under version 2 would be another key', () => {
    expect(CURRENT_PIPELINE_CACHE_KEY_VERSION).toBe(1);
    const framed = (version: number) =>
      sha(Buffer.concat([label('vyre-web/pipeline-identity'), u32(version), string(BASE.programDigest), string(policyDigest(BASE.policyString)), string(BASE.deviceFingerprint)]));
    expect(pipelineIdentity(BASE)).toBe(framed(1));
    expect(pipelineIdentity(BASE)).not.toBe(framed(2));
  });

  it.each([
    ['program digest', { programDigest: sha256Hex('other program') }],
    ['policy string', { policyString: 'wg=[128,1,1]' }],
    ['device fingerprint', { deviceFingerprint: sha256Hex('other device') }],
  ] as const)('changes with the %s', (_, change) => {
    expect(pipelineIdentity({ ...BASE, ...change })).not.toBe(pipelineIdentity(BASE));
  });

  it('keeps the parts in their places: swapping program and device digests changes it', () => {
    const swapped = { ...BASE, programDigest: BASE.deviceFingerprint, deviceFingerprint: BASE.programDigest };
    expect(pipelineIdentity(swapped)).not.toBe(pipelineIdentity(BASE));
  });
});

describe('policyDigest', () => {
  it('is the documented framing of the policy string alone', () => {
    expect(policyDigest('wg=[64,1,1]')).toBe(sha(Buffer.concat([label('vyre-web/dispatch-policy/v1'), string('wg=[64,1,1]')])));
  });

  it('depends only on the policy string', () => {
    expect(policyDigest('wg=[64,1,1]')).toBe(policyDigest('wg=[64,1,1]'));
    expect(policyDigest('wg=[64,1,1]')).not.toBe(policyDigest('wg=[64,1,1]:bounds=guard'));
    expect(policyDigest('')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('is not the plain SHA-256 of the string (domain-separated by its label)', () => {
    expect(policyDigest('wg=[64,1,1]')).not.toBe(sha256Hex('wg=[64,1,1]'));
  });
});

describe('pipelineIdOf', () => {
  it('is the first 16 hex characters of the identity', () => {
    const identity = pipelineIdentity(BASE);
    expect(pipelineIdOf(identity)).toBe(identity.slice(0, 16));
    expect(pipelineIdOf('0123456789abcdef'.repeat(4))).toBe('0123456789abcdef');
  });

  it.each(['', 'abc', 'A'.repeat(64), 'g'.repeat(64), '0'.repeat(65)])('rejects %j as a vyre-web bug (internal)', (bad) => {
    let thrown: unknown;
    try {
      pipelineIdOf(bad);
    } catch (error) {
      thrown = error;
    }
    expect(isVyreError(thrown) && thrown.code).toBe('internal');
  });
});
