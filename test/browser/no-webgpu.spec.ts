/**
 * Browsers that cannot give us a GPU: the runtime must reject with a clear code, not hang.
 * Each test launches its own Chrome with the flags that produce the situation for real.
 */
import { chromium, expect, test } from '@playwright/test';
import { CHROME_PATH, CHROME_WEBGPU_FLAGS } from '../../scripts/chrome-flags.mjs';

const STATIC_PORT = Number(process.env.VYRE_TEST_PORT ?? 5183) + 1;
const NETWORK_FLAGS = CHROME_WEBGPU_FLAGS.filter((flag) => !/webgpu|vulkan|swiftshader/i.test(flag));

async function createRuntimeIn(url: string, args: string[]): Promise<{ code: string | undefined; message: string }> {
  const browser = await chromium.launch({ executablePath: CHROME_PATH, headless: false, args });
  try {
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForFunction(() => (window as { vyreReady?: boolean }).vyreReady === true);
    return await page.evaluate(async () => {
      const { createRuntime } = (window as unknown as { vyre: typeof import('../support/vyre-all.ts') }).vyre;
      try {
        await createRuntime();
        return { code: 'resolved', message: '' };
      } catch (error) {
        return { code: (error as { code?: string }).code, message: (error as Error).message };
      }
    });
  } finally {
    await browser.close();
  }
}

test('rejects with adapter-unavailable when Chrome offers no GPU adapter [Chrome only: Chrome started without its WebGPU flags]', async () => {
  // Without the SwiftShader flags, Chrome on a machine with no GPU has navigator.gpu but no adapter.
  const result = await createRuntimeIn(`http://localhost:${STATIC_PORT}/test/browser/pages/built.html`, NETWORK_FLAGS);
  test.skip(result.code === 'resolved', 'this machine has a hardware GPU adapter, so it cannot show the no-adapter case');
  expect(result.code).toBe('adapter-unavailable');
  expect(result.message).toMatch(/Fix: /);
});

test('rejects with webgpu-unavailable on a page that is not a secure context [Chrome only: launched through Playwright\'s Chrome]', async () => {
  // A non-localhost http origin is not a secure context, so navigator.gpu is undefined there.
  const result = await createRuntimeIn(`http://vyre-insecure.test:${STATIC_PORT}/test/browser/pages/built.html`, [
    ...CHROME_WEBGPU_FLAGS,
    '--host-resolver-rules=MAP vyre-insecure.test 127.0.0.1',
  ]);
  expect(result.code).toBe('webgpu-unavailable');
  expect(result.message).toMatch(/secure context.*Fix: |Fix: .*secure context/);
});
