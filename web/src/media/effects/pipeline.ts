// The video effects pipeline (issue 8), independent of React and of the meeting: a camera track
// in, a processed track out. Per frame: the camera frame is drawn once into an RGB canvas at the
// size the current quality level allows (the one costly step on the page: a VideoFrame is YUV,
// and each draw of it converts all of it); a 256x144 copy of that goes to the model (in its
// worker, see segmenter.ts) after the page made the blurred background from it (or has the image
// ready); then the new mask is smoothed into the compositor's and the person is composed over the
// background from the RGB copy. The raw frame is never drawn into the output canvas (the canvas
// fallback captures that canvas whenever it changes). The time each frame takes feeds
// AdaptiveQuality, which makes the effect cheaper when the device cannot keep up. The output track
// never changes while the pipeline lives: the background and the camera behind it can be swapped
// at any time.

import {
  AdaptiveQuality,
  DEFAULT_ADAPTIVE,
  FrameRateLimiter,
  processingSize,
  type AdaptiveOptions,
  type QualityChange,
} from './adaptiveQuality';
import { Compositor, context2d, MASK_HEIGHT, MASK_WIDTH, type AnyCanvas, type CanvasFactory } from './compositor';
import type { Background } from './effects';
import {
  browserEnvironment,
  CanvasLoop,
  InsertableStreamsLoop,
  selectBackend,
  type Backend,
  type FrameLoop,
  type RenderFrame,
} from './frameLoop';
import { acquireSegmenter, type Segmenter } from './segmenter';

export interface PipelineStats {
  backend: Backend;
  /** Frames composed since the start. */
  frames: number;
  /** Processing time per composed frame (camera frame in, composite rasterised) over the last few hundred frames, in ms. */
  p50Ms: number;
  p95Ms: number;
  /** Of that, the time the model took (in its worker or on the page), median, ms. */
  segmentP50Ms: number;
  /** Of that, the time the page's thread worked (scaling, background, composition), median, ms. */
  pageP50Ms: number;
  /** Composed frames per second over the same frames. */
  fps: number;
  /** Camera frames that reached the pipeline per second, over the last few hundred. */
  inputFps: number;
  qualityLevel: number;
}

export interface PipelineOptions {
  /** Told when the quality level changes (the first 'down' is worth telling the person). */
  onQualityChange?: (change: NonNullable<QualityChange>) => void;
  /** Told once when frames keep failing (the model broke): the caller should turn the effect off. */
  onFailure?: (error: unknown) => void;
  adaptive?: AdaptiveOptions;
}

/** The browser parts the pipeline uses; tests pass fakes. */
export interface PipelineDeps {
  backend: () => Backend;
  acquireSegmenter: () => Promise<Segmenter>;
  createCanvas: CanvasFactory;
  createLoop: (backend: Exclude<Backend, 'none'>, input: MediaStreamTrack, render: RenderFrame) => FrameLoop;
  now: () => number;
}

function htmlCanvas(width: number, height: number): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

function anyCanvas(width: number, height: number): AnyCanvas {
  return typeof OffscreenCanvas === 'function' ? new OffscreenCanvas(width, height) : htmlCanvas(width, height);
}

export const browserPipelineDeps: PipelineDeps = {
  backend: () => selectBackend(browserEnvironment()),
  acquireSegmenter,
  createCanvas: anyCanvas,
  // The generator path can write VideoFrames from an OffscreenCanvas; captureStream needs an element.
  createLoop: (backend, input, render) =>
    backend === 'insertable-streams'
      ? new InsertableStreamsLoop(input, render, anyCanvas(2, 2))
      : new CanvasLoop(input, render, htmlCanvas(2, 2)),
  now: () => performance.now(),
};

/** Consecutive failed frames after which the effect gives up (a broken model, lost GPU context). */
const FAILURES_BEFORE_GIVING_UP = 30;
const STATS_WINDOW = 300;

/** Events per second over the times (ms) given, 0 with fewer than two. */
function perSecond(times: readonly number[]): number {
  const span = times.length > 1 ? times[times.length - 1]! - times[0]! : 0;
  return span > 0 ? ((times.length - 1) * 1000) / span : 0;
}

/** Appends `value`, keeping the last STATS_WINDOW values. */
function keep(window: number[], value: number): void {
  window.push(value);
  if (window.length > STATS_WINDOW) window.shift();
}

/** The `q` quantile (0..1) of `values`, 0 when there are none. */
function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export class EffectsPipeline {
  private readonly loop: FrameLoop;
  private readonly compositor: Compositor;
  private readonly segmentationInput: AnyCanvas;
  /** The camera frame at the processing size, converted to RGB once. */
  private readonly frameCanvas: AnyCanvas;
  private readonly quality: AdaptiveQuality;
  private readonly limiter = new FrameRateLimiter();
  private background: Background;
  private frameIndex = 0;
  private failures = 0;
  private stopped = false;
  private readonly durations: number[] = [];
  private readonly segmentTimes: number[] = [];
  private readonly pageTimes: number[] = [];
  private readonly doneAt: number[] = [];
  private composed = 0;
  private readonly offeredAt: number[] = [];

  private constructor(
    input: MediaStreamTrack,
    background: Background,
    readonly backend: Exclude<Backend, 'none'>,
    private readonly segmenter: Segmenter,
    private readonly deps: PipelineDeps,
    private readonly options: PipelineOptions,
  ) {
    this.background = background;
    this.quality = new AdaptiveQuality(options.adaptive ?? DEFAULT_ADAPTIVE);
    this.compositor = new Compositor(deps.createCanvas);
    this.segmentationInput = deps.createCanvas(MASK_WIDTH, MASK_HEIGHT);
    this.frameCanvas = deps.createCanvas(2, 2);
    this.loop = deps.createLoop(backend, input, this.render);
  }

  /**
   * Starts processing `input` (which stays the caller's: stop() does not stop it). Resolves once
   * the model is loaded; rejects when this browser cannot run effects or the model fails to load.
   */
  static async start(
    input: MediaStreamTrack,
    background: Background,
    options: PipelineOptions = {},
    deps: PipelineDeps = browserPipelineDeps,
  ): Promise<EffectsPipeline> {
    const backend = deps.backend();
    if (backend === 'none') throw new Error('this browser cannot process video');
    const segmenter = await deps.acquireSegmenter();
    try {
      return new EffectsPipeline(input, background, backend, segmenter, deps, options);
    } catch (error) {
      segmenter.release();
      throw error;
    }
  }

  /** The processed track to publish; ended by stop(). */
  get output(): MediaStreamTrack {
    return this.loop.output;
  }

  get running(): boolean {
    return !this.stopped;
  }

  setBackground(background: Background): void {
    this.background = background;
  }

  /** Processes another camera from the next frame on (the output track stays the same). */
  setInput(track: MediaStreamTrack): void {
    this.loop.setInput(track);
  }

  /**
   * Frees everything: the loop and its output track, the canvases and this share of the model
   * (whose worker ends once no pipeline uses it).
   */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.loop.stop();
    this.compositor.dispose();
    for (const canvas of [this.segmentationInput, this.frameCanvas]) {
      canvas.width = 0;
      canvas.height = 0;
    }
    this.segmenter.release();
  }

  /** Forgets the figures so far (a benchmark's warm-up); the frame count goes on. */
  resetStats(): void {
    for (const window of [this.durations, this.segmentTimes, this.pageTimes, this.doneAt, this.offeredAt]) window.length = 0;
  }

  stats(): PipelineStats {
    return {
      backend: this.backend,
      frames: this.composed,
      p50Ms: percentile(this.durations, 0.5),
      p95Ms: percentile(this.durations, 0.95),
      segmentP50Ms: percentile(this.segmentTimes, 0.5),
      pageP50Ms: percentile(this.pageTimes, 0.5),
      fps: perSecond(this.doneAt),
      inputFps: perSecond(this.offeredAt),
      qualityLevel: this.quality.levelNumber,
    };
  }

  private readonly render: RenderFrame = async (frame, width, height, target) => {
    const dropped = { drawn: false, busyMs: 0 };
    if (this.stopped || width === 0 || height === 0) return dropped;
    const started = this.deps.now();
    keep(this.offeredAt, started);
    const level = this.quality.level;
    if (!this.limiter.admit(started, level.maxFps)) return dropped;
    let segmentMs = 0;
    let waitedMs = 0;
    try {
      const size = processingSize(width, height, level);
      const rgb = this.frameCanvas;
      if (rgb.width !== size.width || rgb.height !== size.height) {
        rgb.width = size.width;
        rgb.height = size.height;
      }
      context2d(rgb).drawImage(frame, 0, 0, size.width, size.height);
      context2d(this.segmentationInput).drawImage(rgb, 0, 0, MASK_WIDTH, MASK_HEIGHT);
      // Before the model gets the small copy (which may take its pixels away).
      this.compositor.prepareBackground(this.background, this.segmentationInput, size.width, size.height);
      if (this.frameIndex % level.segmentEvery === 0 || !this.compositor.ready) {
        const asked = this.deps.now();
        const result = await this.segmenter.segment(this.segmentationInput);
        waitedMs = this.deps.now() - asked;
        segmentMs = result.segmentMs;
        if (this.stopped) return dropped;
        this.compositor.updateMask(result.mask);
      }
      this.frameIndex += 1;
      if (target.width !== size.width || target.height !== size.height) {
        target.width = size.width;
        target.height = size.height;
      }
      const out = context2d(target);
      this.compositor.compose(out, rgb, size.width, size.height, this.background);
      // A 2D canvas records draws and rasterises them when it is read: without this one-pixel read
      // that work (the three full-size draws) would happen when the loop makes the output frame,
      // outside the time measured here.
      out.getImageData(0, 0, 1, 1);
      this.failures = 0;
    } catch (error) {
      this.failures += 1;
      if (this.failures === FAILURES_BEFORE_GIVING_UP) this.options.onFailure?.(error);
      return { drawn: false, busyMs: this.deps.now() - started };
    }
    const done = this.deps.now();
    const busyMs = this.segmenter.onPageThread ? done - started : done - started - waitedMs;
    this.record(done - started, segmentMs, busyMs, done);
    return { drawn: true, busyMs };
  };

  private record(durationMs: number, segmentMs: number, pageMs: number, doneAt: number): void {
    this.composed += 1;
    keep(this.durations, durationMs);
    keep(this.segmentTimes, segmentMs);
    keep(this.pageTimes, pageMs);
    keep(this.doneAt, doneAt);
    const change = this.quality.record(durationMs);
    if (change) this.options.onQualityChange?.(change);
  }
}
