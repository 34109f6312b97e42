/**
 * What a 300-line WGSL module costs to reflect and to digest (issue #13's goal: within
 * 2 ms in Chrome's worker), taken apart. The goal figure is what the worker computes for a
 * program it has not seen: `programDigest` (the cache key) and, on a memory-tier miss,
 * `wgslArtifact` (reflection, entry point, workgroup size, buffers with their layouts).
 * Then each alone, `reflectModule`, its parse and tokenizer (wgsl_reflect's, as widened by
 * `wgsl-parse.ts`), the digest's text normalization, wgsl_reflect's own full reflection for
 * reference, and `wgsl()` as the caller's thread pays for it (it only checks its options).
 *
 * Thread-agnostic: the page runs it on the main thread and `wgsl-bench-worker.ts` in a
 * worker. Every way is synchronous, so the turns are taken here without `await` (an await
 * per call would add a microtask hop to a figure of tens of microseconds).
 */
import { WgslReflect, WgslScanner } from 'wgsl_reflect';
import { wgslArtifact } from '../../src/pipeline/wgsl-artifact.ts';
import { programDigest } from '../../src/program/digest.ts';
import { reflectModule } from '../../src/program/reflect-module.ts';
import { parseWgsl } from '../../src/program/wgsl-parse.ts';
import { wgsl } from '../../src/program/wgsl-program.ts';
import { normalizeWgsl } from '../../src/program/wgsl-text.ts';
import { turnOrders } from '../turns.ts';
import { PARTICLE_STEP_ENTRY, PARTICLE_STEP_WGSL } from './wgsl-shaders.ts';

type Samples = Record<string, number[]>;

/** The ways' names, by role (the report in Node finds them in the result by these keys). */
export const REFLECTION_WAYS = {
  goal: 'programDigest() + wgslArtifact(): digest and reflection as the worker runs them (goal figure)',
  digest: 'programDigest() of a fresh unfrozen copy',
  artifact: 'wgslArtifact(program): reflection, entry point, workgroup size, buffer layouts',
  reflect: 'reflectModule(code)',
  parse: 'parse: wgsl_reflect tokenizer + parser (parseWgsl)',
  tokenize: 'tokenize only: wgsl_reflect WgslScanner.scanTokens()',
  normalize: "normalizeWgsl(code): the digest's text normalization",
  library: "new WgslReflect(code): wgsl_reflect's own reflection (reference)",
  declare: "wgsl({ code, entryPoint }): on the caller's thread",
} as const;

/** Timings of one block of rounds on this thread. */
export interface ReflectionBlock {
  readonly samples: Samples;
  /** Milliseconds of this thread's first `reflectModule` and first `programDigest`, before anything else (cold JIT). */
  readonly first: { readonly reflect: number; readonly digest: number } | undefined;
  readonly crossOriginIsolated: boolean;
  /** The digest every way that computes one agreed on. */
  readonly digest: string;
  /** Source lines of the shader. */
  readonly lines: number;
}

const NO_CONSTANTS: Readonly<Record<string, number>> = {};

let measuredFirst = false;

/** This thread's first reflection and first digest, each timed alone, before anything else ran here. */
function coldCalls(code: string, source: { code: string; entryPoint: string }): { reflect: number; digest: number } {
  let started = performance.now();
  reflectModule(code);
  const reflect = performance.now() - started;
  const copy = structuredClone(wgsl(source));
  started = performance.now();
  programDigest(copy);
  return { reflect, digest: performance.now() - started };
}

/**
 * Runs `rounds` rounds (after `warmup` uncounted ones) of every way in a shuffled order.
 * The digest is taken over a fresh unfrozen structured clone each time (`programDigest`
 * memoizes per object); the clones are made outside the timed region.
 */
export function measureReflection(rounds: number, warmup: number, seed: number): ReflectionBlock {
  const code = PARTICLE_STEP_WGSL;
  const source = { code, entryPoint: PARTICLE_STEP_ENTRY };
  const first = measuredFirst ? undefined : coldCalls(code, source);
  measuredFirst = true;
  const program = wgsl(source);
  const digest = programDigest(structuredClone(program));
  let copy = structuredClone(program);
  const digests = new Set<string>();
  // Each way returns something the loop keeps, so no call can be optimized away.
  const w = REFLECTION_WAYS;
  const ways: Record<string, () => unknown> = {
    [w.goal]: () => {
      digests.add(programDigest(copy));
      return wgslArtifact(copy, NO_CONSTANTS).buffers.length;
    },
    [w.digest]: () => digests.add(programDigest(copy)),
    [w.artifact]: () => wgslArtifact(program, NO_CONSTANTS).buffers.length,
    [w.reflect]: () => reflectModule(code).resources.length,
    [w.parse]: () => parseWgsl(code).ast.length,
    [w.tokenize]: () => new WgslScanner(code).scanTokens().length,
    [w.normalize]: () => normalizeWgsl(code).length,
    [w.library]: () => new WgslReflect(code).storage.length,
    [w.declare]: () => wgsl(source).code.length,
  };
  const names = Object.keys(ways);
  const order = turnOrders(names.length, seed);
  const samples: Samples = Object.fromEntries(names.map((name) => [name, []]));
  let kept = 0;
  for (let round = 0; round < warmup + rounds; round++) {
    for (const index of order(round)) {
      const name = names[index] as string;
      const way = ways[name] as () => unknown;
      const started = performance.now();
      const result = way();
      const elapsed = performance.now() - started;
      kept += typeof result === 'number' ? result : 1;
      if (round >= warmup) samples[name]?.push(elapsed);
      if (name === w.digest || name === w.goal) copy = structuredClone(program);
    }
  }
  if (digests.size !== 1 || !digests.has(digest) || kept === 0) {
    throw new Error(`wgsl bench: the digests disagree (${[...digests].join(', ')} against ${digest})`);
  }
  return { samples, first, crossOriginIsolated: self.crossOriginIsolated, digest, lines: code.trim().split('\n').length };
}
