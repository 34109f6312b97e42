/**
 * Block sums with an `override` workgroup size: `override WG: u32 = 64;` sets both
 * `@workgroup_size(WG)` and the length of the workgroup array the tree reduction runs in.
 * Compiled twice, with its default and with `{ constants: { WG: 128 } }`: two pipelines,
 * each with its own block size, so the number and the values of the sums show which ran.
 */
import type { CorpusRun } from './support.ts';
import { defineShader, randomInts, uint32Output } from './support.ts';

export const BLOCK_SUM_WGSL: string = /* wgsl */ `
override WG: u32 = 64;

@group(0) @binding(0) var<storage, read> values: array<u32>;
@group(0) @binding(1) var<storage, read_write> sums: array<u32>;

var<workgroup> partial: array<u32, WG>;

@compute @workgroup_size(WG)
fn main(
  @builtin(global_invocation_id) gid: vec3u,
  @builtin(local_invocation_index) lid: u32,
  @builtin(workgroup_id) wid: vec3u,
) {
  var value = 0u;
  if (gid.x < arrayLength(&values)) { value = values[gid.x]; }
  partial[lid] = value;
  workgroupBarrier();
  // WG is a power of two; the loop bound is an override, so the barrier stays in uniform control flow.
  for (var stride = WG / 2u; stride > 0u; stride >>= 1u) {
    if (lid < stride) { partial[lid] += partial[lid + stride]; }
    workgroupBarrier();
  }
  if (lid == 0u) { sums[wid.x] = partial[0]; }
}
`;

/** 4,000 values up to 2²⁰ (not a multiple of 64 or 128). */
export function blockSumInputs(): Uint32Array {
  return Uint32Array.from(randomInts(4000, 1201, 0, 1 << 20));
}

/** Sum of each block of `block` values (the last one partial), wrapping like u32. */
export function blockSumReference(values: ArrayLike<number>, block: number): Uint32Array {
  const sums = new Uint32Array(Math.ceil(values.length / block));
  for (let i = 0; i < values.length; i++) {
    const b = Math.floor(i / block);
    sums[b] = ((sums[b] ?? 0) + (values[i] ?? 0)) >>> 0;
  }
  return sums;
}

async function runWith(run: CorpusRun, values: Uint32Array, wg: number, constants?: Readonly<Record<string, number>>): Promise<void> {
  const pipeline = await run.compile({ code: BLOCK_SUM_WGSL }, constants);
  const blocks = Math.ceil(values.length / wg);
  const out = await pipeline.dispatch({ values }, { grid: [blocks, 1, 1], outputs: { sums: blocks } });
  const sums = uint32Output(out, 'sums');
  run.exact(`sums with WG = ${wg}${constants ? ' (constants)' : ' (default)'}`, sums, blockSumReference(values, wg));
  run.fingerprint(sums);
}

export const blockSumOverride = defineShader(
  'block sums with an override workgroup size, by default and with constants',
  ['override WG: u32 = 64', '@workgroup_size(WG)', 'var<workgroup> array<u32, WG> sized by the override', 'compile constants { WG: 128 } (a second pipeline)'],
  async (run) => {
    const values = blockSumInputs();
    await runWith(run, values, 64);
    await runWith(run, values, 128, { WG: 128 });
  },
);
