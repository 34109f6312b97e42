/**
 * Grid folding: a 1-D count of workgroups larger than `maxComputeWorkgroupsPerDimension`
 * becomes a 2-D or 3-D grid. Kernels that index by the dense `linear-index` builtin see
 * every index below `workgroups × invocations-per-workgroup` exactly once; the few extra
 * workgroups of the last row get indices past the end, which kernels bound-check anyway.
 */

/**
 * Folds `workgroups` into at most three dimensions of at most `perDimension` each,
 * keeping the overshoot small. Returns `undefined` when even perDimension³ is not enough.
 */
export function foldGrid(workgroups: number, perDimension: number): [number, number, number] | undefined {
  if (workgroups <= perDimension) return [workgroups, 1, 1];
  const rows = Math.ceil(workgroups / perDimension);
  if (rows <= perDimension) {
    // Spread evenly over the rows instead of filling x to the limit: less overshoot.
    return [Math.ceil(workgroups / rows), rows, 1];
  }
  const planes = Math.ceil(rows / perDimension);
  if (planes > perDimension) return undefined;
  const rowsPerPlane = Math.ceil(rows / planes);
  return [perDimension, rowsPerPlane, planes];
}
