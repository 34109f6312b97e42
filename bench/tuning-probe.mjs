// What runtime.compileTuned chooses in Chrome on this machine, and each variant's time
// (bench/browser/tuning-bench.ts): a fresh profile, a memory-only runtime (so every size
// is tuned, not read back), the table docs/benchmarks.md quotes.
//   node bench/tuning-probe.mjs [--sizes 256,512,1024]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { createServer } from 'vite';
import { CHROME_PATH, CHROME_WEBGPU_FLAGS } from '../scripts/chrome-flags.mjs';

const at = process.argv.indexOf('--sizes');
const sizes = at >= 0 ? process.argv[at + 1].split(',').map(Number) : [256, 512, 1024];
const server = await createServer({ configFile: 'vite.config.ts', logLevel: 'error', server: { port: 0, hmr: false, watch: null } });
await server.listen();
const profile = mkdtempSync(join(tmpdir(), 'vyre-tuning-probe-'));
try {
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROME_PATH, headless: true, args: CHROME_WEBGPU_FLAGS });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => console.log(`[page] ${message.text()}`));
    await page.goto(new URL('bench/tuning.html', server.resolvedUrls.local[0]).href);
    await page.waitForFunction(() => window.benchReady === true, undefined, { timeout: 60_000 });
    const table = await page.evaluate(async (sizes) => {
      const { createRuntime, runTuning, tuningTable } = window.tuningProbe;
      const runtime = await createRuntime({ persistent: false });
      try {
        return tuningTable(await runTuning(runtime, sizes));
      } finally {
        await runtime.dispose();
      }
    }, sizes);
    console.log(`\n${table}`);
  } finally {
    await context.close();
  }
} finally {
  rmSync(profile, { recursive: true, force: true });
  await server.close();
}
