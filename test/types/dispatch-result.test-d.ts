/**
 * Type tests: what `dispatch` and `dispatchBatch` resolve to follows their options
 * exactly. Checked by `vitest --typecheck` (tsc): a wrong type fails the test.
 */
import { describe, expectTypeOf, test } from 'vitest';
import type { OutputArray } from '../../src/protocol/elements.ts';
import type { CompiledPipeline, DispatchOptions, DispatchOutputs, DispatchTiming, ElementArray, ResidentBuffer } from '../../src/index.ts';
import type { LaunchOptions } from '../../src/kernels/index.ts';

declare const pipeline: CompiledPipeline;
declare const x: Float32Array;

interface Timed<T> {
  readonly outputs: T;
  readonly timing: DispatchTiming;
}

describe('dispatch', () => {
  test('without options resolves to typed arrays by name', async () => {
    const outputs = await pipeline.dispatch({ x });
    expectTypeOf(outputs).toEqualTypeOf<DispatchOutputs>();
    expectTypeOf(outputs['y']).toEqualTypeOf<OutputArray | undefined>();
  });

  test('with launch options only (sizes, grid, params) still resolves to typed arrays', async () => {
    const outputs = await pipeline.dispatch({ x }, { grid: [4, 1], outputs: { y: 8 }, params: { alpha: 2 } });
    expectTypeOf(outputs).toEqualTypeOf<DispatchOutputs>();
  });

  test('with keep resolves the kept names to resident buffers and the rest to arrays or handles', async () => {
    const outputs = await pipeline.dispatch({ x }, { keep: ['y'] });
    expectTypeOf(outputs.y).toEqualTypeOf<ResidentBuffer>();
    expectTypeOf(outputs['other']).toEqualTypeOf<OutputArray | ResidentBuffer | undefined>();
    // @ts-expect-error a kept output is not an array
    expectTypeOf(outputs.y).toEqualTypeOf<ElementArray>();
  });

  test('with timing: true resolves to outputs and timing', async () => {
    const result = await pipeline.dispatch({ x }, { timing: true });
    expectTypeOf(result).toEqualTypeOf<Timed<DispatchOutputs>>();
    expectTypeOf(result.timing.gpuMs).toEqualTypeOf<number | null>();
  });

  test('with keep and timing resolves to kept handles inside the timed result', async () => {
    const result = await pipeline.dispatch({ x }, { keep: ['y'], timing: true });
    expectTypeOf(result.outputs.y).toEqualTypeOf<ResidentBuffer>();
    expectTypeOf(result.timing).toEqualTypeOf<DispatchTiming>();
  });

  test('with timing: false resolves to plain outputs', async () => {
    expectTypeOf(await pipeline.dispatch({ x }, { timing: false })).toEqualTypeOf<DispatchOutputs>();
  });

  test('options held in a DispatchOptions variable resolve to every shape they allow, never a wrong one', async () => {
    const options: DispatchOptions = { timing: true };
    const result = await pipeline.dispatch({ x }, options);
    type Loose = Record<string, OutputArray | ResidentBuffer>;
    expectTypeOf(result).toEqualTypeOf<Loose | Timed<Loose>>();
  });

  test("options held in a LaunchOptions variable (a kernel's option helper) resolve to typed arrays", async () => {
    const options: LaunchOptions = { grid: 4 };
    expectTypeOf(await pipeline.dispatch({ x }, options)).toEqualTypeOf<DispatchOutputs>();
  });

  test('an options object built with as const keeps its literal keep list', async () => {
    const options = { keep: ['y', 'z'] } as const;
    const outputs = await pipeline.dispatch({ x }, options);
    expectTypeOf(outputs.y).toEqualTypeOf<ResidentBuffer>();
    expectTypeOf(outputs.z).toEqualTypeOf<ResidentBuffer>();
  });

  test('inputs are arrays, bytes, resident buffers or field values, never strings or booleans', () => {
    void pipeline.dispatch({ x, bytes: new ArrayBuffer(16), view: new DataView(new ArrayBuffer(8)), params: { N: 4, eps: 1e-5, origin: [0, 0, 1] } });
    // @ts-expect-error a string is not an input
    void pipeline.dispatch({ x: 'x' });
    // @ts-expect-error a boolean field is not host-shareable
    void pipeline.dispatch({ params: { on: true } });
  });

  test('unknown options are refused', () => {
    // @ts-expect-error misspelled option
    void pipeline.dispatch({ x }, { timming: true });
  });
});

describe('dispatchBatch', () => {
  test('without options resolves to one outputs record per item', async () => {
    expectTypeOf(await pipeline.dispatchBatch([{ x }, { x }])).toEqualTypeOf<DispatchOutputs[]>();
  });

  test('with keep resolves every item\'s kept names to resident buffers', async () => {
    const items = await pipeline.dispatchBatch([{ x }], { keep: ['y'] });
    const first = items[0];
    expectTypeOf(first).toEqualTypeOf<import('../../src/client/runtime-types.ts').KeptOutputs<'y'> | undefined>();
    if (first !== undefined) expectTypeOf(first.y).toEqualTypeOf<ResidentBuffer>();
  });

  test('with timing: true resolves to all outputs and the batch timing', async () => {
    const result = await pipeline.dispatchBatch([{ x }, { x }], { timing: true });
    expectTypeOf(result.outputs).toEqualTypeOf<DispatchOutputs[]>();
    expectTypeOf(result.timing.wallMs).toEqualTypeOf<number>();
    expectTypeOf(result.timing.gpuMs).toEqualTypeOf<readonly (number | null)[]>();
  });
});
