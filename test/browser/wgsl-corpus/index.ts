/**
 * The WGSL corpus of issue #13: compute shaders written in the idioms real projects use,
 * each compiled and dispatched through vyre-web and compared with a plain-JS reference
 * (integers exactly; floats within the tolerance stated at each check).
 *
 * Runs in the page: `await import('/test/browser/wgsl-corpus/index.ts')` from the harness
 * (Vite serves the module graph), then `runCorpus(window.vyre, …)`. The spec imports the
 * same list in Node for the test names.
 */
import type * as Vyre from '../../support/vyre-all.ts';
import { blockSumOverride } from './block-sum-override.ts';
import { boids } from './boids.ts';
import { boxBlur } from './box-blur.ts';
import { gameOfLife } from './game-of-life.ts';
import { halfPrecision } from './half-precision.ts';
import { histogram } from './histogram.ts';
import { kMeans } from './k-means.ts';
import { layerNorm } from './layer-norm.ts';
import { mlpLayer } from './mlp-layer.ts';
import { pointFilter } from './point-filter.ts';
import { prefixSum } from './prefix-sum.ts';
import { quantize } from './quantize.ts';
import { softmax } from './softmax.ts';
import type { CorpusOutcome, CorpusShader } from './types.ts';
import { vertexTransform } from './vertex-transform.ts';

export type { CorpusContext, CorpusOutcome, CorpusShader } from './types.ts';

/** Every shader of the corpus; all but the last run on any WebGPU adapter. */
export const CORPUS: readonly CorpusShader[] = [
  layerNorm,
  softmax,
  mlpLayer,
  boids,
  gameOfLife,
  histogram,
  prefixSum,
  boxBlur,
  kMeans,
  quantize,
  pointFilter,
  blockSumOverride,
  vertexTransform,
  // Runs only where the device has 'shader-f16'; otherwise its outcome is `skipped`, with the reason.
  halfPrecision,
];

/**
 * Runs the shaders named (default: all, in corpus order) in one runtime made with
 * `runtimeOptions`, one after another, and disposes of the runtime.
 * @throws Error for a name not in the corpus.
 */
export async function runCorpus(vyre: typeof Vyre, runtimeOptions: Vyre.RuntimeOptions, names?: readonly string[]): Promise<CorpusOutcome[]> {
  const shaders = names === undefined ? CORPUS : names.map(findShader);
  const runtime = await vyre.createRuntime(runtimeOptions);
  try {
    const outcomes: CorpusOutcome[] = [];
    for (const shader of shaders) outcomes.push(await shader.run({ vyre, runtime }));
    return outcomes;
  } finally {
    await runtime.dispose();
  }
}

function findShader(name: string): CorpusShader {
  const shader = CORPUS.find((entry) => entry.name === name);
  if (shader === undefined) throw new Error(`No corpus shader is named "${name}".`);
  return shader;
}
