/**
 * The WGSL-source program kind: bring your own kernel as WGSL text.
 *
 * `wgsl()` runs on the calling thread and stays light: it checks its options and returns
 * plain data. The worker parses and reflects the module (a real WGSL parser,
 * `reflect-module.ts`) when it builds the pipeline, so the parser never loads on the main
 * thread; what the entry point binds comes back with the compile (`pipeline.buffers`).
 * The worker also checks the data again with {@link parseWgslProgram}, since it may come
 * from an untyped caller.
 */
import { VyreError } from '../errors.ts';
import type { BufferSignature } from '../protocol/ir.ts';
import type { WgslProgram } from '../protocol/program.ts';
import type { SignatureOfCode } from './wgsl-types.ts';
import { deepFreeze } from './freeze.ts';

import {
  BUFFER_ACCESS_MODES,
  ELEMENT_TYPES,
  MAX_WORKGROUP_AXIS,
  isWorkgroupAxis,
  type BufferDeclaration,
  type WorkgroupSize,
} from '../protocol/elements.ts';

/** What `wgsl()` accepts. */
export interface WgslProgramSource {
  /** WGSL module text with one or more `@compute` entry points. */
  readonly code: string;
  /** Entry point; defaults to the only `@compute` function of the module. */
  readonly entryPoint?: string;
  /** Workgroup size; defaults to the entry point's literal `@workgroup_size(…)`. */
  readonly workgroupSize?: number | readonly number[];
  /** Buffers; defaults to those reflected from the module's `@group(0) @binding(N)` declarations. */
  readonly buffers?: readonly BufferDeclaration[];
}

/**
 * Declared buffers as a {@link BufferSignature}: a literal list (what `wgsl({ buffers: [...] })`
 * infers) is known; a list not known when compiling gives the loose signature.
 */
export type SignatureOfDeclarations<B extends readonly BufferDeclaration[]> = number extends B['length']
  ? BufferSignature
  : { [D in B[number] as D['name']]: { readonly type: D['type']; readonly access: D['access'] } };


/**
 * Declares a kernel from WGSL text.
 *
 * The outputs are typed per buffer (`Float32Array` for an `f32` buffer) from declared
 * `buffers`, or from the code itself when it is a literal the type checker can read
 * (see `wgsl-types.ts`); otherwise by name only, unless a type parameter says what the
 * module holds: `wgsl<{ y: { type: 'f32'; access: 'read-write' } }>({ code })`.
 *
 * @param source - the WGSL code and, optionally, what reflection cannot see.
 * @returns plain data, safe to pass to `runtime.compile` and to structured clone.
 * @throws VyreError `invalid-program` when a declaration cannot be reflected or disagrees
 *   with the explicit options; the message names the line and says what to write instead.
 * @example
 * ```ts
 * const double = wgsl({ code: `
 *   @group(0) @binding(0) var<storage, read> x: array<f32>;
 *   @group(0) @binding(1) var<storage, read_write> y: array<f32>;
 *   @compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3u) {
 *     if (id.x < arrayLength(&x)) { y[id.x] = 2.0 * x[id.x]; }
 *   }` });
 * ```
 */
export function wgsl<const B extends readonly BufferDeclaration[]>(source: WgslProgramSource & { readonly buffers: B }): WgslProgram<SignatureOfDeclarations<B>>;
export function wgsl<const C extends string>(source: WgslProgramSource & { readonly code: C }): WgslProgram<SignatureOfCode<C>>;
export function wgsl<S extends BufferSignature>(source: WgslProgramSource): WgslProgram<S>;
export function wgsl(source: WgslProgramSource): WgslProgram {
  if (typeof source !== 'object' || source === null || typeof source.code !== 'string') {
    throw invalid('wgsl() needs an object with a `code` string.', 'call wgsl({ code: "…WGSL…" }).', {});
  }
  checkOptionTypes(source);
  const workgroupSize = source.workgroupSize === undefined ? null : toWorkgroupSize(source.workgroupSize);
  const reflected = source.buffers === undefined;
  const buffers = reflected ? [] : source.buffers.map(parseBuffer);
  // Frozen, like program(): hashed once, recognized by identity on later compiles.
  return deepFreeze(parseWgslProgram({ kind: 'wgsl', code: source.code, entryPoint: source.entryPoint ?? null, workgroupSize, buffers, reflected }));
}

/** Untyped callers get `invalid-program`, never a TypeError from deep inside. */
function checkOptionTypes(source: WgslProgramSource): void {
  const { entryPoint, workgroupSize, buffers } = source as { entryPoint?: unknown; workgroupSize?: unknown; buffers?: unknown };
  if (entryPoint !== undefined && typeof entryPoint !== 'string') {
    throw invalid(`entryPoint is ${JSON.stringify(entryPoint)}, not a function name.`, 'pass the name of a @compute function, or leave it out.', {});
  }
  if (workgroupSize !== undefined && typeof workgroupSize !== 'number' && !Array.isArray(workgroupSize)) {
    throw invalid(`workgroupSize is ${JSON.stringify(workgroupSize)}.`, 'pass a number or [x, y, z], or leave it out.', {});
  }
  if (buffers !== undefined && !Array.isArray(buffers)) {
    throw invalid('buffers is not a list.', 'pass an array of { name, binding, access, type }, or leave it out to reflect them.', {});
  }
}

function toWorkgroupSize(value: number | readonly number[]): WorkgroupSize {
  const parts = typeof value === 'number' ? [value] : [...value];
  if (parts.length < 1 || parts.length > 3) {
    throw invalid(`workgroupSize has ${parts.length} dimensions.`, 'give 1 to 3 positive integers.', {});
  }
  return [parts[0] ?? 1, parts[1] ?? 1, parts[2] ?? 1];
}

/**
 * Checks that untyped data is a well-formed {@link WgslProgram}; returns a fresh copy.
 * @throws VyreError `invalid-program`
 */
export function parseWgslProgram(value: unknown): WgslProgram {
  const record = asRecord(value, 'The program');
  if (record['kind'] !== 'wgsl') throw invalid('The program is not a WGSL-source program.', 'build it with wgsl({ code }).', {});
  const code = record['code'];
  const entryPoint = record['entryPoint'];
  if (typeof code !== 'string' || code.trim() === '') throw invalid('The program has no WGSL code.', 'pass the kernel text as `code`.', {});
  if (entryPoint !== null && (typeof entryPoint !== 'string' || !/^[A-Za-z_]\w*$/.test(entryPoint))) {
    throw invalid(`The entry point ${JSON.stringify(entryPoint)} is not a WGSL identifier.`, 'name the @compute function, or leave it out when there is only one.', {});
  }
  const workgroupSize = record['workgroupSize'] === null ? null : parseWorkgroupSize(record['workgroupSize']);
  const rawBuffers = record['buffers'];
  if (!Array.isArray(rawBuffers)) throw invalid('The program has no buffer list.', 'declare `buffers` or let wgsl() reflect them.', {});
  const buffers = rawBuffers.map(parseBuffer);
  assertDistinct(buffers);
  const reflected = record['reflected'];
  if (typeof reflected !== 'boolean') throw invalid('The program does not say whether its buffers were reflected.', 'pass the value returned by wgsl().', {});
  if (!reflected && buffers.some((buffer) => (buffer.group ?? 0) !== 0)) {
    throw invalid('Declared buffers bind in group 0 only.', 'leave `buffers` out to reflect every group from the code.', {});
  }
  if (reflected && buffers.length > 0) throw invalid('A program with reflected buffers lists none itself.', 'pass the value returned by wgsl().', {});
  return { kind: 'wgsl', code, entryPoint, workgroupSize, buffers, reflected };
}

function parseWorkgroupSize(value: unknown): WorkgroupSize {
  if (!Array.isArray(value) || value.length !== 3) {
    throw invalid('The workgroup size is not a list of three numbers.', 'pass workgroupSize as [x, y, z].', {});
  }
  const [x, y, z] = value as unknown[];
  for (const axis of [x, y, z]) {
    if (!isWorkgroupAxis(axis)) {
      throw invalid(
        `The workgroup size [${value.join(', ')}] has an axis outside 1…${MAX_WORKGROUP_AXIS}.`,
        'use positive integers within the device limits (64 or 256 in x is a good default).',
        { workgroupSize: value.map(String) },
      );
    }
  }
  return [x as number, y as number, z as number];
}

function parseBuffer(value: unknown, index: number): BufferDeclaration {
  const record = asRecord(value, `Buffer ${index}`);
  const { name, binding, access, type, group } = record;
  if (typeof name !== 'string' || !/^[A-Za-z_]\w*$/.test(name)) {
    throw invalid(`Buffer ${index} has the name ${JSON.stringify(name)}, which is not an identifier.`, 'name buffers like WGSL variables.', { index });
  }
  if (typeof binding !== 'number' || !Number.isInteger(binding) || binding < 0 || binding >= 1000) {
    throw invalid(`Buffer "${name}" has binding ${String(binding)}.`, 'use an integer binding number in 0…999 (WebGPU maxBindingsPerBindGroup is 1000).', { buffer: name });
  }
  if (!(BUFFER_ACCESS_MODES as readonly unknown[]).includes(access)) {
    throw invalid(`Buffer "${name}" has access ${JSON.stringify(access)}.`, `use one of ${BUFFER_ACCESS_MODES.join(', ')}.`, { buffer: name });
  }
  if (!(ELEMENT_TYPES as readonly unknown[]).includes(type)) {
    throw invalid(`Buffer "${name}" has element type ${JSON.stringify(type)}.`, `use one of ${ELEMENT_TYPES.join(', ')}.`, { buffer: name });
  }
  if (group !== undefined && (typeof group !== 'number' || !Number.isInteger(group) || group < 0 || group > 3)) {
    throw invalid(`Buffer "${name}" has group ${String(group)}.`, 'use a group number in 0…3 (WebGPU maxBindGroups is 4).', { buffer: name });
  }
  const declaration = { name, binding, access, type } as BufferDeclaration;
  return group === undefined || group === 0 ? declaration : { ...declaration, group };
}

function assertDistinct(buffers: readonly BufferDeclaration[]): void {
  const names = new Set<string>();
  const bindings = new Set<string>();
  for (const buffer of buffers) {
    const slot = `${buffer.group ?? 0}:${buffer.binding}`;
    if (names.has(buffer.name)) throw invalid(`Two buffers are named "${buffer.name}".`, 'give every buffer its own name.', { buffer: buffer.name });
    if (bindings.has(slot)) throw invalid(`Two buffers use binding ${buffer.binding} of group ${buffer.group ?? 0}.`, 'give every buffer its own binding.', { binding: buffer.binding });
    names.add(buffer.name);
    bindings.add(slot);
  }
}

function asRecord(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(`${what} is not an object.`, 'pass the value returned by wgsl().', {});
  }
  return value as Record<string, unknown>;
}

function invalid(problem: string, fix: string, details: Record<string, string | number | readonly string[] | readonly number[]>): VyreError {
  return new VyreError('invalid-program', problem, fix, details);
}
