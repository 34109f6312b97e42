/**
 * A 256-bin histogram with atomics: each workgroup counts into a private
 * `array<atomic<u32>, 256>` in workgroup memory, then adds its non-zero bins to the global
 * `array<atomic<u32>, 256>` — the privatised histogram of image and sorting pipelines.
 */
import { defineShader, randomInts, uint32Output } from './support.ts';

export const HISTOGRAM_WGSL: string = /* wgsl */ `
struct Params {
  count: u32,   // values to count
  shift: u32,   // bin = (value >> shift) & 0xff
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> values: array<u32>;
@group(0) @binding(2) var<storage, read_write> bins: array<atomic<u32>, 256>;

var<workgroup> local: array<atomic<u32>, 256>;

@compute @workgroup_size(256)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) lid: u32) {
  atomicStore(&local[lid], 0u);
  workgroupBarrier();
  if (gid.x < params.count) {
    let bin = (values[gid.x] >> params.shift) & 0xffu;
    atomicAdd(&local[bin], 1u);
  }
  workgroupBarrier();
  let n = atomicLoad(&local[lid]);
  if (n > 0u) { atomicAdd(&bins[lid], n); }
}
`;

/** 3,000 12-bit values (not a multiple of 256), skewed toward the low bins like image data. */
export function histogramInputs(): { count: number; shift: number; values: Uint32Array } {
  const uniform = randomInts(3000, 601, 0, 4095);
  const skew = randomInts(3000, 602, 0, 4095);
  return { count: 3000, shift: 4, values: Uint32Array.from(uniform, (v, i) => Math.min(v, skew[i] ?? 0)) };
}

/** Counts of `(value >> shift) & 0xff` over the first `count` values. */
export function histogramReference(values: ArrayLike<number>, count: number, shift: number): Uint32Array {
  const bins = new Uint32Array(256);
  for (let i = 0; i < count; i++) {
    const bin = ((values[i] ?? 0) >>> shift) & 0xff;
    bins[bin] = (bins[bin] ?? 0) + 1;
  }
  return bins;
}

export const histogram = defineShader(
  'a 256-bin histogram with atomic<u32> and a workgroup-private copy',
  ['array<atomic<u32>, 256> (fixed size, sized by its type)', 'var<workgroup> atomics with barriers', 'uniform params struct'],
  async (run) => {
    const { count, shift, values } = histogramInputs();
    const pipeline = await run.compile({ code: HISTOGRAM_WGSL });
    // `bins` is not passed: a read-write binding of fixed size is allocated zero-filled from its type.
    const out = await pipeline.dispatch({ params: { count, shift }, values }, { grid: [Math.ceil(count / 256), 1, 1] });
    const bins = uint32Output(out, 'bins');
    run.exact('bins', bins, histogramReference(values, count, shift));
    const total = bins.reduce((a, b) => a + b, 0);
    if (total !== count) run.fail(`bins: counted ${total} values, expected ${count}`);
    run.fingerprint(bins);
  },
);
