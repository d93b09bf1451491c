// Drawing one processed frame with the 2D canvas API: the person (where the mask says so) over a
// blurred copy of the frame or over an image. Everything but the three full-size draws of the
// final composite happens at the model's small size (256x144):
//  - the mask is smoothed over time (an exponential moving average of the model's confidences,
//    in a Float32Array), so hair and shoulders do not flicker from one frame to the next, then
//    feathered by a small blur at that size and by the bilinear scaling up to the frame;
//  - the blurred background is made from the same small copy of the frame the model gets (no
//    second read of the camera frame), scaled down further, blurred there and scaled back up,
//    which costs a fraction of a full-size blur and still looks like one (and degrades to a plain
//    down-and-up scale where the canvas has no `filter`);
//  - an image background is scaled to the frame once and kept until the image or size changes.

import type { Background, BlurStrength } from './effects';
import type { Mask } from './segmentationEngine';

export type Context2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;
export type AnyCanvas = HTMLCanvasElement | OffscreenCanvas;

/** Makes a canvas (an OffscreenCanvas where there is one; fakes in tests). */
export type CanvasFactory = (width: number, height: number) => AnyCanvas;

export const MASK_WIDTH = 256;
export const MASK_HEIGHT = 144;

/** How much of a new mask goes into the smoothed one (the rest is the previous mask). */
export const MASK_SMOOTHING = 0.55;

const BLUR: Record<BlurStrength, { downscale: number; radiusPx: number }> = {
  light: { downscale: 4, radiusPx: 1.5 },
  strong: { downscale: 8, radiusPx: 3 },
};

export function context2d(canvas: AnyCanvas): Context2D {
  const ctx = canvas.getContext('2d') as Context2D | null;
  if (!ctx) throw new Error('no 2D canvas');
  return ctx;
}

function supportsFilter(ctx: Context2D): boolean {
  return 'filter' in ctx;
}

/** The part of an image of `iw` x `ih` that covers a `w` x `h` frame, centred (CSS object-fit: cover). */
export function coverRect(iw: number, ih: number, w: number, h: number): { sx: number; sy: number; sw: number; sh: number } {
  const scale = Math.max(w / iw, h / ih);
  const sw = w / scale;
  const sh = h / scale;
  return { sx: (iw - sw) / 2, sy: (ih - sh) / 2, sw, sh };
}

export class Compositor {
  /** The smoothed, feathered mask (alpha = person) at the mask's size. */
  private mask: AnyCanvas | null = null;
  /** The smoothed mask before feathering, written with putImageData. */
  private rawMask: AnyCanvas | null = null;
  private pixels: ImageData | null = null;
  private smoothed: Float32Array | null = null;
  private blurCanvas: AnyCanvas | null = null;
  private imageCanvas: AnyCanvas | null = null;
  private imageKey: { image: CanvasImageSource; width: number; height: number } | null = null;
  private hasMask = false;

  constructor(private readonly createCanvas: CanvasFactory) {}

  get ready(): boolean {
    return this.hasMask;
  }

  /** Blends a new segmentation mask (255 = person) into the smoothed one and feathers it. */
  updateMask(next: Mask): void {
    const { width, height, data } = next;
    if (!this.mask || !this.rawMask || !this.pixels || !this.smoothed || this.smoothed.length !== data.length) {
      this.disposeMask();
      this.mask = this.createCanvas(width, height);
      this.rawMask = this.createCanvas(width, height);
      this.pixels = context2d(this.rawMask).createImageData(width, height);
      this.smoothed = new Float32Array(width * height);
      this.hasMask = false;
    }
    const weight = this.hasMask ? MASK_SMOOTHING : 1;
    const smoothed = this.smoothed;
    const alpha = this.pixels.data;
    for (let i = 0; i < data.length; i++) {
      const value = smoothed[i]! + weight * (data[i]! - smoothed[i]!);
      smoothed[i] = value;
      alpha[i * 4 + 3] = value;
    }
    context2d(this.rawMask).putImageData(this.pixels, 0, 0);
    const ctx = context2d(this.mask);
    ctx.save();
    ctx.globalCompositeOperation = 'copy';
    // Feathered, and drawn 2 px past the edges so that shoulders at the frame's border do not fade.
    const pad = supportsFilter(ctx) ? 2 : 0;
    if (pad > 0) ctx.filter = 'blur(1px)';
    ctx.drawImage(this.rawMask, -pad, -pad, width + 2 * pad, height + 2 * pad);
    ctx.restore();
    this.hasMask = true;
  }

  /**
   * Gets the background ready for a `width` x `height` frame: blurs `small` (the frame scaled
   * down, e.g. the model's input, before it is handed over) or scales the image. Call before
   * compose(), while the model works.
   */
  prepareBackground(background: Background, small: CanvasImageSource, width: number, height: number): void {
    if (background.kind === 'blur') this.blur(small, width, height, background.strength);
    else this.scaleImage(background, width, height);
  }

  /** Draws `frame` at `width` x `height` into `out` over the prepared background. */
  compose(out: Context2D, frame: CanvasImageSource, width: number, height: number, background: Background): void {
    const mask = this.mask;
    const behind = background.kind === 'blur' ? this.blurCanvas : this.imageCanvas;
    if (!mask || !behind) throw new Error('compose() before updateMask() and prepareBackground()');
    out.save();
    out.imageSmoothingEnabled = true;
    out.imageSmoothingQuality = 'low';
    // The person: the mask's alpha, then the frame only where it is.
    out.globalCompositeOperation = 'copy';
    out.drawImage(mask, 0, 0, width, height);
    out.globalCompositeOperation = 'source-in';
    out.drawImage(frame, 0, 0, width, height);
    // The background: only where nothing is drawn yet.
    out.globalCompositeOperation = 'destination-over';
    out.drawImage(behind, 0, 0, width, height);
    out.restore();
  }

  private blur(small: CanvasImageSource, width: number, height: number, strength: BlurStrength): void {
    const { downscale, radiusPx } = BLUR[strength];
    const w = Math.max(8, Math.round(width / downscale));
    const h = Math.max(8, Math.round(height / downscale));
    const canvas = this.resized('blurCanvas', w, h);
    const ctx = context2d(canvas);
    ctx.save();
    ctx.globalCompositeOperation = 'copy';
    // Drawn a little larger than the canvas: the blur then finds picture, not transparency, past
    // the edges (which would otherwise darken into a vignette).
    const pad = supportsFilter(ctx) ? radiusPx * 2 : 0;
    if (pad > 0) ctx.filter = `blur(${radiusPx}px)`;
    ctx.drawImage(small, -pad, -pad, w + 2 * pad, h + 2 * pad);
    ctx.restore();
  }

  private scaleImage(background: Extract<Background, { kind: 'image' }>, width: number, height: number): void {
    const key = this.imageKey;
    if (this.imageCanvas && key && key.image === background.image && key.width === width && key.height === height) return;
    const canvas = this.resized('imageCanvas', width, height);
    const ctx = context2d(canvas);
    const r = coverRect(background.width, background.height, width, height);
    ctx.save();
    ctx.globalCompositeOperation = 'copy';
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(background.image, r.sx, r.sy, r.sw, r.sh, 0, 0, width, height);
    ctx.restore();
    this.imageKey = { image: background.image, width, height };
  }

  private resized(which: 'blurCanvas' | 'imageCanvas', width: number, height: number): AnyCanvas {
    const canvas = (this[which] ??= this.createCanvas(width, height));
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
    return canvas;
  }

  private disposeMask(): void {
    for (const canvas of [this.mask, this.rawMask]) {
      if (!canvas) continue;
      canvas.width = 0;
      canvas.height = 0;
    }
    this.mask = null;
    this.rawMask = null;
    this.pixels = null;
    this.smoothed = null;
    this.hasMask = false;
  }

  /** Gives the canvases' memory back (a zero-size canvas holds no pixels). */
  dispose(): void {
    this.disposeMask();
    for (const canvas of [this.blurCanvas, this.imageCanvas]) {
      if (!canvas) continue;
      canvas.width = 0;
      canvas.height = 0;
    }
    this.blurCanvas = null;
    this.imageCanvas = null;
    this.imageKey = null;
  }
}
