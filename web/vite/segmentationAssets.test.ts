/// <reference types="node" />
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCdnUrls } from './excalidrawAssets';
import {
  installedPackageRoots,
  missingSegmentationFiles,
  SEGMENTATION_FILES,
  segmentationAssetDir,
  servedModel,
  sourceOf,
} from './segmentationAssets';
import { METADATA_IDENTIFIER, readModelMetadata } from './tfliteMetadata';

const { roots } = installedPackageRoots();
const engineRoot = roots['@mediapipe/tasks-vision'];

describe('self-hosted segmentation assets', () => {
  it('finds every file the engine loads in the installed packages', () => {
    expect(missingSegmentationFiles(roots)).toEqual([]);
    const nowhere = { '@mediapipe/tasks-vision': '/nowhere', '@mediapipe/selfie_segmentation': '/nowhere' };
    expect(missingSegmentationFiles(nowhere)).toEqual(SEGMENTATION_FILES.map((f) => f.name));
  });

  it('copies the builds the engine names (a renamed file would break the effect at run time)', () => {
    const bundle = fs.readFileSync(path.join(engineRoot, 'vision_bundle.mjs'), 'utf8');
    // FilesetResolver builds `${base}/vision_wasm${module ? '_module' : ''}${simd ? '' : '_nosimd'}_internal.js`.
    expect(bundle).toMatch(/wasm\$\{.*?"_module".*?\}.*?"_nosimd"/);
    expect(bundle).toContain('_internal');
  });

  it('ships code that names no CDN and sends no usage metrics to a third party', () => {
    const code = [
      path.join(engineRoot, 'vision_bundle.mjs'),
      ...SEGMENTATION_FILES.filter((f) => f.name.endsWith('.js')).map((f) => sourceOf(f, roots)),
    ];
    for (const file of code) {
      const text = fs.readFileSync(file, 'utf8');
      expect(findCdnUrls(text), file).toEqual([]);
      // @mediapipe/tasks-vision 1.x posts usage metrics to https://odml.pa.googleapis.com/v1/log
      // from the browser; the pinned 0.10 line names no URL at all (a protobuf type URL aside).
      const urls = [...text.matchAll(/https?:\/\/[a-z0-9.-]+/gi)].map((m) => m[0]);
      expect(
        urls.filter((url) => url.includes('googleapis')),
        file,
      ).toEqual([]);
      expect(text.includes('/v1/log'), `${file} has a metrics endpoint`).toBe(false);
    }
  });

  it('serves the model with the metadata MediaPipe Tasks needs to feed it images', () => {
    const model = SEGMENTATION_FILES.find((f) => f.name.endsWith('.tflite'))!;
    const original = new Uint8Array(fs.readFileSync(sourceOf(model, roots)));
    expect(readModelMetadata(original)).toBeNull();
    const metadata = readModelMetadata(servedModel(original));
    expect(metadata).not.toBeNull();
    expect(new TextDecoder().decode(metadata!.subarray(4, 8))).toBe(METADATA_IDENTIFIER);
  });

  it('puts each version pair in its own immutable folder under assets/', () => {
    expect(segmentationAssetDir('0.10.35', '0.1.2')).toBe('assets/segmentation-0.10.35-0.1.2');
  });
});
