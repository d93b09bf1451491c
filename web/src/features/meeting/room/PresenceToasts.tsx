import { useEffect, useRef, useState } from 'react';
import { strings } from '../../../i18n/strings';
import type { MeetingClient } from '../../../meeting/MeetingClient';
import { addPresence, expirePresence, type PresenceToast } from './presenceToasts';

/** "Ana joined" / "Ana left" over the stage, announced politely to screen readers. */
export function PresenceToasts({ client }: { client: Pick<MeetingClient, 'onEvent'> }) {
  const [toasts, setToasts] = useState<PresenceToast[]>([]);
  const nextId = useRef(1);

  useEffect(
    () =>
      client.onEvent((event) => {
        if (event.type !== 'peerJoined' && event.type !== 'peerLeft') return;
        const id = nextId.current++;
        const now = Date.now();
        setToasts((list) => addPresence(list, event.type === 'peerJoined' ? 'joined' : 'left', event.displayName, now, id));
      }),
    [client],
  );

  // One timer, for the toast that expires first.
  useEffect(() => {
    if (toasts.length === 0) return;
    const first = Math.min(...toasts.map((t) => t.expiresAt));
    const timer = setTimeout(() => setToasts((list) => expirePresence(list, Date.now())), Math.max(0, first - Date.now()));
    return () => clearTimeout(timer);
  }, [toasts]);

  return (
    <div
      className="presence-toasts position-absolute top-0 start-50 translate-middle-x p-2"
      aria-live="polite"
      data-testid="presence-toasts"
    >
      {toasts.map((toast) => (
        <div key={toast.id} className="toast show align-items-center text-bg-dark border-0 mb-2" data-testid="presence-toast">
          <div className="d-flex">
            <div className="toast-body">
              <i className={`bi ${toast.kind === 'joined' ? 'bi-person-plus' : 'bi-person-dash'} me-2`} aria-hidden="true" />
              {toast.kind === 'joined' ? strings.room.joined(toast.names) : strings.room.left(toast.names)}
            </div>
            <button
              type="button"
              className="btn-close btn-close-white me-2 m-auto"
              aria-label={strings.room.dismiss}
              onClick={() => setToasts((list) => list.filter((t) => t.id !== toast.id))}
            />
          </div>
        </div>
      ))}
    </div>
  );
}
