/**
 * Why did the tuning bench time `matmulX4` under `floats: 'fast'` at 3× its exact time at
 * 2048³ on the H200, where matmul-gpu.mjs measured fast faster? This times both policies
 * in turns, on the tuner's trial values ((i mod 7) − 3) and on random values, one dispatch
 * per batch and four, GPU timestamps, through the same-thread runtime. Built into
 * .gpu/fast-probe.mjs; run: bash .gpu/run.sh .gpu/fast-probe.mjs
 */
import { createRuntime } from '../../src/index.ts';
import { matmulX4, matmulX4Options, matmulX4Tunable } from '../../src/kernels/index.ts';
import { installNodeNavigator } from './node-engine.ts';

installNodeNavigator();
const runtime = await createRuntime({ worker: false, persistent: false });
const size = 2048;
const trial = (n: number) => Float32Array.from({ length: n }, (_, i) => (i % 7) - 3);
let seed = 1;
const random = (n: number) => Float32Array.from({ length: n }, () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1);
const pipelines = { exact: (await runtime.compile(matmulX4)).pipeline, fast: (await runtime.compile(matmulX4, { floats: 'fast' })).pipeline };
const options = matmulX4Options(size, size, size);
const samples: Record<string, number[]> = {};
for (const [inputName, make] of [['trial', trial], ['random', random]] as const) {
  const a = await runtime.createBuffer(make(size * size));
  const b = await runtime.createBuffer(make(size * size));
  for (let round = 0; round < 8; round++) {
    for (const policy of round % 2 === 0 ? (['exact', 'fast'] as const) : (['fast', 'exact'] as const)) {
      for (const repeat of [1, 4]) {
        const { timing } = await pipelines[policy].dispatchBatch(new Array(repeat).fill({ a, b }), { ...options, timing: true });
        const key = `${inputName} ${policy} ×${repeat}`;
        (samples[key] ??= []).push(timing.gpuMs.reduce<number>((sum, ms) => sum + (ms ?? NaN), 0) / repeat);
      }
    }
  }
  await a.destroy();
  await b.destroy();
}
for (const [key, list] of Object.entries(samples)) {
  const sorted = [...list].sort((x, y) => x - y);
  console.log(`${key}: median ${sorted[sorted.length >> 1]!.toFixed(3)} ms per dispatch; all ${list.map((ms) => ms.toFixed(3)).join(' ')}`);
}
// The tuner itself, fast first this time (the tuning bench ran every exact row first).
for (const floats of ['fast', 'exact', 'fast'] as const) {
  const { tuning } = await runtime.compileTuned(matmulX4Tunable, { shape: { M: size, N: size, K: size }, floats, rounds: 3 });
  console.log(`compileTuned ${floats}: ${tuning.source} ${tuning.timer} ×${tuning.repeat}: ${tuning.trials.map((t) => `${t.variant} ${t.medianMs.toFixed(3)} [${t.samples.map((ms) => ms.toFixed(3)).join(' ')}]`).join(', ')}`);
}
await runtime.dispose();
