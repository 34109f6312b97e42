/**
 * The function-length check (scripts/check-function-length.mjs) run on small source files
 * written to a temp folder: every function-like node is measured by itself, from its first
 * token to its last, and anything over the limit is named with its file and line.
 */
import { describe, expect, it } from 'vitest';
import { checkFunctionLengths } from '../../scripts/check-function-length.mjs';
import { tempSourceTrees } from './support/temp-source-tree.ts';

/** Writes `files` (path under src/ → text) into a fresh temp folder and returns its src/. */
const tree = tempSourceTrees('vyre-functions-');


/** `count` statement lines, indented, to fill a body to a chosen length. */
function statements(count: number, indent = '  '): string {
  return Array.from({ length: count }, (_, i) => `${indent}console.log(${i});\n`).join('');
}

/** A function declaration spanning exactly `lines` lines, its opening line and closing brace included. */
function functionOf(name: string, lines: number): string {
  return `export function ${name}() {\n${statements(lines - 2)}}\n`;
}

describe('checkFunctionLengths', () => {
  it('fails an 81-line function, naming it with its file and first line', () => {
    const src = tree({ 'gpu/engine.ts': `/** A TSDoc comment that is not counted. */\n${functionOf('createEngine', 81)}` });
    expect(checkFunctionLengths(src)).toEqual({
      functions: 1,
      problems: ['src/gpu/engine.ts:2 createEngine is 81 lines (max 80): split it'],
    });
  });

  it('passes an 80-line function', () => {
    const src = tree({ 'gpu/engine.ts': functionOf('createEngine', 80) });
    expect(checkFunctionLengths(src)).toEqual({ functions: 1, problems: [] });
  });

  it('names an arrow function by the const it is assigned to', () => {
    const src = tree({ 'store/open.ts': `export const openStore = async () => {\n${statements(90)}};\n` });
    expect(checkFunctionLengths(src).problems).toEqual(['src/store/open.ts:1 openStore is 92 lines (max 80): split it']);
  });

  it('finds a long method inside a class', () => {
    const src = tree({
      'gpu/dispatcher.ts': `export class Dispatcher {\n  private count = 0;\n\n  dispatch(): void {\n${statements(85, '    ')}  }\n}\n`,
    });
    expect(checkFunctionLengths(src).problems).toEqual(['src/gpu/dispatcher.ts:4 dispatch is 87 lines (max 80): split it']);
  });

  it('reports a long inner closure by itself, and its outer function too', () => {
    const inner = `  const flush = () => {\n${statements(83, '    ')}  };\n`;
    const src = tree({ 'store/indexeddb-store.ts': `export function createStore() {\n${inner}  return flush;\n}\n` });
    expect(checkFunctionLengths(src)).toEqual({
      functions: 2,
      problems: [
        'src/store/indexeddb-store.ts:1 createStore is 88 lines (max 80): split it',
        'src/store/indexeddb-store.ts:2 flush is 85 lines (max 80): split it',
      ],
    });
  });

  it('reports only the outer function when its inner closures are short', () => {
    const inner = `  const flush = () => {\n${statements(3, '    ')}  };\n`;
    const src = tree({ 'store/store.ts': `export function createStore() {\n${inner}${statements(80)}  return flush;\n}\n` });
    expect(checkFunctionLengths(src).problems).toEqual(['src/store/store.ts:1 createStore is 88 lines (max 80): split it']);
  });

  it.each([
    ['a function expression, by its own name', 'export const a = function named() {\n', '};\n', 'named'],
    ['a function expression, by its variable', 'export const stored = function () {\n', '};\n', 'stored'],
    ['an object-literal property', 'export const api = { run: () => {\n', '} };\n', 'run'],
    ['an object-literal method', 'export const api = { run() {\n', '} };\n', 'run'],
    ['a class field', 'export class A { handle = () => {\n', '}; }\n', 'handle'],
    ['a constructor', 'export class A { constructor() {\n', '} }\n', 'constructor'],
    ['a getter', 'export class A { get size() {\n', 'return 1; } }\n', 'get size'],
    ['a setter', 'export class A { set size(v: number) {\n', 'void v; } }\n', 'set size'],
    ['an assignment', 'export const holder = { f: () => {} };\nholder.f = () => {\n', '};\n', 'holder.f'],
    ['a callback argument, as <anonymous>', '[1].forEach((x) => {\n', '});\n', '<anonymous>'],
  ])('names %s', (_kind, open, close, name) => {
    const src = tree({ 'a.ts': `${open}${statements(90)}${close}` });
    expect(checkFunctionLengths(src).problems).toEqual([expect.stringMatching(new RegExp(`^src/a\\.ts:\\d+ ${name} is \\d+ lines \\(max 80\\): split it$`))]);
  });

  it('skips overload signatures and declarations without a body, and walks every folder', () => {
    const src = tree({
      'program/a.ts': 'export function f(x: number): number;\nexport function f(x: string): string;\nexport function f(x: unknown) { return x; }\n',
      'lower/deep/b.ts': 'export declare function g(): void;\nexport interface I { m(): void }\nexport const h = () => 1;\n',
    });
    expect(checkFunctionLengths(src)).toEqual({ functions: 2, problems: [] });
  });

  it('takes another limit', () => {
    const src = tree({ 'a.ts': functionOf('eleven', 11) });
    expect(checkFunctionLengths(src, 10).problems).toEqual(['src/a.ts:1 eleven is 11 lines (max 10): split it']);
  });
});
