/**
 * Parses WGSL with wgsl_reflect's parser, widened in three places where version 1.6.0 falls
 * short of what reflection needs:
 *
 * - Attribute arguments. The library reads each argument as one token, so the valid
 *   `@workgroup_size(N * 2)` and a trailing comma `@workgroup_size(64,)` fail to parse, and
 *   `@workgroup_size(8u)` silently reads as 1. Here an argument is a full expression, kept
 *   next to its text (see {@link ParsedWgsl.attributeArgs}) for the constant evaluator.
 * - Array counts that name a `const` declared further down. The library evaluates them after
 *   parsing, but stores a data object instead of a number, and gives up (count 1) on any
 *   expression. They are collected here and evaluated by the caller once every `const` is known.
 * - Error locations. The library reports "…. Line: N" only; here the token it stopped at
 *   gives the exact offset, so a syntax error says line and column.
 *
 * It also says where a declaration sits ({@link declarationSite}) and words the
 * `invalid-program` errors about one ({@link invalidDeclaration}).
 *
 * Everything else is the library's own parser. The overridden methods are part of its
 * declared (public, underscore-named) API; the version is pinned exactly and the unit tests
 * pin each behaviour, so an upgrade that changes them fails loudly.
 */
import { ArrayType, Attribute, Expression, TokenTypes, WgslParser } from 'wgsl_reflect';
import type { Node, Token, Type } from 'wgsl_reflect';
import { VyreError } from '../errors.ts';
import { lineColumnAt, blankComments } from './wgsl-text.ts';
import { FastWgslScanner } from './wgsl-scan.ts';

/** One argument of an attribute: its source text, and its expression when it is more than one token. */
export interface AttributeArg {
  readonly text: string;
  /** `null` when the argument is a single literal or identifier (read from `text`). */
  readonly expression: Expression | null;
}

/** An array type whose count expression the parser could not evaluate on its own. */
export interface DeferredArrayCount {
  readonly arrayType: ArrayType;
  readonly count: Expression;
}

/** A parsed module: the library's AST plus what the widened parser recorded. */
export interface ParsedWgsl {
  readonly ast: Node[];
  /** The arguments of an attribute in the AST, in order; `[]` for one without parentheses. */
  readonly attributeArgs: (attribute: Attribute) => readonly AttributeArg[];
  readonly deferredArrayCounts: readonly DeferredArrayCount[];
}

/** WGSL's line breaks other than '\n', each one UTF-16 code unit. */
const OTHER_LINE_BREAKS = /[\r\u000b\u000c\u0085\u2028\u2029]/g;

/**
 * Parses `code`.
 * @param code - WGSL source.
 * @returns the AST and the attribute arguments and array counts recorded on the way.
 * @throws VyreError `invalid-program` when the source does not parse, with `line` and
 *   `column` (1-based) in the details and the message.
 */
export function parseWgsl(code: string): ParsedWgsl {
  // The library's scanner knows only '\n' as a line break (it ends `//` comments there and
  // does not skip the others as blanks); WGSL also breaks lines at \r, \v, \f, U+0085,
  // U+2028 and U+2029. It scans the code with comments blanked and every break as '\n':
  // the same length, so offsets, lines and columns still point into the caller's code.
  const scanner = new FastWgslScanner(blankComments(code).replace(OTHER_LINE_BREAKS, '\n'));
  let tokens: Token[];
  try {
    tokens = scanner.scanTokens();
  } catch (error) {
    // The scanner throws a bare string naming the line; the lexeme it could not read starts
    // at its `_start` (a private field, read by name: the one place its position is kept).
    throw syntaxError(code, scanner['_start'], 'this character does not start any WGSL token', error);
  }
  const parser = new ReflectionParser();
  try {
    const ast = parser.parse(tokens);
    // wgsl_reflect stops without a word at a module-scope token that starts no declaration.
    if (!parser._isAtEnd()) throw parser._error(parser._peek(), 'Expected a declaration (struct, var, const, override, fn, alias, enable…)');
    return {
      ast,
      attributeArgs: (attribute) => parser.attributeArgs.get(attribute) ?? [],
      deferredArrayCounts: parser.deferredArrayCounts,
    };
  } catch (error) {
    if (error instanceof WgslSyntaxError) throw syntaxError(code, error.offset, error.reason, error);
    // Anything else the parser threw (its constant folding, say) is located at the token it stopped on.
    const reason = error instanceof Error ? error.message : String(error);
    throw syntaxError(code, parser._tokens[parser._current]?.start ?? code.length, reason, error);
  }
}

/** A parse error at a token, raised through the parser's own `_error` hook. */
class WgslSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly offset: number,
  ) {
    super(reason);
  }
}

/** wgsl_reflect's parser with expression attribute arguments, recorded array counts and located errors. */
class ReflectionParser extends WgslParser {
  readonly attributeArgs = new WeakMap<Attribute, AttributeArg[]>();
  readonly deferredArrayCounts: DeferredArrayCount[] = [];

  constructor() {
    super();
    // The parser keeps a reflection of its own for constant evaluation, updated after each
    // declaration, and it searches every function body for the resources it uses. Constant
    // expressions never need that (reflect-module.ts works resource use out itself), and it
    // was a fifth of the parse of a large shader.
    this._exec.reflection._findResources = () => [];
  }

  /** `@name` or `@name(arg, …[,])`, each argument a WGSL expression. */
  override _attribute(): Attribute[] | null {
    const attributes: Attribute[] = [];
    while (this._match(TokenTypes.tokens.attr)) {
      const name = this._consume(TokenTypes.attribute_name, 'Expected attribute name').toString();
      const attribute = this._updateNode(new Attribute(name, null));
      const args = this._match(TokenTypes.tokens.paren_left) ? this.attributeArguments() : [];
      // The library reads `value` (group, binding, builtin names…): keep its shape, text per argument.
      const [first] = args;
      if (first !== undefined) attribute.value = args.length === 1 ? first.text : args.map((arg) => arg.text);
      this.attributeArgs.set(attribute, args);
      attributes.push(attribute);
    }
    // The library returns from a module whose last tokens are attributes as if they were not there.
    if (attributes.length > 0 && this._isAtEnd()) throw this._error(this._previous(), 'Expected a declaration after the attribute');
    return attributes.length === 0 ? null : attributes;
  }

  private attributeArguments(): AttributeArg[] {
    const args: AttributeArg[] = [];
    while (!this._check(TokenTypes.tokens.paren_right)) {
      args.push(this.attributeArgument());
      if (!this._match(TokenTypes.tokens.comma)) break;
    }
    this._consume(TokenTypes.tokens.paren_right, "Expected ')' after the attribute's arguments");
    return args;
  }

  private attributeArgument(): AttributeArg {
    const next = this._tokens[this._current + 1];
    const single =
      this._check(TokenTypes.literal_or_ident) &&
      (next?.type === TokenTypes.tokens.comma || next?.type === TokenTypes.tokens.paren_right);
    // A lone literal or name is read exactly as the library reads it (builtin names included).
    if (single) return { text: this._advance().toString(), expression: null };
    const first = this._current;
    const expression = this._short_circuit_or_expression();
    const text = this._tokens.slice(first, this._current).map((token) => token.lexeme).join(' ');
    return { text, expression };
  }

  override _type_decl(): Type | null {
    const before = this._deferArrayCountEval.length;
    const type = super._type_decl();
    for (const entry of this._deferArrayCountEval.slice(before)) this.recordDeferredCount(entry);
    return type;
  }

  private recordDeferredCount(entry: object): void {
    const arrayType: unknown = Reflect.get(entry, 'arrayType');
    const count: unknown = Reflect.get(entry, 'countNode');
    if (!(arrayType instanceof ArrayType) || !(count instanceof Expression)) return;
    if (this.deferredArrayCounts.some((known) => known.arrayType === arrayType)) return;
    this.deferredArrayCounts.push({ arrayType, count });
  }

  override _error(token: Token | undefined, message: string | null): Error {
    return new WgslSyntaxError((message ?? 'Syntax error').replace(/\.+$/, ''), token?.start ?? this._tokens.at(-1)?.start ?? 0);
  }
}

function syntaxError(code: string, offset: number, reason: string, cause: unknown): VyreError {
  const { line, column } = lineColumnAt(code, offset);
  return new VyreError(
    'invalid-program',
    `The WGSL does not parse: line ${line}, column ${column}: ${reason}.`,
    'correct the WGSL at that position; the parser stops at the first error, so later ones show up after this one is fixed.',
    { line, column, reason },
    { cause },
  );
}

/** Where a declaration sits, for messages and error details. */
export interface DeclarationSite {
  /** The declared name. */
  readonly declaration: string;
  readonly line: number;
  readonly column: number;
}

/**
 * Where `node` starts in `code`.
 * @param code - the source the node was parsed from.
 * @param node - a declaration (the parser records spans of module-scope declarations).
 * @param declaration - its name.
 * @returns its 1-based line and column; column 1 of the parser's line when it has no span.
 */
export function declarationSite(code: string, node: Node, declaration: string): DeclarationSite {
  // Line and column are worked out only when an error reads them: counting lines from the
  // start of the code for every declaration made reflection quadratic in the module's size.
  let position: { line: number; column: number } | undefined;
  const locate = (): { line: number; column: number } => (position ??= node.start >= 0 ? lineColumnAt(code, node.start) : { line: node.line, column: 1 });
  return {
    declaration,
    get line() {
      return locate().line;
    },
    get column() {
      return locate().column;
    },
  };
}

/**
 * An `invalid-program` error about one declaration.
 * @param where - the declaration.
 * @param problem - what is wrong with it, as a predicate ("has no @group attribute").
 * @param fix - what to write instead.
 * @returns the error, with `declaration`, `line` and `column` in its details.
 */
export function invalidDeclaration(where: DeclarationSite, problem: string, fix: string): VyreError {
  return new VyreError(
    'invalid-program',
    `${where.declaration} at line ${where.line}, column ${where.column} ${problem}.`,
    fix,
    { declaration: where.declaration, line: where.line, column: where.column },
  );
}
