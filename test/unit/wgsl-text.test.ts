/**
 * Lexical helpers over WGSL text: comments go, offsets stay, and normalization keeps
 * exactly the tokens that decide the shader.
 */
import { describe, expect, it } from 'vitest';
import { blankComments, lineColumnAt, normalizeWgsl } from '../../src/program/wgsl-text.ts';

describe('blankComments', () => {
  it.each([
    ['a line comment', 'let a = 1; // note\nlet b = 2;', 'let a = 1;        \nlet b = 2;'],
    ['a block comment', 'a /* b */ c', 'a         c'],
    ['a nested block comment', 'x /* a /* b */ c */ y', 'x                   y'],
    ['two levels of nesting', '/*1/*2/*3*/2*/1*/z', '                 z'],
    ['a block comment spanning lines', 'a /* one\ntwo */ b', 'a       \n       b'],
    ['a line comment ending in CRLF', 'a // c\r\nb', 'a     \r\nb'],
    ['a block comment against code on both sides', 'a/*x*/b', 'a     b'],
    ['a line comment against code', 'f();//x', 'f();   '],
    ['a block comment opened inside a line comment', 'a // /* not open\nb', 'a               \nb'],
    ['a line comment marker inside a block comment', 'a /* // */ b', 'a          b'],
    ['a lone slash and star', 'a / b * c', 'a / b * c'],
    ['an unterminated block comment', 'a /* b\nc', 'a     \n '],
    ['text without comments', '@compute fn main() {}', '@compute fn main() {}'],
  ])('blanks %s', (_what, code, expected) => {
    expect(blankComments(code)).toBe(expected);
  });

  it('keeps the length, the newlines and every code character at its offset', () => {
    const code = [
      '// header',
      '@group(0) /* a /* nested */ still */ @binding(0)',
      'var<storage, read> x: array<f32>; // tail',
      '/* multi',
      '   line */ fn main() {}',
    ].join('\n');
    const blanked = blankComments(code);
    expect(blanked).toHaveLength(code.length);
    for (let i = 0; i < code.length; i++) {
      const ch = blanked[i];
      expect(ch === code[i] || ch === ' ').toBe(true);
      if (code[i] === '\n') expect(ch).toBe('\n');
    }
    expect(blanked.indexOf('@binding(0)')).toBe(code.indexOf('@binding(0)'));
    expect(blanked.indexOf('fn main')).toBe(code.indexOf('fn main'));
    expect(blanked).not.toContain('nested');
    expect(blanked).not.toContain('still');
    expect(blanked).not.toContain('tail');
    expect(blanked).not.toContain('header');
  });
});

describe('normalizeWgsl', () => {
  it('collapses every whitespace run to one space and trims the ends', () => {
    expect(normalizeWgsl('  fn\tmain(\n\n)  {\r\n}\n')).toBe('fn main( ) { }');
  });

  it('removes comments, leaving one space where they separated tokens', () => {
    expect(normalizeWgsl('a/*x*/b // end')).toBe('a b');
    expect(normalizeWgsl('/* a /* b */ c */ fn main() {}')).toBe('fn main() {}');
  });

  it('normalizes sources that differ only in comments and spacing to the same text', () => {
    const plain = [
      '@group(0) @binding(0) var<storage, read> x: array<f32>;',
      '@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3u) { x[id.x]; }',
    ].join('\n');
    const decorated = [
      '// Doubles x.',
      '@group(0)   @binding(0)',
      '   var<storage, read> x: array<f32>; /* input /* nested */ */',
      '',
      '@compute',
      '\t@workgroup_size(64)',
      'fn main(@builtin(global_invocation_id) id: vec3u) {',
      '  x[id.x]; // touch',
      '}',
      '',
    ].join('\r\n');
    expect(normalizeWgsl(decorated)).toBe(normalizeWgsl(plain));
  });

  it.each([
    ['a changed number', 'let a = 1.0;', 'let a = 2.0;'],
    ['a changed identifier', 'y[i] = x[i];', 'y[i] = z[i];'],
    ['a changed operator', 'a + b', 'a - b'],
    ['two tokens joined', 'a b', 'ab'],
    ['a comment that separated two tokens replaced by nothing', 'a/**/b', 'ab'],
  ])('keeps sources apart after %s', (_what, before, after) => {
    expect(normalizeWgsl(before)).not.toBe(normalizeWgsl(after));
  });
});

describe('lineColumnAt', () => {
  const text = 'ab\ncde\n\nf';

  it.each([
    [0, 1, 1],
    [1, 1, 2],
    [2, 1, 3], // the newline itself ends line 1
    [3, 2, 1],
    [5, 2, 3],
    [7, 3, 1],
    [8, 4, 1],
  ])('places offset %i at line %i, column %i', (offset, line, column) => {
    expect(lineColumnAt(text, offset)).toEqual({ line, column });
  });

  it('places the end of the text after its last character', () => {
    expect(lineColumnAt(text, text.length)).toEqual({ line: 4, column: 2 });
  });

  it('counts a CRLF line ending as one line', () => {
    expect(lineColumnAt('a\r\nb', 3)).toEqual({ line: 2, column: 1 });
  });
});
