// Turning an effect id into what the pipeline draws: a blur strength, or a decoded image (a preset
// from /backgrounds/ on our origin, or the person's own from IndexedDB). Decoded images are kept,
// so switching back and forth does not decode again.

import { loadCustomBackground } from './customBackground';
import { blurOf, presetOf, type Background, type EffectId } from './effects';

export interface BackgroundSources {
  loadUrl: (url: string) => Promise<Background>;
  loadCustom: () => Promise<Background | null>;
}

/** An <img> (request destination "image": the service worker caches it like the other images). */
function loadImageUrl(url: string): Promise<Background> {
  const image = new Image();
  image.src = url;
  return image.decode().then(() => ({ kind: 'image', image, width: image.naturalWidth, height: image.naturalHeight }));
}

async function loadCustomImage(): Promise<Background | null> {
  const blob = await loadCustomBackground();
  if (!blob) return null;
  const bitmap = await createImageBitmap(blob);
  return { kind: 'image', image: bitmap, width: bitmap.width, height: bitmap.height };
}

export const browserBackgroundSources: BackgroundSources = { loadUrl: loadImageUrl, loadCustom: loadCustomImage };

export class BackgroundCache {
  private readonly images = new Map<string, Promise<Background>>();

  constructor(private readonly sources: BackgroundSources = browserBackgroundSources) {}

  /** What to draw for `effect`; null for 'off' or a custom image that is not there (any more). */
  async resolve(effect: EffectId): Promise<Background | null> {
    const strength = blurOf(effect);
    if (strength) return { kind: 'blur', strength };
    const preset = presetOf(effect);
    if (preset) return this.cached(preset.url, () => this.sources.loadUrl(preset.url));
    if (effect === 'custom') {
      const custom = await this.cached('custom', async () => {
        const loaded = await this.sources.loadCustom();
        if (!loaded) throw new Error('no custom background');
        return loaded;
      }).catch(() => null);
      return custom;
    }
    return null;
  }

  /** After a new upload: the next resolve('custom') reads it again. */
  forgetCustom(): void {
    this.images.delete('custom');
  }

  private cached(key: string, load: () => Promise<Background>): Promise<Background> {
    let entry = this.images.get(key);
    if (!entry) {
      entry = load();
      this.images.set(key, entry);
      // A failed load is not kept: the next attempt tries again.
      entry.catch(() => this.images.delete(key));
    }
    return entry;
  }
}
