/**
 * Deep-freezes plain program data. A frozen program cannot change after it was hashed,
 * which is what makes memoized digests and the client's compile fast path safe.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
