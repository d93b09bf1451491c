import { Link, useParams } from 'react-router-dom';
import { ApiError, errorMessage } from '../../api/errors';
import { getMeeting } from '../../api/meetings';
import type { Meeting } from '../../api/types';
import { strings } from '../../i18n/strings';
import { PageLoader } from '../../ui/PageLoader';
import { useAsync } from '../../ui/useAsync';
import { parseJoinCode } from '../home/joinCode';
import { PreJoin, type JoinSettings } from './prejoin/PreJoin';

export type { JoinSettings } from './prejoin/PreJoin';

/** What getMeeting returns: the meeting as the person about to join sees it. */
export type MeetingInfo = Meeting;

export interface MeetingLobbyProps {
  /**
   * Called when the person presses Join; without it Join stays disabled. `settings.stream` then
   * belongs to the caller (it is not stopped here). On a failed join keep rendering the lobby and
   * pass `error`: the lobby takes the stream back and stops it if the person leaves.
   */
  onJoin?: (meeting: MeetingInfo, settings: JoinSettings) => void;
  /** True while the room connects: Join shows a spinner and the form is locked. */
  joining?: boolean;
  /** Why the last join failed, shown above Join (e.g. "Wrong passcode"). */
  error?: string | null;
}

/**
 * /m/:code: loads the meeting and shows the pre-join screen (camera preview, devices, name,
 * passcode). The parent page that owns the room renders this and passes onJoin.
 */
export default function MeetingLobby({ onJoin, joining = false, error = null }: MeetingLobbyProps = {}) {
  const { code: raw = '' } = useParams();
  const code = parseJoinCode(raw);
  const {
    data: meeting,
    error: loadError,
    loading,
  } = useAsync(() => (code ? getMeeting(code) : Promise.reject(new ApiError(404, 'not_found', strings.meeting.notFound))), [code]);

  if (loading) return <PageLoader />;
  if (loadError || !meeting) {
    const notFound = loadError instanceof ApiError && loadError.status === 404;
    return (
      <div className="container py-5 text-center" style={{ maxWidth: 560 }}>
        <i className="bi bi-camera-video-off display-5 text-secondary d-block mb-3" aria-hidden="true" />
        <h1 className="h4">{notFound ? strings.meeting.notFound : errorMessage(loadError)}</h1>
        <Link to="/" className="btn btn-primary rounded-pill mt-3">
          {strings.common.goHome}
        </Link>
      </div>
    );
  }

  return (
    <PreJoin meeting={meeting} onJoin={onJoin ? (settings) => onJoin(meeting, settings) : undefined} joining={joining} error={error} />
  );
}
