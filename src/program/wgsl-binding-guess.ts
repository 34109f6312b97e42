/**
 * A guess at what a WGSL module binds, read from its text with a few regexes instead of a
 * parse: its one `@compute` entry point, and each `var<uniform>` / `var<storage, …>` with
 * its group and binding. Reflection of a large module takes tens of milliseconds
 * (reflect-module.ts); this takes a fraction of one, so the pipeline's GPU build can start
 * from the guess while the module is reflected (pipeline/guessed-build.ts).
 *
 * A guess is only a guess: the build it starts serves a compile only when reflection then
 * gives the same entry point and bindings. So the rules here aim at being right for the
 * common module and at saying "no guess" (`undefined`) whenever anything is unusual: two
 * compute entry points, a binding number that is not a literal, a texture or sampler
 * (anything with a `@group` that is not a buffer), attributes in a form the pattern does
 * not read.
 */
import { blankComments } from './wgsl-text.ts';

/** One buffer binding as the guess reads it. */
export interface GuessedBinding {
  readonly name: string;
  readonly group: number;
  readonly binding: number;
  readonly space: 'uniform' | 'storage';
  /** `read_write` storage is `read-write`; a uniform or `read` storage buffer is `read`. */
  readonly access: 'read' | 'read-write';
}

export interface BindingGuess {
  readonly entryPoint: string;
  /** Sorted by group, then binding, as reflection lists them. */
  readonly buffers: readonly GuessedBinding[];
}

const NAME = '[A-Za-z_][A-Za-z0-9_]*';
const NUMBER_ATTRIBUTE = String.raw`@\s*(group|binding)\s*\(\s*(\d+)[iu]?\s*\)\s*`;
/** `@group(g) @binding(b) var<space[, access]> name:`, the two attributes in either order. */
const BUFFER_DECLARATION = new RegExp(`${NUMBER_ATTRIBUTE}${NUMBER_ATTRIBUTE}var\\s*<\\s*(uniform|storage)\\s*(?:,\\s*(read|read_write)\\s*)?>\\s*(${NAME})\\s*:`, 'g');
const GROUP_ATTRIBUTE = /@\s*group\s*\(/g;
const COMPUTE_ATTRIBUTE = /@\s*compute\b/g;
/** The function a `@compute` attribute marks: other attributes in between hold no `{` or `;`. */
const COMPUTE_FUNCTION = new RegExp(`@\\s*compute\\b[^{;]*?\\bfn\\s+(${NAME})`);

/**
 * Guesses the entry point and buffer bindings of `code`.
 * @param requestedEntryPoint - the entry point the program names, or `null` for the module's only one.
 * @returns the guess, or `undefined` when the module is not one the guess reads with confidence.
 */
export function guessBindings(code: string, requestedEntryPoint: string | null): BindingGuess | undefined {
  const text = blankComments(code);
  if (count(text, COMPUTE_ATTRIBUTE) !== 1) return undefined;
  const entryPoint = COMPUTE_FUNCTION.exec(text)?.[1];
  if (entryPoint === undefined || (requestedEntryPoint !== null && requestedEntryPoint !== entryPoint)) return undefined;
  const buffers: GuessedBinding[] = [];
  let declarations = 0;
  for (const match of text.matchAll(BUFFER_DECLARATION)) {
    const binding = bindingOf(match);
    if (binding === undefined) return undefined;
    declarations++;
    // Reflection binds only what the entry point uses; a name that appears nowhere but in its
    // declaration is not used. (A local of the same name fools this: the guess is then wrong.)
    if (mentions(text, binding.name) > 1) buffers.push(binding);
  }
  // Every `@group` must belong to a buffer read above (else: a texture, a sampler, an odd form).
  if (declarations !== count(text, GROUP_ATTRIBUTE)) return undefined;
  buffers.sort((a, b) => a.group - b.group || a.binding - b.binding);
  return { entryPoint, buffers };
}

function bindingOf(match: RegExpMatchArray): GuessedBinding | undefined {
  const [, firstName, firstValue, secondName, secondValue, space, access, name] = match;
  if (firstName === secondName || name === undefined) return undefined;
  const group = Number(firstName === 'group' ? firstValue : secondValue);
  const binding = Number(firstName === 'binding' ? firstValue : secondValue);
  if (space === 'uniform') return access === undefined ? { name, group, binding, space, access: 'read' } : undefined;
  return { name, group, binding, space: 'storage', access: access === 'read_write' ? 'read-write' : 'read' };
}

/** How often `name` appears in `text` as a whole word. */
function mentions(text: string, name: string): number {
  return count(text, new RegExp(`(?<![A-Za-z0-9_])${name}(?![A-Za-z0-9_])`, 'g'));
}

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}
