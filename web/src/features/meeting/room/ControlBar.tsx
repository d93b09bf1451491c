import { strings } from '../../../i18n/strings';
import type { MeetingState } from '../../../meeting/MeetingClient';
import type { ReactionEmoji } from '../../../meeting/reactions';
import { MoreMenu, type MoreMenuItem } from './MoreMenu';
import { ReactionPicker } from './ReactionPicker';

export type Panel = 'chat' | 'people' | null;

interface ControlBarProps {
  state: MeetingState;
  panel: Panel;
  canShareScreen: boolean;
  isHost: boolean;
  onMic: () => void;
  onCamera: () => void;
  /** Shows a front/back camera button while the camera is on, when set (the device has two cameras). */
  onFlipCamera?: () => void;
  /** The camera is being switched: the flip button waits. */
  flipping?: boolean;
  onScreen: () => void;
  onHand: () => void;
  /** Shows the reactions button when set. */
  onReact?: (emoji: ReactionEmoji) => void;
  onPanel: (panel: Panel) => void;
  onLeave: () => void;
  onEnd: () => void;
  /** Entries of the "More options" menu (settings, recording, …); no menu when empty. */
  moreItems?: MoreMenuItem[];
}

function RoundButton({
  label,
  icon,
  active,
  danger,
  pressed,
  badge,
  onClick,
  disabled,
}: {
  label: string;
  icon: string;
  active?: boolean;
  danger?: boolean;
  pressed?: boolean;
  badge?: number;
  onClick: () => void;
  disabled?: boolean;
}) {
  const tone = danger ? 'btn-danger' : active ? 'btn-light' : 'btn-secondary';
  return (
    <button
      type="button"
      className={`btn ${tone} rounded-circle control-button position-relative`}
      aria-label={label}
      title={label}
      aria-pressed={pressed}
      onClick={onClick}
      disabled={disabled}
    >
      <i className={`bi ${icon}`} aria-hidden="true" />
      {badge ? <span className="position-absolute top-0 start-100 translate-middle badge rounded-pill bg-primary">{badge}</span> : null}
    </button>
  );
}

/** The controls along the bottom of the room, like Meet's. */
export function ControlBar({
  state,
  panel,
  canShareScreen,
  isHost,
  onMic,
  onCamera,
  onFlipCamera,
  flipping = false,
  onScreen,
  onHand,
  onReact,
  onPanel,
  onLeave,
  onEnd,
  moreItems = [],
}: ControlBarProps) {
  const { local } = state;
  return (
    <nav className="control-bar d-flex flex-wrap justify-content-center align-items-center gap-2 p-2" aria-label="Meeting controls">
      <RoundButton
        label={local.mic ? strings.room.micOn : strings.room.micOff}
        icon={local.mic ? 'bi-mic-fill' : 'bi-mic-mute-fill'}
        danger={!local.mic}
        pressed={local.mic}
        onClick={onMic}
      />
      <RoundButton
        label={local.camera ? strings.room.cameraOn : strings.room.cameraOff}
        icon={local.camera ? 'bi-camera-video-fill' : 'bi-camera-video-off-fill'}
        danger={!local.camera}
        pressed={local.camera}
        onClick={onCamera}
      />
      {onFlipCamera && local.camera && (
        <RoundButton label={strings.room.flipCamera} icon="bi-phone-flip" onClick={onFlipCamera} disabled={flipping} />
      )}
      {canShareScreen && (
        <RoundButton
          label={local.screen ? strings.room.stopSharing : strings.room.shareScreen}
          icon="bi-display"
          active={local.screen}
          pressed={local.screen}
          onClick={onScreen}
        />
      )}
      <RoundButton
        label={state.handRaised ? strings.room.lowerHand : strings.room.raiseHand}
        icon="bi-hand-index-thumb"
        active={state.handRaised}
        pressed={state.handRaised}
        onClick={onHand}
      />
      {onReact && <ReactionPicker onReact={onReact} />}
      <RoundButton
        label={strings.room.chat}
        icon="bi-chat-left-text"
        active={panel === 'chat'}
        pressed={panel === 'chat'}
        badge={state.unreadChat}
        onClick={() => onPanel(panel === 'chat' ? null : 'chat')}
      />
      <RoundButton
        label={strings.room.participants}
        icon="bi-people"
        active={panel === 'people'}
        pressed={panel === 'people'}
        badge={isHost ? state.lobby.length : 0}
        onClick={() => onPanel(panel === 'people' ? null : 'people')}
      />
      <MoreMenu items={moreItems} />
      <button
        type="button"
        className="btn btn-danger rounded-pill px-4 ms-2 leave-button"
        aria-label={strings.room.leave}
        onClick={onLeave}
      >
        <i className="bi bi-telephone-x-fill me-2" aria-hidden="true" />
        <span className="leave-label">{strings.room.leave}</span>
      </button>
      {isHost && (
        <button type="button" className="btn btn-outline-danger rounded-pill px-3" onClick={onEnd}>
          {strings.room.endForAll}
        </button>
      )}
    </nav>
  );
}
