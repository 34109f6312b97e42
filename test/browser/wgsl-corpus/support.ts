/**
 * What the corpus shaders share: compiling and dispatching through the WGSL path of issue
 * #13, reading outputs back by their type, comparing them with a reference (exactly, or
 * within a tolerance stated at the check) and fingerprinting them for the restart test.
 *
 * Inputs and the compile policy are typed here for what issue #13 adds to the API (a
 * uniform or a struct binding as a plain object, raw bytes for any binding, `constants`
 * for `override` declarations). The two casts into `compile` and `dispatch` live in this
 * file only, and can go once the public types name those forms.
 */
import { prng } from '../../fuzz/random.ts';
import type { CorpusContext, CorpusOutcome, CorpusShader } from './types.ts';

/** A scalar, a vector's components, or a struct's fields: a binding given as a value. */
export type HostValue = number | readonly number[] | { readonly [field: string]: HostValue };

/** One binding's input: raw bytes, a typed array of its leaf scalar, or a host value. */
export type BindingInput = ArrayBuffer | DataView | Float32Array | Uint32Array | Int32Array | Uint16Array | HostValue;

/** Launch settings of a corpus dispatch: the grid is always explicit. */
export interface Launch {
  readonly grid: readonly [number, number, number];
  /** Element counts of read-write buffers not passed as inputs. */
  readonly outputs?: Readonly<Record<string, number>>;
}

/** A dispatch's outputs by binding name, before they are narrowed to their types. */
export type Outputs = Readonly<Record<string, unknown>>;

/** A compiled pipeline of the corpus, with the tier its build came from. */
export interface CorpusPipeline {
  readonly tier: string;
  dispatch(inputs: Readonly<Record<string, BindingInput>>, launch: Launch): Promise<Outputs>;
}

/** A float check's tolerance: the bound as written at the check, and its value per element. */
export interface Tolerance {
  readonly text: string;
  allowed(ref: number, index: number): number;
}

/** `scale·max(floor, |ref|)`: relative to the reference, never below `scale·floor`. */
export function relative(scale: number, floor = 0): Tolerance {
  return {
    text: floor === 0 ? `${scale}·|ref|` : `${scale}·max(${floor}, |ref|)`,
    allowed: (ref) => scale * Math.max(floor, Math.abs(ref)),
  };
}

/** A fixed absolute bound. */
export function absolute(bound: number): Tolerance {
  return { text: `${bound}`, allowed: () => bound };
}


/** How many mismatches of one check are spelled out before the rest are counted. */
const SHOWN_MISMATCHES = 4;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** One shader's run: compiles (recording tiers), checks (recording failures), fingerprints. */
export class CorpusRun {
  readonly context: CorpusContext;
  readonly #tiers: string[] = [];
  readonly #failures: string[] = [];
  #skipped: string | undefined;
  #hash = FNV_OFFSET;

  constructor(context: CorpusContext) {
    this.context = context;
  }

  /** Compiles `source` with `constants` for its `override` declarations, and records the tier. */
  async compile(source: { readonly code: string; readonly entryPoint?: string }, constants?: Readonly<Record<string, number>>): Promise<CorpusPipeline> {
    const { vyre, runtime } = this.context;
    const policy = constants === undefined ? undefined : { constants };
    const build = await runtime.compile(vyre.wgsl(source), policy);
    this.#tiers.push(build.tier);
    return {
      tier: build.tier,
      dispatch: async (inputs, launch) => {
        const options = launch.outputs === undefined ? { grid: launch.grid } : { grid: launch.grid, outputs: launch.outputs };
        return (await build.pipeline.dispatch(inputs, options)) as Outputs;
      },
    };
  }

  /** Integers (or floats that must be bit-exact): every element equal. */
  exact(label: string, gpu: ArrayLike<number>, ref: ArrayLike<number>): void {
    this.#compare(label, gpu, ref, (g, r) => g === r, 'exact');
  }

  /** Floats: every |gpu − ref| within `tolerance` (NaN never is). */
  close(label: string, gpu: ArrayLike<number>, ref: ArrayLike<number>, tolerance: Tolerance): void {
    this.#compare(label, gpu, ref, (g, r, i) => Math.abs(g - r) <= tolerance.allowed(r, i), `tolerance ${tolerance.text}`);
  }

  /** A failure found outside the element checks. */
  fail(message: string): void {
    this.#failures.push(message);
  }

  /** Marks the shader as not run on this adapter, with the reason. */
  skip(reason: string): void {
    this.#skipped = reason;
  }

  /** Adds the bits of `values` to the outcome's digest. */
  fingerprint(values: ArrayBufferView): void {
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    let hash = this.#hash;
    for (const byte of bytes) hash = Math.imul(hash ^ byte, FNV_PRIME) >>> 0;
    this.#hash = hash;
  }

  /** What the run found, as plain data. */
  outcome(name: string): CorpusOutcome {
    const base = { name, tiers: [...this.#tiers], failures: [...this.#failures] };
    if (this.#skipped !== undefined) return { ...base, skipped: this.#skipped, digest: 'skipped' };
    return { ...base, digest: `fnv1a-${this.#hash.toString(16).padStart(8, '0')}` };
  }

  #compare(label: string, gpu: ArrayLike<number>, ref: ArrayLike<number>, agree: (g: number, r: number, i: number) => boolean, how: string): void {
    if (gpu.length !== ref.length) this.#failures.push(`${label}: ${gpu.length} values, the reference has ${ref.length}`);
    const shown: string[] = [];
    let wrong = 0;
    for (let i = 0; i < Math.min(gpu.length, ref.length); i++) {
      const g = gpu[i] ?? Number.NaN;
      const r = ref[i] ?? Number.NaN;
      if (agree(g, r, i)) continue;
      wrong++;
      if (shown.length < SHOWN_MISMATCHES) shown.push(`[${i}] gpu ${g} ref ${r}`);
    }
    if (wrong > 0) this.#failures.push(`${label}: ${wrong} of ${ref.length} differ (${how}): ${shown.join(', ')}${wrong > shown.length ? ', …' : ''}`);
  }
}

/**
 * A corpus entry from its body: the body compiles, dispatches and checks through the
 * {@link CorpusRun}; anything it throws (a rejected compile, a missing output) becomes a
 * failure. On a device without one of `requiredFeatures` the body does not run and the
 * outcome is `skipped`, naming the missing feature.
 */
export function defineShader(
  name: string,
  idioms: readonly string[],
  body: (run: CorpusRun) => Promise<void>,
  requiredFeatures: readonly string[] = [],
): CorpusShader {
  return {
    name,
    idioms,
    requiredFeatures,
    async run(context) {
      const run = new CorpusRun(context);
      const { features } = context.runtime.device;
      const missing = requiredFeatures.filter((feature) => !features.includes(feature));
      if (missing.length > 0) {
        run.skip(`not run: the device lacks ${missing.map((f) => `'${f}'`).join(', ')} (it has: ${features.join(', ') || 'no optional features'})`);
        return run.outcome(name);
      }
      try {
        await body(run);
      } catch (error) {
        run.fail(`threw ${describeError(error)}`);
      }
      return run.outcome(name);
    },
  };
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${error.name} ${code}: ${error.message}` : `${error.name}: ${error.message}`;
  }
  return String(error);
}

// ---- outputs by type ------------------------------------------------------------------

function narrow<T extends ArrayBufferView>(outputs: Outputs, name: string, type: abstract new (...args: never[]) => T): T {
  const value = outputs[name];
  if (value instanceof type) return value;
  const got = value === undefined ? 'nothing' : value === null ? 'null' : ((value as object).constructor?.name ?? typeof value);
  throw new Error(`output "${name}" came back as ${got}, expected a ${type.name}`);
}

/** Output `name` as a `Float32Array` (all leaves f32); throws, naming what came back, otherwise. */
export const float32Output = (outputs: Outputs, name: string): Float32Array => narrow(outputs, name, Float32Array);
/** Output `name` as a `Uint32Array` (all leaves u32 or atomic<u32>). */
export const uint32Output = (outputs: Outputs, name: string): Uint32Array => narrow(outputs, name, Uint32Array);
/** Output `name` as an `Int32Array` (all leaves i32). */
export const int32Output = (outputs: Outputs, name: string): Int32Array => narrow(outputs, name, Int32Array);
/** f16 leaves come back as their raw half-precision bits. */
export const uint16Output = (outputs: Outputs, name: string): Uint16Array => narrow(outputs, name, Uint16Array);
/** A binding whose leaves mix scalar types comes back as its raw bytes. */
export const byteOutput = (outputs: Outputs, name: string): Uint8Array => narrow(outputs, name, Uint8Array);

// ---- seeded inputs --------------------------------------------------------------------

/** `n` floats uniform in [lo, hi), rounded to f32 (both sides see the same bits). */
export function randomFloats(n: number, seed: number, lo: number, hi: number): Float32Array {
  const next = prng(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * next());
}

/** `n` integers uniform in [lo, hi]. */
export function randomInts(n: number, seed: number, lo: number, hi: number): number[] {
  const next = prng(seed);
  return Array.from({ length: n }, () => lo + Math.floor(next() * (hi - lo + 1)));
}
