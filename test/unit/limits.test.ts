/**
 * Cache limits from runtime options: a bad value falls back to its default with one
 * warning, never a crash; a missing value is simply the default.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SILENT_LOGGER, createLogger, type LogEntry } from '../../src/logger.ts';
import { DEFAULT_MEMORY_BOUNDS, DEFAULT_PERSISTENT_BOUNDS, resolveBounds } from '../../src/pipeline/limits.ts';

function collect(): { entries: LogEntry[]; logger: ReturnType<typeof createLogger> } {
  const entries: LogEntry[] = [];
  return { entries, logger: createLogger((entry) => entries.push(entry)) };
}

describe('default bounds', () => {
  it('are the documented ones: memory 256 entries / 256 MiB, persistent 1024 entries / 64 MiB', () => {
    expect(DEFAULT_MEMORY_BOUNDS).toEqual({ maxEntries: 256, maxBytes: 268_435_456 });
    expect(DEFAULT_PERSISTENT_BOUNDS).toEqual({ maxEntries: 1024, maxBytes: 67_108_864 });
  });
});

describe('resolveBounds', () => {
  it('uses the defaults silently when the option is undefined', () => {
    const { entries, logger } = collect();
    expect(resolveBounds(undefined, DEFAULT_MEMORY_BOUNDS, 'cache', logger)).toEqual(DEFAULT_MEMORY_BOUNDS);
    expect(entries).toEqual([]);
  });

  it('uses the default silently for a field left undefined, and takes the other field', () => {
    const { entries, logger } = collect();
    expect(resolveBounds({ maxEntries: 8 }, DEFAULT_MEMORY_BOUNDS, 'cache', logger)).toEqual({ maxEntries: 8, maxBytes: DEFAULT_MEMORY_BOUNDS.maxBytes });
    expect(resolveBounds({ maxBytes: 4096, maxEntries: undefined }, DEFAULT_PERSISTENT_BOUNDS, 'persistent', logger)).toEqual({ maxEntries: 1024, maxBytes: 4096 });
    expect(resolveBounds({}, DEFAULT_MEMORY_BOUNDS, 'cache', logger)).toEqual(DEFAULT_MEMORY_BOUNDS);
    expect(entries).toEqual([]);
  });

  it.each([
    [1, 1],
    [1, Number.MAX_SAFE_INTEGER],
    [100_000, 2 ** 40],
    [1e3, 5e8], // exponent notation still writes a whole number
  ])('takes positive safe integers as they are: maxEntries %s, maxBytes %s', (maxEntries, maxBytes) => {
    const { entries, logger } = collect();
    expect(resolveBounds({ maxEntries, maxBytes }, DEFAULT_MEMORY_BOUNDS, 'cache', logger)).toEqual({ maxEntries, maxBytes });
    expect(entries).toEqual([]);
  });

  describe.each(['maxEntries', 'maxBytes'] as const)('a bad %s falls back to its default with one warning naming it', (field) => {
    it.each([
      ['zero', 0, '0'],
      ['negative', -5, '-5'],
      ['negative zero', -0, '-0'],
      ['NaN', Number.NaN, 'NaN'],
      ['Infinity', Number.POSITIVE_INFINITY, 'Infinity'],
      ['a fraction', 1.5, '1.5'],
      ['beyond MAX_SAFE_INTEGER', 2 ** 53, String(2 ** 53)],
      ['a numeric string', '256', '"256"'],
      ['an empty string', '', '""'],
      ['null', null, 'null'],
      ['true', true, 'true'],
      ['a bigint', 256n, '256n'],
      ['an object', { value: 1 }, 'an object'],
      ['an array', [256], 'an array'],
      ['a function', () => 256, 'a function'],
    ] as const)('%s', (_, bad, shown) => {
      const { entries, logger } = collect();
      const good = field === 'maxEntries' ? { maxBytes: 1024 } : { maxEntries: 8 };
      const result = resolveBounds({ ...good, [field]: bad }, DEFAULT_PERSISTENT_BOUNDS, 'persistent', logger);
      expect(result).toEqual({ ...DEFAULT_PERSISTENT_BOUNDS, ...good });
      expect(entries).toHaveLength(1);
      const [entry] = entries;
      expect(entry?.code).toBe('invalid-limit');
      expect(entry?.message).toContain(`persistent.${field} = ${shown}`);
      expect(entry?.details).toMatchObject({ option: 'persistent', field, value: shown, default: DEFAULT_PERSISTENT_BOUNDS[field] });
    });
  });

  it('warns once per bad field when both are bad', () => {
    const { entries, logger } = collect();
    expect(resolveBounds({ maxEntries: -1, maxBytes: 'lots' }, DEFAULT_MEMORY_BOUNDS, 'cache', logger)).toEqual(DEFAULT_MEMORY_BOUNDS);
    expect(entries.map((entry) => entry.details?.['field'])).toEqual(['maxEntries', 'maxBytes']);
  });

  it.each([
    ['null', null],
    ['a string', '256'],
    ['a number', 256],
    ['true', true],
    ['an array', [256, 1024]],
  ] as const)('falls back to both defaults with one warning when the option itself is %s', (_, raw) => {
    const { entries, logger } = collect();
    expect(resolveBounds(raw, DEFAULT_MEMORY_BOUNDS, 'cache', logger)).toEqual(DEFAULT_MEMORY_BOUNDS);
    expect(entries).toHaveLength(1);
    expect(entries[0]?.code).toBe('invalid-limit');
    expect(entries[0]?.message).toContain('cache');
  });

  it('warns about an unknown field (a typo would otherwise silently keep the default)', () => {
    const { entries, logger } = collect();
    expect(resolveBounds({ maxEntires: 8 }, DEFAULT_MEMORY_BOUNDS, 'cache', logger)).toEqual(DEFAULT_MEMORY_BOUNDS);
    expect(entries).toHaveLength(1);
    expect(entries[0]?.message).toContain('cache.maxEntires');
    expect(entries[0]?.details).toEqual({ option: 'cache', field: 'maxEntires' });
  });

  it('never throws, even for a getter that throws or a revoked proxy', () => {
    const { entries, logger } = collect();
    const throwing = {
      get maxEntries(): number {
        throw new Error('boom');
      },
    };
    expect(resolveBounds(throwing, DEFAULT_MEMORY_BOUNDS, 'cache', logger)).toEqual(DEFAULT_MEMORY_BOUNDS);
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(resolveBounds(proxy, DEFAULT_MEMORY_BOUNDS, 'cache', logger)).toEqual(DEFAULT_MEMORY_BOUNDS);
    expect(entries.every((entry) => entry.code === 'invalid-limit')).toBe(true);
    expect(entries).toHaveLength(2);
  });

  it('returns a fresh object, never the shared defaults', () => {
    const resolved = resolveBounds(undefined, DEFAULT_MEMORY_BOUNDS, 'cache', createLogger(() => {}));
    expect(resolved).not.toBe(DEFAULT_MEMORY_BOUNDS);
  });
});

describe('createLogger (the warnings resolveBounds writes go through it)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('hands the sink a plain entry, leaving out details when none were given', () => {
    const { entries, logger } = collect();
    logger.warn('invalid-limit', 'first');
    logger.warn('invalid-limit', 'second', { field: 'maxBytes' });
    expect(entries).toEqual([
      { level: 'warn', code: 'invalid-limit', message: 'first' },
      { level: 'warn', code: 'invalid-limit', message: 'second', details: { field: 'maxBytes' } },
    ]);
    expect('details' in (entries[0] ?? {})).toBe(false);
  });

  it('writes to console.warn with a [vyre-web] prefix by default', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    createLogger().warn('invalid-limit', 'Ignoring cache.maxEntries = 0.', { field: 'maxEntries' });
    createLogger().warn('store-write-failed', 'No details.');
    expect(warn.mock.calls).toEqual([
      ['[vyre-web] invalid-limit: Ignoring cache.maxEntries = 0.', { field: 'maxEntries' }],
      ['[vyre-web] store-write-failed: No details.'],
    ]);
  });

  it('survives a sink that throws: a warning never becomes a crash', () => {
    const logger = createLogger(() => {
      throw new Error('sink broke');
    });
    expect(() => logger.warn('invalid-limit', 'x')).not.toThrow();
    expect(resolveBounds({ maxEntries: 0 }, DEFAULT_MEMORY_BOUNDS, 'cache', logger)).toEqual(DEFAULT_MEMORY_BOUNDS);
  });

  it('has a silent logger that writes nothing anywhere', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    SILENT_LOGGER.warn('invalid-limit', 'dropped');
    expect(resolveBounds({ maxEntries: 0 }, DEFAULT_MEMORY_BOUNDS, 'cache', SILENT_LOGGER)).toEqual(DEFAULT_MEMORY_BOUNDS);
    expect(warn).not.toHaveBeenCalled();
  });
});
