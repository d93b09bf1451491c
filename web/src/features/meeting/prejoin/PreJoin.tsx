import { useEffect, useRef, useState, useSyncExternalStore, type FormEvent } from 'react';
import type { Meeting } from '../../../api/types';
import { strings } from '../../../i18n/strings';
import {
  failureMessage,
  loadDevicePreferences,
  rememberDevicePreferences,
  supportsSpeakerSelection,
  type DeviceKind,
  type MediaFailure,
} from '../../../media/devices';
import { FormAlert, FormField } from '../../../ui/FormField';
import { formatDateTime } from '../../../ui/format';
import { useSession } from '../../auth/session';
import { PreJoinEffects } from '../effects/PreJoinEffects';
import { usePreviewEffect } from '../effects/usePreviewEffect';
import { DevicePicker } from './DevicePicker';
import { LevelMeter } from './LevelMeter';
import {
  initialPreviewState,
  isLive,
  isOn,
  PreviewMedia,
  type DeviceState,
  type PreviewMediaOptions,
  type PreviewState,
} from './previewMedia';

/**
 * What the pre-join screen hands to the room. The stream holds the tracks that are open: the
 * microphone (with `enabled = false` when audioEnabled is false) and the camera only when
 * videoEnabled is true. The room owns it from then on and stops it when leaving.
 */
export interface JoinSettings {
  displayName: string;
  passcode?: string;
  audioEnabled: boolean; // start with mic on
  videoEnabled: boolean; // start with camera on
  audioDeviceId?: string;
  videoDeviceId?: string;
  speakerDeviceId?: string;
  stream: MediaStream | null; // the preview stream, handed over (not stopped) to the room; null if no device/permission
}

export interface PreJoinProps {
  meeting: Meeting;
  /**
   * Called when the person presses Join. Without it the button stays disabled (the room is not
   * there yet). The stream in the settings now belongs to the caller. If the join fails, keep
   * rendering this screen and pass `error` (after `joining` was true, or as a new value): the screen
   * then takes the stream back, previews it again and stops it if the person leaves.
   */
  onJoin?: ((settings: JoinSettings) => void) | undefined;
  /** Shows a spinner on Join and locks the form while the room connects. */
  joining?: boolean;
  /** A failed join, shown above the Join button (e.g. "Wrong passcode"). */
  error?: string | null;
}

export const MAX_DISPLAY_NAME = 64;

/** The server's rule (1..64 code points after trimming); control characters would break the name tiles. */
export function checkDisplayName(name: string): string | undefined {
  const chars = [...name.trim()];
  if (chars.length === 0) return strings.prejoin.displayNameRequired;
  if (chars.length > MAX_DISPLAY_NAME) return strings.prejoin.displayNameTooLong;
  if (/\p{Cc}/u.test(name)) return strings.prejoin.displayNameInvalid;
  return undefined;
}

/** Up to two letters for the tile shown while the camera is off: "Ada Lovelace" → "AL". */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = (word: string | undefined) => (word ? ([...word][0] ?? '') : '');
  const letters = words.length > 1 ? first(words[0]) + first(words[words.length - 1]) : first(words[0]);
  return letters.toLocaleUpperCase();
}

const noSubscribe = () => () => undefined;

/** Opens the preview when mounted and closes it (unless handed over) when unmounted. */
function usePreviewMedia(options: PreviewMediaOptions): { media: PreviewMedia | null; state: PreviewState } {
  const [initial] = useState(() => initialPreviewState(options));
  const [media, setMedia] = useState<PreviewMedia | null>(null);
  useEffect(() => {
    // Made here rather than during render so that React's development double mount cannot leak a camera.
    const created = new PreviewMedia(options);
    setMedia(created);
    void created.start();
    return () => created.dispose();
    // The options are the starting point only; later changes go through the PreviewMedia methods.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const state = useSyncExternalStore(media?.subscribe ?? noSubscribe, media?.getSnapshot ?? (() => initial));
  return { media, state };
}

export function PreJoin({ meeting, onJoin, joining = false, error = null }: PreJoinProps) {
  const { user } = useSession();
  const [prefs] = useState(loadDevicePreferences);
  const { media, state } = usePreviewMedia({
    // A meeting that mutes people on entry starts the preview muted too, so nothing changes on join.
    audioEnabled: !prefs.startAudioMuted && !(meeting.settings.muteOnEntry && !meeting.isHost),
    videoEnabled: !prefs.startVideoMuted,
    audioDeviceId: prefs.audioDeviceId,
    videoDeviceId: prefs.videoDeviceId,
  });
  const [speakerDeviceId, setSpeakerDeviceId] = useState(prefs.speakerDeviceId);
  // The remembered background on the preview; the room applies the same one to what it sends.
  const effect = usePreviewEffect(isLive(state.video) ? state.video.track : null);
  const [name, setName] = useState(() => user?.username ?? prefs.displayName ?? '');
  const [nameTouched, setNameTouched] = useState(false);
  const [passcode, setPasscode] = useState('');
  const [handedOver, setHandedOver] = useState(false);
  const handedOverRef = useRef(false);

  // The session may be restored after this screen opened: use the account name unless edited.
  const username = user?.username;
  useEffect(() => {
    if (username && !nameTouched) setName(username);
  }, [username, nameTouched]);

  // A join that failed gives the stream back (see PreJoinProps.onJoin).
  const lastOutcome = useRef({ joining, error });
  useEffect(() => {
    const before = lastOutcome.current;
    lastOutcome.current = { joining, error };
    if (!handedOverRef.current || !error || joining) return;
    if (before.joining || before.error !== error) {
      handedOverRef.current = false;
      setHandedOver(false);
      media?.reclaim();
    }
  }, [joining, error, media]);

  const needsPasscode = meeting.hasPasscode && !meeting.isHost;
  const nameError = checkDisplayName(name);
  const locked = joining || handedOver;
  const canJoin = Boolean(onJoin) && !joining && !nameError && (!needsPasscode || passcode.length > 0);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setNameTouched(true);
    if (!canJoin || !onJoin || !media) return;
    const displayName = name.trim();
    const stream = media.handOver();
    handedOverRef.current = true;
    setHandedOver(true);
    const audioEnabled = isLive(state.audio);
    const videoEnabled = isLive(state.video);
    rememberDevicePreferences({ startAudioMuted: !audioEnabled, startVideoMuted: !videoEnabled, displayName });
    const settings: JoinSettings = { displayName, audioEnabled, videoEnabled, stream };
    if (needsPasscode) settings.passcode = passcode;
    if (state.audio.deviceId) settings.audioDeviceId = state.audio.deviceId;
    if (state.video.deviceId) settings.videoDeviceId = state.video.deviceId;
    if (speakerDeviceId) settings.speakerDeviceId = speakerDeviceId;
    onJoin(settings);
  };

  const selectDevice = (kind: DeviceKind, deviceId: string) => {
    rememberDevicePreferences(kind === 'audio' ? { audioDeviceId: deviceId } : { videoDeviceId: deviceId });
    void media?.selectDevice(kind, deviceId);
  };
  const selectSpeaker = (deviceId: string) => {
    setSpeakerDeviceId(deviceId);
    rememberDevicePreferences({ speakerDeviceId: deviceId });
  };
  const showSpeakers = supportsSpeakerSelection() && state.devices.audioOutputs.length > 0;

  return (
    <div className="container py-4 py-md-5">
      <div className="row gx-lg-5 gy-4 align-items-center justify-content-center">
        <div className="col-lg-7 col-xl-6">
          <Preview
            state={state}
            shownVideo={effect.shown}
            initials={initialsOf(name)}
            disabled={locked || !media}
            onToggleAudio={() => void media?.setAudioEnabled(!isOn(state.audio))}
            onToggleVideo={() => void media?.setVideoEnabled(!isOn(state.video))}
          />
          <div className="d-flex align-items-center gap-2 mt-3 px-1">
            <i className={`bi ${isLive(state.audio) ? 'bi-mic' : 'bi-mic-mute'} text-secondary`} aria-hidden="true" />
            <LevelMeter track={isLive(state.audio) ? state.audio.track : null} label={strings.prejoin.microphoneLevel} />
          </div>
          <DeviceAlerts audio={state.audio.error} video={state.video.error} disabled={locked} onRetry={() => void media?.retry()} />
          <fieldset className="row g-2 mt-2" disabled={locked || !media}>
            <legend className="visually-hidden">{strings.prejoin.devices}</legend>
            <div className="col-sm">
              <DevicePicker
                label={strings.prejoin.camera}
                icon="camera-video"
                devices={state.devices.videoInputs}
                value={state.video.deviceId}
                onChange={(id) => selectDevice('video', id)}
              />
            </div>
            <div className="col-sm">
              <DevicePicker
                label={strings.prejoin.microphone}
                icon="mic"
                devices={state.devices.audioInputs}
                value={state.audio.deviceId}
                onChange={(id) => selectDevice('audio', id)}
              />
            </div>
            {showSpeakers && (
              <div className="col-sm">
                <DevicePicker
                  label={strings.prejoin.speaker}
                  icon="volume-up"
                  devices={state.devices.audioOutputs}
                  value={speakerDeviceId}
                  onChange={selectSpeaker}
                />
              </div>
            )}
          </fieldset>
          {effect.processor && <PreJoinEffects processor={effect.processor} onChoose={effect.choose} disabled={locked || !media} />}
        </div>

        <div className="col-lg-5 col-xl-4">
          <MeetingDetails meeting={meeting} />
          <form onSubmit={submit} noValidate className="mt-4">
            <h2 className="h5 mb-3">{strings.meeting.joinTitle}</h2>
            <FormField
              label={strings.prejoin.displayName}
              name="displayName"
              value={name}
              onChange={(value) => {
                setName(value);
                setNameTouched(true);
              }}
              onBlur={() => setNameTouched(true)}
              error={nameTouched ? nameError : undefined}
              help={strings.prejoin.displayNameHelp}
              autoComplete="name"
              required
              disabled={joining}
            />
            {needsPasscode && (
              <FormField
                label={strings.prejoin.passcode}
                name="passcode"
                type="password"
                value={passcode}
                onChange={setPasscode}
                help={strings.prejoin.passcodeHelp}
                autoComplete="off"
                maxLength={64}
                required
                disabled={joining}
              />
            )}
            <FormAlert message={error} />
            <button
              type="submit"
              className="btn btn-primary btn-pill-lg px-5"
              disabled={!canJoin}
              aria-describedby={onJoin ? undefined : 'join-disabled-reason'}
            >
              {joining && <span className="spinner-border spinner-border-sm me-2" aria-hidden="true" />}
              {joining ? strings.prejoin.joining : strings.meeting.join}
            </button>
            {!onJoin && (
              <p id="join-disabled-reason" className="small text-secondary mt-2">
                {strings.meeting.joinDisabled}
              </p>
            )}
          </form>
        </div>
      </div>
    </div>
  );
}

function MeetingDetails({ meeting }: { meeting: Meeting }) {
  return (
    <div className="text-center text-lg-start">
      <p className="text-secondary meeting-code mb-1">{meeting.code}</p>
      <h1 className="h3 mb-2">{meeting.title}</h1>
      <p className="text-secondary mb-1">{strings.meetings.hostedBy(meeting.host.username)}</p>
      {meeting.startsAt && <p className="text-secondary mb-1">{strings.meeting.scheduledFor(formatDateTime(meeting.startsAt))}</p>}
      {meeting.isHost && <p className="small mb-1">{strings.meeting.youAreHost}</p>}
      {meeting.hasPasscode && !meeting.isHost && (
        <p className="small mb-1">
          <i className="bi bi-lock-fill me-1" aria-hidden="true" />
          {strings.meeting.needsPasscode}
        </p>
      )}
      {meeting.locked && <p className="small text-warning-emphasis mb-1">{strings.meeting.locked}</p>}
      {meeting.recording && (
        <p className="small text-danger-emphasis mb-1" role="note" data-testid="prejoin-recording">
          <i className="bi bi-record-circle-fill me-1" aria-hidden="true" />
          {strings.meeting.beingRecorded}
        </p>
      )}
      {meeting.endedAt && <p className="small text-danger mb-1">{strings.meeting.ended}</p>}
    </div>
  );
}

interface PreviewProps {
  state: PreviewState;
  /** The camera as shown: with the chosen background effect, when one runs. */
  shownVideo: MediaStreamTrack | null;
  initials: string;
  disabled: boolean;
  onToggleAudio: () => void;
  onToggleVideo: () => void;
}

const alertId = (kind: DeviceKind | 'both') => `prejoin-device-alert-${kind}`;

/** The mirrored camera (or the person's initials) with the round microphone and camera buttons over it. */
function Preview({ state, shownVideo, initials, disabled, onToggleAudio, onToggleVideo }: PreviewProps) {
  const { audio, video } = state;
  const sameFailure = audio.error && video.error && audio.error.kind === video.error.kind;
  return (
    <div className="position-relative rounded-4 overflow-hidden bg-dark text-white" style={{ aspectRatio: '16 / 9' }}>
      {isLive(video) && video.track ? (
        <PreviewVideo track={shownVideo ?? video.track} />
      ) : (
        <div className="position-absolute top-0 start-0 w-100 h-100 d-flex flex-column align-items-center justify-content-center">
          <div
            className="rounded-circle bg-primary d-flex align-items-center justify-content-center fw-medium"
            style={{ width: '6rem', height: '6rem', fontSize: '2.25rem' }}
            aria-hidden="true"
          >
            {initials || <i className="bi bi-person-fill" />}
          </div>
          <p className="mt-3 mb-0 small text-white-50" role="status">
            {isOn(video) ? strings.prejoin.cameraStarting : strings.prejoin.cameraIsOff}
          </p>
        </div>
      )}
      <div
        className="position-absolute bottom-0 start-0 end-0 d-flex justify-content-center gap-3 pb-3"
        role="group"
        aria-label={strings.prejoin.controls}
      >
        <MediaToggle
          device={audio}
          label={strings.prejoin.microphone}
          icons={['bi-mic-fill', 'bi-mic-mute-fill']}
          actions={[strings.prejoin.turnOffMicrophone, strings.prejoin.turnOnMicrophone]}
          alert={alertId(sameFailure ? 'both' : 'audio')}
          disabled={disabled}
          onToggle={onToggleAudio}
        />
        <MediaToggle
          device={video}
          label={strings.prejoin.camera}
          icons={['bi-camera-video-fill', 'bi-camera-video-off-fill']}
          actions={[strings.prejoin.turnOffCamera, strings.prejoin.turnOnCamera]}
          alert={alertId(sameFailure ? 'both' : 'video')}
          disabled={disabled}
          onToggle={onToggleVideo}
        />
      </div>
    </div>
  );
}

function PreviewVideo({ track }: { track: MediaStreamTrack }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const video = ref.current;
    if (!video) return undefined;
    // Only the camera: the microphone must never play back into the room the person sits in.
    video.srcObject = new MediaStream([track]);
    return () => {
      video.srcObject = null;
    };
  }, [track]);
  return (
    <video
      ref={ref}
      muted
      playsInline
      autoPlay
      aria-label={strings.prejoin.preview}
      className="position-absolute top-0 start-0 w-100 h-100"
      // Mirrored, as people expect to see themselves; the room sends the camera unmirrored.
      style={{ objectFit: 'cover', transform: 'scaleX(-1)' }}
    />
  );
}

interface MediaToggleProps {
  device: DeviceState;
  label: string;
  /** [when on, when off] */
  icons: [string, string];
  /** What pressing does: [when on, when off]. */
  actions: [string, string];
  /** The id of the alert explaining a failure of this device. */
  alert: string;
  disabled: boolean;
  onToggle: () => void;
}

/** A round on/off button like Meet's: aria-pressed tells whether the device is on. */
function MediaToggle({ device, label, icons, actions, alert, disabled, onToggle }: MediaToggleProps) {
  const on = isOn(device);
  return (
    <button
      type="button"
      className={`btn rounded-circle position-relative ${on ? 'btn-outline-light' : 'btn-danger'}`}
      style={{ width: '3.5rem', height: '3.5rem' }}
      aria-label={label}
      aria-pressed={on}
      aria-describedby={device.error ? alert : undefined}
      title={on ? actions[0] : actions[1]}
      disabled={disabled}
      onClick={onToggle}
    >
      <i className={`bi ${on ? icons[0] : icons[1]} fs-5`} aria-hidden="true" />
      {device.error && (
        <span className="position-absolute top-0 start-100 translate-middle badge rounded-pill bg-warning text-dark" aria-hidden="true">
          <i className="bi bi-exclamation-lg" />
        </span>
      )}
    </button>
  );
}

interface DeviceAlertsProps {
  audio: MediaFailure | null;
  video: MediaFailure | null;
  disabled: boolean;
  onRetry: () => void;
}

/** One alert per failing device, or one for both when they failed the same way. */
function DeviceAlerts({ audio, video, disabled, onRetry }: DeviceAlertsProps) {
  const alerts: Array<{ id: string; failure: MediaFailure }> = [];
  if (audio && video && audio.kind === video.kind) {
    const message = audio.message === video.message ? audio.message : failureMessage(audio.kind, 'both');
    alerts.push({ id: alertId('both'), failure: { kind: audio.kind, message } });
  } else {
    if (video) alerts.push({ id: alertId('video'), failure: video });
    if (audio) alerts.push({ id: alertId('audio'), failure: audio });
  }
  return (
    <>
      {alerts.map(({ id, failure }) => (
        <div
          key={id}
          id={id}
          role="alert"
          className={`alert ${failure.kind === 'not-found' ? 'alert-secondary' : 'alert-warning'} d-flex flex-wrap align-items-center gap-2 py-2 mt-3 mb-0`}
        >
          <i className={`bi ${failure.kind === 'denied' ? 'bi-shield-lock' : 'bi-exclamation-triangle'}`} aria-hidden="true" />
          <span className="flex-fill-shrink">{failure.message}</span>
          {failure.kind !== 'insecure' && (
            <button type="button" className="btn btn-sm btn-outline-secondary rounded-pill" onClick={onRetry} disabled={disabled}>
              {strings.common.retry}
            </button>
          )}
        </div>
      ))}
    </>
  );
}
