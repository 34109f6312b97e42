/**
 * vyre-web: compile a GPU compute program once, dispatch it many times.
 *
 * The public entry (main thread): the runtime, the two ways to write a program (`wgsl`,
 * `program`), the error type, and the types an app names. Re-exports only. Ready-made
 * kernels live in `vyre-web/kernels`, the CPU reference interpreter in `vyre-web/reference`.
 */

// The runtime.
export { createRuntime } from './client/create-runtime.ts';
export { ResidentBuffer } from './client/resident-buffer.ts';
export type {
  BatchResult,
  CompiledPipeline,
  CompiledPipelineBuild,
  DispatchInputs,
  DispatchResult,
  DispatchTiming,
  PrewarmOptions,
  Runtime,
  RuntimeOptions,
} from './client/runtime-types.ts';

// Programs: bring-your-own WGSL, or the IR through its builder.
export { wgsl } from './program/wgsl-program.ts';
export type { WgslProgramSource } from './program/wgsl-program.ts';
export { program } from './program/builder.ts';
export type { BufferRef, ProgramBuilder, ProgramOptions, Value } from './program/builder.ts';
export type { DispatchPolicy, Program, WgslProgram } from './protocol/program.ts';
export type { IrProgram, ValueType } from './protocol/ir.ts';
export type { BufferAccess, BufferDeclaration, ElementArray, ElementType } from './protocol/elements.ts';

// Dispatch options and results; a batch item's input that binds the previous item's output.
export type { DispatchOptions, DispatchOutputs } from './protocol/dispatch.ts';
export { previousOutput } from './protocol/images.ts';

// The cache: what each compile reports, the manifest, the audit and the snapshot.
export type { CacheHit, CompileTier, CompileTimings, MissReason, PipelinePrewarmReport, PipelineReproManifest } from './protocol/compile.ts';
export { parseManifest } from './protocol/parse-manifest.ts';
export type { CacheSnapshot, PipelineCacheAuditReport } from './protocol/cache.ts';
export type { DeviceSummary, GpuStats, StartupTimings } from './protocol/device.ts';

// Errors.
export { VyreError, isVyreError } from './errors.ts';
export type { VyreErrorCode } from './errors.ts';
