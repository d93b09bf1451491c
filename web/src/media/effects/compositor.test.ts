import { describe, expect, it } from 'vitest';
import { Compositor, MASK_SMOOTHING, type AnyCanvas } from './compositor';
import type { Background } from './effects';

/** A canvas whose 2D context records what is drawn and keeps the last ImageData put. */
function fakeCanvas(width: number, height: number) {
  const ctx = {
    draws: [] as unknown[],
    put: null as ImageData | null,
    filter: 'none',
    globalAlpha: 1,
    globalCompositeOperation: 'source-over',
    imageSmoothingEnabled: true,
    imageSmoothingQuality: 'low',
    save: () => undefined,
    restore: () => undefined,
    drawImage: (source: unknown) => void ctx.draws.push(source),
    createImageData: (w: number, h: number) => ({ width: w, height: h, data: new Uint8ClampedArray(w * h * 4) }) as ImageData,
    putImageData: (image: ImageData) => {
      ctx.put = image;
    },
  };
  return { width, height, ctx, getContext: () => ctx } as unknown as AnyCanvas & { ctx: typeof ctx };
}

function setup() {
  const canvases: Array<ReturnType<typeof fakeCanvas>> = [];
  const compositor = new Compositor((w, h) => {
    const canvas = fakeCanvas(w, h);
    canvases.push(canvas);
    return canvas;
  });
  return { compositor, canvases };
}

const alphaOf = (image: ImageData) => Array.from(image.data.filter((_, i) => i % 4 === 3));

describe('Compositor', () => {
  it('takes the first mask as it is, then smooths each new one into the last (temporal smoothing)', () => {
    const { compositor, canvases } = setup();
    expect(compositor.ready).toBe(false);
    compositor.updateMask({ data: new Uint8Array([0, 255]), width: 2, height: 1 });
    expect(compositor.ready).toBe(true);
    const raw = canvases[1]!.ctx;
    expect(alphaOf(raw.put!)).toEqual([0, 255]);
    compositor.updateMask({ data: new Uint8Array([255, 0]), width: 2, height: 1 });
    const moved = Math.round(255 * MASK_SMOOTHING);
    expect(alphaOf(raw.put!)).toEqual([moved, 255 - moved]);
    // Feathered into the mask that is composed: the smoothed one, blurred at the mask's size.
    const feathered = canvases[0]!.ctx;
    expect(feathered.draws.at(-1)).toBe(canvases[1]);
    expect(feathered.filter).toBe('blur(1px)');
  });

  it('starts smoothing afresh when the mask size changes', () => {
    const { compositor, canvases } = setup();
    compositor.updateMask({ data: new Uint8Array([0, 0]), width: 2, height: 1 });
    compositor.updateMask({ data: new Uint8Array([255, 255, 255]), width: 3, height: 1 });
    expect(canvases.slice(0, 2).every((c) => c.width === 0)).toBe(true);
    expect(alphaOf(canvases[3]!.ctx.put!)).toEqual([255, 255, 255]);
  });

  it('blurs the small copy for a blur background and composes mask, person and background', () => {
    const { compositor, canvases } = setup();
    const small = fakeCanvas(256, 144);
    const frame = fakeCanvas(640, 360);
    const out = fakeCanvas(640, 360);
    const blur: Background = { kind: 'blur', strength: 'strong' };
    compositor.updateMask({ data: new Uint8Array(4), width: 2, height: 2 });
    compositor.prepareBackground(blur, small, 640, 360);
    const blurCanvas = canvases[2]!;
    expect([blurCanvas.width, blurCanvas.height]).toEqual([80, 45]);
    expect(blurCanvas.ctx.draws).toEqual([small]);
    compositor.compose(out.ctx as unknown as CanvasRenderingContext2D, frame, 640, 360, blur);
    expect(out.ctx.draws).toEqual([canvases[0], frame, blurCanvas]);
  });

  it('scales an image background once per image and size', () => {
    const { compositor, canvases } = setup();
    const image = { width: 1280, height: 720 } as unknown as CanvasImageSource;
    const background: Background = { kind: 'image', image, width: 1280, height: 720 };
    const small = fakeCanvas(256, 144);
    for (let i = 0; i < 3; i++) compositor.prepareBackground(background, small, 640, 360);
    const scaled = canvases[0]!;
    expect(scaled.ctx.draws).toEqual([image]);
    compositor.prepareBackground(background, small, 320, 180);
    expect(scaled.ctx.draws).toHaveLength(2);
    expect([scaled.width, scaled.height]).toEqual([320, 180]);
  });

  it('refuses to compose before it has a mask and a background, and frees every canvas on dispose', () => {
    const { compositor, canvases } = setup();
    const out = fakeCanvas(2, 2);
    const blur: Background = { kind: 'blur', strength: 'light' };
    expect(() => compositor.compose(out.ctx as unknown as CanvasRenderingContext2D, out, 2, 2, blur)).toThrow(/before/);
    compositor.updateMask({ data: new Uint8Array(4), width: 2, height: 2 });
    compositor.prepareBackground(blur, fakeCanvas(256, 144), 640, 360);
    compositor.dispose();
    expect(canvases.every((c) => c.width === 0 && c.height === 0)).toBe(true);
    expect(compositor.ready).toBe(false);
  });
});
