import { useEffect, useRef } from 'react';
import { keepPlaying } from '../../../media/backgroundAudio';

/** A <video> playing one track (remote or local preview). */
export function TrackVideo({ track, mirrored = false, label }: { track: MediaStreamTrack; mirrored?: boolean; label: string }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    element.srcObject = new MediaStream([track]);
    void element.play().catch(() => undefined);
    return () => {
      element.srcObject = null;
    };
  }, [track]);
  return (
    <video
      ref={ref}
      className="tile-video"
      style={mirrored ? { transform: 'scaleX(-1)' } : undefined}
      autoPlay
      playsInline
      muted
      aria-label={label}
      data-track-id={track.id}
    />
  );
}

/** Plays one remote audio track; no UI. */
export function TrackAudio({ track, sinkId }: { track: MediaStreamTrack; sinkId?: string }) {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    element.srcObject = new MediaStream([track]);
    const withSink = element as HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };
    if (sinkId && withSink.setSinkId) void withSink.setSinkId(sinkId).catch(() => undefined);
    void element.play().catch(() => undefined);
    // The meeting goes on with the screen locked: a platform's pause is undone where it allows.
    const stopWatching = keepPlaying(element);
    return () => {
      stopWatching();
      element.srcObject = null;
    };
  }, [track, sinkId]);
  return <audio ref={ref} autoPlay data-track-id={track.id} />;
}
