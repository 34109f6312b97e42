/**
 * Keeps {@link VyreError} intact across the worker boundary.
 *
 * Comlink's built-in "throw" handler sends only `{ message, name, stack }`, so `code`,
 * `details` and the class are lost (comlink issue #594). We replace that handler on both
 * sides with one that sends the error's wire form and rebuilds a real `VyreError`.
 * Installing is idempotent.
 */
import { transferHandlers, type TransferHandler } from 'comlink';
import { fromWire, isVyreErrorWire, toWire } from '../errors.ts';

const INSTALLED = Symbol.for('vyre-web.error-transfer');

interface ThrownValue {
  readonly value: unknown;
}

/** Replaces Comlink's "throw" transfer handler in this realm. */
export function installErrorTransfer(): void {
  const builtin = transferHandlers.get('throw') as (TransferHandler<unknown, unknown> & { [INSTALLED]?: true }) | undefined;
  if (builtin === undefined || builtin[INSTALLED]) return;
  const handler: TransferHandler<ThrownValue, unknown> & { [INSTALLED]: true } = {
    [INSTALLED]: true,
    canHandle: (value): value is ThrownValue => builtin.canHandle(value),
    serialize: ({ value }) => [{ vyreError: toWire(value) }, []],
    deserialize: (serialized) => {
      const wire = (serialized as { vyreError?: unknown } | null)?.vyreError;
      if (isVyreErrorWire(wire)) throw fromWire(wire);
      // A peer without our handler sent Comlink's own format; let Comlink rebuild it.
      return builtin.deserialize(serialized) as ThrownValue;
    },
  };
  transferHandlers.set('throw', handler as TransferHandler<unknown, unknown>);
}
