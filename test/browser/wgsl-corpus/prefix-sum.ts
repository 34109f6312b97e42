/**
 * A work-efficient (Blelloch) exclusive prefix sum in workgroup memory: each workgroup
 * scans a block of 256 values with an up-sweep and a down-sweep separated by barriers,
 * and writes its block total for the next level — the building block of GPU
 * stream compaction, radix sort and allocation.
 */
import { defineShader, randomInts, uint32Output } from './support.ts';

export const PREFIX_SUM_WGSL: string = /* wgsl */ `
const WG = 128u;
const BLOCK = 256u;   // two values per invocation

@group(0) @binding(0) var<storage, read> values: array<u32>;
@group(0) @binding(1) var<storage, read_write> prefix: array<u32>;     // exclusive, within each block
@group(0) @binding(2) var<storage, read_write> blockSums: array<u32>;

var<workgroup> temp: array<u32, BLOCK>;

fn load(index: u32) -> u32 {
  if (index < arrayLength(&values)) { return values[index]; }
  return 0u;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let base = wid.x * BLOCK;
  let a = 2u * lid;
  let b = a + 1u;
  temp[a] = load(base + a);
  temp[b] = load(base + b);

  // Up-sweep: partial sums in place, a binary tree from the leaves up.
  var offset = 1u;
  for (var d = BLOCK >> 1u; d > 0u; d >>= 1u) {
    workgroupBarrier();
    if (lid < d) {
      let ai = offset * (2u * lid + 1u) - 1u;
      let bi = offset * (2u * lid + 2u) - 1u;
      temp[bi] += temp[ai];
    }
    offset <<= 1u;
  }

  workgroupBarrier();
  if (lid == 0u) {
    blockSums[wid.x] = temp[BLOCK - 1u];
    temp[BLOCK - 1u] = 0u;
  }

  // Down-sweep: push the prefixes back down the tree.
  for (var d = 1u; d < BLOCK; d <<= 1u) {
    offset >>= 1u;
    workgroupBarrier();
    if (lid < d) {
      let ai = offset * (2u * lid + 1u) - 1u;
      let bi = offset * (2u * lid + 2u) - 1u;
      let t = temp[ai];
      temp[ai] = temp[bi];
      temp[bi] += t;
    }
  }
  workgroupBarrier();

  let n = arrayLength(&values);
  if (base + a < n) { prefix[base + a] = temp[a]; }
  if (base + b < n) { prefix[base + b] = temp[b]; }
}
`;

/** 2,000 counts in 0…15: 7 full blocks of 256 and a ragged one of 208. */
export function prefixSumInputs(): Uint32Array {
  return Uint32Array.from(randomInts(2000, 701, 0, 15));
}

/** Exclusive scan within blocks of `block`, and each block's total. */
export function prefixSumReference(values: ArrayLike<number>, block = 256): { prefix: Uint32Array; blockSums: Uint32Array } {
  const prefix = new Uint32Array(values.length);
  const blockSums = new Uint32Array(Math.ceil(values.length / block));
  for (let start = 0; start < values.length; start += block) {
    let running = 0;
    for (let i = start; i < Math.min(start + block, values.length); i++) {
      prefix[i] = running;
      running = (running + (values[i] ?? 0)) >>> 0;
    }
    blockSums[start / block] = running;
  }
  return { prefix, blockSums };
}

export const prefixSum = defineShader(
  'a Blelloch prefix sum in workgroup memory',
  ['var<workgroup> array<u32, 256>', 'up-sweep and down-sweep with workgroupBarrier in uniform loops', 'module-scope const sizes', 'two outputs sized by the outputs option'],
  async (run) => {
    const values = prefixSumInputs();
    const blocks = Math.ceil(values.length / 256);
    const pipeline = await run.compile({ code: PREFIX_SUM_WGSL });
    const out = await pipeline.dispatch({ values }, { grid: [blocks, 1, 1], outputs: { prefix: values.length, blockSums: blocks } });
    const ref = prefixSumReference(values);
    const prefix = uint32Output(out, 'prefix');
    const blockSums = uint32Output(out, 'blockSums');
    run.exact('prefix', prefix, ref.prefix);
    run.exact('blockSums', blockSums, ref.blockSums);
    run.fingerprint(prefix);
    run.fingerprint(blockSums);
  },
);
