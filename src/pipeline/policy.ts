/**
 * Dispatch policy: the code-generation switches of a compile. Only what changes the
 * generated code belongs here (and in the cache key); launch-time settings (grid,
 * output sizes, params) never do. One exception, `tuned`: the tuner's mark changes no code
 * but keys the chosen variant's artifact, which is how the choice is stored and found.
 */
import { VyreError } from '../errors.ts';
import { isWorkgroupAxis, type WorkgroupSize } from '../protocol/elements.ts';
import { FLOAT_POLICIES, type FloatPolicy } from '../protocol/program.ts';

export interface ResolvedPolicy {
  readonly workgroupSize: WorkgroupSize;
  /** Override constants as WebGPU takes them (booleans as 1 and 0); empty for none. */
  readonly constants: Readonly<Record<string, number>>;
  /** Float contraction of the lowering (IR programs); `'exact'` for WGSL programs. */
  readonly floats: FloatPolicy;
  /** The tuner's mark (see `DispatchPolicy.tuned`); `''` for none. */
  readonly tuned: string;
  /**
   * Stable, human-readable; goes into manifests, e.g. `wg=[64,1,1]`,
   * `wg=[64,1,1];constants={WG=128}`, `wg=[64,1,1];floats=fast` or
   * `wg=[16,16,1];tuned=matmul-f32-x4@K512.M512.N512/tiled|direct`. The default `exact` is
   * not written, so records stored before the policy existed keep their identity.
   */
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
  if (policy === undefined || policy === null) return resolved(programSize, NO_CONSTANTS, 'exact', '');
  if (typeof policy !== 'object' || Array.isArray(policy)) {
    throw invalidPolicy('The dispatch policy is not an object.', 'pass { workgroupSize: [x, y, z] }, { constants: { … } } or nothing.');
  }
  const unknown = Object.keys(policy).filter((key) => !POLICY_FIELDS.includes(key));
  if (unknown.length > 0) {
    throw invalidPolicy(`The dispatch policy has unknown fields: ${unknown.join(', ')}.`, 'the policy fields are workgroupSize and floats (IR programs) and constants (WGSL programs).');
  }
  const constants = checkConstants((policy as { constants?: unknown }).constants, overridable);
  const floats = checkFloats((policy as { floats?: unknown }).floats, overridable);
  const tuned = checkTuned((policy as { tuned?: unknown }).tuned);
  const raw = (policy as { workgroupSize?: unknown }).workgroupSize;
  if (raw === undefined) return resolved(programSize, constants, floats, tuned);
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
  return resolved(size, constants, floats, tuned);
}

const POLICY_FIELDS: readonly string[] = ['workgroupSize', 'constants', 'floats', 'tuned'];

/** A tuner's mark: a family name, a slash, variant names joined by `|`; nothing that could break the policy string. */
const TUNED_MARK = /^[A-Za-z0-9_.-]{1,64}@[A-Za-z0-9_.]{1,200}\/[A-Za-z0-9_.-]{1,64}(\|[A-Za-z0-9_.-]{1,64}){0,15}$/;

function checkTuned(raw: unknown): string {
  if (raw === undefined) return '';
  if (typeof raw !== 'string' || !TUNED_MARK.test(raw)) {
    throw invalidPolicy(`tuned is ${JSON.stringify(raw)}, not a tuner's mark (family@shape/variant|variant…).`, 'leave tuned to runtime.compileTuned, which sets it; drop it from a policy you write.');
  }
  return raw;
}

/** `floats` of an IR program's policy; a WGSL program's code is compiled as written. */
function checkFloats(raw: unknown, overridable: boolean): FloatPolicy {
  if (raw === undefined) return 'exact';
  if (!overridable) {
    throw invalidPolicy('floats sets how the IR lowering rounds products; a WGSL program is compiled as written.', 'drop floats from the policy (write fma() in the WGSL where you want it).');
  }
  if (!FLOAT_POLICIES.includes(raw as FloatPolicy)) {
    throw invalidPolicy(`floats is ${JSON.stringify(raw)}, not one of ${FLOAT_POLICIES.map((f) => `'${f}'`).join(', ')}.`, "pass { floats: 'exact' } (the default: bit-identical to the interpreter) or { floats: 'fast' }.");
  }
  return raw as FloatPolicy;
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

function resolved(workgroupSize: WorkgroupSize, constants: Readonly<Record<string, number>>, floats: FloatPolicy, tuned: string): ResolvedPolicy {
  const names = Object.keys(constants);
  const constantsPart = names.length === 0 ? '' : `;constants={${names.map((name) => `${name}=${constants[name]}`).join(',')}}`;
  const floatsPart = floats === 'exact' ? '' : `;floats=${floats}`;
  const size = workgroupSize === FROM_CODE ? 'code' : `[${workgroupSize.join(',')}]`;
  const tunedPart = tuned === '' ? '' : `;tuned=${tuned}`;
  return { workgroupSize, constants, floats, tuned, string: `wg=${size}${constantsPart}${floatsPart}${tunedPart}` };
}

function invalidPolicy(problem: string, fix: string): VyreError {
  return new VyreError('invalid-policy', problem, fix);
}
