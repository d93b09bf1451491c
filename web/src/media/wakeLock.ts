import { useEffect } from 'react';

export interface WakeLockSentinelLike {
  readonly released: boolean;
  release(): Promise<void>;
}

export interface WakeLockLike {
  request(type: 'screen'): Promise<WakeLockSentinelLike>;
}

export interface VisibilitySource {
  readonly visibilityState: DocumentVisibilityState;
  addEventListener(type: 'visibilitychange', listener: () => void): void;
  removeEventListener(type: 'visibilitychange', listener: () => void): void;
}

/**
 * Keeps the screen on while `active` (a meeting is open). Browsers drop the lock whenever the page
 * is hidden, so it is asked for again each time the page becomes visible; it is released when the
 * meeting ends. Where the API is missing, or the browser refuses (battery saver), nothing happens.
 */
export function keepScreenOn(wakeLock: WakeLockLike | undefined, doc: VisibilitySource): () => void {
  if (!wakeLock) return () => undefined;
  let sentinel: WakeLockSentinelLike | null = null;
  let pending = false;
  let stopped = false;

  const acquire = async () => {
    if (stopped || pending || doc.visibilityState !== 'visible' || (sentinel && !sentinel.released)) return;
    pending = true;
    try {
      const got = await wakeLock.request('screen');
      // Left the meeting while the request was in flight: give it straight back.
      if (stopped) void got.release().catch(() => undefined);
      else sentinel = got;
    } catch {
      // NotAllowedError (hidden page, power saving, permissions policy): try again on next visibility.
    } finally {
      pending = false;
    }
  };
  const onVisibility = () => void acquire();

  doc.addEventListener('visibilitychange', onVisibility);
  void acquire();
  return () => {
    stopped = true;
    doc.removeEventListener('visibilitychange', onVisibility);
    if (sentinel && !sentinel.released) void sentinel.release().catch(() => undefined);
    sentinel = null;
  };
}

/** The hook form for the meeting room. */
export function useWakeLock(
  active: boolean,
  wakeLock: WakeLockLike | undefined = typeof navigator !== 'undefined' && 'wakeLock' in navigator ? navigator.wakeLock : undefined,
  doc: VisibilitySource = document,
): void {
  useEffect(() => (active ? keepScreenOn(wakeLock, doc) : undefined), [active, wakeLock, doc]);
}
