/**
 * The vertex stage of a compute-driven renderer: `array<vec3f>` positions (a 16-byte
 * stride: 4 floats per element, the fourth is padding) multiplied by a camera's
 * `mat4x4f` in a uniform struct, given here as its raw column-major floats.
 */
import { defineShader, float32Output, randomInts } from './support.ts';

export const VERTEX_TRANSFORM_WGSL: string = /* wgsl */ `
struct Camera {
  viewProj: mat4x4f,
}

@group(0) @binding(0) var<uniform> camera: Camera;
@group(0) @binding(1) var<storage, read> positions: array<vec3f>;
@group(0) @binding(2) var<storage, read_write> clip: array<vec4f>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  if (i >= arrayLength(&positions)) { return; }
  clip[i] = camera.viewProj * vec4f(positions[i], 1.0);
}
`;

/**
 * 500 positions with integer coordinates in [-50, 50] and NaN in every padding lane (read
 * it, and NaN shows); a column-major matrix of integers in [-3, 3]. Every product and sum
 * is an integer below 2²⁴, so the result is exact.
 */
export function vertexTransformInputs(): { viewProj: Float32Array; positions: Float32Array } {
  const coordinates = randomInts(500 * 3, 1301, -50, 50);
  const positions = new Float32Array(500 * 4).fill(Number.NaN);
  for (let i = 0; i < 500; i++) positions.set(coordinates.slice(3 * i, 3 * i + 3), 4 * i);
  return { viewProj: Float32Array.from(randomInts(16, 1302, -3, 3)), positions };
}

/** M · (x, y, z, 1) for each position, M column-major. */
export function vertexTransformReference(viewProj: ArrayLike<number>, positions: ArrayLike<number>): Float64Array {
  const clip = new Float64Array(positions.length);
  for (let i = 0; i < positions.length / 4; i++) {
    const p = [positions[4 * i] ?? 0, positions[4 * i + 1] ?? 0, positions[4 * i + 2] ?? 0, 1];
    for (let row = 0; row < 4; row++) {
      clip[4 * i + row] = p.reduce((sum, v, column) => sum + (viewProj[column * 4 + row] ?? 0) * v, 0);
    }
  }
  return clip;
}

export const vertexTransform = defineShader(
  'a vertex transform of array<vec3f> by a mat4x4f camera uniform',
  ['array<vec3f> (16-byte stride, padding lane ignored)', 'mat4x4f in a uniform struct', 'a uniform given as a Float32Array'],
  async (run) => {
    const { viewProj, positions } = vertexTransformInputs();
    const count = positions.length / 4;
    const pipeline = await run.compile({ code: VERTEX_TRANSFORM_WGSL });
    const out = await pipeline.dispatch({ camera: viewProj, positions, clip: new Float32Array(count * 4) }, { grid: [Math.ceil(count / 64), 1, 1] });
    const clip = float32Output(out, 'clip');
    // Exact: integers below 2²⁴ throughout (see vertexTransformInputs).
    run.exact('clip', clip, vertexTransformReference(viewProj, positions));
    run.fingerprint(clip);
  },
);
