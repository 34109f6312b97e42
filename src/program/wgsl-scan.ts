/**
 * wgsl_reflect's scanner, with fast paths for the tokens that make up most of a shader:
 * words (names and keywords), number literals, and `.` before a name.
 *
 * Why: the library classifies a lexeme by growing it one character at a time and trying
 * each of its token regexes on every prefix, so a generated 50 KB shader full of distinct
 * float literals spent about half of its parse in the scanner (node, development VM).
 * The fast paths find the same token with one pass over the characters, and one regex
 * match per number rule; everything else (operators, blanks, comments, a leading `-`,
 * anything unusual) goes to the library's own `scanToken`.
 *
 * "The same token" is the contract: `wgsl-scan.test.ts` compares the token lists of both
 * scanners on every shader of the test corpus and on random token soup, type, lexeme, line
 * and offsets. The library's version is pinned exactly; an upgrade that changes its
 * scanner fails that test.
 */
import { TokenTypes, WgslScanner } from 'wgsl_reflect';
import type { TokenType } from 'wgsl_reflect';

/**
 * Characters that end a word: the scanner's operators and blanks (its `_isAlphaNumeric`
 * is false for exactly these). Every other character, non-ASCII ones included, continues one.
 */
const WORD_BREAKS = new Uint8Array(128);
for (const char of '.()[]{},;:=!<>+-*/%&|^~@#?\'`"\\\n\r\t\0 ') WORD_BREAKS[char.charCodeAt(0)] = 1;

const ZERO = 0x30;
const NINE = 0x39;
const UNDERSCORE = 0x5f;
const DOT = 0x2e;

/** The library's number rules, sticky: each tried once at a number's first digit. */
const NUMBER_RULES: readonly RegExp[] = [
  TokenTypes.tokens.decimal_float_literal,
  TokenTypes.tokens.hex_float_literal,
  TokenTypes.tokens.int_literal,
  TokenTypes.tokens.uint_literal,
].map((type) => new RegExp(type.rule instanceof RegExp ? type.rule.source : type.rule, 'y'));

/** Lexemes classified so far, per thread; bounded so odd input cannot grow it without end. */
const TOKEN_TYPE_CACHE = new Map<string, TokenType>();
const TOKEN_TYPE_CACHE_LIMIT = 4096;

const isDigit = (code: number): boolean => code >= ZERO && code <= NINE;
const breaksWord = (code: number): boolean => code < 128 && WORD_BREAKS[code] === 1;

/** The scanner `parseWgsl` uses. Its private fields are read by name: the version is pinned. */
export class FastWgslScanner extends WgslScanner {
  override scanToken(): boolean {
    const source: string = this['_source'];
    const start: number = this['_current'];
    const code = source.charCodeAt(start);
    if (isDigit(code)) return this.scanNumber(source, start) || super.scanToken();
    if (!breaksWord(code)) return this.scanWord(source, start, code);
    if (code === DOT && !isDigit(source.charCodeAt(start + 1))) return this.emit(start + 1, TokenTypes.tokens.period);
    return super.scanToken();
  }

  /**
   * The library's `_findType` tries every token regex in turn; its answer depends on the
   * lexeme alone (static tables), so a cache of past answers returns exactly what it would.
   * Operators reach it once per character they grow by.
   */
  override _findType(lexeme: string): TokenType {
    let type = TOKEN_TYPE_CACHE.get(lexeme);
    if (type === undefined) {
      type = super._findType(lexeme);
      if (TOKEN_TYPE_CACHE.size >= TOKEN_TYPE_CACHE_LIMIT) TOKEN_TYPE_CACHE.clear();
      TOKEN_TYPE_CACHE.set(lexeme, type);
    }
    return type;
  }

  /** A name or keyword: the library checks keywords only for words that do not start with `_`. */
  private scanWord(source: string, start: number, first: number): boolean {
    const end = wordEnd(source, start + 1);
    const keyword: TokenType | undefined = first === UNDERSCORE ? undefined : TokenTypes.keywords[source.slice(start, end) as keyof typeof TokenTypes.keywords];
    return this.emit(end, keyword ?? TokenTypes.tokens.ident);
  }

  /**
   * A literal from its first digit: the longest match of the number rules, provided it
   * covers the whole word the library reads first (otherwise, say `1abc`, the library's
   * own path decides, and rejects it).
   */
  private scanNumber(source: string, start: number): boolean {
    let longest = 0;
    for (const rule of NUMBER_RULES) {
      rule.lastIndex = start;
      const match = rule.exec(source);
      if (match !== null && match[0].length > longest) longest = match[0].length;
    }
    if (start + longest < wordEnd(source, start + 1)) return false;
    const type = this._findType(source.slice(start, start + longest));
    return type !== TokenTypes.none && this.emit(start + longest, type);
  }

  private emit(end: number, type: TokenType): true {
    this['_current'] = end;
    this._addToken(type);
    return true;
  }
}

/** The first index at or after `from` that ends the word (or the source's length). */
function wordEnd(source: string, from: number): number {
  let end = from;
  while (end < source.length && !breaksWord(source.charCodeAt(end))) end++;
  return end;
}
