import { Link } from 'react-router-dom';
import { strings } from '../../i18n/strings';
import type { MeetingState } from '../../meeting/MeetingClient';

/**
 * True when the signaling client gave up reconnecting while we were in the room (its state is
 * 'closed' but we did not leave: leaving, being removed or the meeting ending change the status).
 */
export function isDisconnected(state: Pick<MeetingState, 'status' | 'connection'>): boolean {
  return (state.status === 'joined' || state.status === 'waiting') && state.connection === 'closed';
}

/** The whole room replaced by "You were disconnected" and a Rejoin button (a fresh join). */
export function Disconnected({ onRejoin, rejoining = false }: { onRejoin: () => void; rejoining?: boolean }) {
  return (
    <div className="container py-5 text-center" style={{ maxWidth: 560 }} role="alert" data-testid="disconnected">
      <i className="bi bi-wifi-off display-5 text-secondary d-block mb-3" aria-hidden="true" />
      <h1 className="h4">{strings.room.disconnectedTitle}</h1>
      <p className="text-secondary">{strings.room.disconnectedHint}</p>
      <div className="mt-3">
        <button
          type="button"
          className="btn btn-primary rounded-pill me-2"
          onClick={onRejoin}
          disabled={rejoining}
          data-testid="disconnected-rejoin"
        >
          {rejoining && <span className="spinner-border spinner-border-sm me-2" aria-hidden="true" />}
          {strings.room.rejoin}
        </button>
        <Link to="/" className="btn btn-outline-secondary rounded-pill">
          {strings.common.goHome}
        </Link>
      </div>
    </div>
  );
}
