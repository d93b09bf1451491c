// The video effects pipeline (issue 8), independent of React and of the meeting: a camera track
// in, a processed track out. Per frame: maybe segment (a scaled-down copy goes to the model; the
// mask is smoothed into the compositor's), then compose the person over the background at the
// size the current quality level allows. The time each frame takes feeds AdaptiveQuality, which
// makes the effect cheaper when the device cannot keep up. The output track never changes while
// the pipeline lives: the background and the camera behind it can be swapped at any time.

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
  /** Processing time per composed frame over the last few hundred frames, in ms. */
  p50Ms: number;
  p95Ms: number;
  /** Composed frames per second over the same frames. */
  fps: number;
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

export class EffectsPipeline {
  private readonly loop: FrameLoop;
  private readonly compositor: Compositor;
  private readonly segmentationInput: AnyCanvas;
  private readonly quality: AdaptiveQuality;
  private readonly limiter = new FrameRateLimiter();
  private background: Background;
  private frameIndex = 0;
  private failures = 0;
  private stopped = false;
  private readonly durations: number[] = [];
  private readonly doneAt: number[] = [];
  private composed = 0;

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

  /** Frees everything: the loop and its output track, the canvases and this share of the model. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.loop.stop();
    this.compositor.dispose();
    this.segmentationInput.width = 0;
    this.segmentationInput.height = 0;
    this.segmenter.release();
  }

  stats(): PipelineStats {
    const sorted = [...this.durations].sort((a, b) => a - b);
    const at = (q: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
    const span = this.doneAt.length > 1 ? this.doneAt[this.doneAt.length - 1]! - this.doneAt[0]! : 0;
    return {
      backend: this.backend,
      frames: this.composed,
      p50Ms: at(0.5),
      p95Ms: at(0.95),
      fps: span > 0 ? ((this.doneAt.length - 1) * 1000) / span : 0,
      qualityLevel: this.quality.levelNumber,
    };
  }

  private readonly render: RenderFrame = async (frame, width, height, target) => {
    if (this.stopped || width === 0 || height === 0) return false;
    const started = this.deps.now();
    const level = this.quality.level;
    if (!this.limiter.admit(started, level.maxFps)) return false;
    try {
      if (this.frameIndex % level.segmentEvery === 0 || !this.compositor.ready) {
        const input = context2d(this.segmentationInput);
        input.drawImage(frame, 0, 0, MASK_WIDTH, MASK_HEIGHT);
        await this.segmenter.segment(this.segmentationInput, (mask) => this.compositor.updateMask(mask));
      }
      this.frameIndex += 1;
      if (this.stopped) return false;
      const size = processingSize(width, height, level);
      if (target.width !== size.width || target.height !== size.height) {
        target.width = size.width;
        target.height = size.height;
      }
      this.compositor.compose(context2d(target), frame, size.width, size.height, this.background);
      this.failures = 0;
    } catch (error) {
      this.failures += 1;
      if (this.failures === FAILURES_BEFORE_GIVING_UP) this.options.onFailure?.(error);
      return false;
    }
    const done = this.deps.now();
    this.record(done - started, done);
    return true;
  };

  private record(durationMs: number, doneAt: number): void {
    this.composed += 1;
    this.durations.push(durationMs);
    this.doneAt.push(doneAt);
    if (this.durations.length > STATS_WINDOW) this.durations.shift();
    if (this.doneAt.length > STATS_WINDOW) this.doneAt.shift();
    const change = this.quality.record(durationMs);
    if (change) this.options.onQualityChange?.(change);
  }
}
