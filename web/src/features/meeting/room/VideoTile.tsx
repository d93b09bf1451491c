import { initialsOf } from '../prejoin/PreJoin';
import { TrackVideo } from './MediaElements';

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
}

/** One person (or one shared screen) on the stage. */
export function VideoTile({ name, video, videoPaused, micMuted, speaking, isSelf, isScreen, handRaised, reconnecting }: TileProps) {
  const label = isScreen ? `${name}'s screen` : isSelf ? `${name} (you)` : name;
  const showVideo = video && !videoPaused;
  return (
    <figure
      className={`video-tile rounded-3 bg-dark text-white position-relative m-0 overflow-hidden${speaking ? ' speaking' : ''}`}
      data-testid="video-tile"
      data-peer-name={name}
      aria-label={label}
    >
      {showVideo ? (
        <TrackVideo track={video} mirrored={isSelf && !isScreen} label={label} />
      ) : (
        <div className="tile-avatar d-flex align-items-center justify-content-center h-100">
          <span className="avatar-circle">{initialsOf(name)}</span>
        </div>
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
