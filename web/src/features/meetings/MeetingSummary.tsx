import { Link } from 'react-router-dom';
import type { Meeting } from '../../api/types';
import { strings } from '../../i18n/strings';
import { formatDateTime } from '../../ui/format';
import { useMeetingActions } from './useMeetingActions';

/** What the host sees right after scheduling: the link to share and the calendar invite. */
export function MeetingSummary({ meeting, onDone }: { meeting: Meeting; onDone: () => void }) {
  const actions = useMeetingActions();
  return (
    <div role="status">
      <div className="alert alert-success d-flex align-items-center gap-2 py-2">
        <i className="bi bi-check-circle-fill" aria-hidden="true" />
        {strings.home.scheduled}
      </div>
      <h3 className="h6 mb-1">{meeting.title}</h3>
      {meeting.startsAt && <p className="text-secondary small mb-2">{formatDateTime(meeting.startsAt)}</p>}
      <div className="input-group mb-2">
        <input
          className="form-control meeting-code"
          readOnly
          value={meeting.joinUrl}
          aria-label={strings.meetings.copyLink}
          onFocus={(e) => e.target.select()}
        />
        <button type="button" className="btn btn-outline-primary" onClick={() => void actions.copyLink(meeting)}>
          <i className="bi bi-clipboard me-1" aria-hidden="true" />
          {strings.common.copy}
        </button>
      </div>
      {meeting.passcode && <p className="small mb-2">{strings.meetings.passcode(meeting.passcode)}</p>}
      <div className="d-flex flex-wrap gap-2 mt-3">
        <button type="button" className="btn btn-outline-primary rounded-pill" onClick={() => void actions.downloadInvite(meeting)}>
          <i className="bi bi-calendar-plus me-1" aria-hidden="true" />
          {strings.meetings.downloadInvite}
        </button>
        <Link to={`/m/${meeting.code}`} className="btn btn-outline-primary rounded-pill">
          {strings.meetings.open}
        </Link>
        <button type="button" className="btn btn-primary rounded-pill ms-auto" onClick={onDone}>
          {strings.common.close}
        </button>
      </div>
    </div>
  );
}
