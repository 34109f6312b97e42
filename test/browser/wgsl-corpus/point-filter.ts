/**
 * Stream compaction of a point cloud held as a runtime-sized array wrapped in a struct,
 * `struct Points { count: u32, items: array<vec4f> }` (a count, then items with spare
 * capacity): points inside a query sphere with a high enough score are appended to
 * `struct Kept { count: atomic<u32>, items: array<vec4f> }` through an atomic counter.
 * The query is a uniform with the classic layout trap: a `vec3f` followed by an `f32`.
 */
import { byteOutput, defineShader, randomInts } from './support.ts';

export const POINT_FILTER_WGSL: string = /* wgsl */ `
struct Points {
  count: u32,
  items: array<vec4f>,    // xyz, w = score; only the first count are valid
}

struct Kept {
  count: atomic<u32>,
  items: array<vec4f>,
}

struct Query {
  center: vec3f,
  radius: f32,            // packs into the vec3f's padding, at offset 12
  minScore: f32,
}

@group(0) @binding(0) var<uniform> query: Query;
@group(0) @binding(1) var<storage, read> cloud: Points;
@group(0) @binding(2) var<storage, read_write> kept: Kept;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= cloud.count) { return; }
  let p = cloud.items[i];
  let d = p.xyz - query.center;
  if (dot(d, d) <= query.radius * query.radius && p.w >= query.minScore) {
    let slot = atomicAdd(&kept.count, 1u);
    kept.items[slot] = p;
  }
}
`;

/** Items the buffers have room for; the cloud fills `COUNT` of them. */
const CAPACITY = 768;
const COUNT = 700;
/** Bytes before `items` in both structs: `array<vec4f>` aligns to 16. */
const ITEMS_OFFSET = 16;

/** The uniform `Query`, as a plain object: `center` a vec3f as three numbers. */
export const POINT_QUERY = { center: [1, -2, 3], radius: 10.5, minScore: 0.25 } as const;

/**
 * The cloud as bytes: count, then `CAPACITY` points with integer coordinates in [-16, 16]
 * (squared distances exact in f32, against radius² = 110.25) and scores k/8. The spare
 * slots past `count` hold points that would pass, so reading past `count` shows.
 */
export function pointCloudBytes(): ArrayBuffer {
  const bytes = new ArrayBuffer(ITEMS_OFFSET + CAPACITY * 16);
  new DataView(bytes).setUint32(0, COUNT, true);
  const coordinates = randomInts(COUNT * 3, 1101, -16, 16);
  const scores = randomInts(COUNT, 1102, 0, 7);
  const items = new Float32Array(bytes, ITEMS_OFFSET);
  for (let i = 0; i < CAPACITY; i++) {
    const point = i < COUNT ? [coordinates[3 * i] ?? 0, coordinates[3 * i + 1] ?? 0, coordinates[3 * i + 2] ?? 0, (scores[i] ?? 0) / 8] : [...POINT_QUERY.center, 1];
    items.set(point, i * 4);
  }
  return bytes;
}

/** The kept points, in cloud order (the GPU's order is whatever the atomics gave). */
export function pointFilterReference(cloud: ArrayBuffer, query: typeof POINT_QUERY = POINT_QUERY): number[][] {
  const count = new DataView(cloud).getUint32(0, true);
  const items = new Float32Array(cloud, ITEMS_OFFSET, count * 4);
  const kept: number[][] = [];
  for (let i = 0; i < count; i++) {
    const [x = 0, y = 0, z = 0, w = 0] = items.subarray(i * 4, i * 4 + 4);
    const squared = (x - query.center[0]) ** 2 + (y - query.center[1]) ** 2 + (z - query.center[2]) ** 2;
    if (squared <= query.radius ** 2 && w >= query.minScore) kept.push([x, y, z, w]);
  }
  return kept;
}

/** Points as one flat list in lexicographic order: a multiset both sides can compare. */
function canonical(points: readonly (readonly number[])[]): Float32Array {
  const order = (a: readonly number[], b: readonly number[]): number => {
    const i = a.findIndex((v, k) => v !== b[k]);
    return i === -1 ? 0 : (a[i] ?? 0) - (b[i] ?? 0);
  };
  return Float32Array.from([...points].sort(order).flat());
}

export const pointFilter = defineShader(
  'stream compaction over a runtime array wrapped in a struct',
  ['struct { count: u32, items: array<vec4f> } (runtime-sized last member)', 'input and output as raw bytes (ArrayBuffer, DataView)', 'atomic<u32> counter in a struct', 'uniform vec3f + f32 packing'],
  async (run) => {
    const cloud = pointCloudBytes();
    const pipeline = await run.compile({ code: POINT_FILTER_WGSL });
    const out = await pipeline.dispatch(
      { query: POINT_QUERY, cloud, kept: new DataView(new ArrayBuffer(ITEMS_OFFSET + CAPACITY * 16)) },
      { grid: [Math.ceil(CAPACITY / 64), 1, 1] },
    );
    // Its leaves mix u32 and f32, so `kept` comes back as raw bytes.
    const bytes = byteOutput(out, 'kept');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const ref = pointFilterReference(cloud);
    const count = bytes.byteLength >= 4 ? view.getUint32(0, true) : -1;
    if (count !== ref.length) run.fail(`kept.count: gpu ${count}, ref ${ref.length}`);
    const items = new Float32Array(bytes.slice(ITEMS_OFFSET).buffer);
    const gpu = Array.from({ length: Math.max(0, Math.min(count, CAPACITY)) }, (_, i) => Array.from(items.subarray(i * 4, i * 4 + 4)));
    run.exact('kept.items (as a multiset)', canonical(gpu), canonical(ref));
    run.exact('kept.items past count (untouched)', items.subarray(Math.max(0, count) * 4), new Float32Array((CAPACITY - Math.max(0, count)) * 4));
    run.fingerprint(canonical(gpu));
  },
);
