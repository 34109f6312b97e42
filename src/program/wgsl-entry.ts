/**
 * From a reflected module to what a pipeline needs: which entry point, its workgroup size
 * with override constants applied, and the element type a buffer is kept as.
 */
import { VyreError } from '../errors.ts';
import type { ElementType, WorkgroupSize } from '../protocol/elements.ts';
import type { WgslEntryPoint, WgslModule, WgslType } from '../protocol/wgsl-module.ts';
import { leafScalarOf } from './wgsl-layout.ts';
import { lineColumnAt } from './wgsl-text.ts';

/**
 * The entry point named `requested`, or the module's only one.
 * @param code - the module's text, to point at a function of that name that is not `@compute`.
 * @throws VyreError `invalid-program` for an unknown name, or several entry points and no name.
 */
export function selectEntryPoint(module: WgslModule, requested: string | undefined, code = ''): WgslEntryPoint {
  const names = module.entryPoints.map((entry) => entry.name);
  if (requested !== undefined) {
    const named = module.entryPoints.find((entry) => entry.name === requested);
    if (named !== undefined) return named;
    // A plain function of that name most likely lost its @compute: say where it is.
    const at = new RegExp(`\\bfn\\s+${requested}\\b`).exec(code);
    const site = at === null ? undefined : lineColumnAt(code, at.index);
    const place = site === undefined ? '' : ` (line ${site.line}, column ${site.column}: fn ${requested} is not marked @compute)`;
    throw new VyreError('invalid-program', `The WGSL code has no @compute entry point "${requested}"${place}; it has: ${names.join(', ') || 'none'}.`, 'pass the name of one of its @compute functions as `entryPoint`, or mark that function @compute.', { entryPoints: names, ...(site ?? {}) });
  }
  const [only, ...others] = module.entryPoints;
  if (only === undefined) {
    throw new VyreError('invalid-program', 'The WGSL code has no @compute entry point.', 'add `@compute @workgroup_size(64) fn main(…)`.', {});
  }
  if (others.length > 0) {
    throw new VyreError('invalid-program', `The WGSL code has ${names.length} @compute entry points (${names.join(', ')}).`, 'pass `entryPoint` to choose one.', { entryPoints: names });
  }
  return only;
}

/**
 * The entry point's workgroup size with every override axis at its value in `constants`,
 * else its default.
 * @throws VyreError `invalid-policy` when an axis depends on an override that has neither.
 */
export function workgroupSizeOf(module: WgslModule, entry: WgslEntryPoint, constants: Readonly<Record<string, number>>): WorkgroupSize {
  const axis = (value: WgslEntryPoint['workgroupSize'][number]): number => {
    if (typeof value === 'number') return value;
    const set = constants[value.override];
    const declared = module.overrides.find((override) => override.name === value.override);
    const resolved = set ?? (typeof declared?.default === 'number' ? declared.default : undefined);
    if (resolved === undefined) {
      const why = declared?.required === false ? 'whose default is an expression vyre-web does not evaluate' : 'which has no default';
      throw new VyreError('invalid-policy', `The workgroup size of ${entry.name} depends on the override "${value.override}", ${why}.`, `compile with { constants: { ${value.override}: <size> } }.`, { override: value.override });
    }
    return resolved;
  };
  return [axis(entry.workgroupSize[0]), axis(entry.workgroupSize[1]), axis(entry.workgroupSize[2])];
}

/**
 * The element type a buffer of WGSL type `type` is kept as (a resident copy of its bytes):
 * its leaf scalar when all leaves share one 4-byte scalar, else `u32`.
 */
export function keptElementType(type: WgslType): ElementType {
  const leaf = leafScalarOf(type);
  return leaf === 'f32' || leaf === 'i32' ? leaf : 'u32';
}
