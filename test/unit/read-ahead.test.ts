/**
 * The most recent records read ahead as the store opens (src/store/read-ahead.ts): each
 * served once, none that was written or cleared meanwhile, nothing after a failed read.
 */
import { describe, expect, it } from 'vitest';
import { ReadAhead, type NewestRead } from '../../src/store/read-ahead.ts';
import type { StoredArtifact } from '../../src/pipeline/artifact-store.ts';

const record = (identity: string, version = 1): StoredArtifact => ({ identity, lastUsed: version } as unknown as StoredArtifact);

/** A load the test finishes by hand; `all`: the records are every one the store held. */
function pendingLoad(): { load: (device: string | undefined) => Promise<NewestRead>; finish(records: StoredArtifact[], all?: boolean): Promise<void>; fail(): Promise<void>; devices: (string | undefined)[] } {
  let resolve: (read: NewestRead) => void = () => undefined;
  let reject: (error: Error) => void = () => undefined;
  const devices: (string | undefined)[] = [];
  const load = (device: string | undefined) => {
    devices.push(device);
    return new Promise<NewestRead>((ok, no) => ((resolve = ok), (reject = no)));
  };
  const tick = () => new Promise<void>((done) => setTimeout(done, 0));
  return { load, devices, finish: (records, all = false) => (resolve({ records, all }), tick()), fail: () => (reject(new Error('gone')), tick()) };
}

const onDevice = (identity: string, deviceFingerprint: string): StoredArtifact => ({ identity, deviceFingerprint } as unknown as StoredArtifact);

describe('ReadAhead', () => {
  it('reads once, for the first device asked, and serves each record once, counting the hits', async () => {
    const pending = pendingLoad();
    const ahead = new ReadAhead(pending.load);
    expect(ahead.take('a')).toBeUndefined();
    ahead.start('device-1');
    ahead.start('device-2');
    expect(pending.devices).toEqual(['device-1']);
    await pending.finish([record('a'), record('b')]);
    expect(ahead.take('a')).toEqual(record('a'));
    expect(ahead.take('a')).toBeUndefined();
    expect(ahead.take('b')).toEqual(record('b'));
    expect(ahead.hits).toBe(2);
  });

  it('a start reads ahead before its device is known: for any device, and a later start for one device reads nothing more', async () => {
    const pending = pendingLoad();
    const ahead = new ReadAhead(pending.load);
    ahead.start();
    ahead.start('device-1');
    expect(pending.devices).toEqual([undefined]);
    await pending.finish([record('a')]);
    expect(ahead.records()).toEqual([record('a')]);
  });

  it('never serves a record written while the read ran, nor any once the store was cleared', async () => {
    const written = pendingLoad();
    const ahead = new ReadAhead(written.load);
    ahead.start('d');
    ahead.forget('a'); // written anew while the read ran: the read's copy is older
    await written.finish([record('a'), record('b')]);
    expect(ahead.take('a')).toBeUndefined();
    expect(ahead.take('b')).toEqual(record('b'));

    const cleared = pendingLoad();
    const other = new ReadAhead(cleared.load);
    other.start('d');
    other.forget();
    await cleared.finish([record('c')]);
    expect(other.take('c')).toBeUndefined();
  });

  it('drops a record written after the read, and holds nothing after a failed read', async () => {
    const pending = pendingLoad();
    const ahead = new ReadAhead(pending.load);
    ahead.start('d');
    await pending.finish([record('a')]);
    ahead.forget('a');
    expect(ahead.take('a')).toBeUndefined();

    const failing = pendingLoad();
    const broken = new ReadAhead(failing.load);
    broken.start('d');
    await failing.fail();
    expect(broken.take('a')).toBeUndefined();
    expect(broken.hits).toBe(0);
  });

  it('is the working set of a device when it read every record: that device\'s, most recent first, at most the limit, taken ones too', async () => {
    const pending = pendingLoad();
    const ahead = new ReadAhead(pending.load);
    ahead.start();
    expect(ahead.workingSet('gpu-1', 8)).toBeUndefined(); // still reading
    await pending.finish([onDevice('a', 'gpu-1'), onDevice('x', 'gpu-2'), onDevice('b', 'gpu-1'), onDevice('c', 'gpu-1')], true);
    expect(ahead.take('a')).toEqual(onDevice('a', 'gpu-1')); // a lookup served: the store still holds it
    expect(ahead.workingSet('gpu-1', 8)?.map((r) => r.identity)).toEqual(['a', 'b', 'c']);
    expect(ahead.workingSet('gpu-1', 2)?.map((r) => r.identity)).toEqual(['a', 'b']);
    expect(ahead.workingSet('gpu-3', 8)).toEqual([]);
  });

  it('is no working set when the store may hold more, or changed: a full read, a write or clear during or after it, a failed read', async () => {
    const full = pendingLoad();
    const fullAhead = new ReadAhead(full.load);
    fullAhead.start();
    await full.finish([onDevice('a', 'gpu-1')], false);
    expect(fullAhead.workingSet('gpu-1', 8)).toBeUndefined();

    const writtenDuring = pendingLoad();
    const during = new ReadAhead(writtenDuring.load);
    during.start();
    during.forget('z');
    await writtenDuring.finish([onDevice('a', 'gpu-1')], true);
    expect(during.workingSet('gpu-1', 8)).toBeUndefined();

    for (const change of [(ahead: ReadAhead) => ahead.forget('a'), (ahead: ReadAhead) => ahead.forget()]) {
      const read = pendingLoad();
      const after = new ReadAhead(read.load);
      after.start();
      await read.finish([onDevice('a', 'gpu-1')], true);
      expect(after.workingSet('gpu-1', 8)).toHaveLength(1);
      change(after);
      expect(after.workingSet('gpu-1', 8)).toBeUndefined();
    }

    const failing = pendingLoad();
    const broken = new ReadAhead(failing.load);
    broken.start();
    await failing.fail();
    expect(broken.workingSet('gpu-1', 8)).toBeUndefined();
  });
});
