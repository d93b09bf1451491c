import { strings } from '../../../i18n/strings';
import type { MeetingState } from '../../../meeting/MeetingClient';

interface Props {
  state: MeetingState;
  isModerator: boolean;
  isHost: boolean;
  onSetRole: (peerId: string, role: 'cohost' | 'participant') => void;
  onLock: (locked: boolean) => void;
  onAdmit: (peerId: string) => void;
  onDeny: (peerId: string) => void;
  onMute: (peerId: string) => void;
  onRemove: (peerId: string) => void;
}

/** Who is here (and, for hosts, who is waiting), with host controls. */
export function ParticipantsPanel({ state, isModerator, isHost, onSetRole, onLock, onAdmit, onDeny, onMute, onRemove }: Props) {
  const self = state.self;
  return (
    <section className="side-panel d-flex flex-column h-100" aria-label={strings.room.participants}>
      <h2 className="h6 p-3 m-0 border-bottom">
        {strings.room.participants} ({state.peers.length + 1})
      </h2>
      <div className="overflow-auto flex-grow-1">
        {isModerator && state.lobby.length > 0 && (
          <div className="p-3 border-bottom">
            <h3 className="h6 text-secondary">{strings.room.waitingRoom}</h3>
            <ul className="list-unstyled m-0">
              {state.lobby.map((waiter) => (
                <li key={waiter.peerId} className="d-flex align-items-center gap-2 mb-2">
                  <span className="flex-grow-1">{waiter.displayName}</span>
                  <button type="button" className="btn btn-sm btn-primary" onClick={() => onAdmit(waiter.peerId)}>
                    {strings.room.admit}
                  </button>
                  <button type="button" className="btn btn-sm btn-outline-secondary" onClick={() => onDeny(waiter.peerId)}>
                    {strings.room.deny}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        )}
        <ul className="list-unstyled p-3 m-0">
          {self && (
            <li className="mb-2">
              {self.displayName} ({strings.room.you}) <span className="badge text-bg-light">{self.role}</span>
            </li>
          )}
          {state.peers.map((peer) => (
            <li key={peer.peerId} className="d-flex align-items-center gap-2 mb-2">
              <span className="flex-grow-1">
                {peer.displayName} <span className="badge text-bg-light">{peer.role}</span>
                {peer.muted.audio && <i className="bi bi-mic-mute-fill text-danger ms-1" aria-label="microphone off" />}
              </span>
              {isModerator && peer.role !== 'host' && (
                <>
                  <button
                    type="button"
                    className="btn btn-sm btn-outline-secondary"
                    disabled={peer.muted.audio}
                    onClick={() => onMute(peer.peerId)}
                  >
                    {strings.room.mute}
                  </button>
                  {isHost && (peer.role === 'participant' || peer.role === 'cohost') && (
                    <button
                      type="button"
                      className="btn btn-sm btn-outline-secondary"
                      onClick={() => onSetRole(peer.peerId, peer.role === 'cohost' ? 'participant' : 'cohost')}
                    >
                      {peer.role === 'cohost' ? strings.room.makeParticipant : strings.room.makeCohost}
                    </button>
                  )}
                  <button type="button" className="btn btn-sm btn-outline-danger" onClick={() => onRemove(peer.peerId)}>
                    {strings.room.remove}
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      </div>
      {isModerator && state.meeting && (
        <div className="form-check form-switch p-3 ps-5 border-top m-0">
          <input
            id="lock-meeting"
            className="form-check-input"
            type="checkbox"
            role="switch"
            checked={state.meeting.locked}
            onChange={(e) => onLock(e.target.checked)}
          />
          <label className="form-check-label" htmlFor="lock-meeting">
            {strings.room.lockMeeting}
          </label>
        </div>
      )}
    </section>
  );
}
