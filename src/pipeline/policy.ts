/**
 * Dispatch policy: the code-generation switches of a compile. Only what changes the
 * generated code belongs here (and in the cache key); launch-time settings (grid,
 * output sizes, params) never do.
 */
import { VyreError } from '../errors.ts';
import { isWorkgroupAxis, type WorkgroupSize } from '../protocol/elements.ts';

export interface ResolvedPolicy {
  readonly workgroupSize: WorkgroupSize;
  /** Override constants as WebGPU takes them (booleans as 1 and 0); empty for none. */
  readonly constants: Readonly<Record<string, number>>;
  /** Stable, human-readable; goes into manifests, e.g. `wg=[64,1,1]` or `wg=[64,1,1];constants={WG=128}`. */
  readonly string: string;
}

/** Where a WGSL program's size is read from its code, in the worker: the policy string says `wg=code`. */
const FROM_CODE: WorkgroupSize = [0, 0, 0];

/**
 * Resolves `policy` against the program's own workgroup size.
 * @param programSize - the program's size; `null` for a WGSL program whose size its code
 *   says (read with the reflection, once the policy's constants are known).
 * @param overridable - false for WGSL-source programs, whose size is fixed in their text.
 * @throws VyreError `invalid-policy`
 */
export function resolvePolicy(policy: unknown, declaredSize: WorkgroupSize | null, overridable: boolean): ResolvedPolicy {
  const programSize = declaredSize ?? FROM_CODE;
  if (policy === undefined || policy === null) return resolved(programSize, NO_CONSTANTS);
  if (typeof policy !== 'object' || Array.isArray(policy)) {
    throw invalidPolicy('The dispatch policy is not an object.', 'pass { workgroupSize: [x, y, z] }, { constants: { … } } or nothing.');
  }
  const unknown = Object.keys(policy).filter((key) => key !== 'workgroupSize' && key !== 'constants');
  if (unknown.length > 0) {
    throw invalidPolicy(`The dispatch policy has unknown fields: ${unknown.join(', ')}.`, 'the policy fields are workgroupSize (IR programs) and constants (WGSL programs).');
  }
  const constants = checkConstants((policy as { constants?: unknown }).constants, overridable);
  const raw = (policy as { workgroupSize?: unknown }).workgroupSize;
  if (raw === undefined) return resolved(programSize, constants);
  const axes = typeof raw === 'number' ? [raw] : Array.isArray(raw) ? (raw as unknown[]) : undefined;
  if (axes === undefined || axes.length < 1 || axes.length > 3 || !axes.every(isWorkgroupAxis)) {
    throw invalidPolicy(`workgroupSize ${JSON.stringify(raw)} is not 1 to 3 integers in 1…1024.`, 'pass e.g. { workgroupSize: 128 } or [16, 16].');
  }
  const size: WorkgroupSize = [Number(axes[0]), Number(axes[1] ?? 1), Number(axes[2] ?? 1)];
  if (!overridable && declaredSize === null) {
    throw invalidPolicy(
      'A WGSL program\'s workgroup size comes from its code: @workgroup_size, or the overrides it names.',
      'drop workgroupSize from the policy; size the workgroup with an override and set it with { constants }.',
    );
  }
  if (!overridable && size.join() !== programSize.join()) {
    throw invalidPolicy(
      `A WGSL-source program's workgroup size is fixed by its @workgroup_size(${programSize.join(', ')}).`,
      'change the WGSL, or use an IR program to override the workgroup size per compile.',
    );
  }
  return resolved(size, constants);
}

const NO_CONSTANTS: Readonly<Record<string, number>> = Object.freeze({});

/**
 * Checks the shape of `constants` (names and values); whether the module declares them
 * is checked where the module is reflected (`wgsl-artifact.ts`).
 */
function checkConstants(raw: unknown, overridable: boolean): Readonly<Record<string, number>> {
  if (raw === undefined) return NO_CONSTANTS;
  if (overridable) throw invalidPolicy('constants set override constants, which only WGSL programs declare.', 'drop constants, or use a WGSL program with override declarations.');
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalidPolicy('constants is not an object.', 'pass { constants: { name: value } }.');
  const constants: Record<string, number> = {};
  for (const name of Object.keys(raw).sort()) {
    const value: unknown = (raw as Record<string, unknown>)[name];
    if (!/^[A-Za-z_]\w*$/.test(name)) throw invalidPolicy(`constants names "${name}", which is not a WGSL identifier.`, 'use the names of the module\'s override declarations.');
    if (typeof value === 'boolean') constants[name] = value ? 1 : 0;
    else if (typeof value === 'number' && Number.isFinite(value)) constants[name] = value;
    else throw invalidPolicy(`constants.${name} is ${String(value)}, not a finite number or a boolean.`, 'pass a number (or a boolean for a bool override).');
  }
  return Object.keys(constants).length === 0 ? NO_CONSTANTS : constants;
}

function resolved(workgroupSize: WorkgroupSize, constants: Readonly<Record<string, number>>): ResolvedPolicy {
  const names = Object.keys(constants);
  const constantsPart = names.length === 0 ? '' : `;constants={${names.map((name) => `${name}=${constants[name]}`).join(',')}}`;
  const size = workgroupSize === FROM_CODE ? 'code' : `[${workgroupSize.join(',')}]`;
  return { workgroupSize, constants, string: `wg=${size}${constantsPart}` };
}

function invalidPolicy(problem: string, fix: string): VyreError {
  return new VyreError('invalid-policy', problem, fix);
}
