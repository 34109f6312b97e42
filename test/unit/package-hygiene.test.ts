/**
 * What the published package promises a consumer beyond its code: the licenses of what it
 * bundles, the worker file as an export of its own, and no Node-only restriction on a
 * browser library.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const read = (path: string): string => readFileSync(resolve(ROOT, path), 'utf8');
const manifest = JSON.parse(read('package.json')) as Record<string, unknown>;

/** Bundled into dist/ by scripts/build-lib.mjs: their notices must ship with it. */
const BUNDLED = ['comlink', 'idb', 'wgsl_reflect'] as const;

describe('package hygiene', () => {
  it.each(BUNDLED)('THIRD_PARTY_NOTICES.md carries %s at its installed version, with its license in full', (name) => {
    const installed = JSON.parse(read(`node_modules/${name}/package.json`)) as { version: string; license: string };
    const notices = read('THIRD_PARTY_NOTICES.md');
    expect(notices).toContain(`## ${name} ${installed.version}\n`);
    expect(notices).toContain(`License: ${installed.license}.`);
    const license = existsSync(resolve(ROOT, `node_modules/${name}/LICENSE`)) ? `node_modules/${name}/LICENSE` : `node_modules/${name}/LICENSE.md`;
    expect(notices).toContain(read(license).trim());
  });

  it('ships the LICENSE and the notices of bundled code', () => {
    expect(manifest['files']).toEqual(expect.arrayContaining(['dist', 'LICENSE', 'THIRD_PARTY_NOTICES.md']));
  });

  it('exports the worker file, for bundlers that need a copy step, and sets module beside exports', () => {
    expect(manifest['exports']).toMatchObject({ './worker.js': './dist/worker.js' });
    expect(manifest['module']).toBe('./dist/index.js');
  });

  it('puts no engines restriction on a browser library', () => {
    expect(manifest).not.toHaveProperty('engines');
  });
});
