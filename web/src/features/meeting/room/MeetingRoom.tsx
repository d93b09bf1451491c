import { useEffect, useState } from 'react';
import { strings } from '../../../i18n/strings';
import type { MeetingClient } from '../../../meeting/MeetingClient';
import { cameraEffectsFor } from '../../../meeting/meetingClientEffects';
import { supportsScreenShare } from '../../../media/screenShare';
import { useWakeLock } from '../../../media/wakeLock';
import { copyText } from '../../../ui/clipboard';
import { ChatPanel } from './ChatPanel';
import { ControlBar, type Panel } from './ControlBar';
import { TrackAudio } from './MediaElements';
import { ParticipantsPanel } from './ParticipantsPanel';
import { PresenceToasts } from './PresenceToasts';
import { RecordingSavedToast, ServerRecordingIndicator, serverRecordingItem } from './ServerRecording';
import { Stage } from './Stage';
import type { LayoutMode } from './stageLayout';
import { useMeeting } from './useMeeting';
import { useReactions } from './useReactions';
import { useRoomMedia } from './useRoomMedia';
import { Whiteboard, whiteboardMenuItem } from '../../whiteboard/Whiteboard';

/** The meeting itself: the stage of tiles, remote audio, the control bar and side panels. */
export function MeetingRoom({ client, speakerDeviceId }: { client: MeetingClient; speakerDeviceId?: string }) {
  const state = useMeeting(client);
  const [panel, setPanel] = useState<Panel>(null);
  const [copied, setCopied] = useState(false);
  const [layoutMode, setLayoutMode] = useState<LayoutMode>('grid');
  const reactions = useReactions(client);
  // Network quality, device settings and local recording (header items, More menu, dialog).
  const media = useRoomMedia(client, speakerDeviceId, { controller: cameraEffectsFor(client), cameraTrack: state.local.cameraTrack });
  useEffect(() => client.markChatRead(panel === 'chat'), [client, panel]);
  // A phone must not dim and lock mid-meeting; the room is mounted only while in the meeting.
  useWakeLock(true);

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

  const self = state.self;
  if (!self || !state.meeting) return null;
  const isModerator = self.role === 'host' || self.role === 'cohost';
  const canShareScreen = supportsScreenShare() && (state.meeting.settings.screenShare === 'everyone' || isModerator);

  const audio = state.remote.filter((t) => t.kind === 'audio' && !t.paused);

  const copyLink = async () => {
    await copyText(`${window.location.origin}/m/${state.meeting!.code}`);
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  };
  const run = (action: () => Promise<unknown>) => () => void action().catch(() => undefined);
  const orTell = (action: () => Promise<unknown>, failed: string) => () => void action().catch(() => client.showNotice(failed));
  // Hosts and co-hosts may record on the server, next to the local recording everyone has, and
  // open or close the whiteboard for everyone (when the server has one).
  const boardOpen = state.board?.open === true;
  const moreItems = isModerator
    ? [
        ...media.menuItems,
        serverRecordingItem(
          state.recording,
          orTell(() => client.startRecording(), strings.serverRecording.startFailed),
          orTell(() => client.stopRecording(), strings.serverRecording.stopFailed),
        ),
        ...(state.board
          ? [
              whiteboardMenuItem(
                boardOpen,
                orTell(() => client.setBoardOpen(!boardOpen), boardOpen ? strings.board.closeFailed : strings.board.openFailed),
              ),
            ]
          : []),
      ]
    : media.menuItems;

  return (
    <div className="meeting-room d-flex flex-column bg-black text-white" data-testid="meeting-room">
      <header className="d-flex align-items-center gap-3 px-3 py-2">
        <h1 className="h6 m-0 text-truncate">{state.meeting.title}</h1>
        <span className="text-white-50 small meeting-code text-nowrap">{state.meeting.code}</span>
        <ServerRecordingIndicator recording={state.recording} />
        {media.header}
        <div className="btn-group btn-group-sm ms-auto flex-shrink-0 layout-toggle" role="group" aria-label={strings.room.layout}>
          {(['grid', 'speaker'] as const).map((mode) => (
            <button
              key={mode}
              type="button"
              className={`btn ${layoutMode === mode ? 'btn-light' : 'btn-outline-light'}`}
              aria-label={mode === 'grid' ? strings.room.gridView : strings.room.speakerView}
              title={mode === 'grid' ? strings.room.gridView : strings.room.speakerView}
              aria-pressed={layoutMode === mode}
              onClick={() => setLayoutMode(mode)}
              data-testid={`layout-${mode}`}
            >
              <i className={`bi ${mode === 'grid' ? 'bi-grid-3x3-gap' : 'bi-person-square'}`} aria-hidden="true" />
            </button>
          ))}
        </div>
        <button
          type="button"
          className="btn btn-sm btn-outline-light rounded-pill text-nowrap copy-link"
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
      {state.recordingNotice && (
        <div className="alert alert-danger alert-dismissible m-2 py-2" role="status" data-testid="server-recording-notice">
          <i className="bi bi-record-circle-fill me-2" aria-hidden="true" />
          {state.recordingNotice}
          <button type="button" className="btn-close" aria-label={strings.room.dismiss} onClick={() => client.dismissRecordingNotice()} />
        </div>
      )}
      <div className="d-flex flex-grow-1 overflow-hidden position-relative">
        {boardOpen ? (
          // The board is the main stage; everyone's video goes to a strip under it.
          <div className="d-flex flex-column flex-grow-1 overflow-hidden">
            <Whiteboard client={client} state={state} />
            <Stage state={state} client={client} mode={layoutMode} reactions={reactions} sideWidth={panel ? 356 : 0} strip />
          </div>
        ) : (
          <Stage state={state} client={client} mode={layoutMode} reactions={reactions} sideWidth={panel ? 356 : 0} />
        )}
        <PresenceToasts client={client} />
        <RecordingSavedToast client={client} />
        {panel && (
          <aside className="side bg-body text-body rounded-3 m-2">
            {/* Shown where the panel is a full-screen sheet (a phone), which has no other way out. */}
            <button type="button" className="btn-close side-close" aria-label={strings.room.closePanel} onClick={() => setPanel(null)} />
            {panel === 'chat' ? (
              <ChatPanel
                messages={state.chat}
                selfId={self.peerId}
                onSend={(text) => client.sendChat(text)}
                canModerate={isModerator}
                onEdit={(id, text) => client.editChat(id, text)}
                onDelete={(id) => client.deleteChat(id)}
              />
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
        <TrackAudio key={track.consumerId} track={track.track} sinkId={media.speakerDeviceId} />
      ))}
      <ControlBar
        state={state}
        panel={panel}
        canShareScreen={canShareScreen}
        isHost={self.role === 'host'}
        onMic={run(() => client.setMicEnabled(!state.local.mic))}
        onCamera={run(() => client.setCameraEnabled(!state.local.camera))}
        onFlipCamera={media.flipCamera?.onFlip}
        flipping={media.flipCamera?.busy}
        onScreen={run(() => (state.local.screen ? client.stopScreenShare() : client.startScreenShare()))}
        onHand={run(() => client.setHandRaised(!state.handRaised))}
        onReact={(emoji) => client.react(emoji)}
        onPanel={setPanel}
        onLeave={run(() => client.leave())}
        onEnd={run(() => client.endMeeting())}
        moreItems={moreItems}
      />
      {media.dialogs}
    </div>
  );
}
