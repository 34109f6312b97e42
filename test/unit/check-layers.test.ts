/**
 * The layer check (scripts/check-layers.mjs) run on small source trees written to a temp
 * folder: every static import counts against the layer order, type-only or not; any
 * cycle fails once; entry files only re-export.
 */
import { describe, expect, it } from 'vitest';
import { checkLayers } from '../../scripts/check-layers.mjs';
import { tempSourceTrees } from './support/temp-source-tree.ts';

/** Writes `files` (path under src/ → text) into a fresh temp folder and returns its src/. */
const tree = tempSourceTrees('vyre-layers-');

/** The problems for a tree (the file count is checked where it matters). */
function problemsOf(files: Readonly<Record<string, string>>): string[] {
  return checkLayers(tree(files)).problems;
}


/** A tree that follows every rule, to which each test adds one mistake. */
const CLEAN = {
  'errors.ts': 'export class VyreError extends Error {}\n',
  'protocol/worker-api.ts': "import type { VyreError } from '../errors.ts';\nexport type WorkerApi = { fail(): VyreError };\n",
  'program/ir.ts': "import type { WorkerApi } from '../protocol/worker-api.ts';\nexport type Ir = { api?: WorkerApi };\n",
  'gpu/engine.ts': "import type { Ir } from '../program/ir.ts';\nimport { VyreError } from '../errors.ts';\nexport const run = (ir: Ir) => new VyreError(String(ir));\n",
  'worker/api.ts': "import { run } from '../gpu/engine.ts';\nexport { run };\n",
  'client/create-runtime.ts': "import type { WorkerApi } from '../protocol/worker-api.ts';\nexport const api: WorkerApi | undefined = undefined;\n",
  'index.ts': "/** Public entry. */\nexport { api } from './client/create-runtime.ts';\nexport type { Ir } from './program/ir.ts';\n",
  'reference.ts': "export type { Ir } from './program/ir.ts';\n",
} as const;

describe('checkLayers', () => {
  it('passes a tree whose imports follow the layer order', () => {
    expect(checkLayers(tree(CLEAN))).toEqual({ files: 8, problems: [] });
  });

  it('fails a type-only import against the layer order and says it was type-only', () => {
    const problems = problemsOf({
      ...CLEAN,
      'protocol/engine-api.ts': "import type { Engine } from '../gpu/engine.ts';\nexport type EngineApi = { engine: Engine };\n",
    });
    expect(problems).toEqual([
      "src/protocol/engine-api.ts:1 type-only import of '../gpu/engine.ts': protocol may not import gpu " +
        '(protocol may import from: errors); move what it needs into a layer protocol may import',
    ]);
  });

  it('fails an inline `import { type X }` against the layer order as type-only', () => {
    const problems = problemsOf({
      ...CLEAN,
      'client/create-runtime.ts': "import { type Ir } from '../program/ir.ts';\nexport const ir: Ir | undefined = undefined;\n",
    });
    expect(problems).toEqual([
      expect.stringMatching(/^src\/client\/create-runtime\.ts:1 type-only import of '\.\.\/program\/ir\.ts': client may not import program \(client may import from: errors, protocol\)/),
    ]);
  });

  it('fails a value import against the layer order and says it was a value import', () => {
    const problems = problemsOf({
      ...CLEAN,
      'client/create-runtime.ts': "import { run } from '../gpu/engine.ts';\nexport const api = run;\n",
    });
    expect(problems).toEqual([
      expect.stringMatching(/^src\/client\/create-runtime\.ts:1 value import of '\.\.\/gpu\/engine\.ts': client may not import gpu/),
    ]);
  });

  it('counts `import x, { type Y }` as a value import', () => {
    const problems = problemsOf({
      ...CLEAN,
      'gpu/engine.ts': 'export default 1;\nexport type Engine = number;\n',
      'protocol/worker-api.ts': "import engine, { type Engine } from '../gpu/engine.ts';\nexport const e: Engine = engine;\n",
    });
    expect(problems).toEqual([expect.stringContaining("src/protocol/worker-api.ts:1 value import of '../gpu/engine.ts': protocol may not import gpu")]);
  });

  it('fails a type-only two-file cycle inside one layer and names both files', () => {
    const problems = problemsOf({
      ...CLEAN,
      'program/a.ts': "import type { B } from './b.ts';\nexport type A = { b?: B };\n",
      'program/b.ts': "import type { A } from './a.ts';\nexport type B = { a?: A };\n",
    });
    expect(problems).toEqual([
      'import cycle: src/program/a.ts → src/program/b.ts → src/program/a.ts; type-only, which still counts: ' +
        'src/program/a.ts → src/program/b.ts, src/program/b.ts → src/program/a.ts; move the shared part into a file both can import',
    ]);
  });

  it('reports a three-file cycle once, not once per file in it', () => {
    const problems = problemsOf({
      ...CLEAN,
      'lower/a.ts': "import { b } from './b.ts';\nexport const a = () => b;\n",
      'lower/b.ts': "import { c } from './c.ts';\nexport const b = () => c;\n",
      'lower/c.ts': "import { a } from './a.ts';\nexport const c = () => a;\n",
    });
    expect(problems).toEqual([
      'import cycle: src/lower/a.ts → src/lower/b.ts → src/lower/c.ts → src/lower/a.ts; move the shared part into a file both can import',
    ]);
  });

  it('reports a file that imports itself as a cycle', () => {
    const problems = problemsOf({ ...CLEAN, 'hash/sha256.ts': "export { x } from './sha256.ts';\nexport const x = 1;\n" });
    expect(problems).toEqual([expect.stringMatching(/^import cycle: src\/hash\/sha256\.ts → src\/hash\/sha256\.ts;/)]);
  });

  it('reports one shortest cycle per tangle and says how many files the tangle has', () => {
    const problems = problemsOf({
      ...CLEAN,
      'store/a.ts': "import './b.ts';\nimport './c.ts';\n",
      'store/b.ts': "import './a.ts';\n",
      'store/c.ts': "import './a.ts';\n",
    });
    expect(problems).toEqual([
      'import cycle: src/store/a.ts → src/store/b.ts → src/store/a.ts; 3 files import each other in this tangle; ' +
        'move the shared part into a file both can import',
    ]);
  });

  it('counts `export type … from` against the layer order', () => {
    const problems = problemsOf({ ...CLEAN, 'protocol/engine.ts': "export type { Engine } from '../gpu/engine.ts';\n" });
    expect(problems).toEqual([
      expect.stringMatching(/^src\/protocol\/engine\.ts:1 type-only re-export of '\.\.\/gpu\/engine\.ts': protocol may not import gpu/),
    ]);
  });

  it.each([
    ['export * from', "export * from '../gpu/engine.ts';\n", 'value re-export'],
    ['export { a } from', "export { run } from '../gpu/engine.ts';\n", 'value re-export'],
    ['export { type A } from', "export { type Engine } from '../gpu/engine.ts';\n", 'type-only re-export'],
    ['a side-effect import', "import '../gpu/engine.ts';\n", 'value import'],
    ['import * as', "import * as engine from '../gpu/engine.ts';\nexport { engine };\n", 'value import'],
  ])('counts %s against the layer order', (_form, text, kind) => {
    const problems = problemsOf({ ...CLEAN, 'protocol/engine.ts': text });
    expect(problems).toEqual([expect.stringContaining(`src/protocol/engine.ts:1 ${kind} of '../gpu/engine.ts': protocol may not import gpu`)]);
  });

  it('does not count a dynamic import()', () => {
    const problems = problemsOf({
      ...CLEAN,
      'client/create-runtime.ts':
        "export async function sameThread() {\n  const { run } = await import('../worker/api.ts');\n  return run;\n}\n",
      'index.ts': "export { sameThread } from './client/create-runtime.ts';\n",
    });
    expect(problems).toEqual([]);
  });

  it('parses multi-line import clauses, with comments inside', () => {
    const problems = problemsOf({
      ...CLEAN,
      'protocol/engine-api.ts':
        'import {\n  // the engine\n  type Engine,\n  run,\n} from\n  "../gpu/engine.ts";\nexport type EngineApi = { engine: Engine; run: typeof run };\n',
    });
    expect(problems).toEqual([expect.stringContaining("src/protocol/engine-api.ts:1 value import of '../gpu/engine.ts': protocol may not import gpu")]);
  });

  it('ignores import-like text in strings and comments', () => {
    const problems = problemsOf({
      ...CLEAN,
      'protocol/doc.ts': "// import { run } from '../gpu/engine.ts';\nexport const doc = \"import '../gpu/engine.ts'\";\n",
    });
    expect(problems).toEqual([]);
  });

  it('fails a statement other than a re-export in src/index.ts', () => {
    const problems = problemsOf({
      ...CLEAN,
      'index.ts': "import { api } from './client/create-runtime.ts';\nexport const runtime = api;\n",
    });
    expect(problems).toEqual([
      "src/index.ts:1 is not a re-export (an entry file only re-exports; move it into a layer folder): import { api } from './client/create-runtime.ts';",
      'src/index.ts:2 is not a re-export (an entry file only re-exports; move it into a layer folder): export const runtime = api;',
    ]);
  });

  it.each([
    ['reference.ts', './program/ir.ts'],
    ['kernels/index.ts', '../program/ir.ts'],
  ])('holds %s to re-exports only', (entry, ir) => {
    const problems = problemsOf({ ...CLEAN, [entry]: `export type { Ir } from '${ir}';\nconst x = 1;\n` });
    expect(problems).toEqual([
      `src/${entry}:2 is not a re-export (an entry file only re-exports; move it into a layer folder): const x = 1;`,
    ]);
  });

  it.each(['index.ts', 'reference.ts'])('fails an import of src/%s from inside src/', (entry) => {
    const problems = problemsOf({ ...CLEAN, 'program/uses-entry.ts': `import type { Ir } from '../${entry}';\nexport type V = Ir;\n` });
    expect(problems).toContainEqual(
      `src/program/uses-entry.ts:1 type-only import of '../${entry}': nothing in src/ may import src/${entry} ` +
        '(a public entry, for apps only); import the module it re-exports instead',
    );
  });

  it('fails a file in a top-level folder the layer table does not know, once per folder', () => {
    const problems = problemsOf({ ...CLEAN, 'cache/a.ts': 'export const a = 1;\n', 'cache/b.ts': 'export const b = 2;\n' });
    expect(problems).toEqual([
      "src/cache/a.ts is in layer 'cache', which is not in the layer table: add it to the table in scripts/check-layers.mjs " +
        '(and DESIGN §2) with the layers it may import from',
    ]);
  });

  it('fails an import that does not resolve to a file under src/', () => {
    const problems = problemsOf({ ...CLEAN, 'errors.ts': "import type { X } from '../outside.ts';\nexport type E = X;\n" });
    expect(problems).toEqual(["src/errors.ts:1 type-only import of '../outside.ts' does not resolve to a .ts file under src/"]);
  });

  it('lets a layer import its allowed layers and itself, and ignores package imports', () => {
    const problems = problemsOf({
      ...CLEAN,
      'worker/entry.ts': "import { expose } from 'comlink';\nimport { run } from './api.ts';\nimport { VyreError } from '../errors.ts';\nexpose({ run, VyreError });\n",
    });
    expect(problems).toEqual([]);
  });
});
