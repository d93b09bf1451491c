// Meeting audio when the screen locks or the app goes to the background. Nothing of ours pauses
// media on visibilitychange (the wake lock only asks again, media/wakeLock.ts); but some platforms
// pause <audio> elements themselves (iOS on an interruption, Android when the tab is frozen).
// Where the platform allows, the element is started again at once, and otherwise as soon as the
// page is visible again, so nobody comes back to a silent meeting.

export interface PlayableElement {
  readonly paused: boolean;
  srcObject: MediaProvider | null;
  play(): Promise<void>;
  addEventListener(type: 'pause', listener: () => void): void;
  removeEventListener(type: 'pause', listener: () => void): void;
}

export interface VisibilityTarget {
  readonly visibilityState: DocumentVisibilityState;
  addEventListener(type: 'visibilitychange', listener: () => void): void;
  removeEventListener(type: 'visibilitychange', listener: () => void): void;
}

/**
 * Keeps `element` playing while it has a stream; returns the function that stops watching. A pause
 * while the page is hidden is answered once (a platform that pauses it again means it) and the
 * rest waits for the page to be visible again; a pause while visible is someone else's choice
 * (the browser's own controls, an ended stream) and is left alone, so the two can never fight.
 */
export function keepPlaying(element: PlayableElement, doc: VisibilityTarget = document): () => void {
  let triedWhileHidden = false;
  const resume = () => {
    if (!element.paused || !element.srcObject) return;
    // Refused while hidden on some platforms (NotAllowedError): the visibilitychange retry follows.
    void element.play().catch(() => undefined);
  };
  const onPause = () => {
    if (doc.visibilityState !== 'hidden' || triedWhileHidden) return;
    triedWhileHidden = true;
    resume();
  };
  const onVisibility = () => {
    triedWhileHidden = false;
    if (doc.visibilityState === 'visible') resume();
  };
  element.addEventListener('pause', onPause);
  doc.addEventListener('visibilitychange', onVisibility);
  return () => {
    element.removeEventListener('pause', onPause);
    doc.removeEventListener('visibilitychange', onVisibility);
  };
}
