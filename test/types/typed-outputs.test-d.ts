/**
 * Type tests: a program that knows its buffers types its dispatch results per buffer — the
 * IR through buffers returned from the body, WGSL through declared `buffers` — and a
 * misspelled output name is a type error. Checked by `vitest --typecheck` (tsc).
 */
import { describe, expectTypeOf, test } from 'vitest';
import type { OutputArray } from '../../src/protocol/elements.ts';
import { program, wgsl, type CompiledPipeline, type DispatchOutputs, type ResidentBuffer, type Runtime } from '../../src/index.ts';
import { histogram256, mapKernel, saxpy, scanBlocks, sumReduceF32 } from '../../src/kernels/index.ts';

declare const runtime: Runtime;
declare const x: Float32Array;

const axpy = program({ name: 'axpy' }, (b) => {
  const xs = b.buffer('x', 'f32', 'read');
  const ys = b.buffer('y', 'f32', 'read-write');
  const counts = b.buffer('counts', 'u32', 'output');
  const signs = b.buffer('signs', 'i32', 'output');
  const i = b.let('i', b.linearIndex());
  b.if(i.lt(xs.length()), () => ys.store(i, xs.load(i).add(ys.load(i))));
  return { xs, ys, counts, signs };
});

const untyped = program({ name: 'untyped' }, (b) => {
  const ys = b.buffer('y', 'f32', 'output');
  ys.store(0, 1);
});

const declared = wgsl({
  code: '@group(0) @binding(0) var<storage, read> x: array<f32>; @group(0) @binding(1) var<storage, read_write> y: array<u32>; @compute @workgroup_size(1) fn main() {}',
  buffers: [
    { name: 'x', binding: 0, access: 'read', type: 'f32' },
    { name: 'y', binding: 1, access: 'read-write', type: 'u32' },
  ],
});

const reflected = wgsl({ code: '@group(0) @binding(0) var<storage, read> x: array<f32>; @group(0) @binding(1) var<storage, read_write> y: array<i32>; @compute @workgroup_size(1) fn main() {}' });

/** Code the type checker cannot read: a string known only at run time. */
declare const runtimeCode: string;
const opaque = wgsl({ code: runtimeCode });

describe('IR programs that return their buffers', () => {
  test('type each read-back buffer as the typed array of its element type', async () => {
    const { pipeline } = await runtime.compile(axpy);
    const outputs = await pipeline.dispatch({ x });
    expectTypeOf(outputs).toEqualTypeOf<{ y: Float32Array; counts: Uint32Array; signs: Int32Array }>();
    const { y } = outputs;
    expectTypeOf(y).toEqualTypeOf<Float32Array>();
  });

  test('leave read-only buffers out of the outputs', async () => {
    const { pipeline } = await runtime.compile(axpy);
    const outputs = await pipeline.dispatch({ x });
    // @ts-expect-error x is an input, never read back
    void outputs.x;
  });

  test('make a misspelled output name a type error', async () => {
    const { pipeline } = await runtime.compile(axpy);
    // @ts-expect-error there is no output "yy"
    const { yy } = await pipeline.dispatch({ x });
    void yy;
  });

  test('type kept outputs as resident buffers and the rest as arrays', async () => {
    const { pipeline } = await runtime.compile(axpy);
    const outputs = await pipeline.dispatch({ x }, { keep: ['y'] });
    expectTypeOf(outputs.y).toEqualTypeOf<ResidentBuffer>();
    expectTypeOf(outputs.counts).toEqualTypeOf<Uint32Array>();
  });

  test('type timed and batched results per buffer too', async () => {
    const { pipeline } = await runtime.compile(axpy);
    const timed = await pipeline.dispatch({ x }, { timing: true });
    expectTypeOf(timed.outputs.y).toEqualTypeOf<Float32Array>();
    const batch = await pipeline.dispatchBatch([{ x }, { x }]);
    expectTypeOf(batch).toEqualTypeOf<{ y: Float32Array; counts: Uint32Array; signs: Int32Array }[]>();
  });

  test('a keep list not known when compiling allows a resident buffer for every output', async () => {
    const { pipeline } = await runtime.compile(axpy);
    const keep: readonly string[] = ['y'];
    const outputs = await pipeline.dispatch({ x }, { keep });
    expectTypeOf(outputs.y).toEqualTypeOf<Float32Array | ResidentBuffer>();
  });

  test('a body that returns nothing keeps the outputs loosely typed, by name', async () => {
    const { pipeline } = await runtime.compile(untyped);
    expectTypeOf(await pipeline.dispatch({})).toEqualTypeOf<DispatchOutputs>();
  });
});

describe('the kernel library', () => {
  test('types every kernel\'s outputs', async () => {
    expectTypeOf((await (await runtime.compile(saxpy)).pipeline.dispatch({ x })).y).toEqualTypeOf<Float32Array>();
    expectTypeOf((await (await runtime.compile(histogram256)).pipeline.dispatch({ x })).bins).toEqualTypeOf<Uint32Array>();
    expectTypeOf((await (await runtime.compile(sumReduceF32)).pipeline.dispatch({ x })).partials).toEqualTypeOf<Float32Array>();
    const scan = await (await runtime.compile(scanBlocks)).pipeline.dispatch({ x });
    expectTypeOf(scan).toEqualTypeOf<{ y: Uint32Array; blockSums: Uint32Array }>();
  });

  test('types a map kernel by the element type it is built for', async () => {
    const halve = mapKernel('halve', 'i32', (_b, v) => v.div(2));
    expectTypeOf((await (await runtime.compile(halve)).pipeline.dispatch({ x })).y).toEqualTypeOf<Int32Array>();
  });
});

describe('WGSL programs', () => {
  test('with declared buffers type each read-back buffer', async () => {
    const { pipeline } = await runtime.compile(declared);
    const outputs = await pipeline.dispatch({ x });
    expectTypeOf(outputs).toEqualTypeOf<{ y: Uint32Array }>();
    // @ts-expect-error there is no output "z"
    void outputs.z;
  });

  test('with literal code are typed per buffer from the declarations in the code', async () => {
    const { pipeline } = await runtime.compile(reflected);
    const outputs = await pipeline.dispatch({ x });
    expectTypeOf(outputs).toEqualTypeOf<{ y: Int32Array }>();
    // @ts-expect-error x is read-only, never read back
    void outputs.x;
  });

  test('read from literal code: comments are ignored, atomics and default access understood', async () => {
    const commented = wgsl({
      code: `// @group(0) @binding(9) var<storage, read_write> ghost: array<f32>;
        @group(0) @binding(0) var<storage> counts_in: array<u32>; /* var<storage, read_write> z: array<f32>; */
        @group(0) @binding(1) var<storage, read_write> counts: array< atomic<u32> >;
        var<workgroup> tile: array<u32, 64>;
        @compute @workgroup_size(64) fn main() {}`,
    });
    const outputs = await (await runtime.compile(commented)).pipeline.dispatch({ x });
    expectTypeOf(outputs).toEqualTypeOf<{ counts: Uint32Array }>();
  });

  test('code the type checker cannot read is typed by name only, never wrongly', async () => {
    const uniforms = wgsl({ code: '@group(0) @binding(0) var<uniform> p: Params; @group(0) @binding(1) var<storage, read_write> y: array<f32>; @compute @workgroup_size(1) fn main() {}' });
    expectTypeOf((await (await runtime.compile(uniforms)).pipeline.dispatch({ x }))['y']).toEqualTypeOf<OutputArray | undefined>();
    expectTypeOf((await (await runtime.compile(opaque)).pipeline.dispatch({ x }))['y']).toEqualTypeOf<OutputArray | undefined>();
  });

  test('a type parameter lets the caller say what an unreadable program holds', async () => {
    const said = wgsl<{ y: { type: 'f32'; access: 'read-write' } }>({ code: runtimeCode });
    const { pipeline } = await runtime.compile(said);
    expectTypeOf((await pipeline.dispatch({ x })).y).toEqualTypeOf<Float32Array>();
    expectTypeOf(pipeline).toEqualTypeOf<CompiledPipeline<{ y: { type: 'f32'; access: 'read-write' } }>>();
  });

  test('a buffer list not known when compiling keeps the outputs loosely typed', async () => {
    const buffers = declared.buffers;
    const { pipeline } = await runtime.compile(wgsl({ code: declared.code, buffers }));
    expectTypeOf(await pipeline.dispatch({ x })).toEqualTypeOf<DispatchOutputs>();
  });
});
