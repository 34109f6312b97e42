/**
 * The malformed-WGSL mutator of issue #13 (test/fuzz/mutate-wgsl.ts), and what reflection
 * does with its mutants: `reflectModule` (what the worker runs before it builds a pipeline)
 * parses and reflects each one in well under a second and either returns a module or throws
 * `invalid-program` with a line and column — never another code, never a foreign exception.
 * The GPU half (compile errors, no stored record) runs in Chrome:
 * test/browser/wgsl-malformed.spec.ts.
 */
import { describe, expect, it } from 'vitest';
import { VyreError } from '../../src/errors.ts';
import { reflectModule } from '../../src/program/reflect-module.ts';
import { mutateWgsl, wgslMutant, WGSL_MUTATION_KINDS, WGSL_MUTATION_SOURCES } from '../fuzz/mutate-wgsl.ts';

const SEEDS = Array.from({ length: 500 }, (_, seed) => seed);

/** A location as `invalid-program` carries it: 1-based line and column numbers within `code`. */
function isLocated(error: VyreError, code: string): boolean {
  const { line, column } = error.details;
  return typeof line === 'number' && typeof column === 'number' && line >= 1 && line <= code.split('\n').length && column >= 1;
}

describe('the mutator', () => {
  it('gives the same mutant for the same seed', () => {
    for (const seed of [0, 1, 7, 123, 499]) expect(wgslMutant(seed)).toEqual(wgslMutant(seed));
    const code = WGSL_MUTATION_SOURCES[0]?.code ?? '';
    expect(mutateWgsl(code, 42)).toEqual(mutateWgsl(code, 42));
  });

  it('gives different mutants for different seeds', () => {
    const codes = new Set(SEEDS.map((seed) => wgslMutant(seed).code));
    expect(codes.size).toBeGreaterThan(SEEDS.length * 0.9);
  });

  it('makes every kind of mutation over 500 seeds', () => {
    const kinds = new Set(SEEDS.map((seed) => wgslMutant(seed).kind));
    expect([...kinds].sort()).toEqual([...WGSL_MUTATION_KINDS].sort());
  });

  it('mutates every corpus shader over 500 seeds', () => {
    const sources = new Set(SEEDS.map((seed) => wgslMutant(seed).source));
    expect([...sources].sort()).toEqual(WGSL_MUTATION_SOURCES.map((source) => source.name).sort());
  });

  it('always changes the text', () => {
    for (const seed of SEEDS) {
      const mutant = wgslMutant(seed);
      const source = WGSL_MUTATION_SOURCES.find((candidate) => candidate.name === mutant.source);
      expect(mutant.code, `seed ${seed} (${mutant.kind})`).not.toBe(source?.code);
    }
  });

  it('never mutates inside a comment', () => {
    const code = '// @group(0) f32 ;\n@compute @workgroup_size(1) fn main() { /* { } */ }';
    for (let seed = 0; seed < 200; seed++) {
      const { code: mutant } = mutateWgsl(code, seed);
      expect(mutant.startsWith('// @group(0) f32 ;\n'), `seed ${seed}: ${mutant}`).toBe(true);
    }
  });
});

/** What reflection did with one mutant. */
type Outcome =
  | { readonly kind: 'module' }
  | { readonly kind: 'rejected'; readonly error: VyreError }
  | { readonly kind: 'foreign'; readonly error: unknown };

/** Each mutant of {@link SEEDS} through reflectModule(), timed, with a label that reproduces it. */
const RESULTS = SEEDS.map((seed) => {
  const mutant = wgslMutant(seed);
  const started = performance.now();
  let outcome: Outcome;
  try {
    reflectModule(mutant.code);
    outcome = { kind: 'module' };
  } catch (error) {
    outcome = error instanceof VyreError && error.code === 'invalid-program' ? { kind: 'rejected', error } : { kind: 'foreign', error };
  }
  return { ms: performance.now() - started, outcome, code: mutant.code, label: `seed ${seed}: ${mutant.source}, ${mutant.kind} (${mutant.detail})` };
});

describe('reflectModule() on 500 mutants', () => {
  it('returns a module or throws invalid-program, never another error', () => {
    const foreign = RESULTS.flatMap(({ outcome, label }) => (outcome.kind === 'foreign' ? [`${label}: ${String(outcome.error)}`] : []));
    expect(foreign).toEqual([]);
  });

  it('answers each in well under a second (no hang)', () => {
    const slowest = Math.max(...RESULTS.map((result) => result.ms));
    expect(slowest).toBeLessThan(1000);
  });

  it('gives the line and column of every rejection', () => {
    const unlocated = RESULTS.flatMap(({ outcome, code, label }) => (outcome.kind === 'rejected' && !isLocated(outcome.error, code) ? [`${label}: ${outcome.error.message}`] : []));
    expect(unlocated).toEqual([]);
  });

  it('rejects most of them before the GPU compiler sees them', () => {
    // The rest reach the GPU compiler in the browser spec; this pins the mutator's bite.
    const rejected = RESULTS.filter(({ outcome }) => outcome.kind !== 'module').length;
    expect(rejected / RESULTS.length).toBeGreaterThan(0.6);
  });
});
