import { strings } from '../../../i18n/strings';
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
    : { id: 'server-record', label: strings.serverRecording.start, icon: 'bi-record-circle', onSelect: onStart, testId: 'server-record-start' };
}
