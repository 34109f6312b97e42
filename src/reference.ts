/**
 * `vyre-web/reference`: the CPU reference interpreter. Runs an IR program with exactly the
 * GPU path's dispatch rules, to test your own kernels against the GPU. Re-exports only.
 */
export { runReference, DEFAULT_PLAN_LIMITS } from './dispatch/run-reference.ts';
export type { PlanLimits } from './dispatch/dispatch-plan.ts';
