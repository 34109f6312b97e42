/**
 * One k-means iteration as two entry points of one module sharing one layout: `assign`
 * labels each point with its nearest centroid, `update` moves each centroid to the mean of
 * its points. Both see the same four bindings; each is compiled as its own program.
 */
import { defineShader, float32Output, randomInts, relative, uint32Output } from './support.ts';

export const K_MEANS_WGSL: string = /* wgsl */ `
struct Params {
  pointCount: u32,
  k: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> points: array<vec2f>;
@group(0) @binding(2) var<storage, read_write> centroids: array<vec2f>;
@group(0) @binding(3) var<storage, read_write> labels: array<u32>;

// Each point takes the label of its nearest centroid; a tie goes to the lower index.
@compute @workgroup_size(64)
fn assign(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= params.pointCount) { return; }
  let p = points[i];
  var best = 0u;
  var bestDistance = dot(p - centroids[0], p - centroids[0]);
  for (var c = 1u; c < params.k; c++) {
    let d = p - centroids[c];
    let dist = dot(d, d);
    if (dist < bestDistance) {
      best = c;
      bestDistance = dist;
    }
  }
  labels[i] = best;
}

// Each centroid moves to the mean of its points; one without points stays where it is.
@compute @workgroup_size(64)
fn update(@builtin(global_invocation_id) gid: vec3u) {
  let c = gid.x;
  if (c >= params.k) { return; }
  var sum = vec2f(0.0);
  var n = 0u;
  for (var i = 0u; i < params.pointCount; i++) {
    if (labels[i] == c) {
      sum += points[i];
      n++;
    }
  }
  if (n > 0u) { centroids[c] = sum / f32(n); }
}
`;

/**
 * 512 points and 6 starting centroids on the integer grid [0, 64)²: squared distances and
 * coordinate sums are exact in f32, so labels (ties included) must match exactly. The last
 * two centroids start at one place: every tie between them goes to index 4, and index 5,
 * left without points, must stay put.
 */
export function kMeansInputs(): { k: number; points: Float32Array; centroids: Float32Array } {
  return {
    k: 6,
    points: Float32Array.from(randomInts(512 * 2, 901, 0, 63)),
    centroids: Float32Array.from([8, 8, 56, 8, 8, 56, 56, 56, 32, 32, 32, 32]),
  };
}

/** Nearest centroid per point; ties to the lower index (strict `<`, as the shader). */
export function assignReference(points: ArrayLike<number>, centroids: ArrayLike<number>, k: number): Uint32Array {
  const labels = new Uint32Array(points.length / 2);
  for (let i = 0; i < labels.length; i++) {
    let [best, bestDistance] = [0, Infinity];
    for (let c = 0; c < k; c++) {
      const distance = ((points[2 * i] ?? 0) - (centroids[2 * c] ?? 0)) ** 2 + ((points[2 * i + 1] ?? 0) - (centroids[2 * c + 1] ?? 0)) ** 2;
      if (distance < bestDistance) [best, bestDistance] = [c, distance];
    }
    labels[i] = best;
  }
  return labels;
}

/** Mean of each centroid's points; a centroid with none keeps its place. */
export function updateReference(points: ArrayLike<number>, labels: ArrayLike<number>, centroids: ArrayLike<number>): Float64Array {
  const next = Float64Array.from(centroids);
  for (let c = 0; c < centroids.length / 2; c++) {
    let [x, y, n] = [0, 0, 0];
    for (let i = 0; i < labels.length; i++) {
      if (labels[i] === c) [x, y, n] = [x + (points[2 * i] ?? 0), y + (points[2 * i + 1] ?? 0), n + 1];
    }
    if (n > 0) next.set([x / n, y / n], 2 * c);
  }
  return next;
}

export const kMeans = defineShader(
  'k-means with two entry points (assign, update) sharing one layout',
  ['two @compute entry points in one module', 'one layout shared by both', 'array<vec2f>', 'read-write buffers uploaded and read back'],
  async (run) => {
    const { k, points, centroids } = kMeansInputs();
    const pointCount = points.length / 2;
    const params = { pointCount, k };
    const assign = await run.compile({ code: K_MEANS_WGSL, entryPoint: 'assign' });
    const update = await run.compile({ code: K_MEANS_WGSL, entryPoint: 'update' });

    const assigned = await assign.dispatch({ params, points, centroids, labels: new Uint32Array(pointCount) }, { grid: [Math.ceil(pointCount / 64), 1, 1] });
    const labels = uint32Output(assigned, 'labels');
    run.exact('assign: labels', labels, assignReference(points, centroids, k));
    run.exact('assign: centroids read back untouched', float32Output(assigned, 'centroids'), centroids);

    const updated = await update.dispatch({ params, points, centroids, labels }, { grid: [1, 1, 1] });
    const moved = float32Output(updated, 'centroids');
    // Sums of integer coordinates are exact; only the division by the count rounds (2.5 ULP allowed).
    run.close('update: centroids', moved, updateReference(points, labels, centroids), relative(1e-6));
    run.exact('update: labels read back untouched', uint32Output(updated, 'labels'), labels);
    run.fingerprint(labels);
    run.fingerprint(moved);
  },
);
