import { renderHook } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { keepScreenOn, useWakeLock, type VisibilitySource, type WakeLockSentinelLike } from './wakeLock';

function fakeWakeLock() {
  const sentinels: { released: boolean; release: ReturnType<typeof vi.fn> }[] = [];
  const request = vi.fn(async (_type: 'screen'): Promise<WakeLockSentinelLike> => {
    const s = {
      released: false,
      release: vi.fn(async () => {
        s.released = true;
      }),
    };
    sentinels.push(s);
    return s;
  });
  // The browser releases the lock by itself when the page is hidden.
  const dropAll = () => sentinels.forEach((s) => (s.released = true));
  return { api: { request }, request, sentinels, dropAll };
}

function fakeDocument(initial: DocumentVisibilityState = 'visible') {
  const listeners = new Set<() => void>();
  const doc: VisibilitySource & { set(state: DocumentVisibilityState): void; listeners: Set<() => void> } = {
    visibilityState: initial,
    addEventListener: (_t, l) => listeners.add(l),
    removeEventListener: (_t, l) => listeners.delete(l),
    set(state) {
      (this as { visibilityState: DocumentVisibilityState }).visibilityState = state;
      listeners.forEach((l) => l());
    },
    listeners,
  };
  return doc;
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('wake lock during a meeting', () => {
  it('takes the screen lock, takes it again when the page comes back, and releases it on leave', async () => {
    const wl = fakeWakeLock();
    const doc = fakeDocument();
    const { unmount } = renderHook(() => useWakeLock(true, wl.api, doc));
    await flush();
    expect(wl.request).toHaveBeenCalledWith('screen');
    expect(wl.request).toHaveBeenCalledTimes(1);

    wl.dropAll();
    doc.set('hidden');
    await flush();
    expect(wl.request).toHaveBeenCalledTimes(1); // never asked while hidden
    doc.set('visible');
    await flush();
    expect(wl.request).toHaveBeenCalledTimes(2);

    doc.set('visible'); // still held: no second request
    await flush();
    expect(wl.request).toHaveBeenCalledTimes(2);

    unmount();
    expect(wl.sentinels[1].release).toHaveBeenCalled();
    expect(doc.listeners.size).toBe(0);
  });

  it('gives back a lock that arrives after the meeting was left', async () => {
    let resolve: (s: WakeLockSentinelLike) => void = () => undefined;
    const late = { released: false, release: vi.fn(async () => undefined) };
    const api = { request: vi.fn(() => new Promise<WakeLockSentinelLike>((r) => (resolve = r))) };
    const stop = keepScreenOn(api, fakeDocument());
    stop();
    resolve(late);
    await flush();
    expect(late.release).toHaveBeenCalled();
  });

  it('does nothing where the API is missing or the browser refuses', async () => {
    const doc = fakeDocument();
    expect(() => keepScreenOn(undefined, doc)()).not.toThrow();
    const api = { request: vi.fn(async () => Promise.reject(new DOMException('battery saver', 'NotAllowedError'))) };
    const stop = keepScreenOn(api, doc);
    await flush();
    doc.set('visible');
    await flush();
    expect(api.request).toHaveBeenCalledTimes(2);
    stop();
  });

  it('is off when not active', async () => {
    const wl = fakeWakeLock();
    renderHook(() => useWakeLock(false, wl.api, fakeDocument()));
    await flush();
    expect(wl.request).not.toHaveBeenCalled();
  });
});
