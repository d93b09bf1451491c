import { describe, expect, it } from 'vitest';
import { AdaptiveQuality, FrameRateLimiter, processingSize, QUALITY_LEVELS } from './adaptiveQuality';

const options = { budgetMs: 25, window: 10, raiseBelow: 0.4, raiseAfterWindows: 3 };

function feed(quality: AdaptiveQuality, durationMs: number, frames: number) {
  const changes = [];
  for (let i = 0; i < frames; i++) {
    const change = quality.record(durationMs);
    if (change) changes.push(change);
  }
  return changes;
}

describe('AdaptiveQuality', () => {
  it('keeps full quality while frames fit the budget', () => {
    const quality = new AdaptiveQuality(options);
    expect(feed(quality, 20, 100)).toEqual([]);
    expect(quality.level).toEqual(QUALITY_LEVELS[0]);
    expect(quality.everLowered).toBe(false);
  });

  it('lowers one level per window of slow frames, down to the cheapest and no further', () => {
    const quality = new AdaptiveQuality(options);
    expect(feed(quality, 40, 10)).toEqual([{ level: 1, direction: 'down' }]);
    expect(quality.everLowered).toBe(true);
    feed(quality, 40, 100);
    expect(quality.levelNumber).toBe(QUALITY_LEVELS.length - 1);
    expect(quality.level.maxFps).toBeLessThan(QUALITY_LEVELS[0]!.maxFps);
  });

  it('decides on the mean of a window, not on one slow frame', () => {
    const quality = new AdaptiveQuality(options);
    expect(feed(quality, 10, 9)).toEqual([]);
    expect(quality.record(100)).toBeNull(); // mean (9*10+100)/10 = 19 ms
  });

  it('goes back up only after several calm windows in a row', () => {
    const quality = new AdaptiveQuality(options);
    feed(quality, 40, 20);
    expect(quality.levelNumber).toBe(2);
    expect(feed(quality, 5, 20)).toEqual([]);
    feed(quality, 20, 10); // a busy window resets the count
    expect(feed(quality, 5, 20)).toEqual([]);
    expect(feed(quality, 5, 10)).toEqual([{ level: 1, direction: 'up' }]);
  });
});

describe('processingSize', () => {
  it('keeps frames within the level width and scales larger ones to even sizes', () => {
    const wide = QUALITY_LEVELS[2]!;
    expect(processingSize(640, 360, wide)).toEqual({ width: 640, height: 360 });
    expect(processingSize(1280, 720, wide)).toEqual({ width: 640, height: 360 });
    expect(processingSize(1279, 719, wide)).toEqual({ width: 640, height: 360 });
  });
});

describe('FrameRateLimiter', () => {
  const run = (fps: number, cameraFps: number, seconds: number) => {
    const limiter = new FrameRateLimiter();
    let admitted = 0;
    for (let frame = 0; frame < seconds * cameraFps; frame++) if (limiter.admit((frame * 1000) / cameraFps, fps)) admitted++;
    return admitted;
  };

  it('passes a camera at the limit untouched and thins a faster one', () => {
    expect(run(30, 30, 2)).toBe(60);
    expect(run(15, 30, 2)).toBe(30);
    expect(run(24, 30, 2)).toBeGreaterThanOrEqual(44);
    expect(run(24, 30, 2)).toBeLessThanOrEqual(50);
  });

  it('tolerates jitter around the frame interval', () => {
    const limiter = new FrameRateLimiter();
    const times = [0, 31, 66, 99, 131, 167];
    expect(times.filter((t) => limiter.admit(t, 30))).toEqual(times);
  });
});
