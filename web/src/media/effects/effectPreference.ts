// The chosen effect is remembered on this device (localStorage), as the camera and microphone are
// in ../devices.ts: the pre-join screen and the room start with it. The person's own image is not
// here but in IndexedDB (customBackground.ts): localStorage is small and synchronous.

import { EFFECT_OFF, isEffectId, type EffectId } from './effects';

export const EFFECT_PREFERENCE_KEY = 'fluxmeet.videoEffect.v1';

function storage(): Storage | null {
  try {
    return typeof window !== 'undefined' ? window.localStorage : null;
  } catch {
    return null;
  }
}

/** The saved effect; anything unknown (an old preset that was removed) means no effect. */
export function loadEffectPreference(): EffectId {
  let saved: string | null = null;
  try {
    saved = storage()?.getItem(EFFECT_PREFERENCE_KEY) ?? null;
  } catch {
    return EFFECT_OFF;
  }
  return isEffectId(saved) ? saved : EFFECT_OFF;
}

/** Best effort: a full or disabled storage only means the choice is not remembered. */
export function rememberEffectPreference(effect: EffectId): void {
  try {
    storage()?.setItem(EFFECT_PREFERENCE_KEY, effect);
  } catch {
    // QuotaExceededError or storage disabled.
  }
}
