import { strings } from '../../../i18n/strings';
import { initialsOf } from '../prejoin/PreJoin';
import { TrackVideo } from './MediaElements';
import type { FloatingReaction } from './useReactions';

export interface TileProps {
  name: string;
  video: MediaStreamTrack | null;
  videoPaused?: boolean;
  micMuted: boolean;
  speaking: boolean;
  isSelf?: boolean;
  isScreen?: boolean;
  handRaised?: boolean;
  reconnecting?: boolean;
  /** Shown with a pin button when set; `pinned` tells which way it points. */
  onPin?: () => void;
  pinned?: boolean;
  /** Emoji floating up over the tile right now. */
  reactions?: FloatingReaction[];
  /** Names the tile in the DOM (data-tile-key), for the stage to find it again. */
  tileKey?: string;
}

/** One person (or one shared screen) on the stage. */
export function VideoTile({
  name,
  video,
  videoPaused,
  micMuted,
  speaking,
  isSelf,
  isScreen,
  handRaised,
  reconnecting,
  onPin,
  pinned = false,
  reactions,
  tileKey,
}: TileProps) {
  const label = isScreen ? `${name}'s screen` : isSelf ? `${name} (you)` : name;
  const showVideo = video && !videoPaused;
  return (
    <figure
      className={`video-tile rounded-3 bg-dark text-white position-relative m-0 overflow-hidden${speaking ? ' speaking' : ''}`}
      data-testid="video-tile"
      data-peer-name={name}
      data-tile-key={tileKey}
      aria-label={label}
    >
      {showVideo ? (
        // Our front camera shows as a mirror, as people expect; the back camera shows the world as it is.
        <TrackVideo track={video} mirrored={isSelf && !isScreen && video.getSettings?.().facingMode !== 'environment'} label={label} />
      ) : (
        <div className="tile-avatar d-flex align-items-center justify-content-center h-100">
          <span className="avatar-circle">{initialsOf(name)}</span>
        </div>
      )}
      {!isScreen && (
        // Always present, so screen readers hear each reaction as it is added.
        <div className="tile-reactions" aria-live="polite">
          {reactions?.map((r) => (
            <span
              key={r.id}
              className="reaction-float"
              // Spread across the tile so a burst does not stack in one column.
              style={{ left: `${30 + ((r.id * 37) % 40)}%` }}
              role="img"
              aria-label={strings.room.reacted(name, r.emoji)}
              data-testid="reaction"
            >
              {r.emoji}
            </span>
          ))}
        </div>
      )}
      {onPin && (
        <button
          type="button"
          className={`btn btn-sm btn-dark tile-pin position-absolute top-0 end-0 m-2 rounded-circle${pinned ? ' pinned' : ''}`}
          aria-label={pinned ? strings.room.unpin(label) : strings.room.pin(label)}
          title={pinned ? strings.room.unpin(label) : strings.room.pin(label)}
          aria-pressed={pinned}
          onClick={onPin}
          data-testid="tile-pin"
        >
          <i className={`bi ${pinned ? 'bi-pin-angle-fill' : 'bi-pin-angle'}`} aria-hidden="true" />
        </button>
      )}
      <figcaption className="tile-name position-absolute bottom-0 start-0 m-2 px-2 py-1 rounded-2 small">
        {!isScreen && micMuted && <i className="bi bi-mic-mute-fill text-danger me-1" aria-label="microphone off" />}
        {handRaised && <i className="bi bi-hand-index-thumb-fill text-warning me-1" aria-label="hand raised" />}
        {label}
        {reconnecting && <span className="ms-1 text-warning">(reconnecting)</span>}
      </figcaption>
    </figure>
  );
}
