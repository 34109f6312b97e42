/**
 * The one error type of vyre-web, and its wire form.
 *
 * Every failure a user can meet is a {@link VyreError} with a stable `code`, a message
 * that ends in a `Fix:` hint, and `details` that survive structured clone, so the same
 * error reads the same on the main thread as in the worker that raised it.
 */

/** Every error code, as a literal union. Stable: metrics and user code switch on it. */
export const VYRE_ERROR_CODES = [
  'webgpu-unavailable',
  'adapter-unavailable',
  'device-lost',
  'invalid-program',
  'invalid-policy',
  'invalid-input',
  'shader-compilation',
  'gpu-error',
  'storage-unavailable',
  'quota-exceeded',
  'worker-terminated',
  'disposed',
  'internal',
] as const;

/** One of {@link VYRE_ERROR_CODES}: what went wrong, stable for metrics and `switch`. */
export type VyreErrorCode = (typeof VYRE_ERROR_CODES)[number];

/** Plain data that structured clone keeps intact. */
export type CloneableValue =
  | string
  | number
  | boolean
  | null
  | readonly CloneableValue[]
  | { readonly [key: string]: CloneableValue | undefined };

export type VyreErrorDetails = { readonly [key: string]: CloneableValue | undefined };

/** The error as it crosses the worker boundary. */
export interface VyreErrorWire {
  readonly kind: 'vyre-error';
  readonly code: VyreErrorCode;
  readonly message: string;
  readonly details: VyreErrorDetails;
  readonly stack?: string;
}

/**
 * The single error class of vyre-web.
 *
 * @example
 * ```ts
 * try { await pipeline.dispatch({ x: new Float64Array(4) }); }
 * catch (e) { if (isVyreError(e) && e.code === 'invalid-input') console.log(e.details); }
 * ```
 */
export class VyreError extends Error {
  override readonly name = 'VyreError';
  readonly code: VyreErrorCode;
  readonly details: VyreErrorDetails;

  /**
   * @param code - stable machine-readable code.
   * @param problem - what went wrong, one sentence.
   * @param fix - what the caller should do; appended as `Fix: …`.
   * @param details - cloneable facts for programs (buffer name, limits, compiler messages).
   */
  constructor(
    code: VyreErrorCode,
    problem: string,
    fix: string,
    details: VyreErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(`${problem} Fix: ${fix}`, options);
    this.code = code;
    this.details = details;
  }
}

/** True for a {@link VyreError}, including one rebuilt from the wire. */
export function isVyreError(value: unknown): value is VyreError {
  return value instanceof VyreError;
}

/** Serializes an error for the worker boundary. Foreign errors become code `internal`. */
export function toWire(error: unknown): VyreErrorWire {
  if (error instanceof VyreError) {
    return withStack(
      { kind: 'vyre-error', code: error.code, message: error.message, details: error.details },
      error.stack,
    );
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return withStack(
    {
      kind: 'vyre-error',
      code: 'internal',
      message: `Unexpected failure inside vyre-web: ${message} Fix: this is a vyre-web bug; please report it with the details.`,
      details: { original: message },
    },
    error instanceof Error ? error.stack : undefined,
  );
}

function withStack(wire: VyreErrorWire, stack: string | undefined): VyreErrorWire {
  return stack === undefined ? wire : { ...wire, stack };
}

/** Rebuilds a {@link VyreError} from its wire form; anything malformed becomes `internal`. */
export function fromWire(wire: unknown): VyreError {
  if (!isVyreErrorWire(wire)) {
    return new VyreError(
      'internal',
      'Received a malformed error from the worker.',
      'this is a vyre-web bug; please report it.',
      { received: safeDescribe(wire) },
    );
  }
  const error = new VyreError(wire.code, '', '', wire.details);
  // The message already carries its Fix: hint; keep it byte for byte.
  Object.defineProperty(error, 'message', { value: wire.message, enumerable: false });
  if (wire.stack !== undefined) {
    Object.defineProperty(error, 'stack', { value: wire.stack, enumerable: false });
  }
  return error;
}

/** True when `value` has the exact shape of {@link VyreErrorWire}. */
export function isVyreErrorWire(value: unknown): value is VyreErrorWire {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    record['kind'] === 'vyre-error' &&
    typeof record['code'] === 'string' &&
    (VYRE_ERROR_CODES as readonly string[]).includes(record['code']) &&
    typeof record['message'] === 'string' &&
    typeof record['details'] === 'object' &&
    record['details'] !== null &&
    !Array.isArray(record['details']) &&
    (record['stack'] === undefined || typeof record['stack'] === 'string')
  );
}

function safeDescribe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * Asserts one of our own invariants. A failure is a vyre-web bug, never a user error.
 * @throws VyreError `internal`
 */
export function invariant(condition: unknown, what: string): asserts condition {
  if (!condition) {
    throw new VyreError('internal', `Invariant violated: ${what}.`, 'this is a vyre-web bug; please report it.');
  }
}

/** Marks a switch as exhaustive; the compiler rejects any case left unhandled. */
export function unreachable(value: never): never {
  throw new VyreError('internal', `Unhandled case ${safeDescribe(value)}.`, 'this is a vyre-web bug; please report it.');
}
