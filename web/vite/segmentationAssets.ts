/// <reference types="node" />
/**
 * Self-hosts MediaPipe Selfie Segmentation (issue 8: virtual backgrounds work offline and on
 * private networks, nothing from a CDN). The package's loader fetches its WebAssembly build and
 * its model through `locateFile`; the app points that at one folder of our origin. This plugin
 *  - copies the package's runtime files (loader, wasm builds with and without SIMD and their .js
 *    glue, the SIMD build's (empty) .data, the graph and both models; the non-SIMD build has no .data) into dist/assets/selfie-segmentation-<version>/
 *    (the version makes the files immutable, as the server caches /assets/ forever) and serves
 *    them from node_modules in development;
 *  - defines __SEGMENTATION_ASSET_DIR__ so the app knows that folder;
 *  - fails the build if a file it copies is missing (a package update that renamed one would
 *    otherwise only show as a broken effect at run time).
 * The files are not part of the app shell the service worker precaches (several MB); the
 * worker's run-time cache for /assets/ keeps them once an effect has been used.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Plugin } from 'vite';

const PACKAGE = '@mediapipe/selfie_segmentation';

/** What the loader asks locateFile for (see selfie_segmentation.js), plus the loader itself. */
export const SEGMENTATION_FILES = [
  'selfie_segmentation.js',
  'selfie_segmentation.binarypb',
  'selfie_segmentation.tflite',
  'selfie_segmentation_landscape.tflite',
  'selfie_segmentation_solution_simd_wasm_bin.js',
  'selfie_segmentation_solution_simd_wasm_bin.wasm',
  'selfie_segmentation_solution_simd_wasm_bin.data',
  'selfie_segmentation_solution_wasm_bin.js',
  'selfie_segmentation_solution_wasm_bin.wasm',
] as const;

/** The folder under dist/ for one package version. */
export function segmentationAssetDir(version: string): string {
  return `assets/selfie-segmentation-${version}`;
}

/** Files of SEGMENTATION_FILES that `dir` lacks. */
export function missingSegmentationFiles(dir: string): string[] {
  return SEGMENTATION_FILES.filter((file) => !fs.existsSync(path.join(dir, file)));
}

function packageRoot(): { root: string; version: string } {
  const require = createRequire(import.meta.url);
  const root = path.dirname(require.resolve(`${PACKAGE}/package.json`));
  const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  return { root, version };
}

const MIME: Record<string, string> = {
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.tflite': 'application/octet-stream',
  '.binarypb': 'application/octet-stream',
  '.data': 'application/octet-stream',
};

export function segmentationAssets(): Plugin {
  const { root, version } = packageRoot();
  const assetDir = segmentationAssetDir(version);
  let outDir = 'dist';
  return {
    name: 'fluxmeet-segmentation-assets',
    config: () => ({ define: { __SEGMENTATION_ASSET_DIR__: JSON.stringify(assetDir) } }),
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    configureServer(server) {
      server.middlewares.use(`/${assetDir}/`, (req, res, next) => {
        const name = decodeURIComponent((req.url ?? '').split('?')[0]).replace(/^\/+/, '');
        if (!(SEGMENTATION_FILES as readonly string[]).includes(name)) return next();
        res.setHeader('Content-Type', MIME[path.extname(name)] ?? 'application/octet-stream');
        fs.createReadStream(path.join(root, name)).pipe(res);
      });
    },
    writeBundle() {
      const missing = missingSegmentationFiles(root);
      if (missing.length > 0) this.error(`${PACKAGE} lacks files the virtual backgrounds load: ${missing.join(', ')}`);
      const target = path.join(outDir, assetDir);
      fs.mkdirSync(target, { recursive: true });
      for (const file of SEGMENTATION_FILES) fs.copyFileSync(path.join(root, file), path.join(target, file));
    },
  };
}
