/**
 * Resident buffers: GPU buffers that stay on the device between dispatches. What crosses
 * the worker boundary is this plain reference; the worker owns the GPU buffer.
 */
import type { ElementType } from './elements.ts';

export interface ResidentBufferRef {
  readonly kind: 'vyre-resident-buffer';
  /** Unique within its runtime. */
  readonly id: number;
  /** The runtime (worker instance) that owns it; a handle from another runtime is refused. */
  readonly runtimeId: string;
  readonly type: ElementType;
  readonly length: number;
}

export function isResidentBufferRef(value: unknown): value is ResidentBufferRef {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'vyre-resident-buffer';
}
