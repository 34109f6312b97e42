/**
 * Dispatch policy: the code-generation switches of a compile. Only what changes the
 * generated code belongs here (and in the cache key); launch-time settings (grid,
 * output sizes, params) never do.
 */
import { VyreError } from '../errors.ts';
import type { WorkgroupSize } from '../protocol/elements.ts';

export interface ResolvedPolicy {
  readonly workgroupSize: WorkgroupSize;
  /** Stable, human-readable; goes into manifests, e.g. `wg=[64,1,1]`. */
  readonly string: string;
}

/**
 * Resolves `policy` against the program's own workgroup size.
 * @param overridable - false for WGSL-source programs, whose size is fixed in their text.
 * @throws VyreError `invalid-policy`
 */
export function resolvePolicy(policy: unknown, programSize: WorkgroupSize, overridable: boolean): ResolvedPolicy {
  if (policy === undefined || policy === null) return resolved(programSize);
  if (typeof policy !== 'object' || Array.isArray(policy)) {
    throw invalidPolicy('The dispatch policy is not an object.', 'pass { workgroupSize: [x, y, z] } or nothing.');
  }
  const unknown = Object.keys(policy).filter((key) => key !== 'workgroupSize');
  if (unknown.length > 0) {
    throw invalidPolicy(`The dispatch policy has unknown fields: ${unknown.join(', ')}.`, 'the only policy field is workgroupSize.');
  }
  const raw = (policy as { workgroupSize?: unknown }).workgroupSize;
  if (raw === undefined) return resolved(programSize);
  const axes = typeof raw === 'number' ? [raw] : Array.isArray(raw) ? (raw as unknown[]) : undefined;
  if (axes === undefined || axes.length < 1 || axes.length > 3 || !axes.every((a) => typeof a === 'number' && Number.isInteger(a) && a >= 1 && a <= 1024)) {
    throw invalidPolicy(`workgroupSize ${JSON.stringify(raw)} is not 1 to 3 integers in 1…1024.`, 'pass e.g. { workgroupSize: 128 } or [16, 16].');
  }
  const size: WorkgroupSize = [Number(axes[0]), Number(axes[1] ?? 1), Number(axes[2] ?? 1)];
  if (!overridable && size.join() !== programSize.join()) {
    throw invalidPolicy(
      `A WGSL-source program's workgroup size is fixed by its @workgroup_size(${programSize.join(', ')}).`,
      'change the WGSL, or use an IR program to override the workgroup size per compile.',
    );
  }
  return resolved(size);
}

function resolved(workgroupSize: WorkgroupSize): ResolvedPolicy {
  return { workgroupSize, string: `wg=[${workgroupSize.join(',')}]` };
}

function invalidPolicy(problem: string, fix: string): VyreError {
  return new VyreError('invalid-policy', problem, fix);
}
