// Person segmentation with MediaPipe Tasks (npm @mediapipe/tasks-vision, Apache-2.0): an
// ImageSegmenter on the CPU delegate (XNNPACK in WebAssembly with SIMD), fed the 256x144 model of
// MediaPipe Selfie Segmentation ("landscape", npm @mediapipe/selfie_segmentation, Apache-2.0; the
// Tasks package ships no model). Runs wherever it is created: in the segmentation worker
// (segmentationWorker.ts) or, where there is no such worker, on the page (segmenter.ts).
//
// The files come from our own origin (vite/segmentationAssets.ts copies them into one versioned
// folder): the page names them in SegmentationAssets, nothing is looked up on a CDN. The package
// is pinned to 0.10.35 because later releases (1.x) send usage metrics to a Google host from the
// browser, which the product rules forbid (no request to a third party).

import type { ImageSegmenter, ImageSource } from '@mediapipe/tasks-vision';

/** Same-origin URLs of what the engine loads. */
export interface SegmentationAssets {
  /** The Emscripten loader: the ES-module build in a module worker, the classic one on a page. */
  wasmLoaderUrl: string;
  wasmBinaryUrl: string;
  modelUrl: string;
}

/** A person mask: one byte per pixel, 255 = person, row by row. */
export interface Mask {
  data: Uint8Array;
  width: number;
  height: number;
}

/** The part of the engine the rest of the effect uses (fakes in tests). */
export interface SegmentationEngineLike {
  segment(image: ImageSource, timestampMs: number): Mask;
  close(): void;
}

/** Confidences (0..1) as bytes (0..255), clamped. */
export function confidenceToBytes(confidence: Float32Array, out: Uint8Array = new Uint8Array(confidence.length)): Uint8Array {
  for (let i = 0; i < confidence.length; i++) {
    const c = confidence[i]!;
    out[i] = c <= 0 ? 0 : c >= 1 ? 255 : Math.round(c * 255);
  }
  return out;
}

export class SegmentationEngine implements SegmentationEngineLike {
  private lastTimestamp = -1;

  private constructor(private readonly segmenter: ImageSegmenter) {}

  static async create(assets: SegmentationAssets): Promise<SegmentationEngine> {
    // Loaded on demand: the Tasks bundle is only needed once an effect is switched on.
    const { ImageSegmenter } = await import('@mediapipe/tasks-vision');
    const segmenter = await ImageSegmenter.createFromOptions(
      { wasmLoaderPath: assets.wasmLoaderUrl, wasmBinaryPath: assets.wasmBinaryUrl },
      {
        baseOptions: { modelAssetPath: assets.modelUrl, delegate: 'CPU' },
        runningMode: 'VIDEO',
        outputCategoryMask: false,
        outputConfidenceMasks: true,
      },
    );
    return new SegmentationEngine(segmenter);
  }

  /** Segments `image`; the mask has the image's size. */
  segment(image: ImageSource, timestampMs: number): Mask {
    // The graph wants strictly increasing timestamps (two pipelines may share one engine).
    const timestamp = Math.max(Math.round(timestampMs), this.lastTimestamp + 1);
    this.lastTimestamp = timestamp;
    const result = this.segmenter.segmentForVideo(image, timestamp);
    try {
      const confidence = result.confidenceMasks?.[0];
      if (!confidence) throw new Error('the segmenter returned no mask');
      return { data: confidenceToBytes(confidence.getAsFloat32Array()), width: confidence.width, height: confidence.height };
    } finally {
      result.close();
    }
  }

  close(): void {
    this.segmenter.close();
  }
}
