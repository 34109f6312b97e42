/**
 * Lexical helpers over WGSL text: comment stripping and whitespace normalization.
 * WGSL block comments nest (WGSL §3.2), so a regular expression cannot strip them.
 */

/** WGSL line breaks (WGSL §3.1 "blankspace and line breaks"): they end a `//` comment. */
const LINE_BREAKS = new Set(['\n', '\r', '\u000b', '\u000c', '\u0085', '\u2028', '\u2029']);

/**
 * Replaces every comment with spaces of the same length, keeping newlines, so that
 * offsets and line numbers in the result match the original text.
 */
export function blankComments(code: string): string {
  let out = '';
  let depth = 0;
  let inLine = false;
  for (let i = 0; i < code.length; i++) {
    const ch = code[i] ?? '';
    const next = code[i + 1] ?? '';
    if (inLine) {
      if (LINE_BREAKS.has(ch)) {
        inLine = false;
        out += ch;
      } else {
        out += ' ';
      }
    } else if (depth > 0) {
      if (ch === '/' && next === '*') {
        depth++;
        out += '  ';
        i++;
      } else if (ch === '*' && next === '/') {
        depth--;
        out += '  ';
        i++;
      } else {
        out += LINE_BREAKS.has(ch) ? ch : ' ';
      }
    } else if (ch === '/' && next === '/') {
      inLine = true;
      out += '  ';
      i++;
    } else if (ch === '/' && next === '*') {
      depth = 1;
      out += '  ';
      i++;
    } else {
      out += ch;
    }
  }
  return out;
}

/**
 * The text the digest of a WGSL-source program reads: comments removed, every run of
 * whitespace collapsed to one space, ends trimmed. Two sources that differ only in
 * comments or spacing compile to the same shader and share one cache identity.
 */
export function normalizeWgsl(code: string): string {
  return blankComments(code).replace(/\s+/g, ' ').trim();
}

/** 1-based line and column of `offset` in `text`. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const ch = text[i] ?? '';
    // "\r\n" is one line break; its "\r" is counted when the "\n" comes.
    if (LINE_BREAKS.has(ch) && !(ch === '\r' && text[i + 1] === '\n')) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
