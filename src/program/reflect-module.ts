/**
 * Reflection of a WGSL module: its buffer resources with full types and WGSL layout, its
 * compute entry points with workgroup sizes and the resources each one uses, and its
 * override constants. This is what the WGSL path plans dispatches with.
 *
 * Structure comes from wgsl_reflect (a maintained WGSL parser; see wgsl-parse.ts for where
 * it is widened), numbers from our own rules: layout from wgsl-layout.ts, constant
 * expressions from wgsl-const-eval.ts, resource use from wgsl-resource-use.ts. The library
 * computes layouts and workgroup sizes too, but not always right (a `8u` workgroup size
 * reads as 1, an override-sized one as its default), so its numbers are never used.
 *
 * Resources: `var<uniform>` and `var<storage[, read|read_write]>` in any group and binding,
 * and textures, storage textures and samplers (reflect-images.ts). External and
 * multisampled textures and `var<immediate>` blocks are rejected by name.
 */
import { Enable, Function as FunctionDecl, LiteralExpr, Override, ResourceType, Var, VariableExpr, WgslReflect } from 'wgsl_reflect';
import type { Expression } from 'wgsl_reflect';
import { VyreError, invariant } from '../errors.ts';
import type {
  WgslBufferResource,
  WgslImageResource,
  WgslEntryPoint,
  WgslModule,
  WgslOverride,
  WorkgroupAxis,
} from '../protocol/wgsl-module.ts';
import { createConstScope, integerAttribute, type ConstScope } from './wgsl-const-eval.ts';
import { isRuntimeSized } from './wgsl-layout.ts';
import {
  declarationSite,
  invalidDeclaration,
  parseWgsl,
  type AttributeArg,
  type DeclarationSite,
  type ParsedWgsl,
} from './wgsl-parse.ts';
import { reflectImage } from './reflect-images.ts';
import { createResourceUse } from './wgsl-resource-use.ts';
import { lineColumnAt } from './wgsl-text.ts';
import { toWgslType, type TypeContext } from './wgsl-type-info.ts';

interface ModuleContext {
  readonly code: string;
  readonly parsed: ParsedWgsl;
  readonly scope: ConstScope;
  readonly reflection: WgslReflect;
  readonly types: TypeContext;
}

const OVERRIDE_TYPES = ['f32', 'f16', 'i32', 'u32', 'bool'] as const;
type OverrideType = (typeof OVERRIDE_TYPES)[number];

/**
 * The library's reflection without the work we do ourselves: its per-function resource
 * search (which resources an entry point uses is worked out with proper scoping in
 * `wgsl-resource-use.ts`) and its type sizes. Together they were a third of reflection's time.
 */
class LeanReflect extends WgslReflect {
  override _findResources(): ReturnType<WgslReflect['_findResources']> {
    return [];
  }

  /** Sizes come from `wgsl-layout.ts` (the library's are wrong for runtime-array structs): its own are not worked out. */
  override _getTypeSize(): ReturnType<WgslReflect['_getTypeSize']> {
    return null;
  }
}

/**
 * Reflects a WGSL module.
 * @param code - the WGSL source.
 * @returns its resources (sorted by group, then binding), compute entry points and overrides.
 * @throws VyreError `invalid-program` when the source does not parse (with `line` and
 *   `column`), declares an external or multisampled texture or an immediate block, has no
 *   `@compute` entry point, or declares something reflection cannot size (the message names it).
 * @example
 * ```ts
 * const module = reflectModule(`
 *   @group(0) @binding(0) var<storage, read_write> data: array<f32>;
 *   @compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3u) { data[id.x] *= 2.0; }
 * `);
 * module.entryPoints[0]; // { name: 'main', workgroupSize: [64, 1, 1], resources: ['data'] }
 * ```
 */
export function reflectModule(code: string): WgslModule {
  const parsed = parseWgsl(code);
  const scope = createConstScope(parsed.ast);
  for (const { arrayType, count } of parsed.deferredArrayCounts) {
    const value = scope.evaluate(count);
    // NaN marks a count that is not a positive constant; converting the type reports it.
    arrayType.count = value.kind === 'int' && value.value >= 1 ? value.value : Number.NaN;
  }
  const reflection = new LeanReflect();
  reflection.updateAST(parsed.ast);
  const types: TypeContext = {
    f16: parsed.ast.some((node) => node instanceof Enable && node.name === 'f16'),
    aliases: reflection.aliases,
    structs: reflection.structs,
    integerAttribute: (attribute, where) => integerAttribute(scope, parsed.attributeArgs(attribute), attribute, where),
  };
  const context: ModuleContext = { code, parsed, scope, reflection, types };
  const { buffers, images } = reflectResources(context);
  return { resources: buffers, images, entryPoints: reflectEntryPoints(context, [...buffers, ...images]), overrides: reflectOverrides(context) };
}

function reflectResources(context: ModuleContext): { buffers: WgslBufferResource[]; images: WgslImageResource[] } {
  const { reflection } = context;
  const infos = new Map(
    [reflection.uniforms, reflection.storage, reflection.textures, reflection.samplers, reflection.immediates]
      .flat()
      .map((info) => [info.name, info]),
  );
  const found: WgslBufferResource[] = [];
  const images: WgslImageResource[] = [];
  for (const node of context.parsed.ast) {
    const info = node instanceof Var ? infos.get(node.name) : undefined;
    if (!(node instanceof Var) || info === undefined) continue;
    const where = declarationSite(context.code, node, node.name);
    if (info.resourceType === ResourceType.Immediate) throw unsupportedResource(where, info.resourceType, info.type.name);
    if (info.resourceType !== ResourceType.Uniform && info.resourceType !== ResourceType.Storage) {
      const image = reflectImage(info, bindingNumber(context, node, 'group', where), bindingNumber(context, node, 'binding', where), where);
      if (image !== undefined) images.push(image);
      continue;
    }
    const space = info.resourceType === ResourceType.Uniform ? 'uniform' : 'storage';
    const type = toWgslType(context.types, info.type, where);
    if (space === 'uniform' && isRuntimeSized(type)) {
      throw invalidDeclaration(where, 'is a uniform buffer holding a runtime-sized array', 'use var<storage, read> for a runtime-sized array, or give the array a fixed count.');
    }
    found.push({
      kind: 'buffer',
      name: node.name,
      group: bindingNumber(context, node, 'group', where),
      binding: bindingNumber(context, node, 'binding', where),
      space,
      access: bufferAccess(space, node.access, where),
      type,
    });
  }
  const byBinding = (a: { group: number; binding: number }, b: { group: number; binding: number }): number => a.group - b.group || a.binding - b.binding;
  return { buffers: found.sort(byBinding), images: images.sort(byBinding) };
}

function unsupportedResource(where: DeclarationSite, resourceType: ResourceType, typeName: string): VyreError {
  const kind =
    resourceType === ResourceType.Sampler ? 'sampler'
    : resourceType === ResourceType.StorageTexture ? 'storage texture'
    : resourceType === ResourceType.Immediate ? 'var<immediate> block'
    : typeName === 'texture_external' ? 'external texture'
    : 'texture';
  return new VyreError(
    'invalid-program',
    `${where.declaration} at line ${where.line} is a ${kind} (${typeName}); vyre-web binds buffers only for now.`,
    `pass the data in a buffer instead (var<storage, read> ${where.declaration}: array<f32>, indexed yourself); textures and samplers come with their own support later.`,
    { declaration: where.declaration, line: where.line, column: where.column, kind },
  );
}

function bufferAccess(space: 'uniform' | 'storage', access: string | null, where: DeclarationSite): 'read' | 'read_write' {
  if (access === null || access === '' || access === 'read') return 'read';
  if (space === 'storage' && access === 'read_write') return 'read_write';
  throw invalidDeclaration(where, `has access mode ${access}, which a ${space} buffer cannot have`, space === 'uniform' ? 'write var<uniform> with no access mode.' : 'use read or read_write.');
}

function bindingNumber(context: ModuleContext, node: Var, key: 'group' | 'binding', where: DeclarationSite): number {
  const attribute = node.attributes?.find((candidate) => candidate.name === key);
  if (attribute === undefined) {
    throw invalidDeclaration(where, `has no @${key}(…) attribute`, 'write both @group(g) and @binding(b) on every buffer.');
  }
  const value = context.types.integerAttribute(attribute, where);
  if (value < 0) throw invalidDeclaration(where, `has @${key}(${value})`, `use a non-negative @${key}.`);
  return value;
}

function reflectEntryPoints(context: ModuleContext, resources: readonly { readonly name: string }[]): WgslEntryPoint[] {
  const { ast } = context.parsed;
  const declarations = new Map(ast.flatMap((node) => (node instanceof FunctionDecl ? [[node.name, node] as const] : [])));
  const used = createResourceUse(ast, new Set(resources.map((resource) => resource.name)));
  const entryPoints = context.reflection.entry.compute.map((info): WgslEntryPoint => {
    const declaration = declarations.get(info.name);
    invariant(declaration !== undefined, `the compute entry point ${info.name} is a function of the module`);
    const uses = used(info.name);
    return {
      name: info.name,
      workgroupSize: workgroupSize(context, declaration),
      resources: resources.filter((resource) => uses.has(resource.name)).map((resource) => resource.name),
    };
  });
  if (entryPoints.length === 0) {
    // Point at the function that most likely lost its @compute: the last one declared.
    const last = [...declarations.values()].at(-1);
    const where = last === undefined ? { declaration: 'The module', ...lineColumnAt(context.code, context.code.length) } : declarationSite(context.code, last, `fn ${last.name}`);
    throw invalidDeclaration(where, 'is the last function of a module with no @compute entry point', 'mark the entry point: @compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3u) { … }.');
  }
  return entryPoints;
}

function workgroupSize(context: ModuleContext, fn: FunctionDecl): WgslEntryPoint['workgroupSize'] {
  const where = declarationSite(context.code, fn, fn.name);
  const attribute = fn.attributes?.find((candidate) => candidate.name === 'workgroup_size');
  const args = attribute === undefined ? [] : context.parsed.attributeArgs(attribute);
  if (args.length < 1 || args.length > 3) {
    throw invalidDeclaration(where, 'has no @workgroup_size with one to three values', 'write @workgroup_size(x[, y[, z]]) on every @compute function.');
  }
  const axis = (index: number): WorkgroupAxis => {
    const arg = args[index];
    return arg === undefined ? 1 : workgroupAxis(context, arg, where);
  };
  return [axis(0), axis(1), axis(2)];
}

function workgroupAxis(context: ModuleContext, arg: AttributeArg, where: DeclarationSite): WorkgroupAxis {
  const name = arg.expression === null ? arg.text : plainName(arg.expression);
  if (name !== null && context.scope.isOverride(name)) return { override: name };
  const value = context.scope.evaluateArg(arg);
  if (value.kind === 'int' && Number.isInteger(value.value) && value.value >= 1) return value.value;
  if (value.kind === 'override') {
    throw invalidDeclaration(
      where,
      `has a workgroup size (${arg.text}) computed from the override ${value.name}`,
      `give that axis its own override and name it alone, e.g. override size_x: u32 = 64; @workgroup_size(size_x), or write a literal.`,
    );
  }
  const reason = value.kind === 'unknown' ? value.reason : `it is ${String(value.value)}, not a positive integer`;
  throw invalidDeclaration(where, `has a workgroup size (${arg.text}) that cannot be evaluated: ${reason}`, 'use a positive integer literal, a const, simple arithmetic of those, or an override name.');
}

function plainName(expression: Expression): string | null {
  return expression instanceof VariableExpr && expression.postfix === null ? expression.name : null;
}

function reflectOverrides(context: ModuleContext): WgslOverride[] {
  return context.parsed.ast.flatMap((node) => {
    if (!(node instanceof Override)) return [];
    const where = declarationSite(context.code, node, node.name);
    const attribute = node.attributes?.find((candidate) => candidate.name === 'id');
    const id = attribute === undefined ? null : context.types.integerAttribute(attribute, where);
    if (id !== null && (id < 0 || id > 65535)) throw invalidDeclaration(where, `has @id(${id})`, 'use an @id from 0 to 65535.');
    const type = overrideType(context, node, where);
    return [{ name: node.name, type, id, required: node.value === null, default: literalValue(node.value, type) }];
  });
}

function overrideType(context: ModuleContext, node: Override, where: DeclarationSite): OverrideType {
  const declared = node.type?.name;
  const alias = context.reflection.aliases.find((candidate) => candidate.name === declared);
  // No type written: WGSL infers it from the initializer; an abstract int (`x32`) becomes i32.
  const inferred = node.value instanceof LiteralExpr ? node.value.type.name.replace('x32', 'i32') : undefined;
  const name = alias?.type.name ?? declared ?? inferred;
  const type = OVERRIDE_TYPES.find((candidate) => candidate === name);
  if (type === undefined) {
    const problem =
      name === undefined ? 'has no written type, and its initializer is not a literal to infer one from'
      : `has type ${name}; an override is f32, f16, i32, u32 or bool`;
    throw invalidDeclaration(where, problem, `write its type: override ${node.name}: u32 = …;`);
  }
  if (type === 'f16' && !context.types.f16) {
    throw invalidDeclaration(where, 'is an f16 override but the module has no `enable f16;`', 'add `enable f16;` at the top of the module.');
  }
  return type;
}

/** An initializer's value when it is a literal (the parser folds `-1.0` and `(3)` into literals). */
function literalValue(value: Expression | null, type: OverrideType): number | boolean | null {
  if (!(value instanceof LiteralExpr) || !value.isScalar) return null;
  return type === 'bool' ? value.scalarValue !== 0 : value.scalarValue;
}

