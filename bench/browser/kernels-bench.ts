/**
 * The kernels suite's page side (issue #15), loaded by `bench/kernels.html`: per workload,
 * vyre-web, raw hand-written WGSL and tfjs's WebGPU backend set up side by side in this
 * one page, then run in rounds. Each round every contender takes one turn, in an order
 * shuffled per round (bench/turns.ts); a turn is one end-to-end run (CPU arrays in, CPU
 * array out, timed on the main thread) and then one GPU-timed run over inputs already on
 * the GPU. Every end-to-end result is checked against the plain-JS reference.
 */
import { turnOrders } from '../turns.ts';
import { makeChecker, type CheckResult } from './kernels-check.ts';
import { CONTENDERS, type Contender, type ContenderName } from './kernels-contender.ts';
import { createRawContender, requestRawDevice } from './kernels-raw.ts';
import type { MatmulLayout } from './kernels-raw-wgsl.ts';
import { createTfjsContender, startTfjsWebgpu } from './kernels-tfjs.ts';
import { createSharedInputContender, createVyreContender, createVyreRuntime } from './kernels-vyre.ts';
import { createVyreWgslContender } from './kernels-vyre-wgsl.ts';
import { makeWorkload, WORKLOAD_IDS, type WorkloadId } from './kernels-workloads.ts';
import type { Runtime } from '../../src/index.ts';

/** One contender's figures over the measured rounds of one workload. */
export interface ContenderSamples {
  /** Milliseconds per round, end to end; index i is round i for every contender. */
  readonly endToEndMs: number[];
  /** GPU milliseconds per round; `null` where the device had no timestamp queries. */
  readonly gpuMs: (number | null)[];
  /** The worst check over every end-to-end result. */
  check: CheckResult | null;
}

export interface WorkloadResult {
  readonly id: WorkloadId;
  readonly label: string;
  readonly tolerance: string;
  readonly rounds: number;
  readonly contenders: Record<ContenderName, ContenderSamples>;
}

/** What the page knows of the machine. */
export interface KernelsSetup {
  readonly adapter: string;
  readonly timestampQuery: { readonly adapter: boolean; readonly vyre: boolean };
  readonly crossOriginIsolated: boolean;
}

interface Shared {
  readonly device: GPUDevice;
  readonly runtime: Runtime;
}

let shared: Promise<Shared> | undefined;

/** The raw device, vyre-web's runtime and tfjs's backend, started once per page. */
function start(): Promise<Shared> {
  shared ??= (async () => {
    const [device, runtime] = await Promise.all([requestRawDevice(), createVyreRuntime(), startTfjsWebgpu()]);
    return { device, runtime };
  })();
  return shared;
}

/** Adapter name and which contenders can time the GPU. */
export async function setup(): Promise<KernelsSetup> {
  const { device, runtime } = await start();
  const info = device.adapterInfo;
  return {
    adapter: [info.vendor, info.architecture, info.description].filter(Boolean).join(' '),
    timestampQuery: { adapter: device.features.has('timestamp-query'), vyre: runtime.device.features.includes('timestamp-query') },
    crossOriginIsolated: self.crossOriginIsolated,
  };
}

/** Keeps the worse of two checks: failing over passing, then inexact over exact, then the larger error. */
function worse(a: CheckResult | null, b: CheckResult): CheckResult {
  if (a === null) return b;
  if (a.ok !== b.ok) return a.ok ? b : a;
  if (a.exact !== b.exact) return a.exact ? b : a;
  return a.worstOfTolerance >= b.worstOfTolerance ? a : b;
}

/**
 * Runs one workload: `warmup` rounds unrecorded (pipeline compiles, buffer pools), then
 * `rounds` measured ones.
 * @param layout - the raw matmul's variant (see kernels-raw-wgsl.ts).
 */
export async function runWorkload(id: WorkloadId, rounds: number, warmup = 1, layout: MatmulLayout = 'direct'): Promise<WorkloadResult> {
  const { device, runtime } = await start();
  const workload = makeWorkload(id);
  const checker = makeChecker(workload);
  const contenders: Record<ContenderName, Contender> = {
    'vyre-web': await createVyreContender(runtime, workload),
    'vyre-web fast': await createVyreContender(runtime, workload, 'fast'),
    'vyre-web shared': await sharedInputContender(runtime, workload),
    'vyre-web wgsl()': await createVyreWgslContender(runtime, workload, layout),
    'raw WGSL': await createRawContender(device, workload, layout),
    'raw WGSL exact': await createRawContender(device, workload, layout, true),
    'tfjs webgpu': await createTfjsContender(workload),
  };
  const samples = Object.fromEntries(CONTENDERS.map((name) => [name, { endToEndMs: [], gpuMs: [], check: null }])) as unknown as Record<ContenderName, ContenderSamples>;
  const order = turnOrders(CONTENDERS.length);
  try {
    for (let round = 0; round < warmup + rounds; round++) {
      for (const index of order(round)) {
        const name = CONTENDERS[index] as ContenderName;
        const contender = contenders[name];
        const started = performance.now();
        const output = await contender.run();
        const endToEnd = performance.now() - started;
        const gpu = await contender.gpuTime();
        const record = samples[name];
        record.check = worse(record.check, checker.check(output));
        if (round < warmup) continue;
        record.endToEndMs.push(endToEnd);
        record.gpuMs.push(gpu);
      }
    }
  } finally {
    for (const contender of Object.values(contenders)) await contender.dispose();
  }
  return { id, label: workload.label, tolerance: checker.tolerance, rounds, contenders: samples };
}

/** The shared-input contender; the suite's server makes the page cross-origin isolated (bench/run.mjs). */
async function sharedInputContender(runtime: Runtime, workload: ReturnType<typeof makeWorkload>): Promise<Contender> {
  const contender = await createSharedInputContender(runtime, workload);
  if (contender === null) throw new Error('kernels bench: the page is not cross-origin isolated, so it has no SharedArrayBuffer');
  return contender;
}

/** Every workload id, in table order. */
export const workloadIds = (): readonly WorkloadId[] => WORKLOAD_IDS;
