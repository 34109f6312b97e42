/**
 * The u32 sum of {@link sumReduceWide} with subgroup operations, for adapters with the
 * `subgroups` feature (the runtime enables it when the adapter has it). WGSL rather than
 * the IR: the IR has no subgroup operations, because its reference interpreter gives every
 * program one defined result, and what `subgroupAdd` returns to an invocation depends on a
 * subgroup size the device picks (4 on SwiftShader, 32 on NVIDIA). This kernel's output
 * does not: wrapping u32 addition gives the same partial in any grouping.
 */
import { wgsl } from '../program/wgsl-program.ts';

/**
 * `partials[g] = Σ x[g·2048 … g·2048 + 2047]` (wrapping), like {@link sumReduceWide}: each
 * invocation adds 8 elements, `subgroupAdd` sums each subgroup in registers, and one
 * invocation per subgroup adds that into a workgroup atomic — one barrier per workgroup
 * instead of a tree of eight, for any subgroup size and layout.
 *
 * - Inputs: `x` (`read`, u32). Outputs: `partials` (u32, `ceil(n / 2048)`).
 * - Dispatch options: `sumWideOptions(n)`. Exact. Needs the `subgroups` feature
 *   (`runtime.device.features`); compiling it without is a `shader-compilation` error.
 */
export const sumReduceSubgroups = wgsl({
  code: `enable subgroups;

@group(0) @binding(0) var<storage, read> x: array<u32>;
@group(0) @binding(1) var<storage, read_write> partials: array<u32>;

var<workgroup> total: atomic<u32>;

const WORKGROUP = 256u;
const ITEMS = 8u;

@compute @workgroup_size(256)
fn main(
  @builtin(local_invocation_index) local: u32,
  @builtin(workgroup_id) group_id: vec3<u32>,
  @builtin(num_workgroups) group_count: vec3<u32>,
  @builtin(subgroup_invocation_id) lane: u32,
) {
  // The workgroup's index in the dense grid, however the runtime laid the grid out.
  let group = group_id.x + group_count.x * (group_id.y + group_count.y * group_id.z);
  if (local == 0u) {
    atomicStore(&total, 0u);
  }
  let n = arrayLength(&x);
  var acc = 0u;
  for (var item = 0u; item < ITEMS; item++) {
    let i = group * WORKGROUP * ITEMS + item * WORKGROUP + local;
    if (i < n) {
      acc += x[i];
    }
  }
  workgroupBarrier();
  let sum = subgroupAdd(acc);
  if (lane == 0u) {
    atomicAdd(&total, sum);
  }
  workgroupBarrier();
  if (local == 0u && group < arrayLength(&partials)) {
    partials[group] = atomicLoad(&total);
  }
}
`,
});
