// Where person segmentation runs, and the one model a page shares.
//
// Where: in a dedicated module worker (segmentationWorker.ts) wherever the browser has workers,
// OffscreenCanvas (the engine's image upload needs a canvas in the worker) and WebAssembly SIMD
// (the ES-module build of the engine is SIMD-only); the page hands it a 256x144 ImageBitmap per
// frame and gets the mask's bytes back, so the model never blocks the page. Elsewhere, or when the
// worker cannot start, the same engine runs on the page (the classic build, with or without SIMD).
// The files are served from our origin (vite/segmentationAssets.ts): no request leaves it.
//
// Sharing: the pre-join preview and the room may overlap for a moment; one model serves both,
// counted by its users, and it lingers a little after the last one let go.

import type { AnyCanvas } from './compositor';
import { SegmentationEngine, type SegmentationAssets, type SegmentationEngineLike } from './segmentationEngine';
import { WorkerSegmentation, type SegmentResult, type WorkerLike } from './segmentationProtocol';

declare const __SEGMENTATION_ASSET_DIR__: string;

/** Where the build put the files (vite/segmentationAssets.ts); a fixed folder in unit tests. */
export function segmentationAssetUrl(file: string): string {
  const dir = typeof __SEGMENTATION_ASSET_DIR__ === 'string' ? __SEGMENTATION_ASSET_DIR__ : 'assets/segmentation';
  return `/${dir}/${file}`;
}

export type SegmentationHost = 'worker' | 'page';

/** What the choice of host looks at; `browserSegmentationPlatform()` reads it from the page. */
export interface SegmentationPlatform {
  worker: boolean;
  offscreenCanvas: boolean;
  simd: boolean;
}

/** The smallest module with a SIMD instruction (as in wasm-feature-detect): valid only where SIMD is. */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11,
]);

export function browserSegmentationPlatform(): SegmentationPlatform {
  let simd = false;
  try {
    simd = typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE);
  } catch (error) {
    console.warn('WebAssembly SIMD check failed', error);
  }
  return { worker: typeof Worker === 'function', offscreenCanvas: typeof OffscreenCanvas === 'function', simd };
}

export function chooseSegmentationHost(platform: SegmentationPlatform): SegmentationHost {
  return platform.worker && platform.offscreenCanvas && platform.simd ? 'worker' : 'page';
}

/** The engine's files for a host: the ES-module loader in a module worker, the classic one on the page. */
export function segmentationAssets(host: SegmentationHost, simd: boolean): SegmentationAssets {
  const build = host === 'worker' ? 'vision_wasm_module_internal' : simd ? 'vision_wasm_internal' : 'vision_wasm_nosimd_internal';
  // Absolute: the worker resolves relative URLs against its own script, the loader against its module.
  const url = (file: string) => new URL(segmentationAssetUrl(file), globalThis.location?.href ?? 'http://localhost/').href;
  return {
    wasmLoaderUrl: url(`${build}.js`),
    wasmBinaryUrl: url(`${build}.wasm`),
    modelUrl: url('selfie_segmentation_landscape_tasks.tflite'),
  };
}

/** A loaded model, wherever it runs. */
export interface Engine {
  /** True when segment() works on the page's thread (its time then counts as the page's). */
  readonly onPageThread: boolean;
  /** Segments `image` (256x144), which may be left blank: its pixels can be handed to the worker. */
  segment(image: AnyCanvas): Promise<SegmentResult>;
  close(): void;
}

const clock = () => performance.now();

/** Pixels the worker can take: an OffscreenCanvas gives its bitmap away without a copy. */
function bitmapOf(image: AnyCanvas): Promise<ImageBitmap> {
  if ('transferToImageBitmap' in image) return Promise.resolve(image.transferToImageBitmap());
  return createImageBitmap(image);
}

export function workerEngine(client: WorkerSegmentation): Engine {
  return {
    onPageThread: false,
    segment: async (image) => client.segment(await bitmapOf(image), clock()),
    close: () => client.close(),
  };
}

export function pageEngine(engine: SegmentationEngineLike): Engine {
  return {
    onPageThread: true,
    segment: async (image) => {
      const started = clock();
      const mask = engine.segment(image, started);
      return { mask, segmentMs: clock() - started };
    },
    close: () => engine.close(),
  };
}

export interface EngineDeps {
  platform: () => SegmentationPlatform;
  createWorker: () => WorkerLike;
  createPageEngine: (assets: SegmentationAssets) => Promise<SegmentationEngineLike>;
  createCanvas: (width: number, height: number) => AnyCanvas;
}

const browserEngineDeps: EngineDeps = {
  platform: browserSegmentationPlatform,
  createWorker: () => new Worker(new URL('./segmentationWorker.ts', import.meta.url), { type: 'module', name: 'segmentation' }),
  createPageEngine: (assets) => SegmentationEngine.create(assets),
  createCanvas: (width, height) => {
    if (typeof OffscreenCanvas === 'function') return new OffscreenCanvas(width, height);
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    return canvas;
  },
};

/**
 * Loads the model in a worker where the browser allows, else (or when the worker fails to start)
 * on the page. The first call builds the graph, the slowest step on a slow device: it is done here
 * on a blank frame, so that "ready" means the first camera frame is quick.
 */
export async function startEngine(deps: EngineDeps = browserEngineDeps): Promise<Engine> {
  const platform = deps.platform();
  let engine: Engine | null = null;
  if (chooseSegmentationHost(platform) === 'worker') {
    try {
      engine = workerEngine(await WorkerSegmentation.start(deps.createWorker(), segmentationAssets('worker', true)));
    } catch (error) {
      console.warn('The segmentation worker could not start; segmenting on the page instead.', error);
    }
  }
  engine ??= pageEngine(await deps.createPageEngine(segmentationAssets('page', platform.simd)));
  try {
    const blank = deps.createCanvas(256, 144);
    (blank.getContext('2d') as CanvasRenderingContext2D | null)?.fillRect(0, 0, 256, 144);
    await engine.segment(blank);
  } catch (error) {
    engine.close();
    throw error;
  }
  return engine;
}

export interface Segmenter {
  readonly onPageThread: boolean;
  /** Segments `image` (256x144; it may be left blank); resolves with the person mask at that size. */
  segment(image: AnyCanvas): Promise<SegmentResult>;
  /** Lets go of this user's share; the last one closes the model and frees its memory. */
  release(): void;
}

/**
 * How long the model stays loaded after its last user let go: turning an effect off and on again
 * (or the pre-join preview handing over to the room) then does not load it again. After that its
 * memory is freed (and the worker ended).
 */
export const MODEL_LINGER_MS = 20_000;

/** The one model of the page, with a count of its users and a queue of calls. */
export class SharedSegmentation {
  private engine: Promise<Engine> | null = null;
  private users = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private closeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly start: () => Promise<Engine> = () => startEngine()) {}

  async acquire(): Promise<Segmenter> {
    this.users += 1;
    clearTimeout(this.closeTimer);
    let engine: Engine;
    try {
      // After a close in progress (the queue), so that two models never live at once.
      engine = await (this.engine ??= this.queue.then(() => this.start()));
    } catch (error) {
      this.engine = null;
      this.users -= 1;
      throw error;
    }
    let released = false;
    return {
      onPageThread: engine.onPageThread,
      segment: (image) => this.enqueue(image),
      release: () => {
        if (released) return;
        released = true;
        this.users -= 1;
        if (this.users === 0) this.closeTimer = setTimeout(() => this.close(), MODEL_LINGER_MS);
      },
    };
  }

  private enqueue(image: AnyCanvas): Promise<SegmentResult> {
    const run = this.queue.then(async () => {
      const engine = await this.engine;
      if (!engine) throw new Error('segmentation closed');
      return engine.segment(image);
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
      closing?.close();
    });
  }
}

const shared = new SharedSegmentation();

/** A share of the page's segmentation model; resolves once the model is ready to use. */
export function acquireSegmenter(): Promise<Segmenter> {
  return shared.acquire();
}
