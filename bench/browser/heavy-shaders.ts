/**
 * The compile-heavy workload of the warmup suite (issue #14): WGSL compute shaders in the
 * shapes real projects generate, each large enough that `createComputePipelineAsync` takes
 * well over 150 ms in Chrome with SwiftShader (sizes measured with `node bench/heavy-probe.mjs`).
 *
 * The code is generated with loops, as such code usually is (compilers like TVM, FFT
 * libraries like VkFFT and ML runtimes emit unrolled WGSL), from fixed parameters and seeds:
 * the same text on every page load, so every cache can recognise it.
 *
 * Every shader comes with deterministic inputs and a plain-JS reference, so a dispatch can
 * be checked: the matmul on small integers and the state machine on u32 exactly, the FFT
 * and the polynomial chain within a tolerance (f32 against float64, and the GPU's `sin`).
 * Each binds its inputs first and one `read_write` output last, in group 0.
 */

export type HeavyArray = Float32Array<ArrayBuffer> | Uint32Array<ArrayBuffer>;

export interface HeavyShader {
  readonly name: string;
  /** The WGSL module; one `@compute` entry point, `main`. */
  readonly code: string;
  /** Input buffers by WGSL name, in binding order (bindings 0, 1, …). */
  readonly inputs: Readonly<Record<string, HeavyArray>>;
  /** The one `read_write` buffer, bound after the inputs, and its element count. */
  readonly output: { readonly name: string; readonly length: number; readonly type: 'f32' | 'u32' };
  /** Workgroups of the one dispatch (1-D). */
  readonly grid: number;
  /** Compares a dispatch's output with the plain-JS reference. */
  check(output: ArrayLike<number> | undefined): HeavyCheck;
}

export interface HeavyCheck {
  readonly ok: boolean;
  /** The largest absolute difference from the reference (0 for exact matches). */
  readonly worst: number;
}

/** A seeded generator (mulberry32): the same shaders and inputs on every load. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A WGSL f32 literal: always with a dot or an exponent, never a bare integer. */
const f32 = (x: number): string => (Number.isInteger(x) ? x.toFixed(1) : x.toPrecision(9));

/** Compares against a reference: exact when `tolerance` is 0. */
function compare(output: ArrayLike<number> | undefined, reference: ArrayLike<number>, tolerance: number): HeavyCheck {
  if (output === undefined || output.length !== reference.length) return { ok: false, worst: Number.POSITIVE_INFINITY };
  let worst = 0;
  for (let i = 0; i < reference.length; i++) {
    const difference = Math.abs((output[i] ?? Number.NaN) - (reference[i] ?? 0));
    worst = Number.isNaN(difference) ? Number.POSITIVE_INFINITY : Math.max(worst, difference);
  }
  return { ok: worst <= tolerance, worst };
}

// ---------------------------------------------------------------------------------------
// Tiled matmul: workgroup tiles of A and B in shared memory, 8×8 outputs per invocation in
// named registers, the K loop of a tile fully unrolled (the shape of generated GEMMs).

const MM = { m: 128, n: 128, k: 64, tile: 64, per: 8 } as const;

function tiledMatmulCode(tk: number): string {
  const { m, n, k, tile, per } = MM;
  const out: string[] = [
    `// Tiled matmul c = a × b (${m}×${k} · ${k}×${n}), ${per}×${per} outputs per invocation, K tile of ${tk} unrolled. Generated.`,
    `const M: u32 = ${m}u;`, `const N: u32 = ${n}u;`, `const K: u32 = ${k}u;`, `const TILE: u32 = ${tile}u;`, `const TK: u32 = ${tk}u;`,
    '@group(0) @binding(0) var<storage, read> a: array<f32>;',
    '@group(0) @binding(1) var<storage, read> b: array<f32>;',
    '@group(0) @binding(2) var<storage, read_write> c: array<f32>;',
    'var<workgroup> tileA: array<f32, TILE * TK>;',
    'var<workgroup> tileB: array<f32, TK * TILE>;',
    '',
    '@compute @workgroup_size(64)',
    'fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wg: vec3u) {',
    '  let row0 = (wg.x / (N / TILE)) * TILE;',
    '  let col0 = (wg.x % (N / TILE)) * TILE;',
    `  let tr = (lid / ${tile / per}u) * ${per}u;`,
    `  let tc = (lid % ${tile / per}u) * ${per}u;`,
  ];
  for (let i = 0; i < per; i++) for (let j = 0; j < per; j++) out.push(`  var acc_${i}_${j}: f32 = 0.0;`);
  const loads = (tile * tk) / 64;
  out.push(
    '  for (var k0 = 0u; k0 < K; k0 += TK) {',
    `    for (var l = 0u; l < ${loads}u; l++) {`,
    `      let e = lid * ${loads}u + l;`,
    '      tileA[e] = a[(row0 + e / TK) * K + k0 + e % TK];',
    '      tileB[e] = b[(k0 + e / TILE) * N + col0 + e % TILE];',
    '    }',
    '    workgroupBarrier();',
  );
  for (let kk = 0; kk < tk; kk++) {
    for (let i = 0; i < per; i++) out.push(`    let a${kk}_${i} = tileA[(tr + ${i}u) * TK + ${kk}u];`);
    for (let j = 0; j < per; j++) out.push(`    let b${kk}_${j} = tileB[${kk}u * TILE + tc + ${j}u];`);
    for (let i = 0; i < per; i++) for (let j = 0; j < per; j++) out.push(`    acc_${i}_${j} = fma(a${kk}_${i}, b${kk}_${j}, acc_${i}_${j});`);
  }
  out.push('    workgroupBarrier();', '  }');
  for (let i = 0; i < per; i++) for (let j = 0; j < per; j++) out.push(`  c[(row0 + tr + ${i}u) * N + col0 + tc + ${j}u] = acc_${i}_${j};`);
  out.push('}', '');
  return out.join('\n');
}

function tiledMatmul(name: string, tk: number, seed: number): HeavyShader {
  const { m, n, k, tile } = MM;
  const random = seeded(seed);
  // Small integers: every partial sum is exact in f32, so the check is exact.
  const a = Float32Array.from({ length: m * k }, () => Math.floor(random() * 8));
  const b = Float32Array.from({ length: k * n }, () => Math.floor(random() * 8));
  const reference = new Float32Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let sum = 0;
    for (let x = 0; x < k; x++) sum += (a[i * k + x] ?? 0) * (b[x * n + j] ?? 0);
    reference[i * n + j] = sum;
  }
  return { name, code: tiledMatmulCode(tk), inputs: { a, b }, output: { name: 'c', length: m * n, type: 'f32' }, grid: (m / tile) * (n / tile), check: (output) => compare(output, reference, 0) };
}

// ---------------------------------------------------------------------------------------
// FFT: one radix-2 decimation-in-time FFT of `points` complex values per invocation, every
// butterfly of every stage unrolled into `let`s with literal twiddles (VkFFT's style).

const FFT_SIGNALS = 64;

function fftCode(points: number): string {
  const stages = Math.log2(points);
  const reverse = (i: number): number => parseInt(i.toString(2).padStart(stages, '0').split('').reverse().join(''), 2);
  const out: string[] = [
    `// ${points}-point radix-2 FFT per invocation, ${stages} stages unrolled. Generated.`,
    `const POINTS: u32 = ${points}u;`,
    '@group(0) @binding(0) var<storage, read> signal: array<f32>;   // re, im interleaved',
    '@group(0) @binding(1) var<storage, read_write> spectrum: array<f32>;',
    '',
    '@compute @workgroup_size(64)',
    'fn main(@builtin(global_invocation_id) gid: vec3u) {',
    '  let base = gid.x * POINTS * 2u;',
    '  if (base >= arrayLength(&signal)) { return; }',
  ];
  let names: string[] = [];
  for (let i = 0; i < points; i++) {
    out.push(`  let r0_${i} = signal[base + ${2 * reverse(i)}u];`, `  let i0_${i} = signal[base + ${2 * reverse(i) + 1}u];`);
    names.push(`0_${i}`);
  }
  for (let s = 1; s <= stages; s++) {
    const span = 1 << s;
    const half = span / 2;
    const next: string[] = new Array(points);
    for (let start = 0; start < points; start += span) {
      for (let j = 0; j < half; j++) {
        const [u, v] = [names[start + j], names[start + j + half]];
        const angle = (-2 * Math.PI * j) / span;
        const [wr, wi] = [Math.cos(angle), Math.sin(angle)];
        const t = `t${s}_${start + j}`;
        out.push(`  let ${t}r = r${v} * ${f32(wr)} - i${v} * ${f32(wi)};`, `  let ${t}i = r${v} * ${f32(wi)} + i${v} * ${f32(wr)};`);
        const [lo, hi] = [`${s}_${start + j}`, `${s}_${start + j + half}`];
        out.push(`  let r${lo} = r${u} + ${t}r;`, `  let i${lo} = i${u} + ${t}i;`, `  let r${hi} = r${u} - ${t}r;`, `  let i${hi} = i${u} - ${t}i;`);
        next[start + j] = lo;
        next[start + j + half] = hi;
      }
    }
    names = next;
  }
  names.forEach((name, i) => out.push(`  spectrum[base + ${2 * i}u] = r${name};`, `  spectrum[base + ${2 * i + 1}u] = i${name};`));
  out.push('}', '');
  return out.join('\n');
}

function fft(name: string, points: number, seed: number): HeavyShader {
  const random = seeded(seed);
  const signal = Float32Array.from({ length: FFT_SIGNALS * points * 2 }, () => random() * 2 - 1);
  // A plain DFT in float64.
  const reference = new Float64Array(signal.length);
  for (let s = 0; s < FFT_SIGNALS; s++) {
    const base = s * points * 2;
    for (let f = 0; f < points; f++) {
      let [re, im] = [0, 0];
      for (let t = 0; t < points; t++) {
        const angle = (-2 * Math.PI * f * t) / points;
        const [xr, xi] = [signal[base + 2 * t] ?? 0, signal[base + 2 * t + 1] ?? 0];
        re += xr * Math.cos(angle) - xi * Math.sin(angle);
        im += xr * Math.sin(angle) + xi * Math.cos(angle);
      }
      reference[base + 2 * f] = re;
      reference[base + 2 * f + 1] = im;
    }
  }
  return { name, code: fftCode(points), inputs: { signal }, output: { name: 'spectrum', length: signal.length, type: 'f32' }, grid: FFT_SIGNALS / 64, check: (output) => compare(output, reference, 2e-3) };
}

// ---------------------------------------------------------------------------------------
// A long per-element math chain: `steps` polynomials in Horner form with literal
// coefficients, each feeding a sine or tanh back into the next (the shape of fitted
// activation/tone curves and physics closures). Coefficients are small, so every step
// contracts and f32 rounding cannot grow along the chain.

const CHAIN_ELEMENTS = 4096;
const CHAIN_DEGREE = 8;

interface ChainStep {
  readonly coefficients: readonly number[];
  readonly weight: number;
  readonly wave: 'sin' | 'tanh';
}

function chainSteps(steps: number, seed: number): ChainStep[] {
  const random = seeded(seed);
  return Array.from({ length: steps }, (_, s) => ({
    coefficients: Array.from({ length: CHAIN_DEGREE + 1 }, (_, j) => Math.fround(((random() * 2 - 1) * 0.5) / (j + 1) ** 2)),
    weight: Math.fround((random() * 2 - 1) / steps),
    wave: s % 2 === 0 ? 'sin' : 'tanh',
  }));
}

function mathChainCode(steps: readonly ChainStep[]): string {
  const out: string[] = [
    `// A ${steps.length}-step polynomial chain per element, degree ${CHAIN_DEGREE}, Horner form. Generated.`,
    '@group(0) @binding(0) var<storage, read> x: array<f32>;',
    '@group(0) @binding(1) var<storage, read_write> y: array<f32>;',
    '',
    '@compute @workgroup_size(64)',
    'fn main(@builtin(global_invocation_id) gid: vec3u) {',
    '  let i = gid.x;',
    '  if (i >= arrayLength(&x)) { return; }',
    '  var t = clamp(x[i], -1.0, 1.0);',
    '  var acc = 0.0;',
  ];
  steps.forEach(({ coefficients, weight, wave }, s) => {
    let horner = f32(coefficients[CHAIN_DEGREE] ?? 0);
    for (let j = CHAIN_DEGREE - 1; j >= 0; j--) horner = `fma(${horner}, t, ${f32(coefficients[j] ?? 0)})`;
    out.push(`  let p${s} = ${horner};`, `  acc = fma(p${s}, ${f32(weight)}, acc);`, `  t = 0.5 * t + 0.5 * ${wave}(p${s});`);
  });
  out.push('  y[i] = acc;', '}', '');
  return out.join('\n');
}

function mathChain(name: string, steps: number, seed: number): HeavyShader {
  const plan = chainSteps(steps, seed);
  const random = seeded(seed + 1);
  const x = Float32Array.from({ length: CHAIN_ELEMENTS }, () => random() * 2 - 1);
  const reference = Float64Array.from(x, (value) => {
    let [t, acc] = [value, 0];
    for (const { coefficients, weight, wave } of plan) {
      let p = coefficients[CHAIN_DEGREE] ?? 0;
      for (let j = CHAIN_DEGREE - 1; j >= 0; j--) p = p * t + (coefficients[j] ?? 0);
      acc += p * weight;
      t = 0.5 * t + 0.5 * (wave === 'sin' ? Math.sin(p) : Math.tanh(p));
    }
    return acc;
  });
  return { name, code: mathChainCode(plan), inputs: { x }, output: { name: 'y', length: CHAIN_ELEMENTS, type: 'f32' }, grid: CHAIN_ELEMENTS / 64, check: (output) => compare(output, reference, 1e-3) };
}

// ---------------------------------------------------------------------------------------
// A big switch-based state machine: a byte-level scanner (the shape of tokenizers, parsers
// and bytecode interpreters ported to the GPU) with `states` cases, each splitting on a
// byte threshold into two transitions that mix the byte into a running u32 hash.

const SCAN_INVOCATIONS = 256;
const SCAN_WORDS = 16;

/** The hash updates a transition may apply, in WGSL and in JS (u32, wrapping). */
const MIXES = [
  { wgsl: (k: number) => `h = (h ^ c) * ${k}u;`, js: (h: number, c: number, k: number) => Math.imul(h ^ c, k) >>> 0 },
  { wgsl: (k: number) => `h = h * ${k}u + c;`, js: (h: number, c: number, k: number) => (Math.imul(h, k) + c) >>> 0 },
  { wgsl: (k: number) => `h = ((h << ${(k % 31) + 1}u) | (h >> ${31 - (k % 31)}u)) ^ c;`, js: (h: number, c: number, k: number) => ((h << ((k % 31) + 1)) | (h >>> (31 - (k % 31)))) ^ c },
  { wgsl: (k: number) => `h = (h ^ (h >> 13u)) + c * ${k}u;`, js: (h: number, c: number, k: number) => ((h ^ (h >>> 13)) + Math.imul(c, k)) >>> 0 },
] as const;

interface Transition {
  readonly mix: number;
  readonly k: number;
  readonly next: number;
}
interface ScanState {
  readonly threshold: number;
  readonly below: Transition;
  readonly above: Transition;
}

function scanStates(states: number, seed: number): ScanState[] {
  const random = seeded(seed);
  const transition = (): Transition => ({ mix: Math.floor(random() * MIXES.length), k: (Math.floor(random() * 0x7fffffff) | 1) >>> 0, next: Math.floor(random() * states) });
  return Array.from({ length: states }, () => ({ threshold: Math.floor(random() * 256), below: transition(), above: transition() }));
}

function stateMachineCode(table: readonly ScanState[]): string {
  const apply = ({ mix, k, next }: Transition): string => `${MIXES[mix]?.wgsl(k) ?? ''} state = ${next}u;`;
  const out: string[] = [
    `// A ${table.length}-state byte scanner mixing every byte into a u32 hash. Generated.`,
    `const WORDS: u32 = ${SCAN_WORDS}u;`,
    '@group(0) @binding(0) var<storage, read> text: array<u32>;   // four bytes per word, low byte first',
    '@group(0) @binding(1) var<storage, read_write> digest: array<u32>;',
    '',
    '@compute @workgroup_size(64)',
    'fn main(@builtin(global_invocation_id) gid: vec3u) {',
    '  let i = gid.x;',
    '  if (i >= arrayLength(&digest)) { return; }',
    '  var state = 0u;',
    '  var h = 2166136261u;',
    '  for (var j = 0u; j < WORDS; j++) {',
    '    let w = text[i * WORDS + j];',
    '    for (var q = 0u; q < 4u; q++) {',
    '      let c = (w >> (8u * q)) & 255u;',
    '      switch state {',
  ];
  table.forEach(({ threshold, below, above }, s) => out.push(`        case ${s}u: { if (c < ${threshold}u) { ${apply(below)} } else { ${apply(above)} } }`));
  out.push('        default: { state = 0u; }', '      }', '    }', '  }', '  digest[i] = h ^ (state * 2654435761u);', '}', '');
  return out.join('\n');
}

function stateMachine(name: string, states: number, seed: number): HeavyShader {
  const table = scanStates(states, seed);
  const random = seeded(seed + 1);
  const text = Uint32Array.from({ length: SCAN_INVOCATIONS * SCAN_WORDS }, () => Math.floor(random() * 4294967296) >>> 0);
  const reference = Uint32Array.from({ length: SCAN_INVOCATIONS }, (_, i) => {
    let [state, h] = [0, 2166136261];
    for (let j = 0; j < SCAN_WORDS; j++) {
      const w = text[i * SCAN_WORDS + j] ?? 0;
      for (let q = 0; q < 4; q++) {
        const c = (w >>> (8 * q)) & 255;
        const entry = table[state];
        if (entry === undefined) throw new Error(`state ${state} out of the table`);
        const { mix, k, next } = c < entry.threshold ? entry.below : entry.above;
        h = (MIXES[mix]?.js(h, c, k) ?? h) >>> 0;
        state = next;
      }
    }
    return (h ^ Math.imul(state, 2654435761)) >>> 0;
  });
  return { name, code: stateMachineCode(table), inputs: { text }, output: { name: 'digest', length: SCAN_INVOCATIONS, type: 'u32' }, grid: SCAN_INVOCATIONS / 64, check: (output) => compare(output, reference, 0) };
}

// ---------------------------------------------------------------------------------------

let built: readonly HeavyShader[] | undefined;

/**
 * The heavy set, in the order an app of the warmup suite compiles it; the first is the one
 * it dispatches for its first result. Built on first use (generating the code and the
 * references takes tens of milliseconds): call it before any clock starts.
 */
export function heavyShaders(): readonly HeavyShader[] {
  built ??= [
    tiledMatmul('tiledMatmul', 4, 1),
    fft('fft64', 64, 2),
    mathChain('mathChain', 170, 3),
    stateMachine('stateMachine', 110, 4),
  ];
  return built;
}
