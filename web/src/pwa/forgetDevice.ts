/** How long sign-out waits for the push subscription to be dropped before going on anyway. */
export const FORGET_TIMEOUT_MS = 3000;

/**
 * Drops this device's push subscription on sign-out, so that a shared phone stops receiving the
 * previous user's reminders and chat lines. Runs while the access token still works (the server
 * DELETE needs it); loaded lazily to keep push code out of the first bundle; never throws and
 * never holds sign-out up for long.
 */
export async function forgetPushDevice(load: () => Promise<() => Promise<void>> = defaultLoad): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, FORGET_TIMEOUT_MS);
  });
  try {
    await Promise.race([load().then((forget) => forget()), timeout]);
  } catch {
    // No worker, no subscription, offline: nothing more to do here.
  } finally {
    clearTimeout(timer);
  }
}

async function defaultLoad(): Promise<() => Promise<void>> {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return async () => undefined;
  const push = await import('./push');
  return () => push.disablePush(push.browserPushEnvironment());
}
