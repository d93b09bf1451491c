import { describe, expect, it, vi } from 'vitest';
import { QUALITY_LEVELS } from './adaptiveQuality';
import type { AnyCanvas } from './compositor';
import type { Background } from './effects';
import type { Backend, FrameLoop, RenderFrame } from './frameLoop';
import { EffectsPipeline, type PipelineDeps } from './pipeline';
import type { Segmenter } from './segmenter';

/** A 2D context that accepts every call the compositor makes and counts the draws. */
function fakeContext() {
  const ctx = {
    draws: 0,
    filter: 'none',
    globalAlpha: 1,
    globalCompositeOperation: 'source-over',
    imageSmoothingEnabled: true,
    imageSmoothingQuality: 'low',
    fillStyle: '',
    save: () => undefined,
    restore: () => undefined,
    fillRect: () => undefined,
    drawImage: () => {
      ctx.draws += 1;
    },
    createImageData: (width: number, height: number) => ({ width, height, data: new Uint8ClampedArray(width * height * 4) }),
    putImageData: () => undefined,
    getImageData: () => ({ width: 1, height: 1, data: new Uint8ClampedArray(4) }),
  };
  return ctx;
}

function fakeCanvas(width: number, height: number) {
  const ctx = fakeContext();
  return { width, height, ctx, getContext: () => ctx } as unknown as AnyCanvas & { ctx: ReturnType<typeof fakeContext> };
}

function setup(options: { backend?: Backend; segmentMs?: number; segmentFails?: boolean; onPageThread?: boolean } = {}) {
  let clock = 0;
  const canvases: Array<ReturnType<typeof fakeCanvas>> = [];
  const segment = vi.fn<Segmenter['segment']>(async () => {
    const segmentMs = options.segmentMs ?? 5;
    clock += segmentMs;
    if (options.segmentFails) throw new Error('model broke');
    return { mask: { data: new Uint8Array(256 * 144).fill(255), width: 256, height: 144 }, segmentMs };
  });
  const release = vi.fn();
  const loop = { output: { id: 'processed' } as MediaStreamTrack, setInput: vi.fn(), stop: vi.fn() };
  let render: RenderFrame | null = null;
  const deps: PipelineDeps = {
    backend: () => options.backend ?? 'insertable-streams',
    acquireSegmenter: vi.fn(async () => ({ segment, release, onPageThread: options.onPageThread ?? false })),
    createCanvas: (w, h) => {
      const canvas = fakeCanvas(w, h);
      canvases.push(canvas);
      return canvas;
    },
    createLoop: vi.fn((_backend, _input, r: RenderFrame): FrameLoop => {
      render = r;
      return loop;
    }),
    now: () => clock,
  };
  const target = fakeCanvas(2, 2);
  /** Feeds one camera frame, 33 ms after the previous one; true when it was drawn. */
  const frame = async (width = 640, height = 360) => (await frameOutcome(width, height)).drawn;
  const frameOutcome = async (width = 640, height = 360) => {
    clock += 33;
    return render!({} as CanvasImageSource, width, height, target);
  };
  return { deps, segment, release, loop, target, canvases, frame, frameOutcome };
}

const blur: Background = { kind: 'blur', strength: 'strong' };
const camera = { id: 'camera' } as MediaStreamTrack;

describe('EffectsPipeline', () => {
  it('refuses to start where the browser can process no video, without loading the model', async () => {
    const { deps } = setup({ backend: 'none' });
    await expect(EffectsPipeline.start(camera, blur, {}, deps)).rejects.toThrow(/cannot process video/);
    expect(deps.acquireSegmenter).not.toHaveBeenCalled();
  });

  it('publishes the loop output and composes each frame at its size over the background', async () => {
    const { deps, segment, loop, target, frame } = setup();
    const pipeline = await EffectsPipeline.start(camera, blur, {}, deps);
    expect(pipeline.output).toBe(loop.output);
    expect(deps.createLoop).toHaveBeenCalledWith('insertable-streams', camera, expect.any(Function));
    expect(await frame()).toBe(true);
    expect(segment).toHaveBeenCalledTimes(1);
    expect([target.width, target.height]).toEqual([640, 360]);
    // mask, person, blurred background
    expect(target.ctx.draws).toBe(3);
    pipeline.stop();
  });

  it('switches background and camera without a new output track', async () => {
    const { deps, loop, frame } = setup();
    const pipeline = await EffectsPipeline.start(camera, blur, {}, deps);
    const image = { width: 1280, height: 720 } as unknown as CanvasImageSource;
    pipeline.setBackground({ kind: 'image', image, width: 1280, height: 720 });
    expect(await frame()).toBe(true);
    const other = { id: 'camera-2' } as MediaStreamTrack;
    pipeline.setInput(other);
    expect(loop.setInput).toHaveBeenCalledWith(other);
    expect(pipeline.output).toBe(loop.output);
    expect(deps.createLoop).toHaveBeenCalledTimes(1);
    pipeline.stop();
  });

  it('stop() frees the loop, the canvases and its share of the model, once', async () => {
    const { deps, release, loop, canvases, frame } = setup();
    const pipeline = await EffectsPipeline.start(camera, blur, {}, deps);
    await frame();
    pipeline.stop();
    pipeline.stop();
    expect(loop.stop).toHaveBeenCalledTimes(1);
    expect(release).toHaveBeenCalledTimes(1);
    expect(canvases.every((c) => c.width === 0 && c.height === 0)).toBe(true);
    expect(pipeline.running).toBe(false);
    expect(await frame()).toBe(false);
  });

  it('gets cheaper when frames take too long, tells once, and then segments every other frame', async () => {
    const { deps, segment, frame } = setup({ segmentMs: 40 });
    const onQualityChange = vi.fn();
    const pipeline = await EffectsPipeline.start(camera, blur, { onQualityChange }, deps);
    for (let i = 0; i < 30; i++) await frame();
    expect(onQualityChange).toHaveBeenCalledWith({ level: 1, direction: 'down' });
    expect(pipeline.stats().qualityLevel).toBe(1);
    segment.mockClear();
    for (let i = 0; i < 10; i++) await frame();
    expect(segment).toHaveBeenCalledTimes(5);
    pipeline.stop();
  });

  it("scales 720p down to the cheaper levels' width, keeping the aspect ratio", async () => {
    const { deps, target, frame } = setup({ segmentMs: 60 });
    const pipeline = await EffectsPipeline.start(
      camera,
      blur,
      { adaptive: { budgetMs: 25, window: 2, raiseBelow: 0, raiseAfterWindows: 99 } },
      deps,
    );
    for (let i = 0; i < 12; i++) await frame(1280, 720);
    const level = pipeline.stats().qualityLevel;
    expect(level).toBeGreaterThanOrEqual(2);
    const width = QUALITY_LEVELS[level]!.maxWidth;
    expect([target.width, target.height]).toEqual([width, (width * 9) / 16]);
    pipeline.stop();
  });

  it('reports a model that keeps failing once, sending no frame meanwhile', async () => {
    const { deps, frame } = setup({ segmentFails: true });
    const onFailure = vi.fn();
    const pipeline = await EffectsPipeline.start(camera, blur, { onFailure }, deps);
    const sent = [];
    for (let i = 0; i < 40; i++) sent.push(await frame());
    expect(sent.every((s) => s === false)).toBe(true);
    expect(onFailure).toHaveBeenCalledTimes(1);
    pipeline.stop();
  });

  it('reports processing time percentiles and the frame rate it achieves', async () => {
    const { deps, frame } = setup({ segmentMs: 10 });
    const pipeline = await EffectsPipeline.start(camera, blur, {}, deps);
    for (let i = 0; i < 20; i++) await frame();
    const stats = pipeline.stats();
    expect(stats).toMatchObject({
      backend: 'insertable-streams',
      frames: 20,
      p50Ms: 10,
      p95Ms: 10,
      segmentP50Ms: 10,
      pageP50Ms: 0,
      qualityLevel: 0,
    });
    expect(stats.fps).toBeCloseTo(1000 / 43, 1);
    pipeline.stop();
  });

  it('forgets its figures on resetStats (a warm-up), counting frames on', async () => {
    const { deps, frame } = setup({ segmentMs: 50 });
    const pipeline = await EffectsPipeline.start(
      camera,
      blur,
      { adaptive: { budgetMs: 1e9, window: 1e9, raiseBelow: 0, raiseAfterWindows: 1e9 } },
      deps,
    );
    for (let i = 0; i < 3; i++) await frame();
    pipeline.resetStats();
    expect(pipeline.stats()).toMatchObject({ frames: 3, p50Ms: 0, p95Ms: 0, fps: 0 });
    pipeline.stop();
  });

  it("does not count the wait for the segmentation worker as the page's time (the loop pauses for that long)", async () => {
    const { deps, frameOutcome } = setup({ segmentMs: 12 });
    const pipeline = await EffectsPipeline.start(camera, blur, {}, deps);
    expect(await frameOutcome()).toEqual({ drawn: true, busyMs: 0 });
    pipeline.stop();
  });

  it("counts segmentation on the page (no worker) as the page's time", async () => {
    const { deps, frameOutcome } = setup({ segmentMs: 12, onPageThread: true });
    const pipeline = await EffectsPipeline.start(camera, blur, {}, deps);
    expect(await frameOutcome()).toEqual({ drawn: true, busyMs: 12 });
    pipeline.stop();
  });

  it('gets the background ready from the small copy before the model may take its pixels', async () => {
    const { deps, segment, canvases, frame } = setup();
    const pipeline = await EffectsPipeline.start(camera, blur, {}, deps);
    segment.mockImplementationOnce(async (image) => {
      // The blur canvas (the compositor makes it on first use) is drawn already.
      const blurCanvas = canvases.find((c) => c !== image && c.ctx.draws > 0);
      expect(blurCanvas).toBeDefined();
      return { mask: { data: new Uint8Array(4), width: 2, height: 2 }, segmentMs: 1 };
    });
    expect(await frame()).toBe(true);
    expect(segment).toHaveBeenCalledWith(canvases[0]);
    pipeline.stop();
  });
});
