/**
 * What the tuner chooses on this device, and by how much (issue #15, "Autotuning"): the
 * vec4 matmul (tiled | direct) at three sizes and both float policies, the u32 sum
 * (subgroups | workgroup) and ReLU (vec4 loads of the scalar buffer | scalar) at two, each through `runtime.compileTuned` with 5 timed rounds;
 * beside the sum, the one-element-per-invocation `sumReduce` timed the same way. Runs in a
 * page (bench/tuning-probe.mjs) and under Node + Dawn (bench/gpu/tune-gpu.ts).
 */
import type { Runtime } from '../../src/index.ts';
import { matmulX4Tunable, reluF32Tunable, sumReduce, sumReduceOptions, sumU32Tunable } from '../../src/kernels/index.ts';
import type { TuningReport } from '../../src/protocol/tuning.ts';

export interface TuningRow {
  readonly kernel: string;
  readonly shape: string;
  readonly floats: string;
  readonly report: TuningReport;
  /** Bytes the kernel reads and writes at this shape, for a bandwidth column (sum and ReLU). */
  readonly bytes: number | null;
}

export interface TuningResult {
  readonly device: string;
  readonly features: readonly string[];
  readonly rows: readonly TuningRow[];
  /** `sumReduce` (256 elements per partial) per size: the median of 3 dispatches, ms. */
  readonly baseline: readonly { readonly n: number; readonly medianMs: number; readonly timer: 'gpu' | 'wall' }[];
}

export async function runTuning(runtime: Runtime, matmulSizes: readonly number[] = [256, 512, 1024], sumSizes: readonly number[] = [1 << 20, 1 << 22]): Promise<TuningResult> {
  const rows: TuningRow[] = [];
  for (const floats of ['exact', 'fast'] as const) {
    for (const size of matmulSizes) {
      const shape = { M: size, N: size, K: size };
      const { tuning } = await runtime.compileTuned(matmulX4Tunable, { shape, floats, rounds: 5 });
      rows.push({ kernel: 'matmulX4Tunable', shape: `${size}³`, floats, report: tuning, bytes: null });
      console.log(`tuned matmul ${size}³ ${floats}: ${tuning.chosen} in ${tuning.totalMs.toFixed(0)} ms`);
    }
  }
  for (const n of sumSizes) {
    const { tuning } = await runtime.compileTuned(reluF32Tunable, { shape: { n }, rounds: 5 });
    rows.push({ kernel: 'reluF32Tunable', shape: `n = ${n}`, floats: '–', report: tuning, bytes: 8 * n });
    console.log(`tuned relu ${n}: ${tuning.chosen} in ${tuning.totalMs.toFixed(0)} ms`);
  }
  const baseline = [];
  for (const n of sumSizes) {
    const { tuning } = await runtime.compileTuned(sumU32Tunable, { shape: { n }, rounds: 5 });
    rows.push({ kernel: 'sumU32Tunable', shape: `n = ${n}`, floats: '–', report: tuning, bytes: 4 * n });
    console.log(`tuned sum ${n}: ${tuning.chosen} in ${tuning.totalMs.toFixed(0)} ms`);
    baseline.push({ n, ...(await timeSumReduce(runtime, n)) });
  }
  const adapter = runtime.device.adapterInfo;
  return { device: `${adapter.vendor} ${adapter.architecture} ${adapter.description}`.trim(), features: runtime.device.features, rows, baseline };
}

/** The first pass of the 256-per-partial `sumReduce`: the median of 3 timed dispatches after one warm-up. */
async function timeSumReduce(runtime: Runtime, n: number): Promise<{ medianMs: number; timer: 'gpu' | 'wall' }> {
  const { pipeline } = await runtime.compile(sumReduce);
  const x = await runtime.createBuffer(Uint32Array.from({ length: n }, (_, i) => i));
  try {
    const samples: { gpu: number | null; wall: number }[] = [];
    for (let round = 0; round < 4; round++) {
      const started = performance.now();
      const { timing } = await pipeline.dispatch({ x }, { ...sumReduceOptions(n), timing: true });
      if (round > 0) samples.push({ gpu: timing.gpuMs, wall: performance.now() - started });
    }
    const timer = samples.every((sample) => sample.gpu !== null) ? 'gpu' : 'wall';
    const sorted = samples.map((sample) => (timer === 'gpu' ? sample.gpu! : sample.wall)).sort((a, b) => a - b);
    return { medianMs: sorted[1]!, timer };
  } finally {
    await x.destroy();
  }
}

/** The table docs/benchmarks.md shows: per row, each variant's median and the choice. */
export function tuningTable(result: TuningResult): string {
  const lines = [`Tuning on ${result.device} (features: ${result.features.join(', ')})`, '', '| kernel | shape | floats | timer × repeat | variant medians (ms per dispatch) | chosen | GB/s of the chosen |', '|---|---|---|---|---|---|---:|'];
  for (const { kernel, shape, floats, report, bytes } of result.rows) {
    const medians = report.trials.map((trial) => `${trial.variant} ${trial.medianMs.toFixed(3)}`).join(', ') || `(${report.source})`;
    const chosen = report.trials.find((trial) => trial.variant === report.chosen);
    const rate = bytes !== null && chosen ? (bytes / chosen.medianMs / 1e6).toFixed(1) : '–';
    lines.push(`| ${kernel} | ${shape} | ${floats} | ${report.timer ?? '–'} × ${report.repeat} | ${medians} | ${report.chosen} | ${rate} |`);
  }
  for (const { n, medianMs, timer } of result.baseline) lines.push(`| sumReduce (256 per partial, first pass) | n = ${n} | – | ${timer} × 1 | ${medianMs.toFixed(3)} | – | ${((4 * n) / medianMs / 1e6).toFixed(1)} |`);
  return lines.join('\n');
}
