// Sizes the warmup suite's heavy shaders (bench/browser/heavy-shaders.ts) on this machine:
// per shader, its size, the compile time of createShaderModule + createComputePipelineAsync
// on the main thread, the compiler's messages, and whether one dispatch matches the
// plain-JS reference. Each repetition is a fresh profile, so Chrome's shader cache is cold.
//   node bench/heavy-probe.mjs [--repetitions 3]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { createServer } from 'vite';
import { CHROME_PATH, CHROME_WEBGPU_FLAGS } from '../scripts/chrome-flags.mjs';
import { fmt, summarize } from './stats.mjs';

const at = process.argv.indexOf('--repetitions');
const repetitions = at >= 0 ? Number(process.argv[at + 1]) : 3;
const server = await createServer({ configFile: 'vite.config.ts', logLevel: 'error', server: { port: 0, hmr: false, watch: null } });
await server.listen();
const runs = [];
try {
  for (let rep = 0; rep < repetitions; rep++) {
    const profile = mkdtempSync(join(tmpdir(), 'vyre-heavy-probe-'));
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROME_PATH, headless: true, args: CHROME_WEBGPU_FLAGS });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(new URL('bench/heavy.html', server.resolvedUrls.local[0]).href);
      await page.waitForFunction(() => window.benchReady === true, undefined, { timeout: 60_000 });
      runs.push(await page.evaluate(() => window.heavyProbe.probeHeavyShaders()));
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  }
} finally {
  await server.close();
}
console.log(`\nHeavy shaders, cold compile in a fresh profile (${repetitions} runs; ${runs[0]?.device ?? '?'})`);
console.log('| shader | lines | KiB | compile median | p95 | dispatch vs reference | compiler messages |');
console.log('|---|---:|---:|---:|---:|---|---|');
for (const first of runs[0]?.shaders ?? []) {
  const all = runs.map((run) => run.shaders.find((s) => s.name === first.name));
  const s = summarize(all.map((p) => p.compileMs));
  const checks = all.every((p) => p.ok) ? `ok (worst |Δ| ${Math.max(...all.map((p) => p.worst)).toExponential(1)})` : 'WRONG';
  const messages = [...new Set(all.flatMap((p) => p.messages))];
  console.log(`| ${first.name} | ${first.lines} | ${first.kilobytes.toFixed(0)} | ${fmt(s.median)} | ${fmt(s.p95)} | ${checks} | ${messages.length ? messages.slice(0, 3).join('; ') : '–'} |`);
}
