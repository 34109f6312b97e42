/**
 * vyre-web: compile a GPU compute program once, dispatch it many times.
 * Public entry (main thread). Re-exports only.
 */
export { createRuntime } from './client/create-runtime.ts';
export { ResidentBuffer } from './client/resident-buffer.ts';
export type {
  CompiledPipeline,
  CompiledPipelineBuild,
  DispatchTiming,
  Outputs,
  OutputsWithKept,
  RuntimeInputs,
  PrewarmOptions,
  Program,
  Runtime,
  RuntimeOptions,
} from './client/runtime-types.ts';
export type { PipelinePrewarmReport } from './gpu/compiler.ts';
export type { PrewarmProgress } from './gpu/engine.ts';
export type { GpuStats } from './gpu/gpu-stats.ts';
export type { ResidentBufferRef } from './protocol/resident.ts';
export type { PipelineCacheAuditReport } from './pipeline/audit.ts';
export type { CacheSnapshot, TierCounters } from './pipeline/snapshot.ts';
export { MISS_REASONS } from './pipeline/miss-reason.ts';
export type { MissReason } from './pipeline/miss-reason.ts';
export { parseManifest, MANIFEST_SCHEMA } from './pipeline/manifest.ts';
export { LIBRARY_VERSION } from './version.ts';
export { VyreError, isVyreError, VYRE_ERROR_CODES } from './errors.ts';
export type { VyreErrorCode, VyreErrorDetails } from './errors.ts';
export { wgsl } from './program/wgsl-program.ts';
export type { WgslProgram, WgslProgramSource } from './program/wgsl-program.ts';
export type { BufferAccess, BufferDeclaration, ElementArray, ElementType, WorkgroupSize } from './program/types.ts';
export type { CacheHit, CompileTier, CompileTimings } from './pipeline/build.ts';
export type { DispatchOptions } from './pipeline/dispatch-plan.ts';
export type { RuntimeInputs as DispatchInputs, Outputs as DispatchOutputs } from './client/runtime-types.ts';
export type { PipelineReproManifest } from './pipeline/manifest.ts';
export { CURRENT_PIPELINE_CACHE_KEY_VERSION } from './pipeline/identity.ts';
export type { AdapterOptions, DeviceLimits, DeviceSummary } from './gpu/device.ts';
export type { StorageStatus } from './store/open-database.ts';
export { program, ProgramBuilder, BufferRef, Local, Value } from './program/builder.ts';
export type { BufferOptions, ProgramOptions, Int, Numeric, Operand } from './program/builder.ts';
export type {
  AtomicOp,
  BinaryOp,
  Builtin,
  Expr,
  IrAccess,
  IrBuffer,
  IrParam,
  IrProgram,
  OutputSizing,
  ScalarType,
  Stmt,
  UnaryOp,
} from './program/ir.ts';
export { IR_LIMITS } from './program/ir.ts';
export type { DispatchPolicy } from './pipeline/policy.ts';
export { programDigest } from './program/digest.ts';
export { runReference, DEFAULT_PLAN_LIMITS } from './pipeline/reference.ts';
export * from './kernels/index.ts';
