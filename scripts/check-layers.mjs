// Keeps the architecture honest (STYLE.md, "Layout shows the architecture"):
//  - dependencies between src/ layers flow one way (LAYERS below). Type-only imports count
//    like any other: a type names the module that defines it, so a type edge against the
//    order is a design dependency against the order, and the contract belongs lower down.
//    (Under verbatimModuleSyntax `import { type A } from './a.ts'` even survives the build
//    as `import {} from './a.ts'`.)
//  - no import cycles between files, type-only edges included;
//  - the entry files (src/index.ts, src/reference.ts, src/kernels/index.ts) only re-export,
//    and nothing in src/ imports src/index.ts or src/reference.ts (only apps may).
// Every static relative `import … from`, side-effect `import '…'` and `export … from` is
// checked. One deliberate exception, not matched here: client/create-runtime.ts loads
// worker/api.ts with a dynamic import() for same-thread mode, so it becomes a separate chunk
// that only apps asking for `worker: false` ever load; dynamic import() is never matched.
//
// Run as `node scripts/check-layers.mjs` (npm run lint), it also runs the function-length
// check (scripts/check-function-length.mjs) and prints one summary line for each.
import { relative, resolve, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { checkFunctionLengths, listSourceFiles, MAX_FUNCTION_LINES, parseSourceFile } from './check-function-length.mjs';

/**
 * layer → the layers it may import from (besides itself). Mirrors DESIGN §2:
 * "protocol, program ← lower ← pipeline, dispatch ← store, gpu ← worker; client depends on
 * protocol and errors only". A file's layer is its first path segment under src/
 * (`gpu/x.ts` → gpu, `errors.ts` → errors, `index.ts` → index).
 */
const LAYERS = {
  errors: [],
  logger: [],
  version: [],
  hash: [],
  protocol: ['errors'],
  program: ['errors', 'hash', 'protocol'],
  kernels: ['errors', 'protocol', 'program'],
  lower: ['errors', 'hash', 'protocol', 'program'],
  pipeline: ['errors', 'logger', 'version', 'hash', 'protocol', 'program', 'lower'],
  dispatch: ['errors', 'protocol', 'program', 'lower'],
  store: ['errors', 'logger', 'hash', 'protocol', 'program', 'lower', 'pipeline'],
  gpu: ['errors', 'logger', 'version', 'hash', 'protocol', 'program', 'lower', 'pipeline', 'dispatch'],
  worker: ['errors', 'logger', 'version', 'hash', 'protocol', 'program', 'lower', 'pipeline', 'dispatch', 'store', 'gpu'],
  client: ['errors', 'protocol'],
  reference: ['errors', 'protocol', 'program', 'lower', 'dispatch'],
  index: ['errors', 'protocol', 'program', 'client'],
};

/** Entry files (paths under src/): they hold nothing but `export … from` statements. */
const REEXPORT_ONLY = ['index.ts', 'reference.ts', 'kernels/index.ts'];

/** Public entries that only apps import; an import from inside src/ would tie a layer to the whole surface. */
const APP_ONLY = ['index.ts', 'reference.ts'];

/**
 * Checks the layer rules, the entry files and import cycles over a source tree.
 * Pure apart from reading the files: it prints nothing and never exits.
 * @param {string} srcRoot the folder to check (paths are reported as `src/<path under it>`)
 * @returns {{ files: number, problems: string[] }} how many files were read, and one
 *   message per problem (empty when the tree is clean)
 */
export function checkLayers(srcRoot) {
  const files = listSourceFiles(srcRoot);
  const known = new Set(files);
  const problems = [...unknownLayerProblems(srcRoot, files)];
  /** @type {Map<string, Map<string, boolean>>} file → imported file → every import of it is type-only */
  const graph = new Map();
  for (const file of files) {
    const sourceFile = parseSourceFile(file);
    const edges = new Map();
    for (const entry of staticImports(sourceFile)) {
      const target = resolveImport(file, entry.specifier, known);
      problems.push(...importProblems(srcRoot, file, target, entry));
      if (target !== undefined) edges.set(target, (edges.get(target) ?? true) && entry.typeOnly);
    }
    graph.set(file, edges);
    if (REEXPORT_ONLY.includes(rel(srcRoot, file))) problems.push(...reexportOnlyProblems(srcRoot, sourceFile));
  }
  problems.push(...findCycles(graph).map((cycle) => cycleProblem(srcRoot, graph, cycle)));
  return { files: files.length, problems };
}

/** The path under src/, with forward slashes on every platform. */
function rel(srcRoot, file) {
  return relative(srcRoot, file).split('\\').join('/');
}

/** How a file is named in messages. */
function shown(srcRoot, file) {
  return `src/${rel(srcRoot, file)}`;
}

/** A file's layer: its first path segment under src/, without `.ts` for top-level files. */
function layerOf(srcRoot, file) {
  const top = rel(srcRoot, file).split('/')[0] ?? '';
  return top.replace(/(\.d)?\.ts$/, '');
}

/** One problem per layer that the table does not know, naming its first file. */
function unknownLayerProblems(srcRoot, files) {
  const seen = new Set();
  const problems = [];
  for (const file of files) {
    const layer = layerOf(srcRoot, file);
    if (Object.hasOwn(LAYERS, layer) || seen.has(layer)) continue;
    seen.add(layer);
    problems.push(
      `${shown(srcRoot, file)} is in layer '${layer}', which is not in the layer table: ` +
        `add it to the table in scripts/check-layers.mjs (and DESIGN §2) with the layers it may import from`,
    );
  }
  return problems;
}

/**
 * Every static import or re-export with a relative specifier. Dynamic import() is a call
 * expression, not a statement, so it is never seen here.
 * @param {ts.SourceFile} sourceFile
 * @returns {{ specifier: string, typeOnly: boolean, reexport: boolean, line: number }[]}
 */
function staticImports(sourceFile) {
  const found = [];
  for (const statement of sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) continue;
    const specifier = statement.moduleSpecifier;
    if (specifier === undefined || !ts.isStringLiteral(specifier) || !specifier.text.startsWith('.')) continue;
    found.push({
      specifier: specifier.text,
      typeOnly: isTypeOnly(statement),
      reexport: ts.isExportDeclaration(statement),
      line: lineOf(sourceFile, statement),
    });
  }
  return found;
}

/** The 1-based line a statement starts on (after its leading comments). */
function lineOf(sourceFile, node) {
  return sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
}

/**
 * `import type …`, `export type … from`, or a clause whose every name is marked `type`
 * (`import { type A, type B }`). A default or namespace import, `export *`, an empty clause
 * and a side-effect import all load the module at run time.
 */
function isTypeOnly(statement) {
  if (ts.isImportDeclaration(statement)) {
    const clause = statement.importClause;
    if (clause === undefined) return false;
    if (clause.isTypeOnly) return true;
    return clause.name === undefined && allNamesTypeOnly(clause.namedBindings);
  }
  return statement.isTypeOnly || allNamesTypeOnly(statement.exportClause);
}

function allNamesTypeOnly(bindings) {
  if (bindings === undefined || !('elements' in bindings)) return false;
  return bindings.elements.length > 0 && bindings.elements.every((element) => element.isTypeOnly);
}

/**
 * The file an import names, tried as written, then with `.ts`, then as a folder's
 * index.ts; undefined when none is a checked file (missing, or outside src/).
 */
function resolveImport(file, specifier, known) {
  const path = resolve(dirname(file), specifier);
  return [path, `${path}.ts`, join(path, 'index.ts')].find((candidate) => known.has(candidate));
}

/** What is wrong with one import: it dangles, it reaches an app-only entry, or it goes against the layer order. */
function importProblems(srcRoot, file, target, { specifier, typeOnly, reexport, line }) {
  const where = `${shown(srcRoot, file)}:${line}`;
  const kind = `${typeOnly ? 'type-only' : 'value'} ${reexport ? 're-export' : 'import'}`;
  if (target === undefined) {
    return [`${where} ${kind} of '${specifier}' does not resolve to a .ts file under src/`];
  }
  const problems = [];
  if (APP_ONLY.includes(rel(srcRoot, target))) {
    problems.push(
      `${where} ${kind} of '${specifier}': nothing in src/ may import ${shown(srcRoot, target)} ` +
        `(a public entry, for apps only); import the module it re-exports instead`,
    );
  }
  const from = layerOf(srcRoot, file);
  const to = layerOf(srcRoot, target);
  // A file in an unknown layer is reported once by unknownLayerProblems; its imports have no rule yet.
  if (from === to || !Object.hasOwn(LAYERS, from) || LAYERS[from].includes(to)) return problems;
  const allowed = LAYERS[from].join(', ') || 'nothing';
  problems.push(
    `${where} ${kind} of '${specifier}': ${from} may not import ${to} ` +
      `(${from} may import from: ${allowed}); move what it needs into a layer ${from} may import`,
  );
  return problems;
}

/** Every top-level statement of an entry file must be an `export … from` re-export. */
function reexportOnlyProblems(srcRoot, sourceFile) {
  const file = shown(srcRoot, sourceFile.fileName);
  return sourceFile.statements
    .filter((statement) => !(ts.isExportDeclaration(statement) && statement.moduleSpecifier !== undefined))
    .map((statement) => {
      const text = statement.getText(sourceFile).replace(/\s+/g, ' ').slice(0, 60);
      return `${file}:${lineOf(sourceFile, statement)} is not a re-export (an entry file only re-exports; move it into a layer folder): ${text}`;
    });
}

/**
 * One cycle per tangle: Tarjan's strongly connected components, then the shortest loop
 * through the component's first file. Reporting per component (not per start node) names
 * each tangle once, however many files it has.
 * @param {Map<string, Map<string, boolean>>} graph
 * @returns {{ loop: string[], size: number }[]} each cycle's files, the first repeated at
 *   the end, and how many files its component has
 */
function findCycles(graph) {
  return stronglyConnected(graph)
    .filter((component) => component.length > 1 || graph.get(component[0])?.has(component[0]))
    .map((component) => [...component].sort())
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map((component) => ({ loop: shortestLoop(graph, component), size: component.length }));
}

/** Tarjan's algorithm; components come out in reverse topological order. */
function stronglyConnected(graph) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const components = [];
  const visit = (file) => {
    index.set(file, index.size);
    low.set(file, index.get(file));
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file)?.keys() ?? []) {
      if (!index.has(next)) visit(next);
      if (onStack.has(next)) low.set(file, Math.min(low.get(file), low.get(next)));
    }
    if (low.get(file) !== index.get(file)) return;
    const component = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    components.push(component);
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return components;
}

/** Breadth-first search inside one component from its first file back to itself. */
function shortestLoop(graph, component) {
  const members = new Set(component);
  const start = component[0];
  const cameFrom = new Map();
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift();
    for (const next of [...(graph.get(file)?.keys() ?? [])].sort()) {
      if (next === start) return [...pathTo(cameFrom, file, start), start];
      if (!members.has(next) || cameFrom.has(next)) continue;
      cameFrom.set(next, file);
      queue.push(next);
    }
  }
  return [start, start]; // unreachable for a real component; kept so a bug shows as a message, not a crash
}

function pathTo(cameFrom, file, start) {
  const path = [file];
  while (path[0] !== start) path.unshift(cameFrom.get(path[0]));
  return path;
}

/** The cycle as a message: its files in order, which of its edges are type-only, and how big the tangle is. */
function cycleProblem(srcRoot, graph, { loop, size }) {
  const names = loop.map((file) => shown(srcRoot, file));
  const typeEdges = loop
    .slice(0, -1)
    .map((file, i) => [file, loop[i + 1]])
    .filter(([file, next]) => graph.get(file)?.get(next) === true)
    .map(([file, next]) => `${shown(srcRoot, file)} → ${shown(srcRoot, next)}`);
  const typeNote = typeEdges.length > 0 ? `; type-only, which still counts: ${typeEdges.join(', ')}` : '';
  const sizeNote = size > loop.length - 1 ? `; ${size} files import each other in this tangle` : '';
  return `import cycle: ${names.join(' → ')}${typeNote}${sizeNote}; move the shared part into a file both can import`;
}

/** True when this module is the script node was asked to run, not an import. */
function isCli() {
  return process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
}

/** Runs both checks over the repository's src/; prints problems to stderr and a summary line for each. */
function main() {
  const srcRoot = resolve(import.meta.dirname, '../src');
  const layers = checkLayers(srcRoot);
  const lengths = checkFunctionLengths(srcRoot);
  report('layers', layers.problems, `${layers.files} files, dependencies flow one way, no cycles`, `${layers.files} files`);
  const functions = `${lengths.functions} functions`;
  report('functions', lengths.problems, `${functions}, none over ${MAX_FUNCTION_LINES} lines`, `${functions}, max ${MAX_FUNCTION_LINES} lines`);
  if (layers.problems.length > 0 || lengths.problems.length > 0) process.exit(1);
}

/** Prints one check's problems and its summary line: stdout when clean, stderr otherwise. */
function report(check, problems, cleanSummary, checkedWhat) {
  for (const problem of problems) console.error(`${check}: ${problem}`);
  if (problems.length === 0) console.log(`${check}: ${cleanSummary}`);
  else console.error(`${check}: ${problems.length} problem${problems.length === 1 ? '' : 's'} (${checkedWhat})`);
}

if (isCli()) main();
