import { useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import { getGuestToken } from '../../api/meetings';
import { strings } from '../../i18n/strings';
import { MeetingClient } from '../../meeting/MeetingClient';
import { cameraEffectsFor } from '../../meeting/meetingClientEffects';
import { SignalClient, signalingUrl } from '../../signal/SignalClient';
import { Disconnected, isDisconnected } from './Disconnected';
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
  // The last join, so that Rejoin after a lost connection can run it again.
  const lastJoin = useRef<{ meeting: MeetingInfo; settings: JoinSettings } | null>(null);

  useEffect(() => () => void client?.leave(), [client]);

  const onJoin = useCallback(async (meeting: MeetingInfo, settings: JoinSettings) => {
    setJoining(true);
    setError(null);
    speaker.current = settings.speakerDeviceId;
    lastJoin.current = { meeting, settings: { ...settings, stream: null } };
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
      authToken: token,
    });
    // Before joining, so that a chosen background applies to the camera's first frame.
    cameraEffectsFor(meetingClient);
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

  // After a lost connection: a fresh join with the same name and devices (the old client leaves
  // when replaced; its tracks are stopped, so the devices are opened again).
  const rejoin = useCallback(async () => {
    const last = lastJoin.current;
    if (!last) {
      setClient(null);
      return;
    }
    const stream = await reopenDevices(last.settings);
    setClient(null);
    await onJoin(last.meeting, { ...last.settings, stream });
  }, [onJoin]);

  if (!client) return <MeetingLobby onJoin={(meeting, settings) => void onJoin(meeting, settings)} joining={joining} error={error} />;
  return (
    <JoinedView client={client} speakerDeviceId={speaker.current} onRejoin={() => setClient(null)} onReconnect={() => void rejoin()} />
  );
}

async function reopenDevices(settings: JoinSettings): Promise<MediaStream | null> {
  if (!navigator.mediaDevices?.getUserMedia) return null;
  const audio = settings.audioDeviceId ? { deviceId: { ideal: settings.audioDeviceId } } : true;
  const video = settings.videoEnabled ? (settings.videoDeviceId ? { deviceId: { ideal: settings.videoDeviceId } } : true) : false;
  try {
    return await navigator.mediaDevices.getUserMedia({ audio, video });
  } catch {
    return null; // join without devices; they can be turned on in the room
  }
}

/** The room, or what replaced it (waiting room, disconnected, left, ended…). */
export function JoinedView({
  client,
  speakerDeviceId,
  onRejoin,
  onReconnect,
}: {
  client: MeetingClient;
  speakerDeviceId?: string;
  onRejoin: () => void;
  onReconnect: () => void;
}) {
  const state = useMeeting(client);
  const [reconnecting, setReconnecting] = useState(false);
  if (isDisconnected(state)) {
    return (
      <Disconnected
        rejoining={reconnecting}
        onRejoin={() => {
          setReconnecting(true);
          onReconnect();
        }}
      />
    );
  }
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
