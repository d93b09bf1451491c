import { beforeEach, describe, expect, it, vi } from 'vitest';
import { BackgroundCache } from './backgrounds';
import { fitWithin } from './customBackground';
import { EFFECT_PREFERENCE_KEY, loadEffectPreference, rememberEffectPreference } from './effectPreference';
import { isEffectId, PRESET_BACKGROUNDS } from './effects';

describe('effect ids', () => {
  it('knows the six presets and nothing else', () => {
    expect(PRESET_BACKGROUNDS).toHaveLength(6);
    for (const preset of PRESET_BACKGROUNDS) expect(isEffectId(`preset:${preset.id}`)).toBe(true);
    for (const id of ['off', 'blur-light', 'blur-strong', 'custom']) expect(isEffectId(id)).toBe(true);
    for (const id of ['preset:gone', 'blur', '', null, 3]) expect(isEffectId(id)).toBe(false);
  });
});

describe('the remembered effect', () => {
  beforeEach(() => localStorage.removeItem(EFFECT_PREFERENCE_KEY));

  it('is remembered on this device and read back', () => {
    expect(loadEffectPreference()).toBe('off');
    rememberEffectPreference('preset:sea');
    expect(loadEffectPreference()).toBe('preset:sea');
  });

  it('falls back to no effect for anything unknown', () => {
    localStorage.setItem(EFFECT_PREFERENCE_KEY, 'preset:removed-one');
    expect(loadEffectPreference()).toBe('off');
  });
});

describe('fitWithin', () => {
  it('scales large uploads down to 1280x720 at most, keeping their shape, and leaves small ones', () => {
    expect(fitWithin(4000, 3000)).toEqual({ width: 960, height: 720 });
    expect(fitWithin(6000, 2000)).toEqual({ width: 1280, height: 427 });
    expect(fitWithin(800, 600)).toEqual({ width: 800, height: 600 });
  });
});

describe('BackgroundCache', () => {
  const image = (url: string) => ({ kind: 'image' as const, image: { url } as unknown as CanvasImageSource, width: 1280, height: 720 });

  it('decodes a preset once and serves blurs without loading anything', async () => {
    const loadUrl = vi.fn(async (url: string) => image(url));
    const cache = new BackgroundCache({ loadUrl, loadCustom: async () => null });
    expect(await cache.resolve('blur-light')).toEqual({ kind: 'blur', strength: 'light' });
    await cache.resolve('preset:office');
    await cache.resolve('preset:office');
    expect(loadUrl).toHaveBeenCalledTimes(1);
    expect(loadUrl).toHaveBeenCalledWith('/backgrounds/office.webp');
    expect(await cache.resolve('off')).toBeNull();
  });

  it('tries a failed load again, and reads the own image again after a new upload', async () => {
    const loadUrl = vi
      .fn()
      .mockRejectedValueOnce(new Error('offline'))
      .mockImplementation(async (url: string) => image(url));
    let custom: ReturnType<typeof image> | null = null;
    const loadCustom = vi.fn(async () => custom);
    const cache = new BackgroundCache({ loadUrl, loadCustom });
    await expect(cache.resolve('preset:sea')).rejects.toThrow('offline');
    expect(await cache.resolve('preset:sea')).toMatchObject({ kind: 'image' });
    expect(await cache.resolve('custom')).toBeNull();
    custom = image('mine');
    cache.forgetCustom();
    expect(await cache.resolve('custom')).toEqual(custom);
  });
});
