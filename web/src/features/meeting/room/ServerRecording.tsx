import { useEffect, useState } from 'react';
import { strings } from '../../../i18n/strings';
import type { MeetingClient } from '../../../meeting/MeetingClient';
import type { ServerRecording } from '../../../signal/protocol';
import type { MoreMenuItem } from './MoreMenu';
import { formatElapsed, useElapsedSeconds } from './RecordingBadge';

/**
 * The red "REC 01:15" in the room's header while the server records the meeting, for everyone
 * (issue 6: nobody is recorded without seeing it). The words are announced once; the time is not.
 */
export function ServerRecordingIndicator({ recording }: { recording: ServerRecording | null }) {
  const started = recording ? Date.parse(recording.startedAt) : NaN;
  const elapsed = useElapsedSeconds(Number.isNaN(started) ? null : started);
  if (!recording) return null;
  return (
    <span
      className="badge rounded-pill bg-danger d-inline-flex align-items-center gap-1 py-1 px-2 flex-shrink-0"
      title={strings.serverRecording.beingRecorded}
      data-testid="server-recording"
    >
      <i className="bi bi-record-circle-fill" aria-hidden="true" />
      <span aria-hidden="true">{strings.serverRecording.rec}</span>
      <span className="visually-hidden" role="status">
        {strings.serverRecording.beingRecorded}
      </span>
      <time aria-hidden="true" className="font-monospace" data-testid="server-recording-elapsed">
        {formatElapsed(elapsed)}
      </time>
    </span>
  );
}

/** The More menu entry that starts or stops the server recording (hosts and co-hosts only). */
export function serverRecordingItem(recording: ServerRecording | null, onStart: () => void, onStop: () => void): MoreMenuItem {
  return recording
    ? {
        id: 'server-record',
        label: strings.serverRecording.stop,
        icon: 'bi-stop-circle',
        onSelect: onStop,
        testId: 'server-record-stop',
        danger: true,
      }
    : {
        id: 'server-record',
        label: strings.serverRecording.start,
        icon: 'bi-record-circle',
        onSelect: onStart,
        testId: 'server-record-start',
      };
}

/** How long "Recording saved" stays: it is one longer sentence, so a little longer than a join toast. */
export const RECORDING_SAVED_MS = 8000;

/**
 * "Recording saved. It will be in the meeting's history when it's ready." over the bottom of the
 * stage, for the hosts and co-hosts MeetingClient tells (its `recordingSaved` event).
 */
export function RecordingSavedToast({ client }: { client: Pick<MeetingClient, 'onEvent'> }) {
  const [shownAt, setShownAt] = useState<number | null>(null);

  useEffect(
    () =>
      client.onEvent((event) => {
        if (event.type === 'recordingSaved') setShownAt(Date.now());
      }),
    [client],
  );

  useEffect(() => {
    if (shownAt === null) return;
    const timer = setTimeout(() => setShownAt(null), RECORDING_SAVED_MS);
    return () => clearTimeout(timer);
  }, [shownAt]);

  return (
    <div className="presence-toasts position-absolute bottom-0 start-50 translate-middle-x p-2" aria-live="polite">
      {shownAt !== null && (
        <div className="toast show align-items-center text-bg-dark border-0" data-testid="recording-saved-toast">
          <div className="d-flex">
            <div className="toast-body">
              <i className="bi bi-cloud-check me-2" aria-hidden="true" />
              {strings.serverRecording.saved}
            </div>
            <button
              type="button"
              className="btn-close btn-close-white me-2 m-auto"
              aria-label={strings.room.dismiss}
              onClick={() => setShownAt(null)}
            />
          </div>
        </div>
      )}
    </div>
  );
}
