// Driving a stock Firefox (Debian's firefox-esr) with WebGPU on, over WebDriver BiDi.
// Playwright cannot: its own Firefox build is a patched one, and its BiDi mode sends
// commands that Firefox 153 ESR does not know (emulation.setMediaFeaturesOverride), so
// the Firefox lane uses puppeteer-core, which speaks plain BiDi.
import puppeteer from 'puppeteer-core';

/** The Firefox to drive: $FIREFOX_PATH, else Debian's firefox-esr. */
export const FIREFOX_PATH = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';

/**
 * WebGPU is behind a preference in Firefox ESR, and blocked on software adapters; the
 * rest keep a test browser quiet and offline.
 */
export const FIREFOX_WEBGPU_PREFS = {
  'dom.webgpu.enabled': true,
  'gfx.webgpu.ignore-blocklist': true,
  'dom.webgpu.workers.enabled': true,
  'browser.shell.checkDefaultBrowser': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.reportingpolicy.firstRun': false,
  'app.update.disabledForTesting': true,
  'network.captive-portal-service.enabled': false,
};

/**
 * Launches Firefox with WebGPU on; with `userDataDir`, on that profile (launching again
 * on it is a real browser restart: IndexedDB survives).
 */
export function launchFirefox({ userDataDir, headless = true } = {}) {
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless,
    ...(userDataDir === undefined ? {} : { userDataDir }),
    extraPrefsFirefox: FIREFOX_WEBGPU_PREFS,
    // One evaluate may run for minutes (a grid folded at the device limit on a software
    // GPU); the test's own timeout bounds it, not the driver's default 3 minutes.
    protocolTimeout: 0,
  });
}
