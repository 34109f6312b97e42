import { chromium } from '@playwright/test';
import { CHROME_PATH, CHROME_WEBGPU_FLAGS } from '../scripts/chrome-flags.mjs';
import { createServer } from 'node:http';
const WORKER = `const names = ['GPUShaderStage','GPUBufferUsage','GPUMapMode','GPUTextureUsage','OffscreenCanvas','VideoFrame','ImageBitmap','ImageData'];
const out = {}; for (const n of names) { const t = performance.now(); const v = self[n]; out[n] = +(performance.now() - t).toFixed(3); }
const t = performance.now(); const v = GPUShaderStage.COMPUTE; out.again = +(performance.now() - t).toFixed(3);
postMessage(out);`;
const PAGE = `<!doctype html><script>
window.probe = () => { const names = ['GPUShaderStage','GPUBufferUsage','GPUMapMode','HTMLCanvasElement','HTMLImageElement','HTMLVideoElement','OffscreenCanvas','VideoFrame','ImageBitmap','ImageData'];
const out = {}; for (const n of names) { const t = performance.now(); const v = window[n]; out[n] = +(performance.now() - t).toFixed(3); } return out; };
window.probeWorker = () => new Promise((r) => { const w = new Worker('/w.js'); w.onmessage = (e) => r(e.data); });
</script>`;
const server = createServer((req, res) => { if (req.url === '/w.js') { res.setHeader('content-type','text/javascript'); return res.end(WORKER); } res.setHeader('content-type','text/html'); res.end(PAGE); }).listen(0);
const browser = await chromium.launch({ executablePath: CHROME_PATH, headless: true, args: CHROME_WEBGPU_FLAGS });
for (let i = 0; i < 3; i++) {
  const page = await browser.newPage();
  await page.goto(`http://localhost:${server.address().port}/`);
  console.log('main  ', JSON.stringify(await page.evaluate(() => window.probe())));
  console.log('worker', JSON.stringify(await page.evaluate(() => window.probeWorker())));
  await page.close();
}
await browser.close(); server.close();
