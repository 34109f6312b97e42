/**
 * Cache-tier bounds from runtime options. A bad limit must never take the runtime down:
 * each invalid field falls back to its default and logs one `invalid-limit` warning
 * (the web counterpart of vyre's `pipeline_cache_limits_from_env`, which also ignores
 * values that are not positive integers).
 */
import type { Logger } from '../logger.ts';
import type { CacheBounds } from '../protocol/cache.ts';

/** Memory tier: 256 pipelines or 256 MiB of estimated bytes, whichever binds first. */
export const DEFAULT_MEMORY_BOUNDS: CacheBounds = Object.freeze({ maxEntries: 256, maxBytes: 256 * 1024 * 1024 });

/** Persistent tier (IndexedDB): 1024 records or 64 MiB, whichever binds first. */
export const DEFAULT_PERSISTENT_BOUNDS: CacheBounds = Object.freeze({ maxEntries: 1024, maxBytes: 64 * 1024 * 1024 });

const FIELDS = ['maxEntries', 'maxBytes'] as const;

/** The warning code every rejected limit is logged under. */
export const INVALID_LIMIT = 'invalid-limit';

/**
 * Resolves the bounds of one tier from a user-supplied options value.
 *
 * - `raw` undefined: the defaults, silently.
 * - `raw` not a plain object (null, a string, an array …): the defaults, one warning.
 * - each field on its own: a positive safe integer (a `number`, not a numeric string) is
 *   used; `undefined` silently takes the default; anything else (0, negative, NaN,
 *   Infinity, fractions, strings, objects) takes the default and logs one warning naming
 *   the field and the bad value.
 * - a field vyre-web does not know (a typo such as `maxEntires`) logs one warning, so
 *   the limit the user meant to set does not silently stay at its default.
 *
 * Never throws, whatever `raw` is.
 *
 * @param raw - the option value as the user gave it, e.g. `options.cache`.
 * @param defaults - the tier's defaults, e.g. {@link DEFAULT_MEMORY_BOUNDS}.
 * @param what - the option's name, used in warnings (`cache.maxEntries`).
 * @param logger - receives the warnings.
 * @returns bounds whose fields are positive safe integers (given valid `defaults`).
 */
export function resolveBounds(raw: unknown, defaults: CacheBounds, what: 'cache' | 'persistent', logger: Logger): CacheBounds {
  if (raw === undefined) return { maxEntries: defaults.maxEntries, maxBytes: defaults.maxBytes };
  if (!isObjectRecord(raw)) {
    logger.warn(INVALID_LIMIT, `Ignoring ${what} = ${describe(raw)}: expected an object like { maxEntries, maxBytes }; using the defaults.`, {
      option: what,
      value: describe(raw),
      defaults: { maxEntries: defaults.maxEntries, maxBytes: defaults.maxBytes },
    });
    return { maxEntries: defaults.maxEntries, maxBytes: defaults.maxBytes };
  }
  const record = raw as Record<string, unknown>;
  for (const key of safeKeys(record)) {
    if (!(FIELDS as readonly string[]).includes(key)) {
      logger.warn(INVALID_LIMIT, `Ignoring unknown option ${what}.${key}: the limits are ${FIELDS.join(' and ')}.`, { option: what, field: key });
    }
  }
  return {
    maxEntries: resolveField(record, 'maxEntries', defaults.maxEntries, what, logger),
    maxBytes: resolveField(record, 'maxBytes', defaults.maxBytes, what, logger),
  };
}

function resolveField(record: Record<string, unknown>, field: (typeof FIELDS)[number], fallback: number, what: string, logger: Logger): number {
  let value: unknown;
  try {
    value = record[field];
  } catch {
    // A throwing getter counts as an invalid value, not as a crash.
    value = Symbol('unreadable');
  }
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
  logger.warn(INVALID_LIMIT, `Ignoring ${what}.${field} = ${describe(value)}: not a positive whole number; using the default ${fallback}.`, {
    option: what,
    field,
    value: describe(value),
    default: fallback,
  });
  return fallback;
}

function isObjectRecord(value: unknown): value is object {
  return typeof value === 'object' && value !== null && kindOf(value) === 'object';
}

function kindOf(value: object): 'array' | 'object' | 'unreadable' {
  try {
    return Array.isArray(value) ? 'array' : 'object';
  } catch {
    return 'unreadable'; // Array.isArray throws on a revoked Proxy
  }
}

function safeKeys(record: object): string[] {
  try {
    return Object.keys(record);
  } catch {
    return []; // e.g. a revoked Proxy
  }
}

/** A short, safe description of any value for a warning (never throws). */
function describe(value: unknown): string {
  switch (typeof value) {
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'string':
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    case 'bigint':
      return `${value}n`;
    case 'undefined':
    case 'boolean':
    case 'symbol':
      return String(value);
    case 'function':
      return 'a function';
    case 'object':
      if (value === null) return 'null';
      return { array: 'an array', object: 'an object', unreadable: 'an unreadable object' }[kindOf(value)];
    default:
      return 'a value';
  }
}
