/**
 * Helpers loaded into the cache-test page (test/browser/pages/cache.html): a family of
 * small distinct programs, and direct access to the IndexedDB records so tests can
 * corrupt or craft them the way a real fault (or another device) would leave them.
 */
import * as vyre from '../../support/vyre-all.ts';
import { createRecord } from '../../../src/store/record.ts';
import { openIndexedDbStore } from '../../../src/store/indexeddb-store.ts';
import { lowerProgram } from '../../../src/lower/lower-program.ts';
import { createManifest } from '../../../src/pipeline/manifest.ts';
import { pipelineIdOf } from '../../../src/pipeline/identity.ts';
import { DATABASE_VERSION } from '../../../src/store/schema.ts';
import type { StoredArtifact } from '../../../src/pipeline/artifact-store.ts';

/** y[i] = x[i] + k: a distinct program (and pipeline) per k. */
export function addK(k: number): vyre.IrProgram {
  return vyre.program({ name: `add-${k}`, workgroupSize: 64 }, (b) => {
    const x = b.buffer('x', 'u32', 'read');
    const y = b.buffer('y', 'u32', 'output');
    const i = b.let('i', b.linearIndex());
    b.if(i.lt(x.length()), () => y.store(i, x.load(i).add(k)));
  });
}

/** Compiles and runs addK(k) on [0, 1, 2, 3]; returns the build facts and the output. */
export async function runAddK(runtime: vyre.Runtime, k: number, policy?: vyre.DispatchPolicy) {
  const build = await runtime.compile(addK(k), policy);
  const { y } = await build.pipeline.dispatch({ x: Uint32Array.of(0, 1, 2, 3) });
  return { tier: build.tier, cacheHit: build.cacheHit, missReason: build.missReason, lower: build.timings.lower, y: Array.from(y ?? []) };
}

function openRaw(dbName: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(dbName, DATABASE_VERSION);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function withStore<T>(dbName: string, mode: IDBTransactionMode, use: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openRaw(dbName);
  try {
    return await new Promise<T>((resolve, reject) => {
      const transaction = db.transaction('artifacts', mode);
      const request = use(transaction.objectStore('artifacts'));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error);
    });
  } finally {
    db.close();
  }
}

export function allRecords(dbName: string): Promise<StoredArtifact[]> {
  return withStore(dbName, 'readonly', (store) => store.getAll() as IDBRequest<StoredArtifact[]>);
}

export function putRaw(dbName: string, value: unknown): Promise<IDBValidKey> {
  return withStore(dbName, 'readwrite', (store) => store.put(value));
}

/** The ways a stored record can be damaged; each must read as `corrupt-entry`. */
export const CORRUPTIONS = {
  'bad checksum': (r: StoredArtifact) => ({ ...r, checksum: '0'.repeat(64) }),
  'truncated WGSL': (r: StoredArtifact) => ({ ...r, artifact: { ...r.artifact, code: r.artifact.code.slice(0, r.artifact.code.length >> 1) } }),
  'wrong schema version': (r: StoredArtifact) => ({ ...r, schemaVersion: r.schemaVersion + 1 }),
  'missing field': (r: StoredArtifact) => {
    const { manifest: _dropped, ...rest } = r;
    return rest;
  },
  // The store's in-line key path makes a non-object record impossible to write at all;
  // the nearest real fault is a record whose artifact is not an object.
  'not an object': (r: StoredArtifact) => ({ ...r, artifact: 'garbage' }),
} as const;

/** Damages the record stored under `identity` in one of the ways above. */
export async function corrupt(dbName: string, identity: string, how: keyof typeof CORRUPTIONS): Promise<void> {
  const record = (await allRecords(dbName)).find((r) => r.identity === identity);
  if (record === undefined) throw new Error(`no record ${identity}`);
  await putRaw(dbName, CORRUPTIONS[how](record));
}

/** A valid record of `source`, re-keyed as if written on another device or under another key. */
export async function craftVariant(dbName: string, source: StoredArtifact, change: { deviceFingerprint?: string; identity?: string }): Promise<void> {
  const variant = createRecord(
    {
      identity: change.identity ?? source.identity,
      keyVersion: source.keyVersion,
      deviceFingerprint: change.deviceFingerprint ?? source.deviceFingerprint,
      programDigest: source.programDigest,
      policy: source.policy,
      artifact: source.artifact,
      manifest: source.manifest,
    },
    Date.now(),
  );
  await putRaw(dbName, variant);
}

export function deleteRecord(dbName: string, identity: string): Promise<undefined> {
  return withStore(dbName, 'readwrite', (store) => store.delete(identity));
}

/**
 * Writes `count` distinct artifacts through the real IndexedDB store with the given
 * bounds, oldest first; reports what the store and the database hold afterwards.
 */
export async function fillStore(dbName: string, count: number, limits: { maxEntries: number; maxBytes: number }) {
  const store = await openIndexedDbStore({ dbName, limits });
  const identity = (k: number): string => k.toString(16).padStart(64, '0');
  const artifact = lowerProgram(addK(0), [64, 1, 1]);
  for (let k = 0; k < count; k++) {
    const id = identity(k + 1);
    const manifest = createManifest({
      pipelineId: pipelineIdOf(id), programDigest: id, dispatchPolicy: 'wg=[64,1,1]', cacheHit: false,
      deviceFingerprint: 'd'.repeat(64), device: 'test', browser: 'test', libraryVersion: vyre.LIBRARY_VERSION, wgslHash: 'e'.repeat(64),
    });
    await store.write({ identity: id, keyVersion: 1, deviceFingerprint: 'd'.repeat(64), programDigest: id, policy: 'wg=[64,1,1]', artifact, manifest });
  }
  const stats = await store.stats();
  store.close();
  const records = await allRecords(dbName);
  const ids = new Set(records.map((r) => r.identity));
  return { ...stats, recordsInDatabase: records.length, newestKept: ids.has(identity(count)), oldestEvicted: !ids.has(identity(1)) };
}

export function deleteDatabase(dbName: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(dbName);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

/**
 * What a store over `dbName` says of its opening (ArtifactStore.wasEmptyAtOpen): on the database
 * as it is, then once a record was written and the store opened again.
 */
export async function openedEmpty(dbName: string): Promise<{ asItIs: boolean; afterAWrite: boolean }> {
  const limits = { maxEntries: 100, maxBytes: 1 << 26 };
  const first = await openIndexedDbStore({ dbName, limits });
  const asItIs = first.wasEmptyAtOpen();
  first.close();
  await fillStore(dbName, 1, limits);
  const second = await openIndexedDbStore({ dbName, limits });
  const afterAWrite = second.wasEmptyAtOpen();
  second.close();
  return { asItIs, afterAWrite };
}

export const helpers = { addK, runAddK, allRecords, corrupt, craftVariant, deleteRecord, deleteDatabase, fillStore, openedEmpty, putRaw, CORRUPTIONS: Object.keys(CORRUPTIONS) };
