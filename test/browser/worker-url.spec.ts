/**
 * `createRuntime({ workerUrl })` on a page that enforces Trusted Types (a CSP with
 * `require-trusted-types-for 'script'`): `new Worker()` then takes only a
 * `TrustedScriptURL`, which vyre-web passes through untouched. The header is added to the
 * harness page on its way to the browser, for the source harness (Vite) and the built bundle.
 */
import type { Page } from '@playwright/test';
import { expect, openHarness, test } from './support/fixtures.ts';
import { SCALE_F32 } from './support/kernels.ts';

const STATIC_ORIGIN = `http://localhost:${Number(process.env.VYRE_TEST_PORT ?? 5183) + 1}`;
const TRUSTED_TYPES_CSP = "require-trusted-types-for 'script'";

/** Trusted Types as far as this test uses them; lib.dom does not declare them yet. */
interface TrustedTypesWindow {
  readonly trustedTypes: {
    createPolicy(name: string, rules: { createScriptURL(input: string): string }): { createScriptURL(input: string): { toJSON(): string } };
  };
}

/** Serves `harness` with the Trusted Types CSP, then opens it. */
async function openEnforcingHarness(page: Page, harness: string): Promise<void> {
  await page.route((url) => url.pathname.endsWith(new URL(harness, 'http://x').pathname), async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': TRUSTED_TYPES_CSP } });
  });
  await openHarness(page, harness);
}

const HARNESSES = [
  // The worker URL the source harness's default `new Worker(new URL(…))` resolves to under Vite.
  { name: 'the source harness (Vite)', harness: '/test/browser/pages/harness.html', worker: '/src/worker/entry.ts?worker_file&type=module' },
  { name: 'the built bundle', harness: `${STATIC_ORIGIN}/test/browser/pages/built.html`, worker: '/dist/worker.js' },
];

for (const { name, harness, worker } of HARNESSES) {
  test(`on a page that enforces Trusted Types, a TrustedScriptURL workerUrl starts the runtime and compiles, and a plain string is refused with a Fix: ${name} [Chrome only: served through Playwright's request routing]`, async ({ page, strayErrors }) => {
    await openEnforcingHarness(page, harness);
    const result = await page.evaluate(async ({ workerPath, code }) => {
      const policy = (window as unknown as TrustedTypesWindow).trustedTypes.createPolicy('vyre-test', { createScriptURL: (input) => input });
      const scriptUrl = policy.createScriptURL(new URL(workerPath, location.href).href);
      // A plain string is refused on this page: the policy is enforced, and the error says what to do.
      const plain = await window.vyre.createRuntime({ workerUrl: new URL(workerPath, location.href).href }).then(
        () => 'started',
        (error: unknown) => (window.vyre.isVyreError(error) ? { code: error.code, message: error.message } : String(error)),
      );
      const runtime = await window.vyre.createRuntime({ workerUrl: scriptUrl, persistent: false });
      const { pipeline, tier } = await runtime.compile(window.vyre.wgsl({ code }));
      const { y } = await pipeline.dispatch({ x: Float32Array.of(0, 1.5, -4) });
      await runtime.dispose();
      return { plain, tier, y: Array.from(y ?? []) };
    }, { workerPath: worker, code: SCALE_F32 });
    expect(result.plain).toMatchObject({ code: 'worker-terminated', message: expect.stringMatching(/TrustedScriptURL.* Fix: .*createScriptURL/) });
    // Chrome reports the refused plain string on the console too: expected, and the only error allowed.
    const isRefusal = (error: string): boolean => error.includes("requires 'TrustedScriptURL' assignment");
    expect(strayErrors.some(isRefusal), strayErrors.join('\n')).toBe(true);
    strayErrors.splice(0, strayErrors.length, ...strayErrors.filter((error) => !isRefusal(error)));
    expect(result.tier).toBe('compiled');
    expect(result.y).toEqual([1, 4, -7]);
  });
}
