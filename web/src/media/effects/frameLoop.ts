// Getting frames out of the camera track and processed frames into a new track, two ways:
//  - insertable streams (MediaStreamTrackProcessor / MediaStreamTrackGenerator, Chromium): each
//    camera frame arrives as a VideoFrame and each result is written as one, paced by the camera
//    itself, not by timers (so it keeps running in a background tab);
//  - elsewhere a <video> element plays the camera and a canvas's captureStream() is the output,
//    paced by requestVideoFrameCallback where there is one, else by a timer.
// Either way the output track stays the same for the life of the loop: setInput() swaps the
// camera behind it (a device switch), so the producer never needs another replaceTrack.

import type { AnyCanvas } from './compositor';

export type Backend = 'insertable-streams' | 'canvas' | 'none';

/** What the choice of backend looks at; `browserEnvironment()` reads it from the page. */
export interface BackendEnvironment {
  trackProcessor: boolean;
  trackGenerator: boolean;
  videoFrame: boolean;
  canvasCaptureStream: boolean;
}

export function browserEnvironment(): BackendEnvironment {
  const g = globalThis as Record<string, unknown>;
  return {
    trackProcessor: typeof g.MediaStreamTrackProcessor === 'function',
    trackGenerator: typeof g.MediaStreamTrackGenerator === 'function',
    videoFrame: typeof g.VideoFrame === 'function',
    canvasCaptureStream: typeof HTMLCanvasElement !== 'undefined' && typeof HTMLCanvasElement.prototype.captureStream === 'function',
  };
}

export function selectBackend(env: BackendEnvironment): Backend {
  if (env.trackProcessor && env.trackGenerator && env.videoFrame) return 'insertable-streams';
  if (env.canvasCaptureStream) return 'canvas';
  return 'none';
}

/** What rendering one frame did. */
export interface RenderOutcome {
  /** False when the frame was dropped (nothing to send). */
  drawn: boolean;
  /**
   * How long the page's own thread worked on the frame, in ms: waits for the segmentation worker
   * are not counted (the page is free meanwhile), so the loop's pause does not slow the effect down.
   */
  busyMs: number;
}

/** Draws one camera frame into `target`. */
export type RenderFrame = (frame: CanvasImageSource, width: number, height: number, target: AnyCanvas) => Promise<RenderOutcome>;

export interface FrameLoop {
  /** The processed track; the same object until stop(). */
  readonly output: MediaStreamTrack;
  /** Reads from `track` from now on (the caller owns it and stops it). */
  setInput(track: MediaStreamTrack): void;
  /** Stops reading and ends the output track. */
  stop(): void;
}

// --- insertable streams (https://w3c.github.io/mediacapture-transform/) ----------------------------
interface TrackProcessor {
  readonly readable: ReadableStream<VideoFrame>;
}
interface TrackGenerator extends MediaStreamTrack {
  readonly writable: WritableStream<VideoFrame>;
}
interface InsertableGlobals {
  MediaStreamTrackProcessor: new (init: { track: MediaStreamTrack; maxBufferSize?: number }) => TrackProcessor;
  MediaStreamTrackGenerator: new (init: { kind: 'video' }) => TrackGenerator;
}

/** Gives the page's thread back for `ms` (at least one task). */
export const pauseFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

export class InsertableStreamsLoop implements FrameLoop {
  readonly output: MediaStreamTrack;
  private readonly writer: WritableStreamDefaultWriter<VideoFrame>;
  private reader: ReadableStreamDefaultReader<VideoFrame> | null = null;
  private stopped = false;

  constructor(
    input: MediaStreamTrack,
    private readonly render: RenderFrame,
    private readonly target: AnyCanvas,
    private readonly globals: InsertableGlobals = globalThis as unknown as InsertableGlobals,
  ) {
    const generator = new globals.MediaStreamTrackGenerator({ kind: 'video' });
    this.output = generator;
    this.writer = generator.writable.getWriter();
    this.setInput(input);
  }

  setInput(track: MediaStreamTrack): void {
    if (this.stopped) return;
    void this.reader?.cancel().catch(() => undefined);
    // One frame of buffer: when processing is slower than the camera, old frames are dropped.
    const reader = new this.globals.MediaStreamTrackProcessor({ track, maxBufferSize: 1 }).readable.getReader();
    this.reader = reader;
    void this.pump(reader);
  }

  private async pump(reader: ReadableStreamDefaultReader<VideoFrame>): Promise<void> {
    while (!this.stopped && this.reader === reader) {
      let result: ReadableStreamReadResult<VideoFrame>;
      try {
        result = await reader.read();
      } catch {
        return; // cancelled by setInput() or stop()
      }
      if (result.done) return;
      const frame = result.value;
      const started = performance.now();
      let busyMs: number | null = null;
      try {
        const outcome = await this.render(frame, frame.displayWidth, frame.displayHeight, this.target);
        busyMs = outcome.busyMs;
        if (outcome.drawn && !this.stopped) {
          // The generator takes the written frame and closes it.
          await this.writer.write(new VideoFrame(this.target, { timestamp: frame.timestamp }));
        }
      } catch {
        if (this.stopped) return; // the output ended under the write
      } finally {
        frame.close();
      }
      // Reads resolve as microtasks while frames are queued: without a pause here a slow device
      // would never let the page render or take a click. The pause is as long as the page's thread
      // worked on the frame (all of it when rendering failed), so the effect never takes more than
      // half of that thread (frames arriving meanwhile are dropped by the processor's one-frame buffer).
      await pauseFor(busyMs ?? performance.now() - started);
    }
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    void this.reader?.cancel().catch(() => undefined);
    this.reader = null;
    void this.writer.close().catch(() => undefined);
    this.output.stop();
  }
}

// --- <video> + canvas.captureStream() ------------------------------------------------------------
type FrameCallbackVideo = HTMLVideoElement & {
  requestVideoFrameCallback?: (callback: () => void) => number;
  cancelVideoFrameCallback?: (handle: number) => void;
};

export class CanvasLoop implements FrameLoop {
  readonly output: MediaStreamTrack;
  private readonly video: FrameCallbackVideo;
  private stopped = false;
  private pending: { cancel: () => void } | null = null;

  constructor(
    input: MediaStreamTrack,
    private readonly render: RenderFrame,
    private readonly target: HTMLCanvasElement,
    private readonly fps = 30,
  ) {
    this.video = document.createElement('video') as FrameCallbackVideo;
    this.video.muted = true;
    this.video.playsInline = true;
    const track = target.captureStream(fps).getVideoTracks()[0];
    if (!track) throw new Error('canvas.captureStream gave no track');
    this.output = track;
    this.setInput(input);
    this.schedule();
  }

  setInput(track: MediaStreamTrack): void {
    if (this.stopped) return;
    this.video.srcObject = new MediaStream([track]);
    void this.video.play().catch(() => undefined);
  }

  private schedule(): void {
    if (this.stopped) return;
    const video = this.video;
    if (video.requestVideoFrameCallback && video.cancelVideoFrameCallback) {
      const handle = video.requestVideoFrameCallback(() => void this.tick());
      this.pending = { cancel: () => video.cancelVideoFrameCallback?.(handle) };
    } else {
      const timer = setTimeout(() => void this.tick(), 1000 / this.fps);
      this.pending = { cancel: () => clearTimeout(timer) };
    }
  }

  private async tick(): Promise<void> {
    this.pending = null;
    const { videoWidth, videoHeight } = this.video;
    const started = performance.now();
    let busyMs: number | null = null;
    try {
      if (videoWidth > 0 && videoHeight > 0) busyMs = (await this.render(this.video, videoWidth, videoHeight, this.target)).busyMs;
    } finally {
      // As in the insertable-streams loop: at most half of the page's thread.
      await pauseFor(busyMs ?? performance.now() - started);
      this.schedule();
    }
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.pending?.cancel();
    this.pending = null;
    this.video.pause();
    this.video.srcObject = null;
    this.output.stop();
  }
}
