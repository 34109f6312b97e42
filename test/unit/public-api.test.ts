/**
 * The public surface: the package root stays small (≤ 45 names, one name per thing, each
 * documented), and the kernel library and the reference interpreter live behind their
 * subpaths. Read from the sources with the TypeScript compiler, as a consumer's editor would.
 */
import { resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** Every name an entry exports, with whether its declaration carries TSDoc. */
function exportsOf(entry: string): Map<string, boolean> {
  const file = resolve(ROOT, entry);
  const program = ts.createProgram([file], { allowImportingTsExtensions: true, noEmit: true, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022, types: ['@webgpu/types'] });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const module = source === undefined ? undefined : checker.getSymbolAtLocation(source);
  if (module === undefined) throw new Error(`no module symbol for ${entry}`);
  const names = new Map<string, boolean>();
  for (const symbol of checker.getExportsOfModule(module)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const documented = (target.declarations ?? []).some((declaration) => ts.getJSDocCommentsAndTags(declaration).length > 0);
    names.set(symbol.getName(), documented);
  }
  return names;
}

const root = exportsOf('src/index.ts');

describe('the package root', () => {
  it('exports at most 45 names', () => {
    expect(root.size).toBeGreaterThan(0);
    expect(root.size).toBeLessThanOrEqual(45);
  });

  it('exports the runtime, both program kinds, the error type and the result types a user names', () => {
    for (const name of ['createRuntime', 'wgsl', 'program', 'VyreError', 'isVyreError', 'ResidentBuffer', 'Runtime', 'RuntimeOptions', 'CompiledPipeline', 'CompiledPipelineBuild', 'DispatchOptions', 'DispatchInputs', 'DispatchOutputs', 'CacheHit', 'CompileTier', 'MissReason', 'PipelineReproManifest', 'CacheSnapshot', 'PipelineCacheAuditReport', 'ProgramBuilder', 'IrProgram', 'WgslProgram']) {
      expect(root.has(name), name).toBe(true);
    }
  });

  it('keeps kernels, the interpreter, builder internals, wire types and aliases out', () => {
    for (const name of ['saxpy', 'matmul', 'sumReduce', 'runReference', 'Local', 'ResidentBufferRef', 'LIBRARY_VERSION', 'CURRENT_PIPELINE_CACHE_KEY_VERSION', 'RuntimeInputs', 'Outputs', 'WorkerApi', 'CompileReport']) {
      expect(root.has(name), name).toBe(false);
    }
  });

  it('documents every name it exports', () => {
    const undocumented = [...root].filter(([, documented]) => !documented).map(([name]) => name);
    expect(undocumented).toEqual([]);
  });
});

describe('the subpaths', () => {
  it('vyre-web/kernels exports the kernel library with its option helpers', () => {
    const kernels = exportsOf('src/kernels/index.ts');
    for (const name of ['saxpy', 'saxpyX4', 'reluF32x4', 'matmul', 'matmulOptions', 'sumReduce', 'histogram256', 'scanBlocks', 'bitonicStep', 'mandelbrot', 'convolve1d', 'countByte', 'mapKernel', 'LaunchOptions']) {
      expect(kernels.has(name), name).toBe(true);
    }
  });

  it('vyre-web/reference exports the reference interpreter', () => {
    const reference = exportsOf('src/reference.ts');
    expect([...reference.keys()].sort()).toEqual(['DEFAULT_PLAN_LIMITS', 'PlanLimits', 'runReference']);
  });
});
