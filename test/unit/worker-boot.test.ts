/**
 * The worker's boot (src/worker/boot.ts) and the name that carries its adapter request
 * (src/protocol/worker-name.ts): the adapter is asked for before the runtime's code loads,
 * and no message sent meanwhile is lost or reordered.
 */
import { describe, expect, it } from 'vitest';
import { adapterRequestOf, workerNameFor } from '../../src/protocol/worker-name.ts';
import { bootWorker, type BootScope, type StartArguments } from '../../src/worker/boot.ts';

/** A worker scope: an EventTarget with a name and a navigator whose gpu records what happens. */
function fakeScope(name: string, adapter: () => Promise<GPUAdapter | null> = async () => ({ label: 'early' }) as unknown as GPUAdapter) {
  const events: string[] = [];
  const requests: unknown[] = [];
  const gpu = { requestAdapter: (options: unknown) => (events.push('requestAdapter'), requests.push(options), adapter()) } as unknown as GPU;
  const scope = Object.assign(new EventTarget(), { name, navigator: { gpu } }) as BootScope;
  return { scope, events, requests };
}

/** A load of the runtime's code that the test settles, and a start that records its messages. */
function controlledLoad(events: string[]) {
  let settle!: (ok: boolean) => void;
  const received: unknown[] = [];
  let args: StartArguments | undefined;
  const start = (scope: BootScope) => (given: StartArguments) => {
    args = given;
    scope.addEventListener('message', (event) => void received.push((event as MessageEvent).data));
  };
  const load = (scope: BootScope) => () => {
    events.push('load');
    return new Promise<{ start(args: StartArguments): void }>((resolve, reject) => {
      settle = (ok) => (ok ? resolve({ start: start(scope) }) : reject(new TypeError('Failed to fetch dynamically imported module: worker-core-x.js')));
    });
  };
  return { load, settle: (ok: boolean) => settle(ok), received, args: () => args };
}

describe('the worker name carries the adapter request', () => {
  it('round-trips each power preference and the default', () => {
    for (const adapter of [undefined, {}, { powerPreference: 'low-power' as const }, { powerPreference: 'high-performance' as const }]) {
      expect(adapterRequestOf(workerNameFor(adapter))).toEqual(adapter?.powerPreference ? { powerPreference: adapter.powerPreference } : {});
    }
    expect(workerNameFor(undefined)).toBe('vyre-web');
    expect(workerNameFor({ powerPreference: 'high-performance' })).toBe('vyre-web high-performance');
  });

  it('an unknown preference gives the plain name (init checks it as before), and foreign names give no request', () => {
    expect(workerNameFor({ powerPreference: 'fastest' as never })).toBe('vyre-web');
    for (const name of ['', 'vyre', 'my-worker', 'vyre-web fastest', 'vyre-web low-power extra', 'vyre-web  low-power']) {
      expect(adapterRequestOf(name), name).toBeUndefined();
    }
  });
});

describe('the worker boot', () => {
  it('asks for the adapter, with the options its name carries, before it loads the runtime code', async () => {
    const { scope, events, requests } = fakeScope('vyre-web high-performance');
    const load = controlledLoad(events);
    const booted = bootWorker(scope, load.load(scope));
    expect(events).toEqual(['requestAdapter', 'load']);
    expect(requests).toEqual([{ powerPreference: 'high-performance' }]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    load.settle(true);
    await booted;
    expect(load.args()?.earlyAdapter?.options).toEqual({ powerPreference: 'high-performance' });
    // The boot's moment (the adapter request) is when it began, not when the code had loaded 20 ms later.
    expect((load.args()?.scriptReadyAt ?? Number.NaN) - (load.args()?.bootedAt ?? Number.NaN)).toBeGreaterThanOrEqual(15);
    await expect(load.args()?.earlyAdapter?.adapter).resolves.toEqual({ label: 'early' });
  });

  it('holds the messages that arrive while the code loads, and hands them to the runtime in order, once', async () => {
    const { scope, events } = fakeScope('vyre-web');
    const load = controlledLoad(events);
    const booted = bootWorker(scope, load.load(scope));
    for (const data of ['init', 'band', 'compile']) scope.dispatchEvent(new MessageEvent('message', { data }));
    expect(load.received).toEqual([]);
    load.settle(true);
    await booted;
    expect(load.received).toEqual(['init', 'band', 'compile']);
    scope.dispatchEvent(new MessageEvent('message', { data: 'later' }));
    expect(load.received).toEqual(['init', 'band', 'compile', 'later']);
  });

  it('makes no early request for a name it did not make, nor without WebGPU', async () => {
    const { scope, events } = fakeScope('some-other-worker');
    const load = controlledLoad(events);
    const booted = bootWorker(scope, load.load(scope));
    load.settle(true);
    await booted;
    expect(events).toEqual(['load']);
    expect(load.args()?.earlyAdapter).toBeUndefined();
    const noGpu = Object.assign(new EventTarget(), { name: 'vyre-web', navigator: {} }) as BootScope;
    const second = controlledLoad([]);
    const bootedWithout = bootWorker(noGpu, second.load(noGpu));
    second.settle(true);
    await bootedWithout;
    expect(second.args()?.earlyAdapter).toBeUndefined();
  });

  it('an early request that fails reads as null, so the start asks again', async () => {
    const { scope, events } = fakeScope('vyre-web', () => Promise.reject(new Error('GPU process gone')));
    const load = controlledLoad(events);
    const booted = bootWorker(scope, load.load(scope));
    load.settle(true);
    await booted;
    await expect(load.args()?.earlyAdapter?.adapter).resolves.toBeNull();
  });

  it('rejects with the load error when the runtime code does not load (the entry rethrows it as uncaught)', async () => {
    const { scope, events } = fakeScope('vyre-web');
    const load = controlledLoad(events);
    const booted = bootWorker(scope, load.load(scope));
    load.settle(false);
    await expect(booted).rejects.toThrow('worker-core-x.js');
  });
});
