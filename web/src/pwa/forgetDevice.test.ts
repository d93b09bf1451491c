import { describe, expect, it, vi } from 'vitest';
import { FORGET_TIMEOUT_MS, forgetPushDevice } from './forgetDevice';

describe('forgetPushDevice (sign-out)', () => {
  it('drops the subscription before sign-out goes on', async () => {
    const forget = vi.fn(async () => undefined);
    await forgetPushDevice(async () => forget);
    expect(forget).toHaveBeenCalledOnce();
  });

  it('never throws and never waits long', async () => {
    await expect(forgetPushDevice(async () => Promise.reject(new Error('offline')))).resolves.toBeUndefined();
    vi.useFakeTimers();
    try {
      let done = false;
      const pending = forgetPushDevice(async () => () => new Promise<void>(() => undefined)).then(() => (done = true));
      await vi.advanceTimersByTimeAsync(FORGET_TIMEOUT_MS - 1);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await pending;
      expect(done).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('does nothing in a browser without service workers', async () => {
    await expect(forgetPushDevice()).resolves.toBeUndefined();
  });
});
