// The video effects a person can choose (issue 8): none, two blurs, the preset backgrounds shipped
// in public/backgrounds/ (credited in its CREDITS.md), and one image of their own. An effect is a
// short string id so that it can be remembered in localStorage and compared cheaply.

export type BlurStrength = 'light' | 'strong';

export interface PresetBackground {
  id: string;
  /** Shown as the thumbnail's accessible name. */
  label: string;
  /** Same-origin URL of the full image (1280x720). */
  url: string;
  /** Same-origin URL of the small picture for the picker. */
  thumbnail: string;
}

export const PRESET_BACKGROUNDS: readonly PresetBackground[] = [
  { id: 'office', label: 'Office', url: '/backgrounds/office.webp', thumbnail: '/backgrounds/office-thumb.webp' },
  { id: 'shelves', label: 'Bookshelves', url: '/backgrounds/shelves.webp', thumbnail: '/backgrounds/shelves-thumb.webp' },
  { id: 'hills', label: 'Hills', url: '/backgrounds/hills.webp', thumbnail: '/backgrounds/hills-thumb.webp' },
  { id: 'sea', label: 'Sea at dusk', url: '/backgrounds/sea.webp', thumbnail: '/backgrounds/sea-thumb.webp' },
  { id: 'night', label: 'Night sky', url: '/backgrounds/night.webp', thumbnail: '/backgrounds/night-thumb.webp' },
  { id: 'waves', label: 'Soft waves', url: '/backgrounds/waves.webp', thumbnail: '/backgrounds/waves-thumb.webp' },
];

/** 'off', 'blur-light', 'blur-strong', 'preset:<id>' or 'custom' (the person's own image). */
export type EffectId = 'off' | 'blur-light' | 'blur-strong' | 'custom' | `preset:${string}`;

export const EFFECT_OFF: EffectId = 'off';

/** What the pipeline draws behind the person. */
export type Background =
  { kind: 'blur'; strength: BlurStrength } | { kind: 'image'; image: CanvasImageSource; width: number; height: number };

export function isEffectId(value: unknown): value is EffectId {
  if (value === 'off' || value === 'blur-light' || value === 'blur-strong' || value === 'custom') return true;
  return typeof value === 'string' && value.startsWith('preset:') && PRESET_BACKGROUNDS.some((p) => `preset:${p.id}` === value);
}

export function presetOf(effect: EffectId): PresetBackground | null {
  if (!effect.startsWith('preset:')) return null;
  return PRESET_BACKGROUNDS.find((p) => `preset:${p.id}` === effect) ?? null;
}

export function blurOf(effect: EffectId): BlurStrength | null {
  if (effect === 'blur-light') return 'light';
  if (effect === 'blur-strong') return 'strong';
  return null;
}
