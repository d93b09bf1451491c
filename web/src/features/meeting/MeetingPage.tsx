import { useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import { getGuestToken } from '../../api/meetings';
import { strings } from '../../i18n/strings';
import { MeetingClient } from '../../meeting/MeetingClient';
import { SignalClient, signalingUrl } from '../../signal/SignalClient';
import MeetingLobby, { type JoinSettings, type MeetingInfo } from './MeetingLobby';
import { MeetingRoom } from './room/MeetingRoom';
import { useMeeting } from './room/useMeeting';

/**
 * /m/:code: the pre-join screen until the person joins, then the room. Signed-in people join
 * with their session; everyone else asks for a guest token with the name they typed.
 */
export default function MeetingPage() {
  const [client, setClient] = useState<MeetingClient | null>(null);
  const [joining, setJoining] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const speaker = useRef<string | undefined>(undefined);

  useEffect(() => () => void client?.leave(), [client]);

  const onJoin = useCallback(async (meeting: MeetingInfo, settings: JoinSettings) => {
    setJoining(true);
    setError(null);
    speaker.current = settings.speakerDeviceId;
    let guestToken: string | null = null;
    // The session's access token when signed in (refreshed from the cookie if needed), else a
    // guest token for this meeting with the typed name.
    const token = async (renew: boolean) => {
      const session = await api.signalingToken(renew);
      if (session) return session;
      if (!guestToken || renew) guestToken = await getGuestToken(meeting.code, settings.displayName);
      return guestToken;
    };
    const meetingClient = new MeetingClient({
      signal: (handlers) => new SignalClient({ url: signalingUrl(), token, ...handlers }),
    });
    try {
      await meetingClient.join({
        code: meeting.code,
        displayName: settings.displayName,
        passcode: settings.passcode,
        stream: settings.stream,
        audioEnabled: settings.audioEnabled,
        videoEnabled: settings.videoEnabled,
        videoDeviceId: settings.videoDeviceId,
      });
      setClient(meetingClient);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      await meetingClient.leave();
    } finally {
      setJoining(false);
    }
  }, []);

  if (!client) return <MeetingLobby onJoin={(meeting, settings) => void onJoin(meeting, settings)} joining={joining} error={error} />;
  return <JoinedView client={client} speakerDeviceId={speaker.current} onRejoin={() => setClient(null)} />;
}

function JoinedView({ client, speakerDeviceId, onRejoin }: { client: MeetingClient; speakerDeviceId?: string; onRejoin: () => void }) {
  const state = useMeeting(client);
  if (state.status === 'joined') return <MeetingRoom client={client} speakerDeviceId={speakerDeviceId} />;
  if (state.status === 'waiting' || state.status === 'joining') {
    return (
      <Centered icon="bi-hourglass-split" title={strings.room.waitingTitle} hint={strings.room.waitingHint}>
        <button type="button" className="btn btn-outline-secondary rounded-pill" onClick={() => void client.leave()}>
          {strings.room.leave}
        </button>
      </Centered>
    );
  }
  const titles: Record<string, string> = {
    left: strings.room.leftTitle,
    ended: strings.room.endedTitle,
    removed: strings.room.removedTitle,
    denied: strings.room.deniedTitle,
  };
  return (
    <Centered icon="bi-door-open" title={titles[state.status] ?? strings.room.failedTitle} hint={state.error ?? ''}>
      {state.status !== 'removed' && state.status !== 'ended' && (
        <button type="button" className="btn btn-primary rounded-pill me-2" onClick={onRejoin}>
          {strings.room.rejoin}
        </button>
      )}
      <Link to="/" className="btn btn-outline-secondary rounded-pill">
        {strings.common.goHome}
      </Link>
    </Centered>
  );
}

function Centered({ icon, title, hint, children }: { icon: string; title: string; hint: string; children: React.ReactNode }) {
  return (
    <div className="container py-5 text-center" style={{ maxWidth: 560 }} role="status">
      <i className={`bi ${icon} display-5 text-secondary d-block mb-3`} aria-hidden="true" />
      <h1 className="h4">{title}</h1>
      {hint && <p className="text-secondary">{hint}</p>}
      <div className="mt-3">{children}</div>
    </div>
  );
}
