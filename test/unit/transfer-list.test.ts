/**
 * What a worker reply moves instead of cloning. A buffer left out of the transfer list is
 * structured-cloned: for an 8 MB image that costs Chrome 12–13 ms (docs/benchmarks.md),
 * which is how recycled input buffers once went back by copy.
 */
import { describe, expect, it } from 'vitest';
import { COPY_FROM_BYTES } from '../../src/protocol/dispatch.ts';
import { recyclableBuffers, transferList } from '../../src/worker/transfer-list.ts';

describe('transferList', () => {
  it('moves typed arrays\' buffers and ArrayBuffers themselves, each once, never shared memory', () => {
    const output = new Float32Array(8);
    const returned = new ArrayBuffer(COPY_FROM_BYTES);
    const shared = new Uint32Array(new SharedArrayBuffer(16));
    const alsoOnOutput = new Uint8Array(output.buffer);
    expect(transferList([output, returned, shared, alsoOnOutput, 'not an array', null])).toEqual([output.buffer, returned]);
  });
});

describe('recyclableBuffers', () => {
  it('finds the large input buffers of a batch, raw pixels included, and skips small and shared ones', () => {
    const x = new Float32Array(COPY_FROM_BYTES / 4);
    const pixels = { data: new Uint8ClampedArray(COPY_FROM_BYTES), width: 128, height: 128 };
    const small = new Uint32Array(4);
    const shared = new Float32Array(new SharedArrayBuffer(COPY_FROM_BYTES));
    expect(recyclableBuffers([{ x, small, shared }, { pixels, again: x }, null])).toEqual([x.buffer, pixels.data.buffer]);
  });
});
