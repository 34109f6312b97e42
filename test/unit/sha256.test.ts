/**
 * The synchronous SHA-256 behind every digest: the published FIPS 180-4 / NIST vectors,
 * and the padding boundaries checked against Node's own implementation.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sha256, toHex } from '../../src/hash/sha256.ts';

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);
const nodeSha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Deterministic, non-repeating bytes, so a mistake in block order or padding shows. */
function patterned(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 151 + 7) & 0xff;
  return bytes;
}

describe('sha256', () => {
  // FIPS 180-4 example values (NIST CSRC "SHA256.pdf", "SHA2 Additional Examples").
  it.each([
    ['the empty string', '', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['"abc"', 'abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [
      'the 448-bit two-block message',
      'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    ],
  ])('hashes %s to the NIST test vector', (_what, message, expected) => {
    expect(toHex(sha256(ascii(message)))).toBe(expected);
  });

  it('hashes one million "a" to the NIST test vector', () => {
    const million = new Uint8Array(1_000_000).fill(0x61);
    expect(toHex(sha256(million))).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });

  it('returns 32 bytes', () => {
    const digest = sha256(ascii('abc'));
    expect(digest).toBeInstanceOf(Uint8Array);
    expect(digest).toHaveLength(32);
  });

  // 55 is the longest message that pads into one block, 56 the shortest that needs two;
  // 63, 64 and 65 straddle a full block.
  it.each([[1], [55], [56], [57], [63], [64], [65], [119], [120], [128], [1000]])(
    'agrees with node:crypto for a %i-byte message',
    (length) => {
      const bytes = patterned(length);
      expect(toHex(sha256(bytes))).toBe(nodeSha256(bytes));
    },
  );

  it('agrees with node:crypto for all-0xff bytes, where sign mistakes in 32-bit arithmetic show', () => {
    const bytes = new Uint8Array(200).fill(0xff);
    expect(toHex(sha256(bytes))).toBe(nodeSha256(bytes));
  });

  it('hashes only the bytes of a subarray view, not its whole buffer', () => {
    const whole = patterned(100);
    const view = whole.subarray(10, 50);
    expect(toHex(sha256(view))).toBe(nodeSha256(whole.slice(10, 50)));
  });

  it('does not modify its input', () => {
    const bytes = patterned(70);
    const copy = bytes.slice();
    sha256(bytes);
    expect(bytes).toEqual(copy);
  });
});

describe('toHex', () => {
  it('writes two lowercase digits per byte, keeping leading zeros', () => {
    expect(toHex(Uint8Array.of(0x00, 0x0f, 0xa0, 0xff))).toBe('000fa0ff');
    expect(toHex(new Uint8Array(0))).toBe('');
  });
});
