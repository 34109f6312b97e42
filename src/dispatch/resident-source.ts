/**
 * What `createBuffer` accepts, checked before any GPU work: initial contents as a typed
 * array, or a zero-filled buffer described by `{ type, length }`.
 */
import { VyreError } from '../errors.ts';
import { ELEMENT_BYTES, ELEMENT_TYPES, elementTypeOf, type ElementArray, type ElementType } from '../protocol/elements.ts';

/** A checked resident-buffer request. */
export interface ResidentRequest {
  readonly type: ElementType;
  readonly length: number;
  /** Initial contents; absent for a zero-filled buffer. */
  readonly data?: ElementArray;
}

/**
 * Checks an untyped `createBuffer` argument against the binding-size limit.
 * @throws VyreError `invalid-input`
 */
export function parseResidentSource(source: unknown, maxStorageBufferBindingSize: number): ResidentRequest {
  const request = requestOf(source);
  if (request.length * ELEMENT_BYTES > maxStorageBufferBindingSize) {
    throw new VyreError('invalid-input', `A buffer of ${request.length * ELEMENT_BYTES} bytes is over maxStorageBufferBindingSize (${maxStorageBufferBindingSize}).`, 'use smaller buffers.', { limit: maxStorageBufferBindingSize });
  }
  return request;
}

function requestOf(source: unknown): ResidentRequest {
  const type = elementTypeOf(source);
  if (type !== undefined) {
    const data = source as ElementArray;
    return { type, length: data.length, data };
  }
  const spec = (typeof source === 'object' && source !== null ? source : {}) as { type?: unknown; length?: unknown };
  const length = spec.length;
  if (!isElementType(spec.type) || typeof length !== 'number' || !Number.isSafeInteger(length) || length < 0) {
    throw new VyreError('invalid-input', 'createBuffer needs a typed array or { type, length }.', "pass new Float32Array(n) or { type: 'f32', length: n }.", {});
  }
  return { type: spec.type, length };
}

function isElementType(value: unknown): value is ElementType {
  return (ELEMENT_TYPES as readonly unknown[]).includes(value);
}
