/**
 * What the worker can learn about the browser it runs in, for the device fingerprint.
 * Chrome drops its own shader cache when it updates, so the full version matters.
 */
import type { BrowserFacts } from '../pipeline/fingerprint.ts';

interface UserAgentData {
  getHighEntropyValues(hints: string[]): Promise<{ fullVersionList?: { brand: string; version: string }[] }>;
}

/** Prefers a real browser brand over "Chromium" and the GREASE brands Chrome adds. */
const BRAND_PREFERENCE = ['Google Chrome', 'Microsoft Edge', 'Opera', 'Brave', 'Chromium'];

export async function readBrowserFacts(nav: WorkerNavigator | Navigator): Promise<BrowserFacts> {
  const data = (nav as { userAgentData?: UserAgentData }).userAgentData;
  if (data !== undefined) {
    try {
      const { fullVersionList = [] } = await data.getHighEntropyValues(['fullVersionList']);
      for (const brand of BRAND_PREFERENCE) {
        const match = fullVersionList.find((entry) => entry.brand === brand);
        if (match) return { name: match.brand, version: match.version };
      }
    } catch {
      // Fall through to the user-agent string.
    }
  }
  return parseUserAgent(nav.userAgent);
}

/** Browser name and version from a user-agent string; `unknown` when nothing matches. */
export function parseUserAgent(userAgent: string): BrowserFacts {
  const patterns: [string, RegExp][] = [
    ['Microsoft Edge', /Edg\/([\d.]+)/],
    ['Firefox', /Firefox\/([\d.]+)/],
    ['Chromium', /(?:Chrome|Chromium)\/([\d.]+)/],
    ['Safari', /Version\/([\d.]+).*Safari/],
    // Deno's navigator.userAgent is "Deno/<version>"; it runs WebGPU through wgpu.
    ['Deno', /^Deno\/([\d.]+)/],
  ];
  for (const [name, pattern] of patterns) {
    const version = pattern.exec(userAgent)?.[1];
    if (version !== undefined) return { name, version };
  }
  return { name: 'unknown', version: userAgent.slice(0, 80) };
}
