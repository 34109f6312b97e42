/**
 * `runtime.prewarm(programs)`: compile without dispatching, a few at a time, reporting
 * progress after each, so later compiles are memory-tier hits.
 */
import { VyreError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { CompileReport, PipelinePrewarmReport, PrewarmProgress } from '../protocol/compile.ts';

export interface PrewarmRequest {
  /** Compiles in flight at once (untyped from the caller; default 2). */
  readonly concurrency?: unknown;
  readonly onProgress?: (progress: PrewarmProgress) => void;
}

/**
 * Compiles every program of `programs` with `compile`, `concurrency` at a time.
 * @returns one report per program, in order.
 * @throws VyreError `invalid-program` when `programs` is not a list, `invalid-input` for a bad concurrency.
 */
export async function prewarmPrograms(
  programs: unknown,
  request: PrewarmRequest,
  compile: (program: unknown) => Promise<CompileReport>,
  logger: Logger,
): Promise<PipelinePrewarmReport[]> {
  if (!Array.isArray(programs)) {
    throw new VyreError('invalid-program', 'prewarm() needs a list of programs.', 'pass an array: runtime.prewarm([programA, programB]).');
  }
  const concurrency = request.concurrency ?? 2;
  if (typeof concurrency !== 'number' || !Number.isInteger(concurrency) || concurrency < 1) {
    throw new VyreError('invalid-input', `prewarm concurrency is ${String(concurrency)}.`, 'pass a positive integer (2 is a good default).');
  }
  const list: readonly unknown[] = programs;
  const reports: PipelinePrewarmReport[] = new Array(list.length);
  let next = 0;
  let completed = 0;
  const lane = async (): Promise<void> => {
    while (next < list.length) {
      const index = next++;
      const { pipelineId, cacheHit, tier, manifest } = await compile(list[index]);
      const report: PipelinePrewarmReport = { pipelineId, cacheHit, tier, manifest };
      reports[index] = report;
      completed++;
      // A failing progress callback (e.g. a closed page) must not fail the prewarm.
      try {
        request.onProgress?.({ completed, total: list.length, report });
      } catch (error) {
        logger.warn('progress-callback-failed', 'The prewarm progress callback threw.', { error: String(error) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, list.length) }, lane));
  return reports;
}
