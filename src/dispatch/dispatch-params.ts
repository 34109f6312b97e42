/**
 * Per-dispatch scalar parameters: checked against the program's declaration and packed
 * into the bytes of the params uniform (one 4-byte field per parameter, in order).
 */
import { VyreError } from '../errors.ts';
import type { ParamsLayout } from '../lower/artifact.ts';

/** The packed bytes of the params uniform. */
export interface ParamValues {
  readonly binding: number;
  readonly bytes: ArrayBuffer;
}

/**
 * @throws VyreError `invalid-input` for a missing, unknown or ill-typed parameter.
 */
export function checkParams(layout: ParamsLayout | undefined, values: unknown): ParamValues | undefined {
  const declared = layout?.fields ?? [];
  if (values !== undefined && (typeof values !== 'object' || values === null || Array.isArray(values))) {
    throw invalid('options.params must be an object of numbers.', 'pass { params: { n: 10 } }.', {});
  }
  const given = (values ?? {}) as Record<string, unknown>;
  for (const name of Object.keys(given)) {
    if (!declared.some((field) => field.name === name)) {
      throw invalid(`Unknown parameter "${name}".`, declared.length ? `the program's parameters are: ${declared.map((f) => f.name).join(', ')}.` : 'this program has no parameters.', { param: name });
    }
  }
  if (layout === undefined) return undefined;
  const bytes = new ArrayBuffer(layout.byteSize);
  const view = new DataView(bytes);
  layout.fields.forEach((field, index) => {
    const value = given[field.name];
    if (typeof value !== 'number') {
      throw invalid(`Missing parameter "${field.name}" (${field.type}).`, `pass { params: { ${field.name}: <${field.type}> } }.`, { param: field.name });
    }
    const offset = index * 4;
    switch (field.type) {
      case 'u32':
        if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff) throw outOfRange(field.name, field.type, value);
        view.setUint32(offset, value, true);
        break;
      case 'i32':
        if (!Number.isInteger(value) || value < -0x8000_0000 || value > 0x7fff_ffff) throw outOfRange(field.name, field.type, value);
        view.setInt32(offset, value, true);
        break;
      case 'f32':
        view.setFloat32(offset, value, true);
        break;
    }
  });
  return { binding: layout.binding, bytes };
}

function outOfRange(name: string, type: string, value: number): VyreError {
  return invalid(`Parameter "${name}" is ${value}, which is not a ${type}.`, `pass an integer in the ${type} range.`, { param: name });
}

function invalid(problem: string, fix: string, details: Record<string, string>): VyreError {
  return new VyreError('invalid-input', problem, fix, details);
}
