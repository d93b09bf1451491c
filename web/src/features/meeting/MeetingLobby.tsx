import { Link, useParams } from 'react-router-dom';
import { ApiError, errorMessage } from '../../api/errors';
import { getMeeting } from '../../api/meetings';
import { strings } from '../../i18n/strings';
import { formatDateTime } from '../../ui/format';
import { PageLoader } from '../../ui/PageLoader';
import { useAsync } from '../../ui/useAsync';
import { parseJoinCode } from '../home/joinCode';

/**
 * /m/:code for now: the meeting's public information and a Join button that waits for the media
 * plane. The real room (signaling + mediasoup-client) replaces the button later.
 */
export default function MeetingLobby() {
  const { code: raw = '' } = useParams();
  const code = parseJoinCode(raw);
  const {
    data: meeting,
    error,
    loading,
  } = useAsync(() => (code ? getMeeting(code) : Promise.reject(new ApiError(404, 'not_found', strings.meeting.notFound))), [code]);

  if (loading) return <PageLoader />;
  if (error || !meeting) {
    const notFound = error instanceof ApiError && error.status === 404;
    return (
      <div className="container py-5 text-center" style={{ maxWidth: 560 }}>
        <i className="bi bi-camera-video-off display-5 text-secondary d-block mb-3" aria-hidden="true" />
        <h1 className="h4">{notFound ? strings.meeting.notFound : errorMessage(error)}</h1>
        <Link to="/" className="btn btn-primary rounded-pill mt-3">
          {strings.common.goHome}
        </Link>
      </div>
    );
  }

  return (
    <div className="container py-5">
      <div className="row gx-4 gx-sm-5 gy-5 align-items-center justify-content-center">
        <div className="col-md-6 col-lg-5">
          <div className="ratio ratio-16x9 rounded-4 bg-dark text-white-50 d-flex align-items-center justify-content-center">
            <div className="d-flex align-items-center justify-content-center">
              <i className="bi bi-camera-video-off display-4" aria-hidden="true" />
            </div>
          </div>
        </div>
        <div className="col-md-6 col-lg-5 text-center text-md-start">
          <p className="text-secondary meeting-code mb-1">{meeting.code}</p>
          <h1 className="h3 mb-2">{meeting.title}</h1>
          <p className="text-secondary mb-1">{strings.meetings.hostedBy(meeting.host.username)}</p>
          {meeting.startsAt && <p className="text-secondary mb-1">{strings.meeting.scheduledFor(formatDateTime(meeting.startsAt))}</p>}
          {meeting.isHost && <p className="small mb-1">{strings.meeting.youAreHost}</p>}
          {meeting.hasPasscode && !meeting.isHost && (
            <p className="small mb-1">
              <i className="bi bi-lock-fill me-1" aria-hidden="true" />
              {strings.meeting.needsPasscode}
            </p>
          )}
          {meeting.locked && <p className="small text-warning-emphasis mb-1">{strings.meeting.locked}</p>}
          {meeting.endedAt && <p className="small text-danger mb-1">{strings.meeting.ended}</p>}
          <h2 className="h5 mt-4 mb-3">{strings.meeting.joinTitle}</h2>
          <button type="button" className="btn btn-primary btn-pill-lg px-5" disabled aria-describedby="join-disabled-reason">
            {strings.meeting.join}
          </button>
          <p id="join-disabled-reason" className="small text-secondary mt-2">
            {strings.meeting.joinDisabled}
          </p>
        </div>
      </div>
    </div>
  );
}
