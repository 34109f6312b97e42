/** IR programs through the whole runtime: built, validated, lowered, compiled, dispatched. */
import { expect, test } from './support/fixtures.ts';

test('compiles and dispatches a builder program with per-dispatch params, reusing the pipeline', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async () => {
    const { createRuntime, program } = window.vyre;
    const axpy = program({ name: 'axpy', workgroupSize: 64 }, (b) => {
      const x = b.buffer('x', 'f32', 'read');
      const y = b.buffer('y', 'f32', 'read-write');
      const alpha = b.param('alpha', 'f32');
      const i = b.let('i', b.linearIndex());
      b.if(i.lt(x.length()), () => y.store(i, alpha.mul(x.load(i)).add(y.load(i))));
    });
    const runtime = await createRuntime({ persistent: false });
    const first = await runtime.compile(axpy);
    const x = Float32Array.from({ length: 1000 }, (_, i) => i / 4);
    const y = Float32Array.from({ length: 1000 }, (_, i) => i);
    const a = await first.pipeline.dispatch({ x, y }, { params: { alpha: 2 } });
    const second = await runtime.compile(axpy);
    const b = await second.pipeline.dispatch({ x, y }, { params: { alpha: -0.5 } });
    await runtime.dispose();
    const wrongA = Array.from(x).filter((v, i) => a['y']?.[i] !== 2 * v + i).length;
    const wrongB = Array.from(x).filter((v, i) => b['y']?.[i] !== -0.5 * v + i).length;
    return { tiers: [first.tier, second.tier], wrongA, wrongB };
  });
  expect(result).toEqual({ tiers: ['compiled', 'memory'], wrongA: 0, wrongB: 0 });
});

test('folds a grid past the per-dimension limit and covers every element exactly once', async ({ vyrePage }) => {
  const result = await vyrePage.evaluate(async () => {
    const { createRuntime, program } = window.vyre;
    // Each invocation adds 1 to its element with an atomic: a missed element stays 0, a doubled one reads 2.
    const touch = program({ name: 'touch', workgroupSize: 64 }, (b) => {
      const hits = b.buffer('hits', 'u32', 'output');
      const i = b.let('i', b.linearIndex());
      b.if(i.lt(hits.length()), () => void b.let('old', hits.atomic('add', i, 1)));
    });
    const runtime = await createRuntime({ persistent: false });
    const { pipeline } = await runtime.compile(touch);
    const n = 65535 * 64 + 1000;
    const { hits } = await pipeline.dispatch({}, { outputs: { hits: n } });
    await runtime.dispose();
    let wrong = 0;
    for (let i = 0; i < n; i++) if (hits?.[i] !== 1) wrong++;
    return { n: hits?.length, wrong };
  });
  expect(result).toEqual({ n: 65535 * 64 + 1000, wrong: 0 });
});
