/**
 * The shape of the WGSL corpus (issue #13): compute shaders written in the idioms real
 * projects use, each run through vyre-web in the page and checked against a plain-JS
 * reference. Plain data comes back from the page, so a Playwright spec can assert on it.
 */
import type * as Vyre from '../../support/vyre-all.ts';

/** What a corpus shader runs with: the library (`window.vyre`) and one runtime of it. */
export interface CorpusContext {
  readonly vyre: typeof Vyre;
  readonly runtime: Vyre.Runtime;
}

/** What one corpus shader reports: plain data, so it crosses from the page to the spec. */
export interface CorpusOutcome {
  readonly name: string;
  /** The build tier of each compile, in order (`compiled`, `memory` or `persistent`). */
  readonly tiers: readonly string[];
  /** Human-readable mismatches and errors (the first few of each check); empty when all is well. */
  readonly failures: readonly string[];
  /** Why the shader did not run on this adapter (e.g. no `shader-f16`); absent when it ran. */
  readonly skipped?: string;
  /** A fingerprint of the GPU outputs (FNV-1a of their bits), to compare runs across a restart. */
  readonly digest: string;
}

/** One shader of the corpus. */
export interface CorpusShader {
  /** Names the test: "<name> matches a plain-JS reference". */
  readonly name: string;
  /** The real-project idioms it exercises (uniform param struct, `array<vec4f>`, …). */
  readonly idioms: readonly string[];
  /** Device features it needs (e.g. `shader-f16`); without one it is skipped, with the reason. */
  readonly requiredFeatures: readonly string[];
  /** Compiles, dispatches and compares; never throws (a throw becomes a failure). */
  run(context: CorpusContext): Promise<CorpusOutcome>;
}
