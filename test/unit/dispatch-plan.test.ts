/**
 * Dispatch planning: every buffer length and the grid are decided, and every caller
 * mistake is named, before anything reaches the GPU.
 */
import { describe, expect, it } from 'vitest';
import { VyreError } from '../../src/errors.ts';
import { planDispatch, type PlanLimits } from '../../src/dispatch/dispatch-plan.ts';
import { type DispatchOptions } from '../../src/protocol/dispatch.ts';
import type { BufferDeclaration, WorkgroupSize } from '../../src/protocol/elements.ts';
import { thrownBy } from './support/thrown-by.ts';
import type { BoundBuffer } from '../../src/lower/artifact.ts';
import type { WgslType } from '../../src/protocol/wgsl-module.ts';
import { PARAMS } from './support/wgsl-layouts.ts';
import { boundBuffersOf, toBoundBuffer } from '../../src/lower/layout.ts';
import type { IrProgram } from '../../src/protocol/ir.ts';
import type { ResidentBufferRef } from '../../src/protocol/resident.ts';
import { runReference } from '../../src/reference.ts';

const LIMITS: PlanLimits = { maxStorageBufferBindingSize: 1 << 20, maxComputeWorkgroupsPerDimension: 65535 };
/** Elements of 4 bytes that fit exactly in maxStorageBufferBindingSize. */
const MAX_ELEMENTS = (1 << 20) / 4;

const X: BufferDeclaration = { name: 'x', binding: 0, access: 'read', type: 'f32' };
const Y: BufferDeclaration = { name: 'y', binding: 1, access: 'output', type: 'f32' };
const ACC: BufferDeclaration = { name: 'acc', binding: 2, access: 'read-write', type: 'u32' };
const IDX: BufferDeclaration = { name: 'idx', binding: 3, access: 'read', type: 'i32' };

const WG64: WorkgroupSize = [64, 1, 1];

function plan(
  buffers: readonly BufferDeclaration[],
  inputs: unknown,
  options?: DispatchOptions,
  workgroupSize: WorkgroupSize = WG64,
) {
  return planDispatch({ buffers, workgroupSize, params: undefined, foldableGrid: false }, inputs, options, LIMITS);
}

function lengths(result: ReturnType<typeof plan>): Record<string, number> {
  return Object.fromEntries(result.buffers.map((b) => [b.declaration.name, b.length]));
}

function expectInvalidInput(run: () => unknown, buffer?: string): VyreError {
  const error = thrownBy(run);
  expect(error.code).toBe('invalid-input');
  expect(error.message).toMatch(/ Fix: .+$/);
  if (buffer !== undefined) {
    expect(error.details['buffer']).toBe(buffer);
    expect(error.message).toContain(`"${buffer}"`);
  }
  return error;
}

describe('planDispatch: buffer lengths', () => {
  it('sizes an output buffer like the first input', () => {
    const x = new Float32Array(100);
    const result = plan([X, Y], { x });
    expect(lengths(result)).toEqual({ x: 100, y: 100 });
  });

  it('plans every declared buffer in declaration order, carrying the caller data for inputs', () => {
    const x = new Float32Array(10);
    const result = plan([X, Y], { x });
    expect(result.buffers.map((b) => b.declaration)).toEqual([X, Y]);
    expect(result.buffers[0]?.data).toBe(x);
    expect(result.buffers[1]?.data).toBeUndefined();
  });

  it('takes the default length from the first input in buffer order, not in the order the inputs are listed', () => {
    const first: BufferDeclaration = { name: 'a', binding: 0, access: 'read', type: 'f32' };
    const second: BufferDeclaration = { name: 'b', binding: 1, access: 'read', type: 'f32' };
    const inputs = { b: new Float32Array(3), a: new Float32Array(5) };
    expect(lengths(plan([first, second, Y], inputs))).toEqual({ a: 5, b: 3, y: 5 });
  });

  it('sizes a reflected output by the first input that holds an array, in its own elements, passing over a uniform struct', () => {
    // params: struct Params { N: u32, D: u32, eps: f32 } (12 bytes); src: array<vec4f> (stride 16);
    // dst: array<vec4f> read_write, left out. 16 floats of src are 4 vec4f, so dst takes 4 × 16 = 64 bytes.
    const VEC4F: WgslType = { kind: 'vector', scalar: 'f32', components: 4, size: 16, align: 16 };
    const VEC4F_ARRAY: WgslType = { kind: 'array', element: VEC4F, count: null, stride: 16, size: 16, align: 16 };
    const buffers: BoundBuffer[] = [
      { name: 'params', binding: 0, access: 'read', type: 'u32', space: 'uniform', layout: PARAMS },
      { name: 'src', binding: 1, access: 'read', type: 'f32', layout: VEC4F_ARRAY },
      { name: 'dst', binding: 2, access: 'read-write', type: 'f32', layout: VEC4F_ARRAY },
    ];
    const result = planDispatch({ buffers, workgroupSize: WG64, params: undefined, foldableGrid: false }, { params: { N: 4, D: 1, eps: 0 }, src: new Float32Array(16) }, undefined, LIMITS);
    expect(result.buffers.map((buffer) => [buffer.length, buffer.byteLength])).toEqual([[1, 12], [4, 64], [4, 64]]);
  });

  it('lets options.outputs set the length of an output buffer', () => {
    expect(lengths(plan([X, Y], { x: new Float32Array(100) }, { outputs: { y: 7 } }))).toEqual({ x: 100, y: 7 });
  });

  it('allows an output of zero elements', () => {
    const result = plan([X, Y], { x: new Float32Array(8) }, { outputs: { y: 0 } });
    expect(lengths(result)).toEqual({ x: 8, y: 0 });
  });

  it('keeps the length of a read-write buffer given as input', () => {
    const acc = new Uint32Array(33);
    const result = plan([X, ACC], { x: new Float32Array(100), acc });
    expect(lengths(result)).toEqual({ x: 100, acc: 33 });
    expect(result.buffers[1]?.data).toBe(acc);
  });

  it('sizes a read-write buffer that was not given like an output', () => {
    expect(lengths(plan([X, ACC], { x: new Float32Array(100) }))).toEqual({ x: 100, acc: 100 });
    expect(lengths(plan([X, ACC], { x: new Float32Array(100) }, { outputs: { acc: 12 } }))).toEqual({ x: 100, acc: 12 });
    expect(plan([X, ACC], { x: new Float32Array(100) }).buffers[1]?.data).toBeUndefined();
  });

  it('sizes an output buffer from options.outputs when nothing is uploaded', () => {
    expect(lengths(plan([Y], {}, { outputs: { y: 42 } }))).toEqual({ y: 42 });
  });

  it('accepts each element type with its own typed array', () => {
    const result = plan([X, ACC, IDX], { x: new Float32Array(4), acc: new Uint32Array(4), idx: new Int32Array(4) });
    expect(lengths(result)).toEqual({ x: 4, acc: 4, idx: 4 });
  });

  it('accepts a buffer of exactly maxStorageBufferBindingSize bytes', () => {
    expect(lengths(plan([X, Y], { x: new Float32Array(MAX_ELEMENTS) }))).toEqual({ x: MAX_ELEMENTS, y: MAX_ELEMENTS });
  });
});

describe('planDispatch: grid', () => {
  it.each<[string, number, WorkgroupSize, number]>([
    ['an exact multiple of the workgroup size', 128, [64, 1, 1], 2],
    ['one element over a multiple', 129, [64, 1, 1], 3],
    ['fewer elements than one workgroup', 1, [64, 1, 1], 1],
    ['a 2-D workgroup, counting all its invocations', 1000, [8, 8, 1], 16],
    ['a 3-D workgroup', 1000, [4, 4, 4], 16],
    ['a workgroup of one', 1000, [1, 1, 1], 1000],
  ])('defaults to ceil(n / workgroup invocations) in x for %s', (_what, n, workgroupSize, x) => {
    expect(plan([X, Y], { x: new Float32Array(n) }, undefined, workgroupSize).grid).toEqual([x, 1, 1]);
  });

  it('counts invocations from the largest buffer that comes back, not from the inputs', () => {
    expect(plan([X, Y], { x: new Float32Array(10) }, { outputs: { y: 640 } }).grid).toEqual([10, 1, 1]);
    expect(plan([X, Y, ACC], { x: new Float32Array(10), acc: new Uint32Array(1280) }, { outputs: { y: 64 } }).grid).toEqual([
      20, 1, 1,
    ]);
  });

  it('plans no workgroups for an empty output', () => {
    expect(plan([Y], {}, { outputs: { y: 0 } }).grid).toEqual([0, 1, 1]);
  });

  it('accepts the default grid at exactly maxComputeWorkgroupsPerDimension', () => {
    expect(plan([Y], {}, { outputs: { y: 65535 } }, [1, 1, 1]).grid).toEqual([65535, 1, 1]);
  });

  it.each<[string, number | readonly number[], readonly [number, number, number]]>([
    ['a number', 5, [5, 1, 1]],
    ['[x]', [5], [5, 1, 1]],
    ['[x, y]', [5, 6], [5, 6, 1]],
    ['[x, y, z]', [5, 6, 7], [5, 6, 7]],
    ['zero', 0, [0, 1, 1]],
    ['the largest allowed count on every axis', [65535, 65535, 65535], [65535, 65535, 65535]],
  ])('uses an explicit grid given as %s, whatever the buffer sizes', (_what, grid, expected) => {
    expect(plan([X, Y], { x: new Float32Array(1000) }, { grid }).grid).toEqual(expected);
  });

  it('lets an explicit grid replace a default that would be over the limit', () => {
    const n = 65536; // one more workgroup of one than the limit allows
    expect(plan([X, Y], { x: new Float32Array(n) }, { grid: [256, 256] }, [1, 1, 1]).grid).toEqual([256, 256, 1]);
  });
});

describe('planDispatch: caller mistakes (invalid-input)', () => {
  it.each<[string, unknown]>([
    ['null', null],
    ['undefined', undefined],
    ['a typed array', new Float32Array(4)],
    ['an array', [new Float32Array(4)]],
    ['a string', 'x'],
    ['a number', 4],
  ])('rejects inputs that are %s', (_what, inputs) => {
    expectInvalidInput(() => plan([X, Y], inputs), undefined);
  });

  it('rejects an input that names no buffer, listing the known ones', () => {
    const error = expectInvalidInput(() => plan([X, Y], { x: new Float32Array(4), z: new Float32Array(4) }), 'z');
    expect(error.details['known']).toEqual(['x', 'y']);
  });

  it.each<[string, unknown]>([
    ['a Float64Array', new Float64Array(4)],
    ['an Int32Array', new Int32Array(4)],
    ['a Uint8Array', new Uint8Array(16)],
    ['a plain array', [1, 2, 3, 4]],
    ['a DataView', new DataView(new ArrayBuffer(16))],
    ['null', null],
  ])('rejects %s for an f32 buffer, naming the expected type', (_what, value) => {
    const error = expectInvalidInput(() => plan([X, Y], { x: value }), 'x');
    expect(error.details['expected']).toBe('Float32Array');
    expect(error.message).toContain('Float32Array');
  });

  it('rejects a Float32Array for a u32 buffer', () => {
    const error = expectInvalidInput(
      () => plan([X, ACC], { x: new Float32Array(4), acc: new Float32Array(4) }),
      'acc',
    );
    expect(error.details).toMatchObject({ expected: 'Uint32Array', received: 'Float32Array' });
  });

  it('rejects a missing read input', () => {
    expectInvalidInput(() => plan([X, IDX, Y], { x: new Float32Array(4) }), 'idx');
    expectInvalidInput(() => plan([X, Y], {}), 'x');
  });

  it('rejects data supplied for an output buffer', () => {
    expectInvalidInput(() => plan([X, Y], { x: new Float32Array(4), y: new Float32Array(4) }), 'y');
  });

  it.each<[string, Record<string, number>, string]>([
    ['a read buffer', { x: 4 }, 'x'],
    ['an unknown buffer', { nope: 4 }, 'nope'],
    ['a negative count', { y: -1 }, 'y'],
    ['a fractional count', { y: 2.5 }, 'y'],
    ['NaN', { y: Number.NaN }, 'y'],
    ['an unsafe integer', { y: 2 ** 53 }, 'y'],
  ])('rejects options.outputs naming %s', (_what, outputs, buffer) => {
    const error = expectInvalidInput(() => plan([X, Y], { x: new Float32Array(4) }, { outputs }));
    expect(error.details['buffer']).toBe(buffer);
    expect(error.message).toContain(buffer);
  });

  it('rejects options.outputs that is not an object', () => {
    expectInvalidInput(() =>
      plan([X, Y], { x: new Float32Array(4) }, { outputs: [4] as unknown as Record<string, number> }),
    );
  });

  it('rejects an output buffer with neither an input nor options.outputs to size it', () => {
    expectInvalidInput(() => plan([Y], {}), 'y');
    expectInvalidInput(() => plan([ACC], {}), 'acc');
  });

  it('rejects a buffer one element over maxStorageBufferBindingSize, naming the limit', () => {
    const error = expectInvalidInput(() => plan([X, Y], { x: new Float32Array(MAX_ELEMENTS + 1) }), 'x');
    expect(error.message).toContain('maxStorageBufferBindingSize');
    expect(error.message).toContain(String(1 << 20));
    expect(error.details).toMatchObject({ bytes: (MAX_ELEMENTS + 1) * 4, limit: 1 << 20 });
  });

  it('rejects an output sized over maxStorageBufferBindingSize by options.outputs', () => {
    expectInvalidInput(() => plan([X, Y], { x: new Float32Array(4) }, { outputs: { y: MAX_ELEMENTS + 1 } }), 'y');
  });

  it('rejects a default grid over maxComputeWorkgroupsPerDimension, pointing at options.grid', () => {
    const error = expectInvalidInput(() => plan([X, Y], { x: new Float32Array(65536) }, undefined, [1, 1, 1]));
    expect(error.message).toContain('maxComputeWorkgroupsPerDimension');
    expect(error.message).toContain('options.grid');
    expect(error.details).toMatchObject({ workgroups: 65536, limit: 65535 });
  });

  it.each<[string, unknown]>([
    ['a number over the limit', 65536],
    ['an axis over the limit', [1, 65536]],
    ['a negative axis', [-1]],
    ['a fractional axis', [1.5, 1]],
    ['a NaN axis', [Number.NaN]],
    ['a string axis', ['4']],
    ['four dimensions', [1, 1, 1, 1]],
    ['no dimensions', []],
    ['a string', '4'],
    ['an object', { x: 4 }],
  ])('rejects an explicit grid of %s', (_what, grid) => {
    expectInvalidInput(() => plan([X, Y], { x: new Float32Array(4) }, { grid: grid as number }));
  });
});

describe('planDispatch: vector buffers (IR vec2/vec4, planned by their layout)', () => {
  const program = (buffers: IrProgram['buffers']): IrProgram => ({ kind: 'ir', workgroupSize: [64, 1, 1], buffers, params: [], body: [] });
  const artifactOf = (p: IrProgram) => ({ buffers: boundBuffersOf(p).map(toBoundBuffer), workgroupSize: p.workgroupSize, params: undefined, foldableGrid: true });
  const planVectors = (p: IrProgram, inputs: unknown, options?: DispatchOptions) => planDispatch(artifactOf(p), inputs, options, LIMITS);
  const resident = (length: number): ResidentBufferRef => ({ kind: 'vyre-resident-buffer', id: 1, runtimeId: 'r', type: 'f32', length });

  it('counts vectors: 8 floats are 2 vec4, 32 bytes; an output same-as them is 2 vectors; the default grid is one invocation per vector', () => {
    const p = program([
      { name: 'x', binding: 0, access: 'read', type: 'vec4<f32>' },
      { name: 'y', binding: 1, access: 'output', type: 'vec4<f32>', sizing: { kind: 'same-as', buffer: 'x' } },
      { name: 's', binding: 2, access: 'output', type: 'f32', sizing: { kind: 'same-as', buffer: 'x' } },
    ]);
    const planned = planVectors(p, { x: new Float32Array(8) });
    expect(planned.buffers.map((b) => [b.declaration.name, b.length, b.byteLength])).toEqual([['x', 2, 32], ['y', 2, 32], ['s', 2, 8]]);
    expect(planned.grid).toEqual([1, 1, 1]);
  });

  it('honours a static size on a vector output (3 vec2 = 24 bytes) and refuses an input of another size', () => {
    const p = program([
      { name: 'x', binding: 0, access: 'read-write', type: 'vec2<u32>', sizing: { kind: 'static', count: 3 } },
    ]);
    expect(lengths(planVectors(p, {}))).toEqual({ x: 3 });
    expect(planVectors(p, {}).buffers[0]?.byteLength).toBe(24);
    expectInvalidInput(() => planVectors(p, { x: new Uint32Array(4) }), 'x');
  });

  it('reads a resident buffer of 12 floats bound to a vec4 buffer as 3 vectors, and sizes same-as outputs from it', () => {
    const p = program([
      { name: 'x', binding: 0, access: 'read', type: 'vec4<f32>' },
      { name: 'y', binding: 1, access: 'output', type: 'vec4<f32>', sizing: { kind: 'same-as', buffer: 'x' } },
    ]);
    expect(lengths(planVectors(p, { x: resident(12) }))).toEqual({ x: 3, y: 3 });
  });

  it('allocates an empty vec4 array one vector (WebGPU\'s minimum binding) but reads back none, and the reference returns an empty output', () => {
    const p = program([
      { name: 'x', binding: 0, access: 'read', type: 'vec4<f32>' },
      { name: 'y', binding: 1, access: 'output', type: 'vec4<f32>', sizing: { kind: 'same-as', buffer: 'x' } },
    ]);
    const planned = planVectors(p, { x: new Float32Array(0) });
    expect(planned.buffers.map((b) => [b.declaration.name, b.length, b.byteLength, b.readBackBytes])).toEqual([['x', 0, 16, 0], ['y', 0, 16, 0]]);
    const outputs = runReference({ ...p, body: [] }, { x: new Float32Array(0) });
    expect(outputs['y']).toEqual(new Float32Array(0));
  });
});
