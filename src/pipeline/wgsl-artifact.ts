/**
 * The artifact of a WGSL-source program: its own text (no lowering), the entry point, the
 * workgroup size with its override constants applied, and every buffer the entry point
 * uses with its group, address space and WGSL layout — reflected from the code here, in the
 * worker, so nothing an untyped caller sent about layouts is trusted.
 */
import { VyreError } from '../errors.ts';
import type { BoundBuffer, ShaderArtifact } from '../lower/artifact.ts';
import { reflectModule } from '../program/reflect-module.ts';
import { keptElementType, selectEntryPoint, workgroupSizeOf } from '../program/wgsl-entry.ts';
import { MAX_WORKGROUP_AXIS, isWorkgroupAxis, type WorkgroupSize } from '../protocol/elements.ts';
import type { WgslProgram } from '../protocol/program.ts';
import type { WgslEntryPoint, WgslImageResource, WgslModule, WgslOverride } from '../protocol/wgsl-module.ts';

/**
 * Builds the artifact of `program` compiled with override `constants`.
 * @throws VyreError `invalid-program` (the code does not reflect), `invalid-policy` (a
 *   constant the module does not declare, of the wrong type, or a required one missing).
 */
export function wgslArtifact(program: WgslProgram, constants: Readonly<Record<string, number>>): ShaderArtifact {
  const module = reflectModule(program.code);
  const entry = selectEntryPoint(module, program.entryPoint ?? undefined, program.code);
  checkConstants(module.overrides, constants);
  return {
    code: program.code,
    entryPoint: entry.name,
    workgroupSize: workgroupSize(program, module, entry, constants),
    buffers: program.reflected ? reflectedBuffers(module, entry) : program.buffers,
    params: undefined,
    foldableGrid: false,
    ...(Object.keys(constants).length === 0 ? {} : { constants }),
    ...imagesOf(module, entry),
  };
}

/** The images `entry` uses, as an artifact field: absent when none, so buffer-only artifacts keep their shape. */
function imagesOf(module: WgslModule, entry: WgslEntryPoint): { images?: readonly WgslImageResource[] } {
  const used = new Set(entry.resources);
  const images = module.images.filter((image) => used.has(image.name));
  return images.length === 0 ? {} : { images };
}

/**
 * The entry point's size with the override constants applied; a size the program declares
 * must agree with it (the grid is computed from it). An axis whose override has no value
 * takes the declared size, when there is one.
 * @throws VyreError `invalid-program` on a disagreement, `invalid-policy` for an unset override.
 */
function workgroupSize(program: WgslProgram, module: WgslModule, entry: WgslEntryPoint, constants: Readonly<Record<string, number>>): WorkgroupSize {
  const declared = program.workgroupSize;
  const fromCode = checkedSize(workgroupSizeOf(module, entry, constants), entry.name);
  if (declared === null) return fromCode;
  if (fromCode.join() !== declared.join()) {
    throw new VyreError(
      'invalid-program',
      `workgroupSize [${declared.join(', ')}] disagrees with @workgroup_size of ${entry.name}, which is [${fromCode.join(', ')}].`,
      'drop the workgroupSize option or make the two agree; the grid is computed from it.',
      { declared: [...declared], reflected: [...fromCode] },
    );
  }
  return declared;
}

/**
 * WebGPU's guaranteed bound per axis; the device's own limits are checked when the pipeline
 * is created.
 * @throws VyreError `invalid-policy` for an axis an override set outside 1…1024.
 */
function checkedSize(size: WorkgroupSize, entryName: string): WorkgroupSize {
  if (size.every((axis) => isWorkgroupAxis(axis))) return size;
  throw new VyreError(
    'invalid-policy',
    `The workgroup size of ${entryName} comes to [${size.join(', ')}], outside 1…${MAX_WORKGROUP_AXIS} per axis.`,
    'set the overrides that size the workgroup to positive integers (64 or 256 in x is a good default).',
    { workgroupSize: size.map(String) },
  );
}

/** Every buffer `entry` uses, as the dispatcher binds it. */
function reflectedBuffers(module: WgslModule, entry: WgslEntryPoint): BoundBuffer[] {
  const used = new Set(entry.resources);
  return module.resources
    // reflectModule lists resources in (group, binding) order already.
    .filter((resource) => used.has(resource.name))
    .map((resource) => ({
      name: resource.name,
      binding: resource.binding,
      group: resource.group,
      space: resource.space,
      access: resource.access === 'read_write' ? 'read-write' : 'read',
      type: keptElementType(resource.type),
      layout: resource.type,
    }));
}

function checkConstants(overrides: readonly WgslOverride[], constants: Readonly<Record<string, number>>): void {
  for (const [name, value] of Object.entries(constants)) {
    const declared = overrides.find((override) => override.name === name);
    if (declared === undefined) {
      const known = overrides.map((override) => override.name);
      throw invalidPolicy(`constants.${name} sets no override of this module (it declares: ${known.join(', ') || 'none'}).`, 'name an `override` declaration of the WGSL module.', { constant: name, known });
    }
    if (!fits(declared.type, value)) {
      throw invalidPolicy(`constants.${name} is ${value}, not a ${declared.type}.`, `pass a value of the override's type (${declared.type}).`, { constant: name, expected: declared.type });
    }
  }
  const missing = overrides.filter((override) => override.required && constants[override.name] === undefined).map((override) => override.name);
  if (missing.length > 0) {
    throw invalidPolicy(`The module's overrides ${missing.join(', ')} have no default and were not set.`, `compile with { constants: { ${missing.map((name) => `${name}: …`).join(', ')} } }.`, { missing });
  }
}

function fits(type: WgslOverride['type'], value: number): boolean {
  switch (type) {
    case 'bool':
      return value === 0 || value === 1;
    case 'u32':
      return Number.isInteger(value) && value >= 0 && value <= 0xffff_ffff;
    case 'i32':
      return Number.isInteger(value) && value >= -0x8000_0000 && value <= 0x7fff_ffff;
    case 'f16':
      return Math.abs(value) <= 65504;
    case 'f32':
      return Math.abs(value) <= 3.4028234663852886e38;
  }
}

function invalidPolicy(problem: string, fix: string, details: Record<string, string | readonly string[]>): VyreError {
  return new VyreError('invalid-policy', problem, fix, details);
}
