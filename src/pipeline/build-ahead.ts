/**
 * Which stored pipeline a compile most likely wants, guessed before the program is checked
 * and hashed, so that its GPU build can start while that is done.
 *
 * After a restart, a compile served by the persistent tier spends its time, in turn, on the
 * program check and digest (which give its key), the lookup, and the GPU build (on the H200 in
 * real Chrome: 0.49–0.57, 0.04 and 2.9 ms; docs/benchmarks.md, warmup suite). The build runs in
 * the GPU process and the digest in the worker, so they can overlap, if the artifact to build
 * is known before the key is. An app asks for its pipelines in much the same order on every
 * load, and each stored record keeps the order of its first use on the last visit
 * (replay-order.ts), so the next record in that order is the likely one. A cheap look at the
 * program (no validation: its WGSL text, or the names of its bound buffers) rules out most wrong guesses.
 *
 * A guess is only ever a head start: the compile is served by it only when the key worked out
 * afterwards is the guessed record's identity. A wrong guess costs one GPU build that nobody
 * asked for (its pipeline stays in the memory tier), and the cache stops guessing after one.
 */
import type { ShaderArtifact } from '../lower/artifact.ts';
import type { StoredArtifact } from './artifact-store.ts';
import { replayOrder } from './replay-order.ts';

/**
 * The first of `records` in replay order that `program` could be and that is not `taken`.
 * @param program - untyped, as it came from the main thread: only read, never trusted.
 * @param taken - identities already held, in flight or built ahead.
 * @returns `undefined` when no record is plausible, or the program is not one the guess can read.
 */
export function guessStoredRecord(program: unknown, records: readonly StoredArtifact[], taken: (identity: string) => boolean): StoredArtifact | undefined {
  if (records.length === 0) return undefined;
  const plausible = plausibilityOf(program);
  if (plausible === undefined) return undefined;
  return replayOrder(records).find((record) => !taken(record.identity) && plausible(record.artifact));
}

/** A test an artifact must pass to be `program`'s; `undefined` when the program gives nothing to test. */
function plausibilityOf(program: unknown): ((artifact: ShaderArtifact) => boolean) | undefined {
  if (typeof program !== 'object' || program === null) return undefined;
  const { kind, code, entryPoint, buffers } = program as { kind?: unknown; code?: unknown; entryPoint?: unknown; buffers?: unknown };
  if (kind === 'wgsl') {
    if (typeof code !== 'string') return undefined;
    // The artifact of a WGSL program carries the program's own text (wgsl-artifact.ts).
    return (artifact) => artifact.code === code && (typeof entryPoint !== 'string' || artifact.entryPoint === entryPoint);
  }
  if (kind === 'ir') {
    // Workgroup buffers are variables in the shader, not bindings of the artifact.
    const names = bufferNames(buffers, (access) => access !== 'workgroup');
    return names === undefined ? undefined : (artifact) => bufferNames(artifact.buffers) === names;
  }
  return undefined;
}

/**
 * The names of `buffers` whose access passes `bound`, sorted and joined; `undefined` unless
 * it is an array of named objects.
 */
function bufferNames(buffers: unknown, bound: (access: unknown) => boolean = () => true): string | undefined {
  if (!Array.isArray(buffers) || buffers.length > 64) return undefined;
  const names: string[] = [];
  for (const buffer of buffers as unknown[]) {
    if (typeof buffer !== 'object' || buffer === null) return undefined;
    const { name, access } = buffer as { name?: unknown; access?: unknown };
    if (typeof name !== 'string') return undefined;
    if (bound(access)) names.push(name);
  }
  return names.sort().join('\u0000');
}
