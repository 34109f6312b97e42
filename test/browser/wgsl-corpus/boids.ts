/**
 * One step of a boids flock: `array<Particle>` of `{ pos: vec2f, vel: vec2f }` read from
 * one buffer and written to another, with the three rules (cohesion, separation,
 * alignment), their radii and weights in a uniform `SimParams`, a speed limit and
 * wrap-around at the edges of [-1, 1)².
 */
import { prng } from '../../fuzz/random.ts';
import { absolute, defineShader, float32Output } from './support.ts';

export const BOIDS_WGSL: string = /* wgsl */ `
struct Particle {
  pos: vec2f,
  vel: vec2f,
}

struct SimParams {
  dt: f32,
  cohesionDistance: f32,
  separationDistance: f32,
  alignmentDistance: f32,
  cohesionScale: f32,
  separationScale: f32,
  alignmentScale: f32,
  maxSpeed: f32,
}

@group(0) @binding(0) var<uniform> sim: SimParams;
@group(0) @binding(1) var<storage, read> particlesIn: array<Particle>;
@group(0) @binding(2) var<storage, read_write> particlesOut: array<Particle>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let i = gid.x;
  let count = arrayLength(&particlesIn);
  if (i >= count) { return; }
  let me = particlesIn[i];

  var center = vec2f(0.0);
  var neighbours = 0u;
  var away = vec2f(0.0);
  var heading = vec2f(0.0);
  var flockmates = 0u;
  for (var j = 0u; j < count; j++) {
    if (j == i) { continue; }
    let other = particlesIn[j];
    let d = distance(other.pos, me.pos);
    if (d < sim.cohesionDistance) { center += other.pos; neighbours++; }
    if (d < sim.separationDistance) { away -= other.pos - me.pos; }
    if (d < sim.alignmentDistance) { heading += other.vel; flockmates++; }
  }

  var vel = me.vel;
  if (neighbours > 0u) { vel += (center / f32(neighbours) - me.pos) * sim.cohesionScale; }
  vel += away * sim.separationScale;
  if (flockmates > 0u) { vel += (heading / f32(flockmates)) * sim.alignmentScale; }
  let speed = length(vel);
  if (speed > sim.maxSpeed) { vel *= sim.maxSpeed / speed; }

  var pos = me.pos + vel * sim.dt;
  pos = select(pos, pos - 2.0, pos >= vec2f(1.0));
  pos = select(pos, pos + 2.0, pos < vec2f(-1.0));
  particlesOut[i] = Particle(pos, vel);
}
`;

/** The uniform `SimParams`, as a plain object of its fields. */
export const BOIDS_PARAMS = {
  dt: 0.04,
  cohesionDistance: 0.15,
  separationDistance: 0.04,
  alignmentDistance: 0.08,
  cohesionScale: 0.02,
  separationScale: 0.05,
  alignmentScale: 0.01,
  maxSpeed: 0.1,
} as const;

/** How far every pair's distance stays from each rule radius, so rounding cannot flip a rule. */
const RADIUS_MARGIN = 1e-4;

/** The first particle leaves through the corner (1, -1), so the step wraps it on both axes. */
const EDGE_PARTICLE = [0.999, -0.9995, 0.06, -0.06] as const;

/**
 * 128 particles (pos, vel interleaved, 4 floats each) in [-1, 1)², speeds up to 0.14;
 * a particle too close to a rule radius from an earlier one is drawn again.
 */
export function boidsInputs(count = 128): Float32Array {
  const next = prng(401);
  const radii = [BOIDS_PARAMS.cohesionDistance, BOIDS_PARAMS.separationDistance, BOIDS_PARAMS.alignmentDistance].map(Math.fround);
  const particles = new Float32Array(count * 4);
  for (let i = 0; i < count; i++) {
    for (let ambiguous = true; ambiguous; ) {
      const drawn = [next() * 2 - 1, next() * 2 - 1, (next() * 2 - 1) * 0.1, (next() * 2 - 1) * 0.1];
      particles.set(i === 0 ? EDGE_PARTICLE : drawn, i * 4);
      ambiguous = false;
      for (let j = 0; j < i && !ambiguous; j++) {
        const d = Math.hypot((particles[j * 4] ?? 0) - (particles[i * 4] ?? 0), (particles[j * 4 + 1] ?? 0) - (particles[i * 4 + 1] ?? 0));
        ambiguous = radii.some((r) => Math.abs(d - r) < RADIUS_MARGIN);
      }
    }
  }
  return particles;
}

/** One boids step in f64 (with the parameters rounded to f32, as the uniform holds them). */
export function boidsReference(particles: Float32Array, params: typeof BOIDS_PARAMS = BOIDS_PARAMS): Float64Array {
  const p = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Math.fround(v)])) as Record<keyof typeof BOIDS_PARAMS, number>;
  const count = particles.length / 4;
  const at = (i: number, k: number) => particles[i * 4 + k] ?? 0;
  const out = new Float64Array(particles.length);
  for (let i = 0; i < count; i++) {
    const [px, py, vx0, vy0] = [at(i, 0), at(i, 1), at(i, 2), at(i, 3)];
    let [cx, cy, ax, ay, hx, hy, neighbours, flockmates] = [0, 0, 0, 0, 0, 0, 0, 0];
    for (let j = 0; j < count; j++) {
      if (j === i) continue;
      const d = Math.hypot(at(j, 0) - px, at(j, 1) - py);
      if (d < p.cohesionDistance) [cx, cy, neighbours] = [cx + at(j, 0), cy + at(j, 1), neighbours + 1];
      if (d < p.separationDistance) [ax, ay] = [ax - (at(j, 0) - px), ay - (at(j, 1) - py)];
      if (d < p.alignmentDistance) [hx, hy, flockmates] = [hx + at(j, 2), hy + at(j, 3), flockmates + 1];
    }
    let [vx, vy] = [vx0, vy0];
    if (neighbours > 0) [vx, vy] = [vx + (cx / neighbours - px) * p.cohesionScale, vy + (cy / neighbours - py) * p.cohesionScale];
    [vx, vy] = [vx + ax * p.separationScale, vy + ay * p.separationScale];
    if (flockmates > 0) [vx, vy] = [vx + (hx / flockmates) * p.alignmentScale, vy + (hy / flockmates) * p.alignmentScale];
    const speed = Math.hypot(vx, vy);
    if (speed > p.maxSpeed) [vx, vy] = [(vx * p.maxSpeed) / speed, (vy * p.maxSpeed) / speed];
    const wrap = (v: number) => (v >= 1 ? v - 2 : v < -1 ? v + 2 : v);
    out.set([wrap(px + vx * p.dt), wrap(py + vy * p.dt), vx, vy], i * 4);
  }
  return out;
}

export const boids = defineShader(
  'a boids step over array<Particle> with a uniform SimParams',
  ['array of structs { pos: vec2f, vel: vec2f }', 'uniform SimParams of 8 f32', 'arrayLength of a struct array', 'ping-pong buffers'],
  async (run) => {
    const particles = boidsInputs();
    const count = particles.length / 4;
    const pipeline = await run.compile({ code: BOIDS_WGSL });
    const out = await pipeline.dispatch(
      { sim: BOIDS_PARAMS, particlesIn: particles, particlesOut: new Float32Array(particles.length) },
      { grid: [Math.ceil(count / 64), 1, 1] },
    );
    const gpu = float32Output(out, 'particlesOut');
    const ref = boidsReference(particles);
    const select = (values: ArrayLike<number>, lanes: readonly number[]) => Array.from(values).filter((_, i) => lanes.includes(i % 4));
    // Components stay below 1; the neighbourhood means round by at most 128·2⁻²⁴ of their terms and
    // are scaled by weights ≤ 0.05, the speed limit and the step add a few ULP: 2e-6 absolute.
    run.close('vel', select(gpu, [2, 3]), select(ref, [2, 3]), absolute(2e-6));
    // Positions compared on the torus: a particle within rounding of an edge may wrap on one side only.
    const refPos = select(ref, [0, 1]);
    const gpuPos = select(gpu, [0, 1]).map((g, i) => g - 2 * Math.round((g - (refPos[i] ?? 0)) / 2));
    run.close('pos (mod 2)', gpuPos, refPos, absolute(2e-6));
    run.fingerprint(gpu);
  },
);
