/**
 * The browser part of the device fingerprint, read from the user-agent string where
 * there is no `userAgentData` (Firefox, Safari, Deno). The strings are the ones those
 * engines sent on 2026-11-30 (Firefox ESR and Deno on the development machine) or their
 * documented forms.
 */
import { describe, expect, it } from 'vitest';
import { parseUserAgent, readBrowserFacts } from '../../src/worker/browser-facts.ts';
import { deviceFingerprint, type DeviceFacts } from '../../src/pipeline/fingerprint.ts';

const FIREFOX_ESR = 'Mozilla/5.0 (X11; Linux x86_64; rv:153.0) Gecko/20100101 Firefox/153.0';
const CHROMIUM = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';
const SAFARI = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.1 Safari/605.1.15';

describe('parseUserAgent', () => {
  it.each([
    [FIREFOX_ESR, 'Firefox', '153.0'],
    [CHROMIUM, 'Chromium', '156.0.0.0'],
    [SAFARI, 'Safari', '26.1'],
    ['Deno/2.9.6', 'Deno', '2.9.6'],
  ])('reads %s as %s %s', (userAgent, name, version) => {
    expect(parseUserAgent(userAgent)).toEqual({ name, version });
  });

  it('keeps an unknown agent as "unknown" with the start of its string, so two agents still differ', () => {
    expect(parseUserAgent('SomeEngine/1')).toEqual({ name: 'unknown', version: 'SomeEngine/1' });
  });

  it('reads Firefox from the user-agent string in a worker without userAgentData', async () => {
    expect(await readBrowserFacts({ userAgent: FIREFOX_ESR } as Navigator)).toEqual({ name: 'Firefox', version: '153.0' });
  });
});

describe('the fingerprint where every GPUAdapterInfo string is empty (Firefox)', () => {
  const firefox: DeviceFacts = {
    adapterInfo: { vendor: '', architecture: '', device: '', description: '' },
    isFallbackAdapter: true,
    features: ['shader-f16', 'timestamp-query'],
    limits: { maxComputeWorkgroupSizeX: 256, maxStorageBufferBindingSize: 134217728 },
    browser: { name: 'Firefox', version: '153.0' },
    libraryVersion: '0.1.0',
    loweringVersion: 5,
  };

  it('is stable: the same facts give the same digest', () => {
    expect(deviceFingerprint(firefox).digest).toBe(deviceFingerprint({ ...firefox, features: [...firefox.features].reverse() }).digest);
  });

  it.each([
    ['another browser version', { browser: { name: 'Firefox', version: '154.0' } }],
    ['another browser with the same blank adapter', { browser: { name: 'Chromium', version: '153.0' } }],
    ['one feature fewer', { features: ['timestamp-query'] }],
    ['another codegen limit', { limits: { maxComputeWorkgroupSizeX: 1024, maxStorageBufferBindingSize: 134217728 } }],
    ['a real (not fallback) adapter', { isFallbackAdapter: false }],
  ])('still tells devices apart: %s', (_, change) => {
    expect(deviceFingerprint({ ...firefox, ...change }).digest).not.toBe(deviceFingerprint(firefox).digest);
  });

  it('reads as unknown/unknown with the browser, the feature count and the fallback mark', () => {
    expect(deviceFingerprint(firefox).readable).toBe('unknown/unknown · Firefox 153.0 · vyre-web 0.1.0/lowering 5 · 2 features · fallback');
  });
});
