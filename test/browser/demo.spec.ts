/** The demo page: two kernels compiled twice, dispatched, checked against the CPU. */
import { expect, test, requireWebGpu } from './support/fixtures.ts';

test('the demo compiles each kernel twice, the second from memory, and its results match the CPU', async ({ page, strayErrors }, testInfo) => {
  void strayErrors;
  await page.goto('/demo/');
  await requireWebGpu(page);
  await expect(page.locator('body[data-ready="true"]')).toBeAttached({ timeout: 60_000 });
  const tiers = await page.locator('#compiles tbody tr td:nth-child(3)').allTextContents();
  const hits = await page.locator('#compiles tbody tr td:nth-child(4)').allTextContents();
  expect(tiers).toEqual(['compiled', 'memory', 'compiled', 'memory']);
  expect(hits).toEqual(['miss', 'hit', 'miss', 'hit']);
  await expect(page.locator('#results tbody tr td:nth-child(4)')).toHaveText(['matches CPU', 'matches CPU']);
  await expect(page.locator('#device')).toContainText('"mode": "persistent"');
  await page.screenshot({ path: testInfo.outputPath('demo.png'), fullPage: true });
});
