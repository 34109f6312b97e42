/**
 * The WGSL-source program kind: bring your own kernel as WGSL text.
 *
 * `wgsl()` runs on the calling thread and returns plain data with every binding and the
 * workgroup size resolved, so the worker never has to guess. The worker validates the
 * same data again with {@link parseWgslProgram}, because it may come from an untyped caller.
 */
import { VyreError } from '../errors.ts';
import type { BufferSignature } from '../protocol/ir.ts';
import type { WgslProgram } from '../protocol/program.ts';
import type { SignatureOfCode } from './wgsl-types.ts';
import { deepFreeze } from './freeze.ts';
import { reflectBindings, reflectEntryPoints } from './reflect-wgsl.ts';
import {
  BUFFER_ACCESS_MODES,
  ELEMENT_TYPES,
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

/** WebGPU's guaranteed minimum of `maxComputeInvocationsPerWorkgroup`; devices may allow more. */
const MAX_WORKGROUP_AXIS = 1024;

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
  const entry = resolveEntryPoint(source);
  const workgroupSize = resolveWorkgroupSize(source, entry);
  const buffers = source.buffers === undefined ? reflectBindings(source.code) : source.buffers.map(parseBuffer);
  // Frozen, like program(): hashed once, recognized by identity on later compiles.
  return deepFreeze(parseWgslProgram({ kind: 'wgsl', code: source.code, entryPoint: entry.name, workgroupSize, buffers }));
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

function resolveEntryPoint(source: WgslProgramSource): ReturnType<typeof reflectEntryPoints>[number] {
  const entries = reflectEntryPoints(source.code);
  if (source.entryPoint !== undefined) {
    const named = entries.find((entry) => entry.name === source.entryPoint);
    // A name we could not see may still exist (unusual attribute layout); let the GPU compiler judge it.
    return named ?? { name: source.entryPoint, workgroupSize: undefined };
  }
  const [only, ...others] = entries;
  if (only === undefined) {
    throw invalid('The WGSL code has no @compute entry point.', 'add `@compute @workgroup_size(64) fn main(…)`.', {});
  }
  if (others.length > 0) {
    const names = entries.map((entry) => entry.name);
    throw invalid(
      `The WGSL code has ${entries.length} @compute entry points (${names.join(', ')}).`,
      'pass `entryPoint` to choose one.',
      { entryPoints: names },
    );
  }
  return only;
}

function resolveWorkgroupSize(
  source: WgslProgramSource,
  entry: ReturnType<typeof reflectEntryPoints>[number],
): WorkgroupSize {
  const explicit = source.workgroupSize === undefined ? undefined : toWorkgroupSize(source.workgroupSize);
  if (explicit && entry.workgroupSize && explicit.join() !== entry.workgroupSize.join()) {
    throw invalid(
      `workgroupSize [${explicit.join(', ')}] disagrees with @workgroup_size(${entry.workgroupSize.join(', ')}) of ${entry.name}.`,
      'drop the option or make the two agree; the grid is computed from it.',
      { declared: [...explicit], reflected: [...entry.workgroupSize] },
    );
  }
  const size = explicit ?? entry.workgroupSize;
  if (size === undefined) {
    throw invalid(
      `The workgroup size of ${entry.name} is not a literal, so it cannot be read from the code.`,
      'pass `workgroupSize` to wgsl().',
      {},
    );
  }
  return size;
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
  if (typeof entryPoint !== 'string' || !/^[A-Za-z_]\w*$/.test(entryPoint)) {
    throw invalid(`The entry point ${JSON.stringify(entryPoint)} is not a WGSL identifier.`, 'name the @compute function.', {});
  }
  const workgroupSize = parseWorkgroupSize(record['workgroupSize']);
  const rawBuffers = record['buffers'];
  if (!Array.isArray(rawBuffers)) throw invalid('The program has no buffer list.', 'declare `buffers` or let wgsl() reflect them.', {});
  const buffers = rawBuffers.map(parseBuffer);
  assertDistinct(buffers);
  return { kind: 'wgsl', code, entryPoint, workgroupSize, buffers };
}

function parseWorkgroupSize(value: unknown): WorkgroupSize {
  if (!Array.isArray(value) || value.length !== 3) {
    throw invalid('The workgroup size is not a list of three numbers.', 'pass workgroupSize as [x, y, z].', {});
  }
  const [x, y, z] = value as unknown[];
  for (const axis of [x, y, z]) {
    if (typeof axis !== 'number' || !Number.isInteger(axis) || axis < 1 || axis > MAX_WORKGROUP_AXIS) {
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
  const { name, binding, access, type } = record;
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
  return { name, binding, access, type } as BufferDeclaration;
}

function assertDistinct(buffers: readonly BufferDeclaration[]): void {
  const names = new Set<string>();
  const bindings = new Set<number>();
  for (const buffer of buffers) {
    if (names.has(buffer.name)) throw invalid(`Two buffers are named "${buffer.name}".`, 'give every buffer its own name.', { buffer: buffer.name });
    if (bindings.has(buffer.binding)) throw invalid(`Two buffers use binding ${buffer.binding}.`, 'give every buffer its own binding.', { binding: buffer.binding });
    names.add(buffer.name);
    bindings.add(buffer.binding);
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
