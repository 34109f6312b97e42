// Keeps functions, not only files, short (STYLE.md, "Functions, not only files, stay
// short"): a 280-line closure with fifteen inner functions is a file in disguise, and
// outline tools cannot see into it. Every function-like node with a body in src/ must
// span at most MAX lines, counted from its first token to its closing token (leading
// comments excluded, so TSDoc never pushes a function over). An inner closure is measured
// by itself, and its outer function still counts the closure's lines: splitting the
// outer means moving the closure out.
//
// Uses the TypeScript compiler's parser rather than a regex, so arrow functions, methods,
// accessors and nested closures are all found exactly as the compiler sees them.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The longest a function in src/ may be, in lines. */
export const MAX_FUNCTION_LINES = 80;

/**
 * Lists the TypeScript files under a folder, sorted, so reports come out in a stable order.
 * @param {string} dir the folder to walk
 * @returns {string[]} absolute paths of every `.ts` file below `dir`
 */
export function listSourceFiles(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return listSourceFiles(path);
      return path.endsWith('.ts') ? [path] : [];
    });
}

/**
 * Parses a source file for the checks (no type information needed, so no Program).
 * @param {string} file absolute path of a `.ts` file
 * @returns {ts.SourceFile}
 */
export function parseSourceFile(file) {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
}

/**
 * Finds every function in src/ longer than `max` lines.
 * @param {string} srcRoot the folder to check (paths are reported as `src/<path under it>`)
 * @param {number} [max] the most lines a function may span
 * @returns {{ functions: number, problems: string[] }} how many functions were measured,
 *   and one message per function over the limit
 */
export function checkFunctionLengths(srcRoot, max = MAX_FUNCTION_LINES) {
  const problems = [];
  let functions = 0;
  for (const file of listSourceFiles(srcRoot)) {
    const where = `src/${relative(srcRoot, file)}`;
    for (const { name, line, lines } of measureFunctions(parseSourceFile(file))) {
      functions += 1;
      if (lines > max) problems.push(`${where}:${line} ${name} is ${lines} lines (max ${max}): split it`);
    }
  }
  return { functions, problems };
}

/**
 * Measures every function-like node with a body in one file, inner functions included.
 * @param {ts.SourceFile} sourceFile
 * @returns {{ name: string, line: number, lines: number }[]} 1-based start line and length
 */
export function measureFunctions(sourceFile) {
  const found = [];
  const visit = (node) => {
    if (isFunctionWithBody(node)) {
      const start = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line;
      const end = sourceFile.getLineAndCharacterOfPosition(node.getEnd()).line;
      found.push({ name: functionName(node, sourceFile), line: start + 1, lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

/** Function declarations, methods, constructors, accessors, arrows and function expressions;
 *  overload signatures and abstract or ambient declarations have no body and are skipped. */
function isFunctionWithBody(node) {
  return ts.isFunctionLike(node) && 'body' in node && node.body !== undefined;
}

/**
 * The name a reader would search for: the declaration's own name, else the variable,
 * property or assignment target it is stored in, else `<anonymous>` (a callback argument).
 */
function functionName(node, sourceFile) {
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  if (ts.isGetAccessorDeclaration(node)) return `get ${node.name.getText(sourceFile)}`;
  if (ts.isSetAccessorDeclaration(node)) return `set ${node.name.getText(sourceFile)}`;
  if (node.name !== undefined) return node.name.getText(sourceFile);
  const holder = node.parent;
  if (ts.isVariableDeclaration(holder) || ts.isPropertyAssignment(holder) || ts.isPropertyDeclaration(holder)) {
    return holder.name.getText(sourceFile);
  }
  if (ts.isBinaryExpression(holder) && holder.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
    return holder.left.getText(sourceFile);
  }
  return '<anonymous>';
}

/** True when this module is the script node was asked to run, not an import. */
function isCli() {
  return process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
}

if (isCli()) {
  const { functions, problems } = checkFunctionLengths(resolve(import.meta.dirname, '../src'));
  for (const problem of problems) console.error(`functions: ${problem}`);
  if (problems.length > 0) {
    console.error(`functions: ${problems.length} of ${functions} functions over ${MAX_FUNCTION_LINES} lines`);
    process.exit(1);
  }
  console.log(`functions: ${functions} functions, none over ${MAX_FUNCTION_LINES} lines`);
}
