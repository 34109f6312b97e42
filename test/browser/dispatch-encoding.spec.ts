/**
 * How the dispatcher encodes: a batch in one compute pass with the order of separate
 * dispatches, resident read-backs per item, validation scopes only where a command is new,
 * and timers reused across timed dispatches.
 */
import { expect, test } from './support/fixtures.ts';

test.use({ harness: '/test/browser/pages/cache.html' });

test('a batch over one resident buffer runs as a chain: each item sees the one before', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async () => {
    const { createRuntime, saxpy } = window.vyre;
    const runtime = await createRuntime({ persistent: false });
    const { pipeline } = await runtime.compile(saxpy);
    const x0 = Float32Array.from({ length: 3000 }, (_, i) => i % 5);
    const y0 = Float32Array.from({ length: 3000 }, (_, i) => -(i % 7));
    const x = await runtime.createBuffer(x0);
    const y = await runtime.createBuffer(y0);
    await pipeline.dispatchBatch(Array.from({ length: 50 }, () => ({ x, y })), { params: { alpha: 2 }, keep: ['y'] });
    const chained = Array.from(await runtime.read(y));
    await runtime.dispose();
    // Fifty steps of y += 2x, in integers that f32 holds exactly.
    const expected = Array.from(y0, (v, i) => v + 50 * 2 * (x0[i] ?? 0));
    return { equal: chained.join() === expected.join(), length: chained.length };
  });
  expect(result).toEqual({ equal: true, length: 3000 });
});

test('a batch reads a resident buffer back after each item, not after the whole batch', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async () => {
    const { createRuntime, saxpy } = window.vyre;
    const runtime = await createRuntime({ persistent: false });
    const { pipeline } = await runtime.compile(saxpy);
    const x = Float32Array.from({ length: 500 }, (_, i) => i % 11);
    const y = await runtime.createBuffer({ type: 'f32', length: 500 });
    const outputs = await pipeline.dispatchBatch([{ x, y }, { x, y }, { x, y }], { params: { alpha: 3 } });
    const final = Array.from(await runtime.read(y));
    await runtime.dispose();
    return {
      items: outputs.map((item, k) => Array.from(item['y'] ?? []).join() === Array.from(x, (v) => (k + 1) * 3 * v).join()),
      final: final.join() === Array.from(x, (v) => 9 * v).join(),
    };
  });
  expect(result).toEqual({ items: [true, true, true], final: true });
});

test('repeats of a validated command skip the validation scope; new shapes and timed runs use one', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async () => {
    const runtime = await window.vyre.createRuntime({ persistent: false });
    const { pipeline } = await runtime.compile(window.helpers.addK(5));
    const input = (n: number) => Uint32Array.from({ length: n }, (_, i) => i);
    let wrong = 0;
    const check = (x: Uint32Array, y: ArrayLike<number> | undefined) => {
      for (let i = 0; i < x.length; i++) if (y?.[i] !== (x[i] ?? 0) + 5) wrong++;
    };
    for (let n = 0; n < 3; n++) check(input(1024), (await pipeline.dispatch({ x: input(1024) }))['y']);
    const warm = await runtime.gpuStats();
    for (let n = 0; n < 20; n++) check(input(1024), (await pipeline.dispatch({ x: input(1024) }))['y']);
    const repeated = await runtime.gpuStats();
    check(input(4096), (await pipeline.dispatch({ x: input(4096) }))['y']);
    const newShape = await runtime.gpuStats();
    const timed = await pipeline.dispatch({ x: input(1024) }, { timing: true });
    check(input(1024), timed.outputs['y'] as Uint32Array);
    const end = await runtime.gpuStats();
    await runtime.dispose();
    return {
      wrong,
      repeats: repeated.validatedSubmits - warm.validatedSubmits,
      newShape: newShape.validatedSubmits - repeated.validatedSubmits,
      timed: end.validatedSubmits - newShape.validatedSubmits,
      submits: end.submits - warm.submits,
      uncaptured: end.uncapturedErrors,
    };
  });
  expect(result).toEqual({ wrong: 0, repeats: 0, newShape: 1, timed: 1, submits: 22, uncaptured: 0 });
});

test('timed dispatches reuse timers: 20 in a row and 5 at once all report GPU time and correct outputs', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async () => {
    const runtime = await window.vyre.createRuntime({ persistent: false });
    const { pipeline } = await runtime.compile(window.helpers.addK(2));
    const hasTimestamps = runtime.device.features.includes('timestamp-query');
    const runs = [];
    for (let n = 0; n < 20; n++) runs.push(await pipeline.dispatch({ x: Uint32Array.of(n, 2 * n) }, { timing: true }));
    runs.push(...(await Promise.all(Array.from({ length: 5 }, (_, n) => pipeline.dispatch({ x: Uint32Array.of(100 + n, 0) }, { timing: true })))));
    const stats = await runtime.gpuStats();
    await runtime.dispose();
    return {
      hasTimestamps,
      outputs: runs.map((run) => Array.from((run.outputs['y'] as Uint32Array | undefined) ?? []).join()),
      gpuTimes: runs.map((run) => (typeof run.timing.gpuMs === 'number' && run.timing.gpuMs >= 0 ? 'number' : String(run.timing.gpuMs))),
      uncaptured: stats.uncapturedErrors,
    };
  });
  const expected = [...Array.from({ length: 20 }, (_, n) => `${n + 2},${2 * n + 2}`), ...Array.from({ length: 5 }, (_, n) => `${102 + n},2`)];
  expect(result.outputs).toEqual(expected);
  expect(result.gpuTimes).toEqual(Array(25).fill(result.hasTimestamps ? 'number' : 'null'));
  expect(result.uncaptured).toBe(0);
});

test('an output kept in place comes back as the caller\'s own handle; a new kept output as a new one', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async () => {
    const { createRuntime, saxpy } = window.vyre;
    const runtime = await createRuntime({ persistent: false });
    const { pipeline } = await runtime.compile(saxpy);
    const x = await runtime.createBuffer(Float32Array.of(1, 2, 3));
    const y = await runtime.createBuffer(Float32Array.of(10, 20, 30));
    const inPlace = await pipeline.dispatch({ x, y }, { params: { alpha: 2 }, keep: ['y'] });
    const batch = await pipeline.dispatchBatch([{ x, y }, { x, y }], { params: { alpha: 1 }, keep: ['y'] });
    const fresh = await pipeline.dispatch({ x, y: Float32Array.of(0, 0, 0) }, { params: { alpha: 1 }, keep: ['y'] });
    const freshY = fresh['y'];
    const values = Array.from(await runtime.read(y));
    const freshValues = freshY !== undefined && !ArrayBuffer.isView(freshY) ? Array.from(await runtime.read(freshY)) : [];
    await runtime.dispose();
    return {
      sameHandle: inPlace['y'] === y,
      sameInBatch: batch.every((outputs) => (outputs as Record<string, unknown>)['y'] === y),
      freshIsNew: freshY !== y && freshY !== undefined && !ArrayBuffer.isView(freshY),
      values,
      freshValues,
    };
  });
  // y = 10,20,30 + 2·x, then + x twice: 10+4·1, 20+4·2, 30+4·3.
  expect(result).toEqual({ sameHandle: true, sameInBatch: true, freshIsNew: true, values: [14, 28, 42], freshValues: [1, 2, 3] });
});
