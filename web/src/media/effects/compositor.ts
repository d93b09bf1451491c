// Drawing one processed frame with the 2D canvas API: the person (where the mask says so) over a
// blurred copy of the frame or over an image. The mask is kept at the model's small size and
// smoothed over time (an exponential moving average of its alpha), so hair and shoulders do not
// flicker from one frame to the next; it is feathered by a small blur at that size and by the
// bilinear scaling up to the frame, which gives soft edges for the price of a 256x144 blur.
// Blur is done the same way: the frame is scaled down, blurred there and scaled back up, which
// costs a fraction of a full-size blur and still looks like one (and degrades to a plain
// down-and-up scale where the canvas has no `filter`).

import type { Background, BlurStrength } from './effects';

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
  private readonly mask: AnyCanvas;
  private readonly maskCtx: Context2D;
  private blurCanvas: AnyCanvas | null = null;
  private hasMask = false;

  constructor(private readonly createCanvas: CanvasFactory) {
    this.mask = createCanvas(MASK_WIDTH, MASK_HEIGHT);
    this.maskCtx = context2d(this.mask);
  }

  get ready(): boolean {
    return this.hasMask;
  }

  /** Blends a new segmentation mask (alpha = person) into the smoothed one. */
  updateMask(mask: CanvasImageSource): void {
    const ctx = this.maskCtx;
    const weight = this.hasMask ? MASK_SMOOTHING : 1;
    ctx.save();
    // Keep (1 - weight) of the previous alpha, then add weight x the new one.
    ctx.globalCompositeOperation = 'destination-in';
    ctx.fillStyle = `rgba(0, 0, 0, ${1 - weight})`;
    ctx.fillRect(0, 0, MASK_WIDTH, MASK_HEIGHT);
    ctx.globalCompositeOperation = 'lighter';
    ctx.globalAlpha = weight;
    // Feathered, and drawn 2 px past the edges so that shoulders at the frame's border do not fade.
    const pad = supportsFilter(ctx) ? 2 : 0;
    if (pad > 0) ctx.filter = 'blur(1px)';
    ctx.drawImage(mask, -pad, -pad, MASK_WIDTH + 2 * pad, MASK_HEIGHT + 2 * pad);
    ctx.restore();
    this.hasMask = true;
  }

  /** Draws `frame` at `width` x `height` into `out` with the background replaced. */
  compose(out: Context2D, frame: CanvasImageSource, width: number, height: number, background: Background): void {
    out.save();
    out.imageSmoothingEnabled = true;
    out.imageSmoothingQuality = 'low';
    // The person: the mask's alpha, then the frame only where it is.
    out.globalCompositeOperation = 'copy';
    out.drawImage(this.mask, 0, 0, width, height);
    out.globalCompositeOperation = 'source-in';
    out.drawImage(frame, 0, 0, width, height);
    // The background: only where nothing is drawn yet.
    out.globalCompositeOperation = 'destination-over';
    if (background.kind === 'blur') {
      out.drawImage(this.blurred(frame, width, height, background.strength), 0, 0, width, height);
    } else {
      const r = coverRect(background.width, background.height, width, height);
      out.drawImage(background.image, r.sx, r.sy, r.sw, r.sh, 0, 0, width, height);
    }
    out.restore();
  }

  private blurred(frame: CanvasImageSource, width: number, height: number, strength: BlurStrength): AnyCanvas {
    const { downscale, radiusPx } = BLUR[strength];
    const w = Math.max(8, Math.round(width / downscale));
    const h = Math.max(8, Math.round(height / downscale));
    if (!this.blurCanvas) this.blurCanvas = this.createCanvas(w, h);
    const canvas = this.blurCanvas;
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
    const ctx = context2d(canvas);
    ctx.save();
    ctx.globalCompositeOperation = 'copy';
    // Drawn a little larger than the canvas: the blur then finds picture, not transparency, past
    // the edges (which would otherwise darken into a vignette).
    const pad = supportsFilter(ctx) ? radiusPx * 2 : 0;
    if (pad > 0) ctx.filter = `blur(${radiusPx}px)`;
    ctx.drawImage(frame, -pad, -pad, w + 2 * pad, h + 2 * pad);
    ctx.restore();
    return canvas;
  }

  /** Gives the canvases' memory back (a zero-size canvas holds no pixels). */
  dispose(): void {
    for (const canvas of [this.mask, this.blurCanvas]) {
      if (!canvas) continue;
      canvas.width = 0;
      canvas.height = 0;
    }
    this.blurCanvas = null;
    this.hasMask = false;
  }
}
