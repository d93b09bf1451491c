// Adaptive cost (issue 8): the pipeline reports how long each frame took; when a device cannot
// keep up, the effect gets cheaper step by step instead of the video freezing, and the person is
// told once. Pure logic over reported durations, so it is tested without a browser.

export interface QualityLevel {
  /** The largest width the effect is composed at (frames wider are scaled down first). */
  maxWidth: number;
  /** Segment every n-th frame; the frames between reuse the (smoothed) mask. */
  segmentEvery: number;
  /** The most frames per second sent on. */
  maxFps: number;
}

/** Cheapest last. Level 0 is full quality. */
export const QUALITY_LEVELS: readonly QualityLevel[] = [
  { maxWidth: 1280, segmentEvery: 1, maxFps: 30 },
  { maxWidth: 1280, segmentEvery: 2, maxFps: 30 },
  { maxWidth: 640, segmentEvery: 2, maxFps: 24 },
  { maxWidth: 640, segmentEvery: 3, maxFps: 15 },
  { maxWidth: 320, segmentEvery: 4, maxFps: 10 },
];

export interface AdaptiveOptions {
  /** A frame budget: above it on average the device is not keeping up (30 fps leaves ~33 ms). */
  budgetMs: number;
  /** Frames averaged before a decision, and the least number of frames between two changes. */
  window: number;
  /** Below budgetMs * this for `raiseAfterWindows` windows in a row, quality goes back up one level. */
  raiseBelow: number;
  raiseAfterWindows: number;
}

// A window of 15 frames: half a second at full rate, so a device that cannot keep up reaches a
// level it can hold within seconds; going back up takes ten calm windows.
export const DEFAULT_ADAPTIVE: AdaptiveOptions = { budgetMs: 25, window: 15, raiseBelow: 0.4, raiseAfterWindows: 10 };

export type QualityChange = { level: number; direction: 'down' | 'up' } | null;

export class AdaptiveQuality {
  private levelIndex = 0;
  private sum = 0;
  private count = 0;
  private calmWindows = 0;
  private lowest = 0;

  constructor(private readonly options: AdaptiveOptions = DEFAULT_ADAPTIVE) {}

  get level(): QualityLevel {
    return QUALITY_LEVELS[this.levelIndex]!;
  }

  get levelNumber(): number {
    return this.levelIndex;
  }

  /** True once quality had to be lowered at least once (for the notice, which is given once). */
  get everLowered(): boolean {
    return this.lowest > 0;
  }

  /** Records the processing time of one frame; returns the change it causes, if any. */
  record(durationMs: number): QualityChange {
    this.sum += durationMs;
    this.count += 1;
    if (this.count < this.options.window) return null;
    const mean = this.sum / this.count;
    this.sum = 0;
    this.count = 0;
    if (mean > this.options.budgetMs && this.levelIndex < QUALITY_LEVELS.length - 1) {
      this.calmWindows = 0;
      this.levelIndex += 1;
      this.lowest = Math.max(this.lowest, this.levelIndex);
      return { level: this.levelIndex, direction: 'down' };
    }
    if (mean < this.options.budgetMs * this.options.raiseBelow && this.levelIndex > 0) {
      this.calmWindows += 1;
      if (this.calmWindows >= this.options.raiseAfterWindows) {
        this.calmWindows = 0;
        this.levelIndex -= 1;
        return { level: this.levelIndex, direction: 'up' };
      }
      return null;
    }
    this.calmWindows = 0;
    return null;
  }
}

/** The size to compose at: the frame's, scaled down to the level's width (even numbers for encoders). */
export function processingSize(width: number, height: number, level: QualityLevel): { width: number; height: number } {
  if (width <= level.maxWidth) return { width, height };
  const scale = level.maxWidth / width;
  const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);
  return { width: even(width * scale), height: even(height * scale) };
}

/** Thins frames to a rate: a 30 fps camera through a 15 fps limit keeps every other frame. */
export class FrameRateLimiter {
  private nextDue = -Infinity;

  /** `now` in ms; true when the frame should be processed, false when it is dropped. */
  admit(now: number, maxFps: number): boolean {
    const interval = 1000 / maxFps;
    if (this.nextDue === -Infinity) this.nextDue = now;
    // Some slack, so that camera jitter does not thin a 30 fps camera at a 30 fps limit.
    if (now < this.nextDue - interval * 0.2) return false;
    // Each admitted frame books one interval; after a pause, counting starts again from now
    // instead of letting a burst through.
    this.nextDue = Math.max(this.nextDue, now - interval) + interval;
    return true;
  }
}
