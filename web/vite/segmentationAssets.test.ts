/// <reference types="node" />
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findCdnUrls } from './excalidrawAssets';
import { missingSegmentationFiles, SEGMENTATION_FILES, segmentationAssetDir } from './segmentationAssets';

const pkg = path.resolve(__dirname, '../node_modules/@mediapipe/selfie_segmentation');

describe('self-hosted segmentation assets', () => {
  it('finds every file the loader asks for in the package', () => {
    expect(missingSegmentationFiles(pkg)).toEqual([]);
    expect(missingSegmentationFiles(path.join(pkg, 'nowhere'))).toEqual([...SEGMENTATION_FILES]);
  });

  it('copies the files the loader names (a renamed file would break the effect at run time)', () => {
    const loader = fs.readFileSync(path.join(pkg, 'selfie_segmentation.js'), 'utf8');
    for (const name of [
      'selfie_segmentation.binarypb',
      'selfie_segmentation_solution_simd_wasm_bin',
      'selfie_segmentation_solution_wasm_bin',
    ]) {
      expect(loader).toContain(name);
    }
  });

  it('ships files that name no CDN', () => {
    for (const file of SEGMENTATION_FILES.filter((f) => f.endsWith('.js'))) {
      expect(findCdnUrls(fs.readFileSync(path.join(pkg, file), 'utf8')), file).toEqual([]);
    }
  });

  it('puts each version in its own immutable folder under assets/', () => {
    expect(segmentationAssetDir('0.1.2')).toBe('assets/selfie-segmentation-0.1.2');
  });
});
