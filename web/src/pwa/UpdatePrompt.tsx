import { useState, useSyncExternalStore } from 'react';
import { strings } from '../i18n/strings';
import { updates, type UpdateStore } from './updates';

/** "A new version is available — Reload", shown while a newer service worker waits. */
export function UpdatePrompt({ store = updates }: { store?: UpdateStore }) {
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const [reloading, setReloading] = useState(false);
  if (!state.needRefresh) return null;
  return (
    <div className="toast-container position-fixed bottom-0 end-0 p-3 update-prompt">
      <div className="toast show align-items-center text-bg-dark border-0" role="alert" aria-live="assertive" data-testid="update-prompt">
        <div className="d-flex align-items-center gap-2 p-2">
          <i className="bi bi-arrow-repeat ms-1" aria-hidden="true" />
          <div className="me-auto">{strings.pwa.updateAvailable}</div>
          <button
            type="button"
            className="btn btn-sm btn-primary rounded-pill"
            disabled={reloading}
            onClick={() => {
              setReloading(true);
              void store.reload().catch(() => setReloading(false));
            }}
          >
            {strings.pwa.reload}
          </button>
          <button type="button" className="btn-close btn-close-white" aria-label={strings.pwa.later} onClick={() => store.dismiss()} />
        </div>
      </div>
    </div>
  );
}
