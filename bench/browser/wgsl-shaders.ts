/**
 * The shaders of the WGSL suite (issue #13), written for it:
 * - {@link PARTICLE_STEP_WGSL}: a ~300-line compute module in the shape of a real
 *   simulation kernel, the input of the reflection and digest timings;
 * - {@link AFFINE_WGSL}: a small kernel with a uniform `Params` struct, the input of the
 *   dispatch timing, with its inputs and a plain-JS reference.
 */

/**
 * A particle system step: charged particles attract and repel each other pairwise, tile by
 * tile through workgroup memory; gravity, wind and an attractor push them; they bounce off
 * a box, age and respawn at emitters. A second entry point gathers statistics with a
 * workgroup reduction and atomics. What reflection meets in it: nested structs in a uniform
 * (`SimParams` holds `Bounds`, `Material`, `Wind`), an array of structs, `array<vec4f>`,
 * a struct of atomics, two bind groups, two overrides (one with `@id`),
 * workgroup arrays sized by a `const`, helpers with pointer parameters, loops.
 */
export const PARTICLE_STEP_WGSL: string = /* wgsl */ `
// Particle step: pairwise forces through workgroup tiles, substeps, a box, respawn; stats.

const TILE: u32 = 64u;
const TAU: f32 = 6.28318531;
const MAX_SPEED: f32 = 40.0;
const ENERGY_SCALE: f32 = 1024.0;   // fixed point for the atomic energy sum
const FLAG_ALIVE: u32 = 1u;
const FLAG_PINNED: u32 = 2u;
const FLAG_HIT: u32 = 4u;

@id(0) override substeps: u32 = 2u;   // integration substeps per frame, set per compile
override coulomb: f32 = 0.25;         // strength of the pairwise charge interaction

struct Bounds {
  lo: vec3f,
  restitution: f32,
  hi: vec3f,
  friction: f32,
}

struct Material {
  damping: f32,
  drag: f32,
  radius: f32,
  mass_scale: f32,
}

struct Wind {
  direction: vec3f,
  strength: f32,
  gust: vec2f,        // amplitude, frequency
  phase: f32,
  turbulence: f32,
}

struct SimParams {
  dt: f32,
  softening: f32,
  count: u32,
  frame: u32,
  gravity: vec3f,
  time: f32,
  bounds: Bounds,
  material: Material,
  wind: Wind,
  attractor: vec4f,   // xyz: position, w: strength
  emitter_count: u32,
  trail_length: u32,
}

struct Particle {
  position: vec3f,
  mass: f32,
  velocity: vec3f,
  charge: f32,
  color: vec4f,
  flags: u32,
  age: f32,
  lifetime: f32,
  seed: u32,
}

struct Contact {
  normal: vec3f,
  depth: f32,
  hit: bool,
}

struct Stats {
  kinetic: atomic<u32>,
  alive: atomic<u32>,
  max_speed: atomic<u32>,   // bits of a non-negative f32: they order like the floats
}

@group(0) @binding(0) var<uniform> sim: SimParams;
@group(0) @binding(1) var<storage, read> particles_in: array<Particle>;
@group(0) @binding(2) var<storage, read_write> particles_out: array<Particle>;
@group(0) @binding(3) var<storage, read_write> forces: array<vec4f>;
@group(0) @binding(4) var<storage, read_write> stats: Stats;
@group(0) @binding(5) var<storage, read> emitters: array<vec4f>;   // xyz: position, w: speed
@group(1) @binding(0) var<storage, read_write> trails: array<vec4f>;

var<workgroup> tile_body: array<vec4f, TILE>;   // xyz: position, w: mass
var<workgroup> tile_charge: array<f32, TILE>;
var<workgroup> reduce_energy: array<f32, TILE>;
var<workgroup> reduce_speed: array<f32, TILE>;

// PCG hash: a cheap, well-mixed random stream per particle.
fn pcg(v: u32) -> u32 {
  let state = v * 747796405u + 2891336453u;
  let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}

fn rand01(seed: ptr<function, u32>) -> f32 {
  *seed = pcg(*seed);
  return f32(*seed) / 4294967295.0;
}

fn random_direction(seed: ptr<function, u32>) -> vec3f {
  let z = rand01(seed) * 2.0 - 1.0;
  let angle = rand01(seed) * TAU;
  let r = sqrt(max(0.0, 1.0 - z * z));
  return vec3f(r * cos(angle), r * sin(angle), z);
}

fn safe_normalize(v: vec3f) -> vec3f {
  let len2 = dot(v, v);
  if (len2 < 1e-12) {
    return vec3f(0.0);
  }
  return v * inverseSqrt(len2);
}

fn is_set(flags: u32, flag: u32) -> bool {
  return (flags & flag) != 0u;
}

// Softened gravity plus a Coulomb term between two bodies; other.w is the other's mass.
fn pair_force(self_pos: vec3f, self_charge: f32, other: vec4f, other_charge: f32) -> vec3f {
  let d = other.xyz - self_pos;
  let dist2 = dot(d, d) + sim.softening * sim.softening;
  let inv = inverseSqrt(dist2);
  let inv3 = inv * inv * inv;
  let attraction = other.w * inv3;
  let repulsion = coulomb * self_charge * other_charge * inv3;
  return d * (attraction - repulsion);
}

fn wind_at(position: vec3f, time: f32) -> vec3f {
  let w = sim.wind;
  let wave = sin(time * w.gust.y + w.phase + dot(position, vec3f(0.13, 0.07, 0.11)));
  let gust = 1.0 + w.gust.x * wave;
  let swirl = vec3f(sin(position.y * 1.7 + time), cos(position.z * 1.3 - time), sin(position.x * 0.9));
  return (safe_normalize(w.direction) * gust + swirl * w.turbulence) * w.strength;
}

fn attractor_force(position: vec3f) -> vec3f {
  let toward = sim.attractor.xyz - position;
  let dist2 = max(dot(toward, toward), 0.25);
  return safe_normalize(toward) * (sim.attractor.w / dist2);
}

// The deepest penetration into the box's six walls, with that wall's inward normal.
fn collide_bounds(position: vec3f, radius: f32) -> Contact {
  var contact = Contact(vec3f(0.0), 0.0, false);
  let lo = sim.bounds.lo + vec3f(radius);
  let hi = sim.bounds.hi - vec3f(radius);
  for (var axis = 0u; axis < 3u; axis++) {
    let below = lo[axis] - position[axis];
    let above = position[axis] - hi[axis];
    let depth = max(below, above);
    if (depth > contact.depth) {
      contact = Contact(vec3f(0.0), depth, true);
      contact.normal[axis] = select(-1.0, 1.0, below > above);
    }
  }
  return contact;
}

// Reflects the normal part of the velocity (scaled by restitution), damps the tangent part.
fn respond(velocity: vec3f, contact: Contact) -> vec3f {
  let vn = dot(velocity, contact.normal);
  if (vn >= 0.0) {
    return velocity;
  }
  let normal_part = contact.normal * vn;
  let tangent = velocity - normal_part;
  return tangent * (1.0 - sim.bounds.friction) - normal_part * sim.bounds.restitution;
}

// Cold blue to hot orange with speed, fading out over the last 30% of the lifetime.
fn heat_color(speed: f32, age: f32, lifetime: f32) -> vec4f {
  let t = clamp(speed / MAX_SPEED, 0.0, 1.0);
  let fade = 1.0 - smoothstep(0.7 * lifetime, lifetime, age);
  return vec4f(mix(vec3f(0.1, 0.3, 0.9), vec3f(1.0, 0.55, 0.1), t), fade);
}

// A particle past its lifetime comes back at a random emitter with a random velocity.
fn respawn(index: u32, previous: Particle) -> Particle {
  var seed = pcg(index ^ (sim.frame * 9781u) ^ previous.seed);
  let count = max(min(sim.emitter_count, arrayLength(&emitters)), 1u);
  let emitter = emitters[pcg(seed) % count];
  var p = previous;
  p.position = emitter.xyz + random_direction(&seed) * sim.material.radius * 4.0;
  p.mass = sim.material.mass_scale * mix(0.5, 1.5, rand01(&seed));
  p.velocity = random_direction(&seed) * emitter.w;
  p.age = 0.0;
  p.lifetime = mix(2.0, 6.0, rand01(&seed));
  p.flags = FLAG_ALIVE;
  p.seed = seed;
  return p;
}

@compute @workgroup_size(TILE)
fn simulate(
  @builtin(global_invocation_id) gid: vec3u,
  @builtin(local_invocation_index) lid: u32,
  @builtin(num_workgroups) groups: vec3u,
) {
  let index = gid.x + gid.y * groups.x * TILE;
  let in_range = index < sim.count;
  var p = Particle();
  if (in_range) {
    p = particles_in[index];
  }

  // Pairwise forces, a tile at a time through workgroup memory; every invocation loads.
  var force = vec3f(0.0);
  let tiles = (sim.count + TILE - 1u) / TILE;
  for (var t = 0u; t < tiles; t++) {
    let src_index = t * TILE + lid;
    if (src_index < sim.count) {
      let other = particles_in[src_index];
      let weight = select(0.0, 1.0, is_set(other.flags, FLAG_ALIVE));
      tile_body[lid] = vec4f(other.position, other.mass * weight);
      tile_charge[lid] = other.charge * weight;
    } else {
      tile_body[lid] = vec4f(0.0);
      tile_charge[lid] = 0.0;
    }
    workgroupBarrier();
    if (in_range) {
      for (var j = 0u; j < TILE; j++) {
        if (t * TILE + j != index) {
          force += pair_force(p.position, p.charge, tile_body[j], tile_charge[j]);
        }
      }
    }
    workgroupBarrier();
  }
  if (!in_range) {
    return;
  }

  let alive = is_set(p.flags, FLAG_ALIVE);
  let movable = select(1.0, 0.0, is_set(p.flags, FLAG_PINNED));
  let h = sim.dt / f32(substeps);
  var hit = false;

  for (var s = 0u; s < substeps; s++) {
    let time = sim.time + h * f32(s);
    var accel = sim.gravity + force + attractor_force(p.position) / max(p.mass, 1e-6);
    accel += wind_at(p.position, time) * sim.material.drag;
    accel -= p.velocity * sim.material.damping;
    let v = p.velocity + accel * h * movable;
    p.velocity = v * min(1.0, MAX_SPEED / max(length(v), 1e-6));
    p.position += p.velocity * h;

    let contact = collide_bounds(p.position, sim.material.radius);
    if (contact.hit) {
      p.position += contact.normal * contact.depth;
      p.velocity = respond(p.velocity, contact);
      hit = true;
    }
  }

  p.age += sim.dt;
  if (alive && p.age > p.lifetime) {
    p = respawn(index, p);
  }
  p.flags = select(p.flags & ~FLAG_HIT, p.flags | FLAG_HIT, hit);
  p.color = heat_color(length(p.velocity), p.age, p.lifetime);
  particles_out[index] = p;
  forces[index] = vec4f(force, length(force));

  // A ring of recent positions per particle, for drawing trails.
  if (sim.trail_length > 0u) {
    let slot = index * sim.trail_length + sim.frame % sim.trail_length;
    if (slot < arrayLength(&trails)) {
      trails[slot] = vec4f(p.position, p.age);
    }
  }
}

// Statistics of the stepped particles: a tree reduction in workgroup memory, then one
// atomic per workgroup. Energy is summed in fixed point: there is no atomic float add.
@compute @workgroup_size(TILE)
fn gather_stats(@builtin(global_invocation_id) gid: vec3u, @builtin(local_invocation_index) lid: u32) {
  let index = gid.x;
  var energy = 0.0;
  var speed = 0.0;
  if (index < sim.count) {
    let p = particles_out[index];
    if (is_set(p.flags, FLAG_ALIVE)) {
      speed = length(p.velocity);
      energy = 0.5 * p.mass * speed * speed;
      atomicAdd(&stats.alive, 1u);
    }
  }
  reduce_energy[lid] = energy;
  reduce_speed[lid] = speed;
  workgroupBarrier();

  for (var stride = TILE / 2u; stride > 0u; stride >>= 1u) {
    if (lid < stride) {
      reduce_energy[lid] += reduce_energy[lid + stride];
      reduce_speed[lid] = max(reduce_speed[lid], reduce_speed[lid + stride]);
    }
    workgroupBarrier();
  }

  if (lid == 0u) {
    atomicAdd(&stats.kinetic, u32(reduce_energy[0] * ENERGY_SCALE));
    atomicMax(&stats.max_speed, bitcast<u32>(reduce_speed[0]));
  }
}
`;

/** The entry point the reflection timings select (the module has two). */
export const PARTICLE_STEP_ENTRY = 'simulate';

/**
 * y[i] = y[i] + scale·x[i] + offset for i < n: a kernel whose scalars come in a uniform
 * struct, the way hand-written WebGPU apps pass them. Elements at n and beyond keep y.
 */
export const AFFINE_WGSL: string = /* wgsl */ `
struct Params {
  n: u32,
  scale: f32,
  offset: f32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3u) {
  let i = id.x;
  if (i < params.n) {
    y[i] = y[i] + params.scale * x[i] + params.offset;
  }
}
`;

/** Invocations per workgroup of {@link AFFINE_WGSL}. */
export const AFFINE_WORKGROUP = 64;

/** The affine kernel's inputs: 4 KiB each of x and y, n short of the length so the bound matters. */
// A type alias, not an interface: it is passed as it is where dispatch inputs (a record) go.
export type AffineInputs = {
  readonly params: { readonly n: number; readonly scale: number; readonly offset: number };
  readonly x: Float32Array<ArrayBuffer>;
  readonly y: Float32Array<ArrayBuffer>;
};

export function affineInputs(): AffineInputs {
  const length = 1024;
  return {
    params: { n: 1000, scale: 1.5, offset: -0.25 },
    x: Float32Array.from({ length }, (_, i) => i / 8),
    y: Float32Array.from({ length }, (_, i) => (i % 7) - 3),
  };
}

/** The affine kernel in f64. */
export function affineReference({ params, x, y }: AffineInputs): Float64Array {
  return Float64Array.from(y, (value, i) => (i < params.n ? value + params.scale * (x[i] ?? 0) + params.offset : value));
}
