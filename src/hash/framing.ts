/**
 * Tagged, length-prefixed framing for cache keys and digests.
 *
 * Format (all integers little-endian u32):
 *   field  := tag-byte payload
 *   u32    := 0x01 value
 *   string := 0x02 byteLength utf8-bytes
 *   label  := 0x03 byteLength utf8-bytes      (a domain separator, e.g. "vyre-web/wgsl-program")
 *   list   := 0x04 count                      (followed by `count` fields)
 *   f64    := 0x05 8 bytes (IEEE-754, little-endian)
 *
 * Every variable-length field carries its length, so moving characters between two
 * adjacent names ("ab","c" vs "a","bc") always changes the framed bytes, and a tag byte
 * in front of each field keeps a string from ever reading as a number.
 */
import { sha256, toHex } from './sha256.ts';

const TAG_U32 = 0x01;
const TAG_STRING = 0x02;
const TAG_LABEL = 0x03;
const TAG_LIST = 0x04;
const TAG_F64 = 0x05;

const encoder = new TextEncoder();

/** Accumulates framed fields, then hashes them. */
export class FrameWriter {
  private bytes = new Uint8Array(256);
  private view = new DataView(this.bytes.buffer);
  private length = 0;

  /** Domain-separation label; begin every digest with one that names its format and version. */
  label(text: string): this {
    return this.utf8(TAG_LABEL, text);
  }

  string(text: string): this {
    return this.utf8(TAG_STRING, text);
  }

  u32(value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff) {
      throw new RangeError(`framing: ${value} is not a u32`);
    }
    this.reserve(5);
    this.bytes[this.length] = TAG_U32;
    this.view.setUint32(this.length + 1, value, true);
    this.length += 5;
    return this;
  }

  f64(value: number): this {
    this.reserve(9);
    this.bytes[this.length] = TAG_F64;
    this.view.setFloat64(this.length + 1, value, true);
    this.length += 9;
    return this;
  }

  /** Announces a list of `count` fields that follow. */
  list(count: number): this {
    if (!Number.isInteger(count) || count < 0 || count > 0xffff_ffff) {
      throw new RangeError(`framing: list count ${count} is not a u32`);
    }
    this.u32Tagged(TAG_LIST, count);
    return this;
  }

  /** The framed bytes so far (a view, valid until the next write). */
  framed(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  /** SHA-256 of the framed bytes, lowercase hex. */
  digestHex(): string {
    return toHex(sha256(this.framed()));
  }

  private utf8(tag: number, text: string): this {
    // Worst case UTF-8 is 3 bytes per UTF-16 unit.
    this.reserve(5 + text.length * 3);
    const target = this.bytes.subarray(this.length + 5);
    const { written } = encoder.encodeInto(text, target);
    this.bytes[this.length] = tag;
    this.view.setUint32(this.length + 1, written, true);
    this.length += 5 + written;
    return this;
  }

  private u32Tagged(tag: number, value: number): void {
    this.reserve(5);
    this.bytes[this.length] = tag;
    this.view.setUint32(this.length + 1, value >>> 0, true);
    this.length += 5;
  }

  private reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.bytes.length) return;
    let capacity = this.bytes.length * 2;
    while (capacity < needed) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }
}
