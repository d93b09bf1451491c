#!/usr/bin/env node
// Drives the effects benchmark page (built by run.sh) in headless Chromium with its fake camera:
// serves the page on loopback, runs each case and prints one line per case plus a JSON summary.
//   node bench/effects/bench.mjs <built page dir> [seconds per case]
import { createServer } from 'node:http';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, join, resolve } from 'node:path';

const require = createRequire(resolve(import.meta.dirname, '../../tests/e2e/package.json'));
const { chromium } = require('playwright-core');

const root = resolve(process.argv[2] ?? '/tmp/fluxmeet-bench-effects');
const seconds = Number(process.argv[3] ?? 8);
const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.webp': 'image/webp', '.tflite': 'application/octet-stream' };

const server = createServer((req, res) => {
  const path = join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname));
  const file = path.endsWith('/') ? join(path, 'index.html') : path;
  if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  // The fake camera sends 20 fps unless told otherwise; a real one sends 30, which the target is about.
  args: ['--no-sandbox', '--use-fake-device-for-media-stream=fps=30', '--use-fake-ui-for-media-stream'],
});
const results = [];
try {
  for (const [width, height] of [
    [640, 360],
    [1280, 720],
  ]) {
    for (const effect of ['blur', 'image']) {
      // A fresh page per case: nothing carries over (model, caches, JIT state of the pipeline).
      const page = await browser.newPage();
      await page.goto(url);
      await page.waitForFunction(() => typeof window.runEffectsBench === 'function');
      const r = await page.evaluate((c) => window.runEffectsBench(c), { effect, width, height, seconds });
      await page.close();
      results.push(r);
      console.log(
        `${effect.padEnd(5)} ${width}x${height}: p50 ${r.p50Ms.toFixed(1)} ms, p95 ${r.p95Ms.toFixed(1)} ms ` +
          `(model ${r.segmentP50Ms.toFixed(1)} ms, page ${r.pageP50Ms.toFixed(1)} ms at p50), ` +
          `${r.fps.toFixed(1)} fps of ${r.inputFps.toFixed(1)} from the camera (${r.frames} frames, ${r.backend})`,
      );
    }
  }
} finally {
  await browser.close();
  server.close();
}
console.log(JSON.stringify(results));
