/**
 * A seeded mutator of WGSL text, for the malformed-WGSL fuzz of issue #13: each mutant is
 * a corpus shader with one thing broken the way a hand edit breaks it (a deleted token, a
 * swapped type, a broken attribute, a missing brace, a stray character, a cut-off file, a
 * renamed use). vyre-web must reject each one with `invalid-program` or
 * `shader-compilation` and a location, never hang, never store a record.
 *
 * Some mutants are still valid WGSL (a type swap that still type-checks, a truncation that
 * leaves whole declarations); the runner counts those as such, not as failures.
 *
 * Pure text in, text out: the same seed gives the same mutant in Node and in the page.
 * The tokenizer is rough on purpose (it needs only spans, not a grammar), and it skips
 * comments so that a mutation always lands in code.
 */
import { BLOCK_SUM_WGSL } from '../browser/wgsl-corpus/block-sum-override.ts';
import { BOIDS_WGSL } from '../browser/wgsl-corpus/boids.ts';
import { BOX_BLUR_WGSL } from '../browser/wgsl-corpus/box-blur.ts';
import { GAME_OF_LIFE_WGSL } from '../browser/wgsl-corpus/game-of-life.ts';
import { HALF_PRECISION_WGSL } from '../browser/wgsl-corpus/half-precision.ts';
import { HISTOGRAM_WGSL } from '../browser/wgsl-corpus/histogram.ts';
import { K_MEANS_WGSL } from '../browser/wgsl-corpus/k-means.ts';
import { LAYER_NORM_WGSL } from '../browser/wgsl-corpus/layer-norm.ts';
import { MLP_LAYER_WGSL } from '../browser/wgsl-corpus/mlp-layer.ts';
import { POINT_FILTER_WGSL } from '../browser/wgsl-corpus/point-filter.ts';
import { PREFIX_SUM_WGSL } from '../browser/wgsl-corpus/prefix-sum.ts';
import { QUANTIZE_WGSL } from '../browser/wgsl-corpus/quantize.ts';
import { SOFTMAX_WGSL } from '../browser/wgsl-corpus/softmax.ts';
import { VERTEX_TRANSFORM_WGSL } from '../browser/wgsl-corpus/vertex-transform.ts';
import { Random } from './random.ts';

/** Every way a mutant is made; `mutateWgsl(code, seed)` starts from kind `seed % length`. */
export const WGSL_MUTATION_KINDS = [
  'delete-token',
  'duplicate-token',
  'swap-type',
  'attribute-bad-argument',
  'attribute-unclosed',
  'attribute-empty',
  'attribute-dropped',
  'delete-delimiter',
  'insert-stray',
  'truncate',
  'rename-use',
] as const;

export type WgslMutationKind = (typeof WGSL_MUTATION_KINDS)[number];

/** One mutant: its text, how it was made and where (for a failure message). */
export interface WgslMutation {
  readonly code: string;
  readonly kind: WgslMutationKind;
  /** What changed, e.g. "deleted `;` at offset 812". */
  readonly detail: string;
}

/** A corpus shader to mutate, with what `wgsl()` needs to compile it as written. */
export interface WgslMutationSource {
  readonly name: string;
  readonly code: string;
  /** Set where the module has several entry points (wgsl() wants one named). */
  readonly entryPoint?: string;
  /** Device features the unmutated shader needs; a runner without them leaves the source out. */
  readonly requiredFeatures: readonly string[];
}

/** The corpus of test/browser/wgsl-corpus/, as text (each module exports its WGSL). */
export const WGSL_MUTATION_SOURCES: readonly WgslMutationSource[] = [
  { name: 'layer-norm', code: LAYER_NORM_WGSL, requiredFeatures: [] },
  { name: 'softmax', code: SOFTMAX_WGSL, requiredFeatures: [] },
  { name: 'mlp-layer', code: MLP_LAYER_WGSL, requiredFeatures: [] },
  { name: 'boids', code: BOIDS_WGSL, requiredFeatures: [] },
  { name: 'game-of-life', code: GAME_OF_LIFE_WGSL, requiredFeatures: [] },
  { name: 'histogram', code: HISTOGRAM_WGSL, requiredFeatures: [] },
  { name: 'prefix-sum', code: PREFIX_SUM_WGSL, requiredFeatures: [] },
  { name: 'box-blur', code: BOX_BLUR_WGSL, requiredFeatures: [] },
  { name: 'k-means', code: K_MEANS_WGSL, entryPoint: 'assign', requiredFeatures: [] },
  { name: 'quantize', code: QUANTIZE_WGSL, requiredFeatures: [] },
  { name: 'point-filter', code: POINT_FILTER_WGSL, requiredFeatures: [] },
  { name: 'block-sum-override', code: BLOCK_SUM_WGSL, requiredFeatures: [] },
  { name: 'vertex-transform', code: VERTEX_TRANSFORM_WGSL, requiredFeatures: [] },
  { name: 'half-precision', code: HALF_PRECISION_WGSL, requiredFeatures: ['shader-f16'] },
];

/** A corpus mutant: the mutation, its source and the seed that makes it again. */
export interface WgslMutant extends WgslMutation {
  readonly seed: number;
  readonly source: string;
  readonly entryPoint?: string;
}

/**
 * The mutant of `seed` over `sources`: seeds walk every kind over one source, then the next
 * source, so any run of `kinds × sources` seeds meets every pair once.
 * @param seed - a non-negative integer.
 * @param sources - the shaders to mutate (default: the whole corpus).
 */
export function wgslMutant(seed: number, sources: readonly WgslMutationSource[] = WGSL_MUTATION_SOURCES): WgslMutant {
  const source = sources[Math.floor(seed / WGSL_MUTATION_KINDS.length) % sources.length];
  if (source === undefined) throw new Error('wgslMutant needs at least one source');
  const mutation = mutateWgsl(source.code, seed);
  const base = { ...mutation, seed, source: source.name };
  return source.entryPoint === undefined ? base : { ...base, entryPoint: source.entryPoint };
}

/**
 * One mutation of `code`, chosen by `seed`: kind `seed % kinds`, or the next kind that
 * applies to this text and changes it. The result always differs from `code`.
 * @param code - WGSL text with at least one token.
 * @param seed - a non-negative integer; the same seed gives the same mutant.
 * @throws Error when `code` has no token to mutate.
 */
export function mutateWgsl(code: string, seed: number): WgslMutation {
  const tokens = tokenize(code);
  if (tokens.length === 0) throw new Error('mutateWgsl needs WGSL with at least one token');
  const text: Text = { code, tokens, attributes: findAttributes(tokens) };
  const first = seed % WGSL_MUTATION_KINDS.length;
  for (let step = 0; step < WGSL_MUTATION_KINDS.length; step++) {
    const kind = WGSL_MUTATION_KINDS[(first + step) % WGSL_MUTATION_KINDS.length];
    if (kind === undefined) continue;
    const edit = MUTATORS[kind](text, new Random(seed * 2654435761 + step));
    if (edit !== null && applyEdit(code, edit) !== code) return { code: applyEdit(code, edit), kind, detail: edit.detail };
  }
  throw new Error('no mutation changes this text');
}

// ---- tokens -------------------------------------------------------------------------

type TokenKind = 'ident' | 'number' | 'punct';

interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** An attribute: `@name`, or `@name(…)` with the indices of its parentheses in the token list. */
interface AttributeSpan {
  readonly name: string;
  /** Index of the `@` token. */
  readonly at: number;
  /** Index of the last token (the name, or the closing parenthesis). */
  readonly last: number;
  /** Indices of `(` and `)`; null without arguments. */
  readonly parens: { readonly open: number; readonly close: number } | null;
}

interface Text {
  readonly code: string;
  readonly tokens: readonly Token[];
  readonly attributes: readonly AttributeSpan[];
}

/** Replace `code[start, end)` with `insert`. */
interface Edit {
  readonly start: number;
  readonly end: number;
  readonly insert: string;
  readonly detail: string;
}

const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;
const NUMBER = /0[xX][0-9a-fA-F]+[iu]?|(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?[fhiu]?/y;
/** Longest first; `>>` and `<<` are left out so that `array<vec2<f32>>` closes token by token. */
const PUNCTUATION = ['>>=', '<<=', '->', '&&', '||', '==', '!=', '<=', '>=', '++', '--', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^='];

/** Identifiers, numbers and punctuation with their offsets; whitespace and comments (nested) skipped. */
function tokenize(code: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < code.length) {
    const skipped = skipBlankAndComments(code, i);
    if (skipped !== i) {
      i = skipped;
      continue;
    }
    const token = readToken(code, i);
    tokens.push(token);
    i = token.end;
  }
  return tokens;
}

function skipBlankAndComments(code: string, from: number): number {
  let i = from;
  if (/\s/.test(code[i] ?? '')) return i + 1;
  if (code.startsWith('//', i)) {
    while (i < code.length && code[i] !== '\n') i++;
    return i;
  }
  if (code.startsWith('/*', i)) {
    let depth = 0;
    do {
      if (code.startsWith('/*', i)) [depth, i] = [depth + 1, i + 2];
      else if (code.startsWith('*/', i)) [depth, i] = [depth - 1, i + 2];
      else i++;
    } while (depth > 0 && i < code.length);
    return i;
  }
  return i;
}

function readToken(code: string, at: number): Token {
  for (const [kind, pattern] of [['number', NUMBER], ['ident', IDENT]] as const) {
    pattern.lastIndex = at;
    const match = pattern.exec(code);
    // A number never starts with a letter: `vec3f` is an identifier, not `3f`.
    if (match !== null && match[0] !== '') return { kind, text: match[0], start: at, end: at + match[0].length };
  }
  const op = PUNCTUATION.find((candidate) => code.startsWith(candidate, at)) ?? (code[at] ?? '');
  return { kind: 'punct', text: op, start: at, end: at + op.length };
}

function findAttributes(tokens: readonly Token[]): AttributeSpan[] {
  const found: AttributeSpan[] = [];
  tokens.forEach((token, at) => {
    const name = tokens[at + 1];
    if (token.text !== '@' || name?.kind !== 'ident') return;
    const close = tokens[at + 2]?.text === '(' ? matchingParen(tokens, at + 2) : null;
    found.push({ name: name.text, at, last: close ?? at + 1, parens: close === null ? null : { open: at + 2, close } });
  });
  return found;
}

function matchingParen(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const text = tokens[i]?.text;
    if (text === '(') depth++;
    if (text === ')' && --depth === 0) return i;
  }
  return tokens.length - 1;
}

function applyEdit(code: string, edit: Edit): string {
  return code.slice(0, edit.start) + edit.insert + code.slice(edit.end);
}

function tokenAt(text: Text, index: number): Token {
  const token = text.tokens[index];
  if (token === undefined) throw new Error(`no token ${index}`);
  return token;
}

function describe(token: Token): string {
  return `\`${token.text}\` at offset ${token.start}`;
}

// ---- mutations ----------------------------------------------------------------------

/** Each mutation returns its edit, or null when the text offers nothing it applies to. */
const MUTATORS: Readonly<Record<WgslMutationKind, (text: Text, random: Random) => Edit | null>> = {
  'delete-token': (text, random) => {
    const token = tokenAt(text, random.below(text.tokens.length));
    return { start: token.start, end: token.end, insert: '', detail: `deleted ${describe(token)}` };
  },
  'duplicate-token': (text, random) => {
    const token = tokenAt(text, random.below(text.tokens.length));
    return { start: token.end, end: token.end, insert: ` ${token.text}`, detail: `duplicated ${describe(token)}` };
  },
  'swap-type': swapType,
  'attribute-bad-argument': (text, random) => {
    const attribute = pickAttribute(text, random, (span) => span.parens !== null && span.parens.close > span.parens.open + 1);
    if (attribute?.parens == null) return null;
    const first = tokenAt(text, attribute.parens.open + 1);
    const last = tokenAt(text, attribute.parens.close - 1);
    const insert = random.pick(['x', '-1', '0.5', 'true', '1e9']);
    return { start: first.start, end: last.end, insert, detail: `@${attribute.name}(${insert}) at offset ${first.start}` };
  },
  'attribute-unclosed': (text, random) => {
    const attribute = pickAttribute(text, random, (span) => span.parens !== null);
    if (attribute?.parens == null) return null;
    const close = tokenAt(text, attribute.parens.close);
    return { start: close.start, end: close.end, insert: '', detail: `unclosed @${attribute.name}( at offset ${close.start}` };
  },
  'attribute-empty': (text, random) => {
    const attribute = pickAttribute(text, random, (span) => span.parens !== null && span.parens.close > span.parens.open + 1);
    if (attribute?.parens == null) return null;
    const open = tokenAt(text, attribute.parens.open);
    const close = tokenAt(text, attribute.parens.close);
    return { start: open.end, end: close.start, insert: '', detail: `emptied @${attribute.name}() at offset ${open.start}` };
  },
  'attribute-dropped': (text, random) => {
    const attribute = pickAttribute(text, random, () => true);
    if (attribute === null) return null;
    const at = tokenAt(text, attribute.at);
    return { start: at.start, end: tokenAt(text, attribute.last).end, insert: '', detail: `dropped @${attribute.name} at offset ${at.start}` };
  },
  'delete-delimiter': (text, random) => {
    const delimiters = text.tokens.filter((token) => token.text === ';' || token.text === '{' || token.text === '}');
    if (delimiters.length === 0) return null;
    const token = random.pick(delimiters);
    return { start: token.start, end: token.end, insert: '', detail: `deleted ${describe(token)}` };
  },
  'insert-stray': (text, random) => {
    const token = tokenAt(text, random.below(text.tokens.length));
    const stray = random.pick(['#', '$', '`']);
    return { start: token.start, end: token.start, insert: stray, detail: `inserted ${stray} before ${describe(token)}` };
  },
  'truncate': (text, random) => {
    const first = tokenAt(text, 0);
    const last = tokenAt(text, text.tokens.length - 1);
    // Somewhere inside the code, so at least the end of the last token goes.
    const cut = random.between(first.start, last.end - 1);
    return { start: cut, end: text.code.length, insert: '', detail: `truncated at offset ${cut} of ${text.code.length}` };
  },
  'rename-use': renameUse,
};

function pickAttribute(text: Text, random: Random, fits: (span: AttributeSpan) => boolean): AttributeSpan | null {
  const candidates = text.attributes.filter(fits);
  return candidates.length === 0 ? null : random.pick(candidates);
}

/** Type names a swap moves between: scalars, vectors in both spellings, matrices. */
const TYPE_NAMES = ['f32', 'u32', 'i32', 'f16', 'bool', 'vec2f', 'vec3f', 'vec4f', 'vec2u', 'vec3u', 'vec4u', 'vec2i', 'vec4i', 'vec2', 'vec3', 'vec4', 'mat4x4f', 'mat3x3f', 'mat2x2f', 'mat4x4', 'atomic', 'array'];

function swapType(text: Text, random: Random): Edit | null {
  const candidates = text.tokens.filter((token) => token.kind === 'ident' && TYPE_NAMES.includes(token.text));
  if (candidates.length === 0) return null;
  const token = random.pick(candidates);
  const insert = random.pick(TYPE_NAMES.filter((name) => name !== token.text));
  return { start: token.start, end: token.end, insert, detail: `swapped ${describe(token)} for ${insert}` };
}

/** Words that introduce a declared name right after them. */
const DECLARING_KEYWORDS = new Set(['fn', 'let', 'var', 'const', 'override', 'struct', 'alias']);

/**
 * Renames one use of a name the module declares (a function, variable, constant, struct,
 * member or parameter), leaving its declaration alone: the use then names nothing.
 */
function renameUse(text: Text, random: Random): Edit | null {
  const { tokens } = text;
  const isDeclaration = (index: number): boolean => {
    const before = tokens[index - 1];
    const after = tokens[index + 1];
    if (before?.text === '@') return false;
    if (before !== undefined && DECLARING_KEYWORDS.has(before.text)) return true;
    // `var<storage, read> name`: the name follows the address space's closing `>`.
    if (before?.text === '>' && tokens.slice(Math.max(0, index - 6), index).some((token) => token.text === 'var')) return true;
    // A member, parameter or typed declaration: `name: type` (not a `case x:`; WGSL has no labels).
    return after?.text === ':';
  };
  const declared = new Set(tokens.filter((token, index) => token.kind === 'ident' && isDeclaration(index)).map((token) => token.text));
  const uses = tokens.flatMap((token, index) => (token.kind === 'ident' && declared.has(token.text) && !isDeclaration(index) && tokens[index - 1]?.text !== '@' ? [token] : []));
  if (uses.length === 0) return null;
  const token = random.pick(uses);
  const insert = `${token.text}_renamed`;
  return { start: token.start, end: token.end, insert, detail: `renamed the use ${describe(token)} to ${insert}` };
}
