// Person segmentation with MediaPipe Selfie Segmentation (npm @mediapipe/selfie_segmentation),
// loaded from our own origin: vite/segmentationAssets.ts copies the loader, its WebAssembly builds
// and the model into one versioned folder, and locateFile points the loader there, so no request
// leaves the server the page came from.
//
// Where it runs: on the page's main thread. This package is the legacy MediaPipe "solutions"
// build (its last release, pinned). Its loader has a Worker path, but in this version that path
// is broken three ways (tried, issue 8): it importScripts() the .tflite model as if it were a
// script, it never keeps the WebGL context its "video" input is uploaded with (every send() fails
// on `undefined.canvas`), and once both are patched the first send() never resolves after the
// graph fails to create its WebGL2 context on the worker's OffscreenCanvas. So the model runs on
// the page: the loader injects same-origin <script> tags and renders with document canvases. To
// keep the page responsive the frame loop yields a task between frames (frameLoop.ts), the
// model only sees a 256x144 copy of the frame, and AdaptiveQuality segments less often when
// frames take too long. (Moving to @mediapipe/tasks-vision, which runs in workers, is the way out.)
// One model per page is shared by every pipeline (the pre-join preview and the room may overlap
// for a moment): the package wants close() before another instance is made.

import type { Results, SelfieSegmentation, SelfieSegmentationConfig } from '@mediapipe/selfie_segmentation';
import type { AnyCanvas } from './compositor';

declare const __SEGMENTATION_ASSET_DIR__: string;

/** Where the build put the files (vite/segmentationAssets.ts); a fixed folder in unit tests. */
export function segmentationAssetUrl(file: string): string {
  const dir = typeof __SEGMENTATION_ASSET_DIR__ === 'string' ? __SEGMENTATION_ASSET_DIR__ : 'assets/selfie-segmentation';
  return `/${dir}/${file}`;
}

export interface Segmenter {
  /**
   * Segments `image` (256x144); `takeMask` is called with the person mask (alpha 1 = person) before
   * this resolves, and must copy what it needs: the mask is not valid afterwards.
   */
  segment(image: AnyCanvas, takeMask: (mask: CanvasImageSource) => void): Promise<void>;
  /** Lets go of this user's share; the last one closes the model and frees its memory. */
  release(): void;
}

type SegmentationConstructor = new (config?: SelfieSegmentationConfig) => SelfieSegmentation;

let loaderScript: Promise<SegmentationConstructor> | null = null;

function loadedConstructor(): SegmentationConstructor | undefined {
  return (globalThis as { SelfieSegmentation?: SegmentationConstructor }).SelfieSegmentation;
}

/** Adds the package's loader as a same-origin <script> (the closure-compiled file sets a global). */
function loadLoader(): Promise<SegmentationConstructor> {
  const ready = loadedConstructor();
  if (ready) return Promise.resolve(ready);
  loaderScript ??= new Promise<SegmentationConstructor>((resolve, reject) => {
    const script = document.createElement('script');
    script.src = segmentationAssetUrl('selfie_segmentation.js');
    script.crossOrigin = 'anonymous';
    script.onload = () => {
      const loaded = loadedConstructor();
      if (loaded) resolve(loaded);
      else reject(new Error('the segmentation loader did not define SelfieSegmentation'));
    };
    script.onerror = () => {
      loaderScript = null; // a later attempt may succeed (e.g. back online)
      script.remove();
      reject(new Error('the segmentation model could not be loaded'));
    };
    document.head.appendChild(script);
  });
  return loaderScript;
}

class MainThreadEngine {
  private onResults: ((results: Results) => void) | null = null;

  private constructor(private readonly model: SelfieSegmentation) {
    model.onResults((results) => this.onResults?.(results));
  }

  static async create(): Promise<MainThreadEngine> {
    const Constructor = await loadLoader();
    const model = new Constructor({ locateFile: (file) => segmentationAssetUrl(file) });
    model.setOptions({ modelSelection: 1, selfieMode: false });
    const engine = new MainThreadEngine(model);
    await model.initialize();
    // The first send() builds the graph and compiles its GPU shaders (the longest step on a slow
    // device): done here on a blank frame, so that "ready" means the first camera frame is quick.
    const blank = document.createElement('canvas');
    blank.width = 256;
    blank.height = 144;
    blank.getContext('2d')?.fillRect(0, 0, 256, 144);
    await model.send({ image: blank });
    return engine;
  }

  async segment(image: AnyCanvas, takeMask: (mask: CanvasImageSource) => void): Promise<void> {
    this.onResults = (results) => takeMask(results.segmentationMask);
    try {
      // The package's types name HTMLCanvasElement; it uploads any canvas with texImage2D.
      await this.model.send({ image: image as HTMLCanvasElement });
    } finally {
      this.onResults = null;
    }
  }

  close(): Promise<void> {
    return this.model.close();
  }
}

/**
 * How long the model stays loaded after its last user let go: turning an effect off and on again
 * (or the pre-join preview handing over to the room) then does not load it again, which blocks
 * the page for a moment on a slow device. After that its memory is freed.
 */
const MODEL_LINGER_MS = 20_000;

/** The one model of the page, with a count of its users and a queue of calls. */
class SharedSegmentation {
  private engine: Promise<MainThreadEngine> | null = null;
  private users = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private closeTimer: ReturnType<typeof setTimeout> | undefined;

  async acquire(): Promise<Segmenter> {
    this.users += 1;
    clearTimeout(this.closeTimer);
    try {
      // After a close in progress (the queue), so that two instances never live at once.
      await (this.engine ??= this.queue.then(() => MainThreadEngine.create()));
    } catch (error) {
      this.engine = null;
      this.users -= 1;
      throw error;
    }
    let released = false;
    return {
      segment: (image, takeMask) => this.enqueue(image, takeMask),
      release: () => {
        if (released) return;
        released = true;
        this.users -= 1;
        if (this.users === 0) this.closeTimer = setTimeout(() => this.close(), MODEL_LINGER_MS);
      },
    };
  }

  private enqueue(image: AnyCanvas, takeMask: (mask: CanvasImageSource) => void): Promise<void> {
    const run = this.queue.then(async () => {
      const engine = await this.engine;
      if (!engine) throw new Error('segmentation closed');
      await engine.segment(image, takeMask);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private close(): void {
    if (this.users > 0) return;
    const engine = this.engine;
    this.engine = null;
    // After the calls in flight, so that none runs on a closed model.
    this.queue = this.queue.then(async () => {
      const closing = await engine?.catch(() => null);
      await closing?.close();
    });
  }
}

const shared = new SharedSegmentation();

/** A share of the page's segmentation model; resolves once the model is ready to use. */
export function acquireSegmenter(): Promise<Segmenter> {
  return shared.acquire();
}
