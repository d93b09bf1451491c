import { useEffect, useState, useSyncExternalStore } from 'react';
import { connectivity as defaultConnectivity, type Connectivity } from '../api/connectivity';
import { strings } from '../i18n/strings';

export const RETRY_MS = 10_000;

/** Asks the server whether it is there; /healthz is never served from the service worker. */
export async function probeServer(fetchImpl: typeof fetch = (i, init) => globalThis.fetch(i, init)): Promise<boolean> {
  try {
    const res = await fetchImpl('/healthz', { cache: 'no-store' });
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * A bar above the app while the device is offline or our server does not answer. The app shell
 * comes from the service worker, so pages still render; this says why data does not load, and
 * checks again on its own (and on "Try again") until the server answers.
 */
export function OfflineBanner({
  connectivity = defaultConnectivity,
  probe = probeServer,
}: {
  connectivity?: Connectivity;
  probe?: () => Promise<boolean>;
}) {
  const state = useSyncExternalStore(connectivity.subscribe, connectivity.getState);
  const [checking, setChecking] = useState(false);
  const down = !state.online || !state.serverReachable;

  useEffect(() => connectivity.watch(), [connectivity]);

  const check = async () => {
    setChecking(true);
    try {
      if (await probe()) connectivity.reportReachable();
    } finally {
      setChecking(false);
    }
  };

  useEffect(() => {
    if (!down || !state.online) return;
    const again = () => void probe().then((ok) => ok && connectivity.reportReachable());
    again(); // at once too: coming back online usually means the server is there again
    const timer = setInterval(again, RETRY_MS);
    return () => clearInterval(timer);
  }, [down, state.online, connectivity, probe]);

  if (!down) return null;
  return (
    <div
      className="offline-banner alert alert-warning rounded-0 border-0 border-bottom d-flex align-items-center gap-2 m-0 py-2"
      role="status"
      data-testid="offline-banner"
    >
      <i className={`bi ${state.online ? 'bi-cloud-slash' : 'bi-wifi-off'}`} aria-hidden="true" />
      <span className="me-auto">{state.online ? strings.pwa.serverUnreachable : strings.pwa.offline}</span>
      {state.online && (
        <button type="button" className="btn btn-sm btn-outline-dark rounded-pill" disabled={checking} onClick={() => void check()}>
          {checking && <span className="spinner-border spinner-border-sm me-1" aria-hidden="true" />}
          {strings.common.retry}
        </button>
      )}
    </div>
  );
}
