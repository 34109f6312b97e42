// Keeps the architecture honest (STYLE.md, "Layout shows the architecture"):
//  - dependencies between src/ layers flow one way (table below); type-only imports are free,
//    since they vanish at build time and cross the worker boundary as contracts;
//  - no import cycles between files;
//  - src/index.ts only re-exports, and nothing in src/ imports it.
// One deliberate exception, not matched here: client/create-runtime.ts loads worker/api.ts
// with a dynamic import() for same-thread mode, so it becomes a separate chunk that only
// apps asking for `worker: false` ever load.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = resolve(import.meta.dirname, '../src');

/** layer → the layers it may import values from (besides itself). */
const ALLOWED = {
  errors: [],
  logger: [],
  version: [],
  hash: [],
  program: ['errors', 'hash'],
  kernels: ['errors', 'program'],
  lower: ['errors', 'hash', 'program'],
  pipeline: ['errors', 'hash', 'program', 'lower', 'protocol'],
  store: ['errors', 'hash', 'program', 'lower', 'pipeline', 'protocol'],
  gpu: ['errors', 'version', 'hash', 'program', 'lower', 'pipeline', 'store', 'protocol'],
  protocol: ['errors'],
  worker: ['errors', 'logger', 'version', 'hash', 'program', 'lower', 'pipeline', 'store', 'gpu', 'protocol', 'kernels'],
  client: ['errors', 'hash', 'program', 'protocol', 'kernels'],
  index: ['errors', 'version', 'hash', 'program', 'lower', 'pipeline', 'client', 'kernels', 'store', 'gpu', 'protocol'],
};

const IMPORT = /^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]/gm;

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function layerOf(file) {
  const rel = relative(SRC, file);
  const top = rel.split('/')[0];
  return top.endsWith('.ts') ? top.slice(0, -3) : top;
}

const problems = [];
const graph = new Map();
for (const file of files(SRC)) {
  const text = readFileSync(file, 'utf8');
  const edges = [];
  for (const match of text.matchAll(IMPORT)) {
    const [, , typeOnly, clause, specifier] = match;
    if (!specifier.startsWith('.')) continue;
    const target = resolve(dirname(file), specifier);
    const isTypeOnly = Boolean(typeOnly) || /^\{\s*(type\s+[^,}]+,?\s*)+\}$/.test(clause);
    if (!isTypeOnly) edges.push(target);
    const from = layerOf(file);
    const to = layerOf(target);
    if (to === 'index') problems.push(`${relative(SRC, file)} imports src/index.ts (only apps may)`);
    if (!isTypeOnly && from !== to && !(ALLOWED[from] ?? []).includes(to)) {
      problems.push(`${relative(SRC, file)} (${from}) imports ${relative(SRC, target)} (${to}); ${from} may import values from: ${(ALLOWED[from] ?? []).join(', ') || 'nothing'}`);
    }
  }
  graph.set(file, edges);
  if (layerOf(file) === 'index') {
    const body = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    for (const statement of body.split(';').map((s) => s.trim()).filter(Boolean)) {
      if (!statement.startsWith('export')) problems.push(`src/index.ts has a statement that is not a re-export: ${statement.slice(0, 60)}`);
    }
  }
}

// Cycle detection over value imports (depth-first, three colours).
const state = new Map();
function visit(file, stack) {
  state.set(file, 'active');
  for (const next of graph.get(file) ?? []) {
    if (state.get(next) === 'active') {
      const cycle = [...stack.slice(stack.indexOf(next)), next].map((f) => relative(SRC, f));
      problems.push(`import cycle: ${cycle.join(' → ')}`);
    } else if (!state.has(next) && graph.has(next)) {
      visit(next, [...stack, next]);
    }
  }
  state.set(file, 'done');
}
for (const file of graph.keys()) if (!state.has(file)) visit(file, [file]);

if (problems.length > 0) {
  for (const problem of problems) console.error(`layers: ${problem}`);
  process.exit(1);
}
console.log(`layers: ${graph.size} files, dependencies flow one way, no cycles`);
