/**
 * Counts one byte value in data packed four bytes per u32 word: a per-workgroup partial
 * count in workgroup memory, then one global atomic add per workgroup.
 */
import { program } from '../program/builder.ts';
import type { LaunchOptions } from '../protocol/dispatch.ts';

/**
 * `count[0] = #{ (i, b) : byte b of data[i] equals target }`, bytes `b = 0 … 3` taken
 * from the low end (`(data[i] >> 8b) & 255`, which is memory order on little-endian hosts).
 *
 * - Inputs: `data` (`read`, u32): the bytes, packed four per word (e.g. a `Uint32Array`
 *   view of a `Uint8Array` whose length is a multiple of 4; pad the tail with a byte
 *   other than `target`).
 * - Outputs: `count` (`output`, u32), one element (static sizing).
 * - Params: `target` (u32): the byte value, 0 … 255 (larger values never match).
 * - Dispatch options (required; the default grid would cover only `count`):
 *   {@link countByteOptions}`(data.length, target)` = `{ params: { target }, invocations: words }`.
 * - Exact (wraps modulo 2³² beyond 4 · 2³² − 1 bytes, which no buffer reaches).
 *
 * Workgroups of 256 invocations, one word each; each adds its word's matches to a
 * workgroup counter with an atomic, waits at a barrier, and invocation 0 adds the
 * counter to `count` with one global atomic add.
 */
export const countByte = program({ name: 'count-byte', workgroupSize: 256 }, (b) => {
  const data = b.buffer('data', 'u32', 'read');
  const count = b.buffer('count', 'u32', 'output', { sizing: { kind: 'static', count: 1 } });
  const target = b.param('target', 'u32');
  const partial = b.workgroup('partial', 'u32', 1);
  const i = b.let('i', b.linearIndex());
  b.if(i.lt(data.length()), () => {
    const word = b.let('word', data.load(i));
    const matches = b.let('matches', b.u32(0));
    b.loop('byte', b.u32(0), 4, (byte) => {
      const value = word.shr(byte.mul(8)).bitAnd(255);
      matches.set(matches.add(value.eq(target).cast('u32')));
    });
    b.if(matches.ne(0), () => {
      b.let('ignored', partial.atomic('add', 0, matches));
    });
  });
  b.barrier();
  b.if(b.localIndex().eq(0), () => {
    const total = b.let('total', partial.atomicLoad(0));
    b.if(total.ne(0), () => {
      b.let('ignored_old', count.atomic('add', 0, total));
    });
  });
  return { data, count };
});

/**
 * Dispatch options of {@link countByte}.
 * @param words - the length of `data` (bytes / 4).
 * @param target - the byte value to count.
 */
export function countByteOptions(words: number, target: number): LaunchOptions {
  return { params: { target }, invocations: words };
}
