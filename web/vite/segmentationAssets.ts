/// <reference types="node" />
/**
 * Self-hosts the person segmentation (issue 8: virtual backgrounds work offline and on private
 * networks, nothing from a CDN). The engine is MediaPipe Tasks (`@mediapipe/tasks-vision`): its
 * WebAssembly builds are loaded by URL, and so is the model, which that package does not ship: it
 * is the 256x144 "landscape" selfie segmentation model of `@mediapipe/selfie_segmentation`
 * (Apache-2.0, as the engine; only that one file of the package is used), given at build time the
 * metadata the engine needs to feed it images (vite/tfliteMetadata.ts). This plugin
 *  - copies the engine's builds (the ES-module one for the worker; the classic ones, with and
 *    without SIMD, for pages without the worker) and writes the model into
 *    dist/assets/segmentation-<engine version>-<model package version>/ (the versions make the
 *    files immutable, as the server caches /assets/ forever) and serves them from node_modules in
 *    development;
 *  - defines __SEGMENTATION_ASSET_DIR__ so the app knows that folder;
 *  - fails the build if a file it copies is missing (a package update that renamed one would
 *    otherwise only show as a broken effect at run time).
 * The files are not part of the app shell the service worker precaches (several MB); the
 * worker's run-time cache for /assets/ keeps those used once an effect has been on.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Plugin } from 'vite';
import { imageModelMetadata, withMetadata } from './tfliteMetadata';

const ENGINE_PACKAGE = '@mediapipe/tasks-vision';
const MODEL_PACKAGE = '@mediapipe/selfie_segmentation';

/** Each file served, with where it is in which package. */
export const SEGMENTATION_FILES = [
  { name: 'vision_wasm_module_internal.js', pkg: ENGINE_PACKAGE, from: 'wasm' },
  { name: 'vision_wasm_module_internal.wasm', pkg: ENGINE_PACKAGE, from: 'wasm' },
  { name: 'vision_wasm_internal.js', pkg: ENGINE_PACKAGE, from: 'wasm' },
  { name: 'vision_wasm_internal.wasm', pkg: ENGINE_PACKAGE, from: 'wasm' },
  { name: 'vision_wasm_nosimd_internal.js', pkg: ENGINE_PACKAGE, from: 'wasm' },
  { name: 'vision_wasm_nosimd_internal.wasm', pkg: ENGINE_PACKAGE, from: 'wasm' },
  { name: 'selfie_segmentation_landscape.tflite', pkg: MODEL_PACKAGE, from: '.' },
] as const;

/** The model as served: the package's, with metadata (the app loads this name). */
export const SERVED_MODEL = 'selfie_segmentation_landscape_tasks.tflite';

/** The package's model with the metadata MediaPipe Tasks needs: RGB in, pixels scaled to [0, 1]. */
export function servedModel(original: Uint8Array): Uint8Array {
  return withMetadata(
    original,
    imageModelMetadata({
      name: 'Selfie segmentation (landscape)',
      description: 'MediaPipe Selfie Segmentation, 256x144 RGB in, person confidence out.',
      mean: [0],
      std: [255],
    }),
  );
}

export type SegmentationFile = (typeof SEGMENTATION_FILES)[number];

/** The folder under dist/ for one engine and model version. */
export function segmentationAssetDir(engineVersion: string, modelVersion: string): string {
  return `assets/segmentation-${engineVersion}-${modelVersion}`;
}

/** Where each package is installed, by name. */
export type PackageRoots = Record<SegmentationFile['pkg'], string>;

export function sourceOf(file: SegmentationFile, roots: PackageRoots): string {
  return path.join(roots[file.pkg], file.from, file.name);
}

/** Files of SEGMENTATION_FILES missing from the packages at `roots`. */
export function missingSegmentationFiles(roots: PackageRoots): string[] {
  return SEGMENTATION_FILES.filter((file) => !fs.existsSync(sourceOf(file, roots))).map((file) => file.name);
}

function packageInfo(name: string): { root: string; version: string } {
  const require = createRequire(import.meta.url);
  // tasks-vision's exports map hides package.json: find it from the resolved entry instead.
  let dir = path.dirname(require.resolve(name));
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  const { version } = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string };
  return { root: dir, version };
}

export function installedPackageRoots(): { roots: PackageRoots; engineVersion: string; modelVersion: string } {
  const engine = packageInfo(ENGINE_PACKAGE);
  const model = packageInfo(MODEL_PACKAGE);
  return {
    roots: { [ENGINE_PACKAGE]: engine.root, [MODEL_PACKAGE]: model.root },
    engineVersion: engine.version,
    modelVersion: model.version,
  };
}

const MIME: Record<string, string> = {
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.tflite': 'application/octet-stream',
};

export function segmentationAssets(): Plugin {
  const { roots, engineVersion, modelVersion } = installedPackageRoots();
  const assetDir = segmentationAssetDir(engineVersion, modelVersion);
  const modelFile = SEGMENTATION_FILES.find((f) => f.name.endsWith('.tflite'))!;
  const model = () => servedModel(new Uint8Array(fs.readFileSync(sourceOf(modelFile, roots))));
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
        if (name === SERVED_MODEL) {
          res.setHeader('Content-Type', 'application/octet-stream');
          res.end(model());
          return;
        }
        const file = SEGMENTATION_FILES.find((f) => f.name === name && f !== modelFile);
        if (!file) return next();
        res.setHeader('Content-Type', MIME[path.extname(name)] ?? 'application/octet-stream');
        fs.createReadStream(sourceOf(file, roots)).pipe(res);
      });
    },
    writeBundle() {
      const missing = missingSegmentationFiles(roots);
      if (missing.length > 0) this.error(`the virtual backgrounds' packages lack files they load: ${missing.join(', ')}`);
      const target = path.join(outDir, assetDir);
      fs.mkdirSync(target, { recursive: true });
      for (const file of SEGMENTATION_FILES) {
        if (file !== modelFile) fs.copyFileSync(sourceOf(file, roots), path.join(target, file.name));
      }
      fs.writeFileSync(path.join(target, SERVED_MODEL), model());
    },
  };
}
