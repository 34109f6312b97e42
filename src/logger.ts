/**
 * The one small logger of vyre-web, for problems that must not fail the call that met
 * them (an invalid cache limit that falls back to its default, a store write that could
 * not persist). Errors a caller must handle are thrown as `VyreError` instead.
 *
 * This is the only file in `src/` that may call `console`; everything else takes a
 * {@link Logger}, so apps and tests can route, collect or silence warnings.
 */

/** One warning, as a sink receives it. Plain data. */
export interface LogEntry {
  readonly level: 'warn';
  /** Stable kebab-case name of the problem, e.g. `invalid-limit`; safe to switch on. */
  readonly code: string;
  /** One or two sentences for a human. */
  readonly message: string;
  /** Facts for programs (the option, the bad value, the default used). */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Where warnings go. */
export type LogSink = (entry: LogEntry) => void;

/** Reports non-fatal problems. */
export interface Logger {
  /**
   * @param code - stable kebab-case name of the problem.
   * @param message - what happened and what vyre-web did about it.
   * @param details - facts for programs; omitted from the entry when not given.
   */
  warn(code: string, message: string, details?: Readonly<Record<string, unknown>>): void;
}

const PREFIX = '[vyre-web]';

/** The default sink: one `console.warn` line per warning, details as a second argument. */
function consoleSink(entry: LogEntry): void {
  const line = `${PREFIX} ${entry.code}: ${entry.message}`;
  if (entry.details === undefined) console.warn(line);
  else console.warn(line, entry.details);
}

/**
 * Creates a logger that hands each warning to `sink`.
 *
 * A sink that throws is ignored: a warning exists because something was survivable, and
 * a failing log call must not turn it into a crash.
 *
 * @param sink - receives every warning; defaults to `console.warn` with a `[vyre-web]` prefix.
 * @returns a {@link Logger}.
 * @example
 * ```ts
 * const seen: LogEntry[] = [];
 * const logger = createLogger((entry) => seen.push(entry));
 * logger.warn('invalid-limit', 'Ignoring cache.maxEntries = -1; using 256.');
 * ```
 */
export function createLogger(sink: LogSink = consoleSink): Logger {
  return {
    warn(code, message, details) {
      const entry: LogEntry = details === undefined ? { level: 'warn', code, message } : { level: 'warn', code, message, details };
      try {
        sink(entry);
      } catch {
        // Deliberately swallowed; see the doc comment above.
      }
    },
  };
}

/** A logger that drops every warning (for tests and apps that collect nothing). */
export const SILENT_LOGGER: Logger = Object.freeze({
  warn(): void {},
});
