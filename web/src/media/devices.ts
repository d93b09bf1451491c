// Cameras, microphones and speakers for the pre-join screen and the room: listing them, opening a
// preview stream with failures sorted into a few kinds a person can act on, a microphone level
// meter, and the choices remembered between visits. Plain TypeScript: React only renders the result.

import { strings } from '../i18n/strings';

export type DeviceKind = 'audio' | 'video';
/** What a failure is about; 'both' when one message covers the camera and the microphone. */
export type DeviceTarget = DeviceKind | 'both';

export type MediaFailureKind = 'denied' | 'not-found' | 'in-use' | 'overconstrained' | 'insecure' | 'unknown';

export interface MediaFailure {
  kind: MediaFailureKind;
  /** A sentence for the person in front of the screen, saying what to do. */
  message: string;
}

export interface DeviceOption {
  deviceId: string;
  groupId: string;
  /** Empty until the page has been granted access to a device of that kind. */
  label: string;
}

export interface DeviceList {
  audioInputs: DeviceOption[];
  videoInputs: DeviceOption[];
  audioOutputs: DeviceOption[];
}

export const emptyDeviceList: DeviceList = { audioInputs: [], videoInputs: [], audioOutputs: [] };

export interface PreviewRequest {
  audio: boolean;
  video: boolean;
  audioDeviceId?: string | undefined;
  videoDeviceId?: string | undefined;
}

export interface PreviewResult {
  /** The tracks that started (stop them with stopStream), or null when none did. */
  stream: MediaStream | null;
  audioError: MediaFailure | null;
  videoError: MediaFailure | null;
}

function mediaDevices(): MediaDevices | null {
  return typeof navigator !== 'undefined' && navigator.mediaDevices ? navigator.mediaDevices : null;
}

/**
 * Browsers hide navigator.mediaDevices outside secure contexts (https, or http on localhost), see
 * https://w3c.github.io/mediacapture-main/#dom-navigator-mediadevices; that case gets its own message.
 */
function isSecureOrigin(): boolean {
  if (typeof window === 'undefined') return false;
  if (typeof window.isSecureContext === 'boolean') return window.isSecureContext;
  const { protocol, hostname } = window.location;
  return protocol === 'https:' || hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
}

export function failureMessage(kind: MediaFailureKind, target: DeviceTarget): string {
  const device = strings.prejoin.deviceNames[target];
  const f = strings.prejoin.failure;
  switch (kind) {
    case 'denied':
      return f.denied(device);
    case 'not-found':
      return f.notFound(device);
    case 'in-use':
      return f.inUse(device);
    case 'overconstrained':
      return f.overconstrained(device);
    case 'insecure':
      return f.insecure;
    case 'unknown':
      return f.unknown(device);
  }
}

function failure(kind: MediaFailureKind, target: DeviceTarget): MediaFailure {
  return { kind, message: failureMessage(kind, target) };
}

function errorName(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'name' in error && typeof error.name === 'string') return error.name;
  return '';
}

/**
 * Sorts a getUserMedia rejection by what the person can do about it. The names are those of
 * https://w3c.github.io/mediacapture-main/#dom-mediadevices-getusermedia plus the older Chrome
 * (PermissionDeniedError, DevicesNotFoundError, TrackStartError, ConstraintNotSatisfiedError) and
 * Firefox (AbortError when another program holds the camera) spellings still seen in the wild.
 */
export function classifyMediaError(error: unknown, target: DeviceTarget): MediaFailure {
  switch (errorName(error)) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
    case 'SecurityError':
      return failure('denied', target);
    case 'NotFoundError':
    case 'DevicesNotFoundError':
      return failure('not-found', target);
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return failure('in-use', target);
    case 'OverconstrainedError':
    case 'ConstraintNotSatisfiedError':
      return failure('overconstrained', target);
    default:
      return failure('unknown', target);
  }
}

/** Why there is no mediaDevices at all: an insecure page, or a browser without capture. */
function unavailable(): MediaFailure {
  return isSecureOrigin()
    ? { kind: 'unknown', message: strings.prejoin.failure.unsupported }
    : { kind: 'insecure', message: strings.prejoin.failure.insecure };
}

export async function listDevices(): Promise<DeviceList> {
  const md = mediaDevices();
  if (!md?.enumerateDevices) return emptyDeviceList;
  let devices: MediaDeviceInfo[];
  try {
    devices = await md.enumerateDevices();
  } catch {
    return emptyDeviceList;
  }
  const of = (kind: MediaDeviceKind) =>
    devices.filter((d) => d.kind === kind).map((d) => ({ deviceId: d.deviceId, groupId: d.groupId, label: d.label }));
  return { audioInputs: of('audioinput'), videoInputs: of('videoinput'), audioOutputs: of('audiooutput') };
}

/** Calls `onChange` when a device is plugged in or out; returns the function that stops watching. */
export function watchDevices(onChange: () => void): () => void {
  const md = mediaDevices();
  if (!md?.addEventListener) return () => undefined;
  md.addEventListener('devicechange', onChange);
  return () => md.removeEventListener('devicechange', onChange);
}

export function audioConstraints(deviceId: string | undefined): MediaTrackConstraints | true {
  return deviceId ? { deviceId: { exact: deviceId } } : true;
}

export function videoConstraints(deviceId: string | undefined): MediaTrackConstraints {
  // 720p is what the room sends at most; asking for it here avoids reopening the camera on join.
  const size = { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } };
  return deviceId ? { ...size, deviceId: { exact: deviceId } } : size;
}

type Capture = { ok: true; stream: MediaStream } | { ok: false; error: unknown };

async function capture(md: MediaDevices, constraints: MediaStreamConstraints): Promise<Capture> {
  try {
    return { ok: true, stream: await md.getUserMedia(constraints) };
  } catch (error) {
    return { ok: false, error };
  }
}

interface OneTrack {
  track: MediaStreamTrack | null;
  error: MediaFailure | null;
}

async function captureOne(md: MediaDevices, kind: DeviceKind, deviceId: string | undefined): Promise<OneTrack> {
  const ask = (id: string | undefined) => capture(md, kind === 'audio' ? { audio: audioConstraints(id) } : { video: videoConstraints(id) });
  let result = await ask(deviceId);
  // A remembered device that has since been unplugged: fall back to the default one.
  if (!result.ok && deviceId && errorName(result.error) === 'OverconstrainedError') result = await ask(undefined);
  if (!result.ok) return { track: null, error: classifyMediaError(result.error, kind) };
  const tracks = result.stream.getTracks();
  const track = tracks.find((t) => t.kind === kind) ?? null;
  for (const t of tracks) if (t !== track) t.stop();
  return { track, error: track ? null : failure('not-found', kind) };
}

/**
 * The permission state of one device, where the Permissions API knows it (names from
 * https://w3c.github.io/mediacapture-main/#permissions-integration); null when it cannot tell.
 */
async function permissionState(kind: DeviceKind): Promise<PermissionState | null> {
  try {
    if (typeof navigator === 'undefined' || !navigator.permissions?.query) return null;
    const status = await navigator.permissions.query({ name: (kind === 'audio' ? 'microphone' : 'camera') as PermissionName });
    return status.state;
  } catch {
    return null;
  }
}

/**
 * Opens the camera and/or the microphone. Both are asked for in one call so that the browser shows
 * one prompt; when that fails, each is tried alone so that a working microphone is kept when only
 * the camera fails (and the other way round). After a refusal only the devices the Permissions API
 * reports as granted are retried, so that a person who said no is not asked again at once.
 * Never rejects: failures are returned per device.
 */
export async function openPreviewStream(request: PreviewRequest): Promise<PreviewResult> {
  const none: PreviewResult = { stream: null, audioError: null, videoError: null };
  if (!request.audio && !request.video) return none;
  const md = mediaDevices();
  if (!md?.getUserMedia) {
    const why = unavailable();
    return { stream: null, audioError: request.audio ? why : null, videoError: request.video ? why : null };
  }

  let retry = { audio: request.audio, video: request.video };
  let refused: { audio: MediaFailure | null; video: MediaFailure | null } = { audio: null, video: null };
  if (request.audio && request.video) {
    const both = await capture(md, { audio: audioConstraints(request.audioDeviceId), video: videoConstraints(request.videoDeviceId) });
    if (both.ok) return { ...none, stream: both.stream };
    if (classifyMediaError(both.error, 'both').kind === 'denied') {
      const [audioState, videoState] = await Promise.all([permissionState('audio'), permissionState('video')]);
      retry = { audio: audioState === 'granted', video: videoState === 'granted' };
      refused = {
        audio: retry.audio ? null : classifyMediaError(both.error, 'audio'),
        video: retry.video ? null : classifyMediaError(both.error, 'video'),
      };
    }
  }

  const audio: OneTrack = retry.audio ? await captureOne(md, 'audio', request.audioDeviceId) : { track: null, error: refused.audio };
  const video: OneTrack = retry.video ? await captureOne(md, 'video', request.videoDeviceId) : { track: null, error: refused.video };
  const tracks = [audio.track, video.track].filter((t): t is MediaStreamTrack => t !== null);
  return { stream: tracks.length > 0 ? new MediaStream(tracks) : null, audioError: audio.error, videoError: video.error };
}

export function stopTrack(track: MediaStreamTrack | null | undefined): void {
  track?.stop();
}

/** Stops every track of `stream` (turning the camera light off). */
export function stopStream(stream: MediaStream | null | undefined): void {
  for (const track of stream?.getTracks() ?? []) track.stop();
}

/** Root mean square of samples in -1..1: 0 for silence, about 0.71 for a full-scale sine. */
export function rms(samples: Float32Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length);
}

const METER_FLOOR_DB = -60;

/** Maps an RMS value to 0..1 on a decibel scale (-60 dBFS and below → 0, 0 dBFS → 1), as ears hear it. */
export function levelFromRms(value: number): number {
  if (value <= 0) return 0;
  const db = 20 * Math.log10(value);
  return Math.min(1, Math.max(0, (db - METER_FLOOR_DB) / -METER_FLOOR_DB));
}

export interface LevelMeterOptions {
  /** Milliseconds between reports; 50 gives about 20 per second. */
  intervalMs?: number;
}

type AudioContextConstructor = new () => AudioContext;

function audioContextConstructor(): AudioContextConstructor | null {
  if (typeof AudioContext !== 'undefined') return AudioContext;
  // Safari before 14.1.
  return (globalThis as { webkitAudioContext?: AudioContextConstructor }).webkitAudioContext ?? null;
}

/**
 * Reports the loudness of `track` (0..1) about 20 times a second through an AnalyserNode. The
 * track is only listened to, never played. Returns the function that stops the meter and closes
 * its AudioContext (browsers allow only a few open at once). The track itself is not stopped.
 */
export function createLevelMeter(track: MediaStreamTrack, onLevel: (level: number) => void, options: LevelMeterOptions = {}): () => void {
  const Context = audioContextConstructor();
  if (!Context) return () => undefined;
  const context = new Context();
  const source = context.createMediaStreamSource(new MediaStream([track]));
  const analyser = context.createAnalyser();
  analyser.fftSize = 1024;
  source.connect(analyser);
  const samples = new Float32Array(analyser.fftSize);

  // A context made before any click on the page may start suspended (autoplay policy): resume it
  // now and again on the first click or key press.
  const resume = () => {
    if (context.state === 'suspended') void context.resume().catch(() => undefined);
  };
  resume();
  document.addEventListener('pointerdown', resume);
  document.addEventListener('keydown', resume);

  // Quick rise, slow fall: the bar follows speech without flickering between syllables.
  let shown = 0;
  const timer = setInterval(() => {
    analyser.getFloatTimeDomainData(samples);
    shown = Math.max(levelFromRms(rms(samples)), shown * 0.8);
    onLevel(shown < 0.01 ? 0 : shown);
  }, options.intervalMs ?? 50);

  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    document.removeEventListener('pointerdown', resume);
    document.removeEventListener('keydown', resume);
    source.disconnect();
    void context.close().catch(() => undefined);
  };
}

/** Whether audio output can be routed to a chosen speaker (HTMLMediaElement.setSinkId). */
export function supportsSpeakerSelection(): boolean {
  return typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;
}

export interface DevicePreferences {
  audioDeviceId?: string;
  videoDeviceId?: string;
  speakerDeviceId?: string;
  startAudioMuted: boolean;
  startVideoMuted: boolean;
  displayName?: string;
}

export const DEVICE_PREFERENCES_KEY = 'fluxmeet.devicePreferences.v1';

const defaultPreferences: DevicePreferences = { startAudioMuted: false, startVideoMuted: false };

/** localStorage, or null where reading it throws (storage disabled, some private modes). */
function storage(): Storage | null {
  try {
    return typeof window !== 'undefined' ? window.localStorage : null;
  } catch {
    return null;
  }
}

/** The saved choices; anything missing, malformed or of the wrong type falls back to the default. */
export function loadDevicePreferences(): DevicePreferences {
  let saved: unknown;
  try {
    saved = JSON.parse(storage()?.getItem(DEVICE_PREFERENCES_KEY) ?? 'null');
  } catch {
    return { ...defaultPreferences };
  }
  if (typeof saved !== 'object' || saved === null) return { ...defaultPreferences };
  const record = saved as Record<string, unknown>;
  const prefs: DevicePreferences = {
    startAudioMuted: record.startAudioMuted === true,
    startVideoMuted: record.startVideoMuted === true,
  };
  for (const key of ['audioDeviceId', 'videoDeviceId', 'speakerDeviceId', 'displayName'] as const) {
    const value = record[key];
    if (typeof value === 'string' && value) prefs[key] = value;
  }
  return prefs;
}

/** Merges `changes` into the saved choices. Saving is best effort: a full or disabled storage is ignored. */
export function rememberDevicePreferences(changes: Partial<DevicePreferences>): void {
  const next = { ...loadDevicePreferences(), ...changes };
  try {
    storage()?.setItem(DEVICE_PREFERENCES_KEY, JSON.stringify(next));
  } catch {
    // QuotaExceededError or storage disabled: the choice simply is not remembered.
  }
}
