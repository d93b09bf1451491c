import { Link } from 'react-router-dom';
import type { Meeting } from '../../api/types';
import { strings } from '../../i18n/strings';
import { formatDateTime } from '../../ui/format';
import { useMeetingActions } from './useMeetingActions';

export function MeetingCard({ meeting, past, onDelete }: { meeting: Meeting; past: boolean; onDelete: (m: Meeting) => void }) {
  const actions = useMeetingActions();
  const when = meeting.startsAt ?? meeting.startedAt ?? meeting.createdAt;
  const live = meeting.startedAt !== null && meeting.endedAt === null;
  return (
    <li className="meeting-card card p-3 mb-3">
      <div className="d-flex flex-wrap gap-3 align-items-start">
        <div className="flex-fill-shrink">
          <h2 className="h6 mb-1 text-truncate">
            {meeting.title}
            {live && <span className="badge text-bg-success ms-2">{strings.meetings.live}</span>}
            {meeting.invited && !meeting.isHost && (
              <span className="badge text-bg-info ms-2" title={strings.meetings.invitedTitle} data-testid="invited-badge">
                {strings.meetings.invited}
              </span>
            )}
            {meeting.hasPasscode && (
              <i
                className="bi bi-lock-fill text-secondary ms-2"
                title={strings.meetings.passcodeProtected}
                aria-label={strings.meetings.passcodeProtected}
              />
            )}
          </h2>
          <div className="text-secondary small">
            <i className="bi bi-clock me-1" aria-hidden="true" />
            {meeting.kind === 'instant' && !meeting.startsAt ? strings.meetings.instant : formatDateTime(when)}
            {' · '}
            {strings.common.minutes(meeting.durationMinutes)}
          </div>
          <div className="small mt-1">
            <span className="meeting-code">{meeting.code}</span>
            {!meeting.isHost && <span className="text-secondary ms-2">{strings.meetings.hostedBy(meeting.host.username)}</span>}
          </div>
        </div>
        <div className="d-flex flex-wrap gap-2">
          {past ? (
            <Link to={`/meetings/${meeting.code}/history`} className="btn btn-sm btn-outline-primary rounded-pill">
              <i className="bi bi-info-circle me-1" aria-hidden="true" />
              {strings.meetings.details}
            </Link>
          ) : (
            <>
              <Link to={`/m/${meeting.code}`} className="btn btn-sm btn-primary rounded-pill">
                {strings.meetings.open}
              </Link>
              <button type="button" className="btn btn-sm btn-outline-primary rounded-pill" onClick={() => void actions.copyLink(meeting)}>
                <i className="bi bi-link-45deg me-1" aria-hidden="true" />
                {strings.meetings.copyLink}
              </button>
              <button
                type="button"
                className="btn btn-sm btn-outline-primary rounded-pill"
                onClick={() => void actions.downloadInvite(meeting)}
                aria-label={`${strings.meetings.downloadInvite}: ${meeting.title}`}
              >
                <i className="bi bi-calendar-plus" aria-hidden="true" />
              </button>
              {meeting.isHost && (
                <>
                  <Link
                    to={`/meetings/${meeting.code}/edit`}
                    className="btn btn-sm btn-outline-secondary rounded-pill"
                    aria-label={`${strings.meetings.edit}: ${meeting.title}`}
                  >
                    <i className="bi bi-pencil" aria-hidden="true" />
                  </Link>
                  <button
                    type="button"
                    className="btn btn-sm btn-outline-danger rounded-pill"
                    onClick={() => onDelete(meeting)}
                    aria-label={`${strings.meetings.delete}: ${meeting.title}`}
                  >
                    <i className="bi bi-trash" aria-hidden="true" />
                  </button>
                </>
              )}
            </>
          )}
        </div>
      </div>
    </li>
  );
}
