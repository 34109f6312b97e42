/**
 * The documented digest framing (src/hash/framing.ts) written out independently with
 * Buffer, so digest tests can check our FrameWriter and sha256 against node:crypto.
 * A tagged field is one tag byte and a little-endian payload.
 */

/** A tagged u32: tag, then the value as 4 bytes. */
export function taggedU32(tag: number, value: number): Buffer {
  const field = Buffer.alloc(5);
  field.writeUInt8(tag, 0);
  field.writeUInt32LE(value, 1);
  return field;
}

/** A tagged string: its UTF-8 byte length as a tagged u32, then the bytes. */
export function taggedText(tag: number, value: string): Buffer {
  const utf8 = Buffer.from(value, 'utf8');
  return Buffer.concat([taggedU32(tag, utf8.length), utf8]);
}

/** A tagged f64: tag, then the value as 8 bytes. */
export function taggedF64(tag: number, value: number): Buffer {
  const field = Buffer.alloc(9);
  field.writeUInt8(tag, 0);
  field.writeDoubleLE(value, 1);
  return field;
}
