/**
 * Large inputs sent in bands ahead of their dispatch (src/client/staged-inputs.ts): which
 * inputs are staged, that the bands together hold exactly the input's bytes (pixels' rows
 * re-spaced to WebGPU's 256-byte copy alignment), where their memory comes from, and how
 * the worker's planning takes staged pixels.
 */
import { describe, expect, it } from 'vitest';
import { bands, withStagedInputs, type StagingContext } from '../../src/client/staged-inputs.ts';
import { CopyPool } from '../../src/client/input-copies.ts';
import { planImages, type ImageLimits } from '../../src/dispatch/plan-images.ts';
import { STAGE_BAND_BYTES, STAGE_FROM_BYTES, STAGE_MAX_PER_DISPATCH, type StagedBand, type StagedRef } from '../../src/protocol/staging.ts';
import type { BufferDeclaration } from '../../src/protocol/elements.ts';
import type { WgslImageResource, WgslType } from '../../src/protocol/wgsl-module.ts';
import { isVyreError } from '../../src/errors.ts';

const MiB = 1024 * 1024;
const X: BufferDeclaration = { name: 'x', binding: 0, access: 'read', type: 'f32' };

function context(buffers: readonly BufferDeclaration[], pool = new CopyPool()): StagingContext & { sent: StagedBand[] } {
  const sent: StagedBand[] = [];
  return { buffers, pool, send: (band) => sent.push(band), sent };
}

/** The bytes of one upload, put together from its bands at their offsets. */
function assemble(sent: readonly StagedBand[], id: number): Uint8Array {
  const mine = sent.filter((band) => band.id === id);
  const whole = new Uint8Array(mine[0]?.totalBytes ?? 0);
  for (const band of mine) whole.set(new Uint8Array(band.bytes), band.offset);
  return whole;
}

/** The first index where `a` and `b` differ, -1 when they are equal (vitest's deep equality is slow on megabytes). */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

describe('withStagedInputs: arrays', () => {
  it('sends an array of 3 MiB and 20 bytes as three 1 MiB bands and a 20-byte one that together hold its bytes, and names the upload in its place', () => {
    const x = Float32Array.from({ length: (3 * MiB + 20) / 4 }, (_, i) => i * 0.5);
    const ctx = context([X]);
    const { batch, staged } = withStagedInputs([{ x }], ctx);
    const ref = (batch[0] as unknown as Record<string, StagedRef>)['x']!;
    expect(staged).toBe(1);
    expect(ref).toMatchObject({ kind: 'vyre-staged', array: 'Float32Array', length: x.length, elementBytes: 4 });
    expect(ref.bytesPerRow).toBeUndefined();
    expect(ctx.sent.map((band) => [band.offset, band.bytes.byteLength, band.totalBytes])).toEqual([
      [0, MiB, 3 * MiB + 20],
      [MiB, MiB, 3 * MiB + 20],
      [2 * MiB, MiB, 3 * MiB + 20],
      [3 * MiB, 20, 3 * MiB + 20],
    ]);
    expect(firstDifference(assemble(ctx.sent, ref.id), new Uint8Array(x.buffer))).toBe(-1);
    expect(x[x.length - 1]).toBe((x.length - 1) * 0.5); // the caller's array is untouched
  });

  it.each<[string, BufferDeclaration, unknown]>([
    ['a small array', X, new Float32Array(STAGE_FROM_BYTES / 4 - 1)],
    ['an array of another element type', X, new Uint32Array(STAGE_FROM_BYTES / 4)],
    ['an array in shared memory', X, new Float32Array(new SharedArrayBuffer(STAGE_FROM_BYTES))],
    ['a read-write buffer\'s array', { ...X, access: 'read-write' }, new Float32Array(STAGE_FROM_BYTES / 4)],
    ['an array for a name no buffer has', { ...X, name: 'other' }, new Float32Array(STAGE_FROM_BYTES / 4)],
  ])('leaves %s to the whole copy', (_name, declaration, value) => {
    const ctx = context([declaration]);
    const { batch, staged } = withStagedInputs([{ x: value as Float32Array }], ctx);
    expect(staged).toBe(0);
    expect((batch[0] as Record<string, unknown>)['x']).toBe(value);
    expect(ctx.sent).toEqual([]);
  });

  const scalar = (s: 'f32' | 'u32'): WgslType => ({ kind: 'scalar', scalar: s, size: 4, align: 4 });
  const vector = (components: 2 | 3 | 4): WgslType => ({ kind: 'vector', scalar: 'f32', components, size: components === 2 ? 8 : components * 4, align: components === 2 ? 8 : 16 });
  const runtimeArray = (element: WgslType, stride: number): WgslType => ({ kind: 'array', element, count: null, stride, size: stride, align: 16 });
  it.each<[string, WgslType, boolean]>([
    ['array<f32>', runtimeArray(scalar('f32'), 4), true],
    ['array<vec4f>', runtimeArray(vector(4), 16), true],
    ['array<vec2f>', runtimeArray(vector(2), 8), true],
    ['array<vec3f> (padded to 16 bytes per element)', runtimeArray(vector(3), 16), false],
    ['array<u32> given floats', runtimeArray(scalar('u32'), 4), false],
    ['a fixed-size array<f32, N>', { kind: 'array', element: scalar('f32'), count: STAGE_FROM_BYTES / 4, stride: 4, size: STAGE_FROM_BYTES, align: 4 }, false],
  ])('stages a Float32Array for a WGSL %s only where its bytes go as they are: %s', (_name, layout, expected) => {
    const declaration = { ...X, layout } as BufferDeclaration;
    const { staged } = withStagedInputs([{ x: new Float32Array(STAGE_FROM_BYTES / 4) }], context([declaration]));
    expect(staged === 1).toBe(expected);
  });

  it('takes band memory from the pool when it holds buffers of the band\'s size', () => {
    const pool = new CopyPool();
    const returned = [new ArrayBuffer(MiB), new ArrayBuffer(MiB)];
    pool.give(returned);
    const ctx = context([X], pool);
    withStagedInputs([{ x: new Float32Array(STAGE_FROM_BYTES / 4).fill(2) }], ctx);
    expect(ctx.sent.map((band) => band.bytes)).toEqual(expect.arrayContaining(returned));
    expect(new Float32Array(ctx.sent[0]!.bytes)[0]).toBe(2);
  });

  it(`stages at most ${STAGE_MAX_PER_DISPATCH} inputs of one batch`, () => {
    const batch = Array.from({ length: STAGE_MAX_PER_DISPATCH + 2 }, () => ({ x: new Float32Array(STAGE_FROM_BYTES / 4) }));
    const { batch: out, staged } = withStagedInputs(batch, context([X]));
    expect(staged).toBe(STAGE_MAX_PER_DISPATCH);
    expect(out.at(-1)?.['x']).toBe(batch.at(-1)?.x);
  });
});

describe('withStagedInputs: pixels', () => {
  it('re-spaces rows of 4,000 bytes 4,096 apart (the next multiple of 256), bands of whole rows, every row\'s bytes in place', () => {
    const [width, height] = [1000, 600];
    const data = new Uint8ClampedArray(width * height * 4).map((_, i) => (i * 31 + (i >> 10)) & 255);
    const ctx = context([]);
    const { batch } = withStagedInputs([{ src: { data, width, height } }], ctx);
    const ref = ((batch[0] as unknown as Record<string, { data: StagedRef }>)['src']!).data;
    expect(ref).toMatchObject({ kind: 'vyre-staged', array: 'Uint8ClampedArray', length: data.length, elementBytes: 1, bytesPerRow: 4096 });
    // 256 rows of 4,096 bytes fill one 1 MiB band.
    expect(ctx.sent.map((band) => band.offset / 4096)).toEqual([0, 256, 512]);
    expect(ctx.sent.every((band) => band.bytes.byteLength <= STAGE_BAND_BYTES && band.totalBytes === 4096 * height)).toBe(true);
    const whole = assemble(ctx.sent, ref.id);
    for (const y of [0, 1, 255, 256, 599]) {
      expect(firstDifference(whole.subarray(y * 4096, y * 4096 + 4000), new Uint8Array(data.buffer, y * 4000, 4000)), `row ${y}`).toBe(-1);
    }
  });

  it('sends rows already 256-byte aligned as they are (1920 × 4 = 7,680 bytes)', () => {
    const data = new Uint8Array(1920 * 300 * 4).map((_, i) => i % 251);
    const ctx = context([]);
    const { batch } = withStagedInputs([{ src: { data, width: 1920, height: 300 } }], ctx);
    const ref = ((batch[0] as unknown as Record<string, { data: StagedRef }>)['src']!).data;
    expect(ref.bytesPerRow).toBe(7680);
    expect(firstDifference(assemble(ctx.sent, ref.id), data)).toBe(-1);
  });

  it('leaves pixels whose bytes are not whole rows to planning (which reports them) and small pixels to the whole copy', () => {
    const odd = { data: new Uint8Array(STAGE_FROM_BYTES + 4), width: 1000, height: 7 };
    const small = { data: new Uint8Array(1024), width: 16, height: 16 };
    const { staged } = withStagedInputs([{ odd, small }], context([]));
    expect(staged).toBe(0);
  });
});

describe('bands', () => {
  it('gives a row wider than a band a band of its own', () => {
    const rowBytes = 2 * MiB;
    expect(bands(rowBytes, 3, 3 * rowBytes).map((band) => [band.offset, band.bytes, band.firstRow, band.rows])).toEqual([
      [0, rowBytes, 0, 1],
      [rowBytes, rowBytes, 1, 1],
      [2 * rowBytes, rowBytes, 2, 1],
    ]);
  });
});

describe('planning staged pixels', () => {
  const SAMPLED: WgslImageResource = { kind: 'texture', name: 'src', group: 0, binding: 0, dimension: '2d', sampleType: 'float', multisampled: false };
  const limits: ImageLimits = { maxTextureDimension2D: 8192, features: [], checkResident: () => undefined };
  const staged = (length: number, bytesPerRow = 4096): StagedRef => ({ kind: 'vyre-staged', id: 7, array: 'Uint8ClampedArray', length, elementBytes: 1, bytesPerRow });
  const plan = (input: unknown): unknown => {
    try {
      return planImages([SAMPLED], new Map([['src', input]]), new Map(), undefined, limits).textures[0];
    } catch (error) {
      return isVyreError(error) ? { code: error.code, message: error.message } : error;
    }
  };

  it('plans them as rgba8unorm copied from the staged upload, rows as staged', () => {
    expect(plan({ data: staged(1000 * 600 * 4), width: 1000, height: 600 })).toMatchObject({ format: 'rgba8unorm', width: 1000, height: 600, upload: { kind: 'staged', id: 7, bytesPerRow: 4096 } });
  });

  it('checks their size as it checks pixels: the same invalid-input with a Fix', () => {
    const fromStaged = plan({ data: staged(1000 * 600 * 4), width: 999, height: 600 });
    const fromPixels = plan({ data: new Uint8ClampedArray(1000 * 600 * 4), width: 999, height: 600 });
    expect(fromStaged).toMatchObject({ code: 'invalid-input', message: expect.stringMatching(/999×600 rgba8unorm.*Fix: /s) });
    expect(fromStaged).toEqual(fromPixels);
  });

  it('refuses rows that are not 256-byte aligned as an internal error (our client never sends them)', () => {
    expect(plan({ data: staged(1000 * 600 * 4, 4000), width: 1000, height: 600 })).toMatchObject({ code: 'internal' });
  });
});
