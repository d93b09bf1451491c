// One CameraEffects per MeetingClient (issue 8). Made when the client is made, before it joins,
// so that the camera is published through the effect from its first frame; the room's picker
// finds the same one again.

import { CameraEffects, type CameraEffectsHost } from '../media/effects/cameraEffects';

const effectsOfClient = new WeakMap<CameraEffectsHost, CameraEffects>();

/** The client's CameraEffects, made (and hooked into the client) on first use. */
export function cameraEffectsFor(client: CameraEffectsHost): CameraEffects {
  let effects = effectsOfClient.get(client);
  if (!effects) {
    effects = new CameraEffects(client);
    effectsOfClient.set(client, effects);
  }
  return effects;
}
