/**
 * Turns wgsl_reflect's description of a type (`TypeInfo` and its subclasses) into the
 * protocol's {@link WgslType}, laid out by wgsl-layout.ts. Only the shape is taken from the
 * library: which scalar, how many components, which members with which attributes, how many
 * elements. Every size, alignment, stride and offset is computed here from the spec.
 *
 * The library writes one type in several ways: `vec3f` as a plain name, `vec3<f32>` as a
 * template with a format; an alias usually already replaced by what it names, a struct
 * declared further down sometimes only by its name. All of them land on the same builders.
 */
import { ArrayInfo, StructInfo, TemplateInfo } from 'wgsl_reflect';
import type { AliasInfo, Attribute, MemberInfo, TypeInfo } from 'wgsl_reflect';
import { VyreError } from '../errors.ts';
import type { WgslType } from '../protocol/wgsl-module.ts';
import {
  arrayType,
  atomicType,
  matrixType,
  scalarType,
  structType,
  vectorType,
  type HostScalar,
  type StructMemberInput,
} from './wgsl-layout.ts';
import { invalidDeclaration, type DeclarationSite } from './wgsl-parse.ts';

/** What converting a type needs to know about its module. */
export interface TypeContext {
  /** True when the module says `enable f16;`. */
  readonly f16: boolean;
  readonly aliases: readonly AliasInfo[];
  readonly structs: readonly StructInfo[];
  /** Evaluates an `@align(n)` or `@size(n)` on a struct member. */
  readonly integerAttribute: (attribute: Attribute, where: DeclarationSite) => number;
}

const HOST_SCALARS: readonly HostScalar[] = ['f32', 'f16', 'i32', 'u32'];
const SHORTHAND_SCALARS: Readonly<Record<string, HostScalar>> = { f: 'f32', h: 'f16', i: 'i32', u: 'u32' };
const VECTOR = /^vec([234])([fhiu])?$/;
const MATRIX = /^mat([234])x([234])([fh])?$/;

/**
 * The layout of the type of a buffer declared at `where`.
 * @param context - the module's aliases, structs and extensions.
 * @param info - the type as wgsl_reflect describes it.
 * @param where - the declaration, named in errors.
 * @returns the type with its WGSL layout.
 * @throws VyreError `invalid-program`, naming the declaration, for a type a buffer cannot hold
 *   (bool, pointers, textures), f16 without `enable f16;`, an array count that is not a
 *   constant, or a layout the spec forbids.
 */
export function toWgslType(context: TypeContext, info: TypeInfo, where: DeclarationSite): WgslType {
  try {
    return convert(context, info, where);
  } catch (error) {
    // The layout builders know no declarations: say which one their complaint is about.
    if (error instanceof VyreError && error.details['line'] === undefined) {
      const [problem = error.message, fix = ''] = error.message.split(' Fix: ');
      throw new VyreError(error.code, `${where.declaration} at line ${where.line}, column ${where.column}: ${problem}`, fix, {
        ...error.details,
        declaration: where.declaration,
        line: where.line,
        column: where.column,
      });
    }
    throw error;
  }
}

function convert(context: TypeContext, info: TypeInfo | null, where: DeclarationSite): WgslType {
  // wgsl_reflect leaves a bare `array` (no element type) with a null format.
  if (info === null) throw invalidDeclaration(where, 'has an array with no element type', 'write the element type: array<f32>.');
  if (info instanceof StructInfo) {
    return structType(info.name, info.members.map((member) => structMember(context, member, where)));
  }
  if (info instanceof ArrayInfo) return arrayType(convert(context, info.format, where), arrayCount(info, where));
  if (info instanceof TemplateInfo) return template(context, info, where);
  const alias = context.aliases.find((candidate) => candidate.name === info.name);
  if (alias !== undefined) return convert(context, alias.type, where);
  const struct = context.structs.find((candidate) => candidate.name === info.name);
  if (struct !== undefined) return convert(context, struct, where);
  const vector = VECTOR.exec(info.name);
  const vectorScalar = vector?.[2];
  if (vector !== null && vectorScalar !== undefined) {
    return vectorType(shorthandScalar(context, vectorScalar, where), components(vector[1]));
  }
  const matrix = MATRIX.exec(info.name);
  const matrixScalar = matrix?.[3];
  if (matrix !== null && matrixScalar !== undefined) {
    return matrixType(floatScalar(shorthandScalar(context, matrixScalar, where), where), components(matrix[1]), components(matrix[2]));
  }
  return scalarType(hostScalar(context, info.name, where));
}

function structMember(context: TypeContext, member: MemberInfo, where: DeclarationSite): StructMemberInput {
  const type = convert(context, member.type, where);
  const align = member.attributes?.find((attribute) => attribute.name === 'align');
  const size = member.attributes?.find((attribute) => attribute.name === 'size');
  return {
    name: member.name,
    type,
    ...(align === undefined ? {} : { align: context.integerAttribute(align, where) }),
    ...(size === undefined ? {} : { size: context.integerAttribute(size, where) }),
  };
}

/** `vecN<S>`, `matCxR<S>`, `atomic<S>` written with a template argument. */
function template(context: TypeContext, info: TemplateInfo, where: DeclarationSite): WgslType {
  const scalar = (): HostScalar => hostScalar(context, resolvedName(context, info.format), where);
  const vector = VECTOR.exec(info.name);
  if (vector !== null) return vectorType(scalar(), components(vector[1]));
  const matrix = MATRIX.exec(info.name);
  if (matrix !== null) return matrixType(floatScalar(scalar(), where), components(matrix[1]), components(matrix[2]));
  if (info.name === 'atomic') {
    const atomic = scalar();
    if (atomic === 'u32' || atomic === 'i32') return atomicType(atomic);
    throw invalidDeclaration(where, `has atomic<${atomic}>; atomics hold u32 or i32`, 'use atomic<u32> or atomic<i32>.');
  }
  throw unsupportedType(where, info.getTypeName());
}

/** The name of a template argument, through an alias (`alias F = f32; vec3<F>`). */
function resolvedName(context: TypeContext, format: TypeInfo | null): string {
  const name = format?.name ?? '';
  return context.aliases.find((candidate) => candidate.name === name)?.type.name ?? name;
}

function arrayCount(info: ArrayInfo, where: DeclarationSite): number | null {
  // The library's count is 0 for a runtime-sized array; a count that was not a constant was
  // marked NaN when the module was reflected.
  const count: unknown = info.count;
  if (count === 0) return null;
  if (typeof count === 'number' && Number.isInteger(count) && count > 0) return count;
  throw invalidDeclaration(
    where,
    'has an array whose element count is not a constant vyre-web can evaluate',
    'size buffer arrays with a literal or a const (an override-sized array can only be var<workgroup>), or leave the count out for a runtime-sized array.',
  );
}

function hostScalar(context: TypeContext, name: string, where: DeclarationSite): HostScalar {
  const scalar = HOST_SCALARS.find((candidate) => candidate === name);
  if (scalar === undefined) throw unsupportedType(where, name);
  if (scalar === 'f16' && !context.f16) {
    throw invalidDeclaration(where, 'uses f16 but the module has no `enable f16;`', 'add `enable f16;` at the top of the module (the device needs the shader-f16 feature).');
  }
  return scalar;
}

function shorthandScalar(context: TypeContext, suffix: string, where: DeclarationSite): HostScalar {
  return hostScalar(context, SHORTHAND_SCALARS[suffix] ?? suffix, where);
}

function floatScalar(scalar: HostScalar, where: DeclarationSite): 'f32' | 'f16' {
  if (scalar === 'f32' || scalar === 'f16') return scalar;
  throw invalidDeclaration(where, `has a matrix of ${scalar}; WGSL matrices hold f32 or f16`, 'use a matrix of f32 or f16, or an array of vectors.');
}

function components(digit: string | undefined): 2 | 3 | 4 {
  return digit === '2' ? 2 : digit === '3' ? 3 : 4;
}

function unsupportedType(where: DeclarationSite, name: string): VyreError {
  return invalidDeclaration(
    where,
    `has type ${name}, which a buffer cannot hold`,
    'use scalars (f32, i32, u32, f16), vectors, matrices, atomics, arrays and structs of those; bool is not host-shareable, use u32.',
  );
}
