import { useEffect, useRef, useState } from 'react';
import { strings } from '../../../i18n/strings';
import type { MeetingClient } from '../../../meeting/MeetingClient';
import { copyText } from '../../../ui/clipboard';
import { ChatPanel } from './ChatPanel';
import { ControlBar, type Panel } from './ControlBar';
import { TrackAudio } from './MediaElements';
import { ParticipantsPanel } from './ParticipantsPanel';
import { useMeeting } from './useMeeting';
import { VideoTile, type TileProps } from './VideoTile';

/** The meeting itself: the stage of tiles, remote audio, the control bar and side panels. */
export function MeetingRoom({ client, speakerDeviceId }: { client: MeetingClient; speakerDeviceId?: string }) {
  const state = useMeeting(client);
  const [panel, setPanel] = useState<Panel>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => client.markChatRead(panel === 'chat'), [client, panel]);

  // Meet's shortcuts: Ctrl/Cmd+D toggles the microphone, Ctrl/Cmd+E the camera.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
      const key = event.key.toLowerCase();
      if (key !== 'd' && key !== 'e') return;
      event.preventDefault();
      const local = client.getState().local;
      const action = key === 'd' ? client.setMicEnabled(!local.mic) : client.setCameraEnabled(!local.camera);
      void action.catch(() => undefined);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [client]);

  // Ask the SFU for the simulcast layer that fits the tiles: the full layer when one or two
  // people fill the stage, the middle one in a grid (saves everyone's bandwidth and CPU).
  const requestedLayers = useRef(new Map<string, boolean>());
  const remoteCameras = state.remote.filter((t) => t.source === 'camera');
  const large = state.peers.length <= 1;
  useEffect(() => {
    for (const track of remoteCameras) {
      if (requestedLayers.current.get(track.consumerId) === large) continue;
      requestedLayers.current.set(track.consumerId, large);
      void client.setVideoVisibility(track.consumerId, true, large);
    }
  }, [client, remoteCameras, large]);

  const self = state.self;
  if (!self || !state.meeting) return null;
  const isModerator = self.role === 'host' || self.role === 'cohost';
  const canShareScreen =
    typeof navigator !== 'undefined' &&
    Boolean(navigator.mediaDevices && 'getDisplayMedia' in navigator.mediaDevices) &&
    (state.meeting.settings.screenShare === 'everyone' || isModerator);

  const tiles: (TileProps & { key: string })[] = [];
  const screens: (TileProps & { key: string })[] = [];
  const speaking = (peerId: string) => state.activeSpeaker === peerId;
  if (state.local.screen && state.local.screenTrack) {
    screens.push({
      key: 'self-screen',
      name: self.displayName,
      video: state.local.screenTrack,
      micMuted: false,
      speaking: false,
      isSelf: true,
      isScreen: true,
    });
  }
  tiles.push({
    key: 'self',
    name: self.displayName,
    video: state.local.cameraTrack,
    micMuted: !state.local.mic,
    speaking: speaking(self.peerId),
    isSelf: true,
    handRaised: state.handRaised,
  });
  for (const peer of state.peers) {
    const camera = state.remote.find((t) => t.peerId === peer.peerId && t.source === 'camera');
    const screen = state.remote.find((t) => t.peerId === peer.peerId && t.source === 'screen');
    if (screen)
      screens.push({
        key: `${peer.peerId}-screen`,
        name: peer.displayName,
        video: screen.track,
        videoPaused: screen.paused,
        micMuted: false,
        speaking: false,
        isScreen: true,
      });
    tiles.push({
      key: peer.peerId,
      name: peer.displayName,
      video: camera?.track ?? null,
      videoPaused: camera?.paused,
      micMuted: peer.muted.audio,
      speaking: speaking(peer.peerId),
      handRaised: peer.handRaised,
      reconnecting: peer.connection === 'reconnecting',
    });
  }
  const audio = state.remote.filter((t) => t.kind === 'audio' && !t.paused);
  const columns = Math.min(4, Math.ceil(Math.sqrt(tiles.length)));
  const rows = Math.ceil(tiles.length / columns);
  // 16:9 tiles that fit the height left between the header and the controls (about 12rem with a banner), so
  // a lone tile never runs under the control bar.
  const gridMaxWidth = `calc((100vh - 12rem - ${screens.length > 0 ? '60vh' : '0px'}) * ${((16 / 9) * columns) / rows})`;

  const copyLink = async () => {
    await copyText(`${window.location.origin}/m/${state.meeting!.code}`);
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  };
  const run = (action: () => Promise<unknown>) => () => void action().catch(() => undefined);

  return (
    <div className="meeting-room d-flex flex-column bg-black text-white" data-testid="meeting-room">
      <header className="d-flex align-items-center gap-3 px-3 py-2">
        <h1 className="h6 m-0 text-truncate">{state.meeting.title}</h1>
        <span className="text-white-50 small meeting-code text-nowrap">{state.meeting.code}</span>
        <button
          type="button"
          className="btn btn-sm btn-outline-light rounded-pill ms-auto text-nowrap"
          aria-label={copied ? strings.room.linkCopied : strings.room.copyLink}
          onClick={() => void copyLink()}
        >
          <i className="bi bi-link-45deg me-1" aria-hidden="true" />
          <span className="d-none d-sm-inline">{copied ? strings.room.linkCopied : strings.room.copyLink}</span>
        </button>
      </header>
      {state.connection === 'reconnecting' && (
        <div className="alert alert-warning m-2 py-2" role="status">
          {strings.room.reconnecting}
        </div>
      )}
      {isModerator && state.lobby.length > 0 && (
        <div className="alert alert-primary d-flex flex-wrap align-items-center gap-2 m-2 py-2" role="alert">
          <i className="bi bi-person-raised-hand" aria-hidden="true" />
          <span className="me-auto">{strings.room.wantsToJoin(state.lobby[0].displayName, state.lobby.length - 1)}</span>
          <button type="button" className="btn btn-sm btn-primary" onClick={() => void client.admit(state.lobby[0].peerId)}>
            {strings.room.admit}
          </button>
          <button type="button" className="btn btn-sm btn-outline-secondary" onClick={() => void client.deny(state.lobby[0].peerId)}>
            {strings.room.deny}
          </button>
          {state.lobby.length > 1 && (
            <button type="button" className="btn btn-sm btn-link" onClick={() => setPanel('people')}>
              {strings.room.viewAll}
            </button>
          )}
        </div>
      )}
      {state.notice && (
        <div className="alert alert-info alert-dismissible m-2 py-2" role="status">
          {state.notice}
          <button type="button" className="btn-close" aria-label="Close" onClick={() => client.dismissNotice()} />
        </div>
      )}
      <div className="d-flex flex-grow-1 overflow-hidden position-relative">
        <main className="stage flex-grow-1 d-flex flex-column gap-2 p-2 overflow-auto">
          {screens.map(({ key, ...tile }) => (
            <div key={key} className="screen-stage">
              <VideoTile {...tile} />
            </div>
          ))}
          <div
            className="tile-grid w-100 mx-auto"
            style={
              screens.length > 0
                ? // With a shared screen on stage, people become a strip of small tiles below it.
                  { gridAutoFlow: 'column', gridAutoColumns: '12rem', justifyContent: 'center', overflowX: 'auto' }
                : { gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`, maxWidth: gridMaxWidth }
            }
          >
            {tiles.map(({ key, ...tile }) => (
              <VideoTile key={key} {...tile} />
            ))}
          </div>
          {state.peers.length === 0 && <p className="text-center text-white-50 small mt-2">{strings.room.aloneHint}</p>}
        </main>
        {panel && (
          <aside className="side bg-body text-body rounded-3 m-2">
            {panel === 'chat' ? (
              <ChatPanel messages={state.chat} selfId={self.peerId} onSend={(text) => client.sendChat(text)} />
            ) : (
              <ParticipantsPanel
                state={state}
                isModerator={isModerator}
                isHost={self.role === 'host'}
                onSetRole={(id, role) => void client.setRole(id, role).catch(() => undefined)}
                onLock={(locked) => void client.setLocked(locked).catch(() => undefined)}
                onAdmit={(id) => void client.admit(id)}
                onDeny={(id) => void client.deny(id)}
                onMute={(id) => void client.mutePeer(id, 'audio')}
                onRemove={(id) => void client.removePeer(id)}
              />
            )}
          </aside>
        )}
      </div>
      {audio.map((track) => (
        <TrackAudio key={track.consumerId} track={track.track} sinkId={speakerDeviceId} />
      ))}
      <ControlBar
        state={state}
        panel={panel}
        canShareScreen={canShareScreen}
        isHost={self.role === 'host'}
        onMic={run(() => client.setMicEnabled(!state.local.mic))}
        onCamera={run(() => client.setCameraEnabled(!state.local.camera))}
        onScreen={run(() => (state.local.screen ? client.stopScreenShare() : client.startScreenShare()))}
        onHand={run(() => client.setHandRaised(!state.handRaised))}
        onPanel={setPanel}
        onLeave={run(() => client.leave())}
        onEnd={run(() => client.endMeeting())}
      />
    </div>
  );
}
