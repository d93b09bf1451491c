import { useEffect, useState, useSyncExternalStore } from 'react';
import { strings } from '../../../i18n/strings';
import { LocalRecorder, recordingFileName, type RecordedTile, type RecordingState } from '../../../media/localRecording';
import type { MeetingState } from '../../../meeting/MeetingClient';
import type { MediaSource } from '../../../signal/protocol';
import { useToast } from '../../../ui/Toasts';

/** What the recording needs from the meeting client. */
export interface RecordingHost {
  getState(): MeetingState;
  subscribe(listener: () => void): () => void;
  localProducer(source: MediaSource): { track: MediaStreamTrack | null } | null;
}

/** Every voice of the meeting: the remote ones and our own microphone (silent while muted). */
export function recordingAudioTracks(host: RecordingHost): MediaStreamTrack[] {
  const tracks = host
    .getState()
    .remote.filter((t) => t.kind === 'audio')
    .map((t) => t.track);
  const mic = host.localProducer('mic')?.track;
  if (mic) tracks.push(mic);
  return tracks;
}

/**
 * The tiles on screen, read from the room's markup (VideoTile), in the order shown: what the
 * person sees is what gets recorded, whatever the layout.
 */
export function visibleTiles(root: ParentNode): RecordedTile[] {
  return Array.from(root.querySelectorAll<HTMLElement>('[data-testid="video-tile"]'))
    .filter((el) => typeof el.checkVisibility !== 'function' || el.checkVisibility())
    .map((el) => {
      const name = el.dataset.peerName ?? '';
      const label = el.getAttribute('aria-label') ?? name;
      const video = el.querySelector('video');
      return {
        name,
        label,
        video,
        mirrored: video?.style.transform.includes('scaleX(-1)') ?? false,
        screen: el.closest('.screen-stage') !== null || label === `${name}'s screen`,
        speaking: el.classList.contains('speaking'),
      };
    });
}

const roomElement = (): ParentNode => document.querySelector('[data-testid="meeting-room"]') ?? document;

/**
 * The local recorder of this room. Leaving the room (leave, meeting ended, removed) unmounts it,
 * which stops the recording and downloads what was recorded; closing the tab asks first.
 */
export function useLocalRecording(host: RecordingHost): { recorder: LocalRecorder; recording: RecordingState } {
  const toast = useToast();
  const [recorder] = useState(
    () =>
      new LocalRecorder(
        { tiles: () => visibleTiles(roomElement()), audioTracks: () => recordingAudioTracks(host) },
        {
          fileName: (extension, startedAt) => recordingFileName(host.getState().meeting?.code ?? 'meeting', startedAt, extension),
          onSaved: (file) => toast.show(strings.roomMedia.recordSaved(file), 'info'),
        },
      ),
  );
  const recording = useSyncExternalStore(recorder.subscribe, recorder.getState);

  // People and microphones come and go: the mix follows the client's state.
  useEffect(() => {
    const unsubscribe = host.subscribe(() => recorder.refreshAudio());
    return () => {
      unsubscribe();
    };
  }, [host, recorder]);

  useEffect(
    () => () => {
      void recorder.stop();
    },
    [recorder],
  );

  const active = recording.status !== 'idle';
  useEffect(() => {
    if (!active) return undefined;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = strings.roomMedia.recordLeaveWarning;
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [active]);

  return { recorder, recording };
}

/** 75 → "01:15", 3725 → "1:02:05". */
export function formatElapsed(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`;
}

export function useElapsedSeconds(startedAt: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (startedAt === null) return undefined;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [startedAt]);
  return startedAt === null ? 0 : (now - startedAt) / 1000;
}

/**
 * The red "Recording 01:15" pill in the header, with a stop button. The words are announced once
 * when it appears; the ticking time is not (it would be read out every second).
 */
export function RecordingBadge({ recording, onStop }: { recording: RecordingState; onStop: () => void }) {
  const elapsed = useElapsedSeconds(recording.startedAt);
  if (recording.status === 'idle') return null;
  const saving = recording.status === 'saving';
  return (
    <span
      className="badge rounded-pill bg-danger d-inline-flex align-items-center gap-2 py-1 ps-2 pe-1 flex-shrink-0"
      data-testid="recording-badge"
    >
      <i className="bi bi-record-circle-fill" aria-hidden="true" />
      {/* The word is dropped on phones to keep the header on one line; screen readers always get it. */}
      <span className="d-none d-sm-inline" aria-hidden="true">
        {saving ? strings.roomMedia.recordSaving : strings.roomMedia.recording}
      </span>
      <span className="visually-hidden" role="status">
        {saving ? strings.roomMedia.recordSaving : strings.roomMedia.recording}
      </span>
      {!saving && (
        <>
          <time aria-hidden="true" className="font-monospace" data-testid="recording-elapsed">
            {formatElapsed(elapsed)}
          </time>
          <button
            type="button"
            className="btn btn-sm btn-light rounded-pill py-0 px-2 lh-1"
            style={{ fontSize: '0.75rem' }}
            aria-label={strings.roomMedia.stopRecording}
            title={strings.roomMedia.stopRecording}
            onClick={onStop}
            data-testid="recording-badge-stop"
          >
            <i className="bi bi-stop-fill" aria-hidden="true" />
          </button>
        </>
      )}
    </span>
  );
}
