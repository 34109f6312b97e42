/**
 * The fast WGSL scanner (src/program/wgsl-scan.ts) against wgsl_reflect's own: the same
 * tokens (type, lexeme, line, start, end), or the same refusal, on real shaders, on the
 * malformed-WGSL mutants and on random token soup. The library's scanner is the reference,
 * so nothing here is copied from the fast scanner's output.
 */
import { describe, expect, it } from 'vitest';
import { WgslScanner } from 'wgsl_reflect';
import { heavyShaders } from '../../bench/browser/heavy-shaders.ts';
import { FastWgslScanner } from '../../src/program/wgsl-scan.ts';
import { WGSL_MUTATION_SOURCES, wgslMutant } from '../fuzz/mutate-wgsl.ts';
import { Random } from '../fuzz/random.ts';

type Scan = { readonly tokens: readonly string[] } | { readonly refused: true };

function scanWith(scanner: WgslScanner): Scan {
  try {
    return { tokens: scanner.scanTokens().map((token) => `${token.type.name}|${token.lexeme}|${token.line}|${token.start}|${token.end}`) };
  } catch {
    return { refused: true };
  }
}

function expectSameTokens(code: string): void {
  expect(scanWith(new FastWgslScanner(code))).toEqual(scanWith(new WgslScanner(code)));
}

/** Pieces real shaders are made of, and the ones the library's scanner treats specially. */
const PIECES = [
  'x', 'value', '_', '_tmp', '__x', '__proto__', 'f32', 'vec4', 'array', 'let', 'fn', 'var', 'constructor', 'toString',
  'é', 'ñame', '0', '1', '7', '10', '123', '0u', '3u', '0i', '5i', '1f', '2h', '1.', '.5', '1.5', '0.707106769',
  '1e5', '1e', '1e+', '1e-3', '1.5e+10f', '2.E-2h', '0x', '0x1F', '0xffu', '0x1p3', '0x1.8p-2', '0x.8', '0x1.', '1abc',
  '-', '--', '-=', '->', '-1', '-1.5', '+', '++', '*', '/', '%', '=', '==', '!=', '!', '<', '<=', '<<', '<<=', '>',
  '>=', '>>', '>>=', '&', '&&', '|', '||', '^', '~', '.', '(', ')', '[', ']', '{', '}', ',', ';', ':', '@', '#', '?',
  ' ', '  ', '\t', '\n', '\r', '\0', '// note\n', '/* block */', '/* /* nested */ */',
];

function tokenSoup(seed: number): string {
  const random = new Random(seed);
  let code = '';
  const length = random.between(1, 40);
  for (let i = 0; i < length; i++) code += PIECES[random.below(PIECES.length)] ?? '';
  return code;
}

describe('the fast WGSL scanner reads what wgsl_reflect reads', () => {
  it('on every shader of the WGSL corpus', () => {
    expect(WGSL_MUTATION_SOURCES.length).toBeGreaterThan(10);
    for (const { code } of WGSL_MUTATION_SOURCES) expectSameTokens(code);
  });

  it('on the generated compile-heavy shaders (≈16–52 KB, mostly number literals)', () => {
    for (const { code } of heavyShaders()) expectSameTokens(code);
  });

  it('on 500 malformed mutants of the corpus, refusals included', () => {
    for (let seed = 0; seed < 500; seed++) expectSameTokens(wgslMutant(seed).code);
  });

  it('on 20,000 strings of random tokens, glued and spaced', () => {
    for (let seed = 0; seed < 20_000; seed++) expectSameTokens(tokenSoup(seed));
  });

  it('on templates closed by `>>`, negative literals after operators and members after numbers', () => {
    for (const code of ['array<vec4<f32>>', 'a>>b', 'x = -1;', 'x - 1', 'f(-1.5)', 'v.x', 'a[1].y', '1.5.x', 'x>>=2u', 'a<b>c']) expectSameTokens(code);
  });
});
