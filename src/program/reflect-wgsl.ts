/**
 * Reflection of WGSL source: the storage-buffer bindings and the entry point's
 * workgroup size, read from the declarations themselves.
 *
 * This is a deliberately small reader, not a WGSL parser. It accepts exactly
 *   `@group(0) @binding(N) var<storage[, read|read_write]> name: array<T>;`
 * with T in f32 / u32 / i32 / atomic<u32> / atomic<i32>, and rejects every other
 * resource declaration with a message that says what to do instead. When it cannot
 * reflect something the caller can always declare it explicitly (`buffers`, `workgroupSize`).
 */
import { VyreError } from '../errors.ts';
import type { BufferDeclaration, ElementType, WorkgroupSize } from '../protocol/elements.ts';
import { blankComments, lineColumnAt } from './wgsl-text.ts';

const ATTRIBUTES = String.raw`((?:@[A-Za-z_]\w*\s*(?:\([^)]*\))?\s*)+)`;
const VARIABLE_DECLARATION = new RegExp(
  String.raw`${ATTRIBUTES}var\b\s*(?:<([^>]*)>)?\s*([A-Za-z_]\w*)\s*(?::\s*([^;=]+))?[^;]*;`,
  'g',
);
const FUNCTION_DECLARATION = new RegExp(String.raw`${ATTRIBUTES}fn\s+([A-Za-z_]\w*)\s*\(`, 'g');
const ATTRIBUTE = /@([A-Za-z_]\w*)\s*(?:\(([^)]*)\))?/g;
const ARRAY_TYPE = /^array\s*<\s*(f32|u32|i32|atomic\s*<\s*(u32|i32)\s*>)\s*>$/;
const INTEGER_LITERAL = /^(\d+)[iu]?$/;

/** Reads the storage-buffer bindings declared in `code`. */
export function reflectBindings(code: string): BufferDeclaration[] {
  const text = blankComments(code);
  const found: BufferDeclaration[] = [];
  for (const match of text.matchAll(VARIABLE_DECLARATION)) {
    const attributes = parseAttributes(match[1] ?? '');
    if (!attributes.has('binding') && !attributes.has('group')) continue;
    const where = describe(code, match.index, match[0]);
    const name = match[3] ?? '';
    const group = integerAttribute(attributes, 'group', where);
    const binding = integerAttribute(attributes, 'binding', where);
    if (group !== 0) {
      throw reject(where, `uses @group(${group}); vyre-web binds group 0 only`, 'move every buffer to @group(0).');
    }
    const access = storageAccess(match[2], where);
    const type = elementType((match[4] ?? '').trim(), where);
    if (found.some((other) => other.binding === binding)) {
      throw reject(where, `reuses @binding(${binding})`, 'give every buffer its own binding number.');
    }
    found.push({ name, binding, access, type });
  }
  return found.sort((a, b) => a.binding - b.binding);
}

/** The `@compute` entry points of `code` with their literal workgroup sizes, when literal. */
export function reflectEntryPoints(code: string): { name: string; workgroupSize: WorkgroupSize | undefined }[] {
  const text = blankComments(code);
  const entries: { name: string; workgroupSize: WorkgroupSize | undefined }[] = [];
  for (const match of text.matchAll(FUNCTION_DECLARATION)) {
    const attributes = parseAttributes(match[1] ?? '');
    if (!attributes.has('compute')) continue;
    entries.push({ name: match[2] ?? '', workgroupSize: literalWorkgroupSize(attributes.get('workgroup_size')) });
  }
  return entries;
}

function parseAttributes(source: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const match of source.matchAll(ATTRIBUTE)) {
    attributes.set(match[1] ?? '', (match[2] ?? '').trim());
  }
  return attributes;
}

function integerAttribute(attributes: Map<string, string>, key: 'group' | 'binding', where: Where): number {
  const raw = attributes.get(key);
  if (raw === undefined) {
    throw reject(where, `has no @${key}(…) attribute`, `write both @group(0) and @binding(N) on the declaration.`);
  }
  const literal = INTEGER_LITERAL.exec(raw);
  if (!literal) {
    throw reject(
      where,
      `has @${key}(${raw}), which is not an integer literal`,
      `write a literal such as @${key}(0), or pass \`buffers\` to wgsl() to declare the bindings yourself.`,
    );
  }
  return Number(literal[1]);
}

function storageAccess(addressSpace: string | undefined, where: Where): 'read' | 'read-write' {
  const parts = (addressSpace ?? '').split(',').map((part) => part.trim());
  if (parts[0] !== 'storage') {
    const space = addressSpace === undefined ? 'a texture or sampler' : `var<${addressSpace}>`;
    throw reject(
      where,
      `declares ${space}; only storage buffers are supported in WGSL-source programs`,
      'use var<storage, read> for inputs and var<storage, read_write> for results.',
    );
  }
  if (parts.length === 1 || parts[1] === 'read') return 'read';
  if (parts[1] === 'read_write') return 'read-write';
  throw reject(where, `has unknown access mode "${parts[1] ?? ''}"`, 'use read or read_write.');
}

function elementType(type: string, where: Where): ElementType {
  const match = ARRAY_TYPE.exec(type.replace(/\s+/g, ' '));
  if (!match) {
    throw reject(
      where,
      `has type "${type}"; reflection understands runtime-sized array<f32|u32|i32|atomic<u32>|atomic<i32>> only`,
      'use one of those element types, or pass `buffers` to wgsl() to declare the bindings yourself.',
    );
  }
  return (match[2] ?? match[1]) as ElementType;
}

function literalWorkgroupSize(raw: string | undefined): WorkgroupSize | undefined {
  if (raw === undefined) return undefined;
  const parts = raw.split(',').map((part) => part.trim()).filter((part) => part !== '');
  const values: number[] = [];
  for (const part of parts) {
    const literal = INTEGER_LITERAL.exec(part);
    if (!literal) return undefined;
    values.push(Number(literal[1]));
  }
  if (values.length < 1 || values.length > 3) return undefined;
  return [values[0] ?? 1, values[1] ?? 1, values[2] ?? 1];
}

interface Where {
  readonly line: number;
  readonly column: number;
  readonly declaration: string;
}

function describe(code: string, offset: number, declaration: string): Where {
  return { ...lineColumnAt(code, offset), declaration: declaration.replace(/\s+/g, ' ').trim() };
}

function reject(where: Where, problem: string, fix: string): VyreError {
  return new VyreError(
    'invalid-program',
    `The WGSL declaration at line ${where.line}, column ${where.column} (${where.declaration}) ${problem}.`,
    fix,
    { line: where.line, column: where.column, declaration: where.declaration },
  );
}
