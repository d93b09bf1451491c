import { strings } from '../../../i18n/strings';
import {
  emptyDeviceList,
  listDevices,
  openPreviewStream,
  watchDevices,
  type DeviceKind,
  type DeviceList,
  type MediaFailure,
} from '../../../media/devices';

export interface DeviceState {
  /** The open track, or null (off, failed, or not answered yet). */
  track: MediaStreamTrack | null;
  /**
   * What the person wants. A muted microphone keeps its track open with `track.enabled = false`, so
   * the room can unmute at once; a camera that is off is closed, so that its light goes out.
   */
  enabled: boolean;
  error: MediaFailure | null;
  /** The device chosen or remembered; once a track is open, the one the browser actually opened. */
  deviceId: string | undefined;
  /** A getUserMedia call for this device has not answered yet (a permission prompt may be showing). */
  pending: boolean;
}

export interface PreviewState {
  audio: DeviceState;
  video: DeviceState;
  /** The open tracks in one stream (a new object whenever they change), or null when none is open. */
  stream: MediaStream | null;
  devices: DeviceList;
  /** True until the first request has been answered. */
  starting: boolean;
}

export interface PreviewMediaOptions {
  audioEnabled: boolean;
  videoEnabled: boolean;
  audioDeviceId?: string | undefined;
  videoDeviceId?: string | undefined;
}

/** Whether the toggle shows the device as on: wanted, and open or opening. */
export function isOn(device: DeviceState): boolean {
  return device.enabled && (device.track !== null || device.pending);
}

/** Whether the device is on and has a track right now. */
export function isLive(device: DeviceState): boolean {
  return device.enabled && device.track !== null;
}

function deviceState(enabled: boolean, deviceId: string | undefined): DeviceState {
  return { track: null, enabled, error: null, deviceId, pending: false };
}

/** The state before anything is opened; also what React shows until the PreviewMedia exists. */
export function initialPreviewState(options: PreviewMediaOptions): PreviewState {
  return {
    audio: deviceState(options.audioEnabled, options.audioDeviceId),
    video: deviceState(options.videoEnabled, options.videoDeviceId),
    stream: null,
    devices: emptyDeviceList,
    starting: true,
  };
}

/**
 * The camera and microphone of the pre-join screen: opens them, toggles and switches them, and
 * stops every track it opened, unless the stream was handed over to the room. React subscribes
 * through subscribe/getSnapshot (useSyncExternalStore); the snapshot is immutable.
 *
 * Requests may answer out of order (a person switching cameras quickly): each device counts its
 * requests, and an answer to anything but the latest request is stopped at once.
 */
export class PreviewMedia {
  private state: PreviewState;
  private readonly listeners = new Set<() => void>();
  private readonly latestRequest: Record<DeviceKind, number> = { audio: 0, video: 0 };
  private readonly endedListeners = new Map<MediaStreamTrack, () => void>();
  private stopWatching: () => void = () => undefined;
  private disposed = false;
  private handedOver = false;

  constructor(options: PreviewMediaOptions) {
    this.state = initialPreviewState(options);
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): PreviewState => this.state;

  /** Opens the microphone (even when starting muted: the meter and the room need it) and the camera if wanted. */
  async start(): Promise<void> {
    this.stopWatching = watchDevices(() => void this.refreshDevices());
    // Before access is granted the list has unnamed entries, which still beats "No camera found".
    void this.refreshDevices();
    await this.open({ audio: true, video: this.state.video.enabled });
    if (this.disposed) return;
    this.set({ starting: false });
    await this.refreshDevices();
  }

  async setAudioEnabled(enabled: boolean): Promise<void> {
    const { track } = this.state.audio;
    if (track) {
      track.enabled = enabled;
      this.setDevice('audio', { enabled });
      return;
    }
    this.setDevice('audio', { enabled, error: null });
    if (enabled) await this.open({ audio: true, video: false });
  }

  async setVideoEnabled(enabled: boolean): Promise<void> {
    if (!enabled) {
      this.abandon('video');
      this.closeTrack('video');
      this.setDevice('video', { enabled: false, error: null });
      return;
    }
    if (this.state.video.track) return;
    this.setDevice('video', { enabled: true, error: null });
    await this.open({ audio: false, video: true });
  }

  /** Switches to another device; the old track is stopped first, as some phones cannot open two cameras. */
  async selectDevice(kind: DeviceKind, deviceId: string): Promise<void> {
    this.setDevice(kind, { deviceId, error: null });
    // The microphone is always wanted (muted or not); the camera only while it is on.
    if (kind === 'video' && !this.state.video.enabled) return;
    this.abandon(kind);
    this.closeTrack(kind);
    await this.open({ audio: kind === 'audio', video: kind === 'video' });
  }

  /** Asks again for every wanted device that has no track (after the person re-allowed access). */
  async retry(): Promise<void> {
    const audio = !this.state.audio.track && !this.state.audio.pending;
    const video = this.state.video.enabled && !this.state.video.track && !this.state.video.pending;
    if (audio) this.setDevice('audio', { error: null });
    if (video) this.setDevice('video', { error: null });
    await this.open({ audio, video });
  }

  /**
   * Gives the current stream to the room: from now on dispose() leaves it running. Requests still
   * waiting are abandoned (their tracks will be stopped), so the stream handed over stays as it is.
   */
  handOver(): MediaStream | null {
    this.handedOver = true;
    this.abandon('audio');
    this.abandon('video');
    return this.state.stream;
  }

  /** Takes the stream back after a failed join: it is previewed again and stopped on dispose(). */
  reclaim(): void {
    if (!this.handedOver) return;
    this.handedOver = false;
    void this.retry();
  }

  /** Stops watching and stops every track, unless they were handed over. Safe to call twice. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.stopWatching();
    for (const [track, onEnded] of this.endedListeners) track.removeEventListener('ended', onEnded);
    this.endedListeners.clear();
    if (!this.handedOver) {
      this.state.audio.track?.stop();
      this.state.video.track?.stop();
    }
    this.listeners.clear();
  }

  private async open(want: Record<DeviceKind, boolean>): Promise<void> {
    if (!want.audio && !want.video) return;
    const request = { audio: want.audio ? ++this.latestRequest.audio : -1, video: want.video ? ++this.latestRequest.video : -1 };
    const current = (kind: DeviceKind) => !this.disposed && request[kind] === this.latestRequest[kind];
    if (want.audio) this.setDevice('audio', { pending: true });
    if (want.video) this.setDevice('video', { pending: true });

    const result = await openPreviewStream({
      audio: want.audio,
      video: want.video,
      audioDeviceId: this.state.audio.deviceId,
      videoDeviceId: this.state.video.deviceId,
    });

    for (const track of result.stream?.getTracks() ?? []) {
      const kind = track.kind as DeviceKind;
      if (current(kind)) this.install(kind, track);
      else track.stop();
    }
    if (current('audio')) this.setDevice('audio', { pending: false, error: result.audioError });
    if (current('video')) this.setDevice('video', { pending: false, error: result.videoError });
    // Labels appear once access is granted.
    if (!this.disposed && result.stream) await this.refreshDevices();
  }

  private install(kind: DeviceKind, track: MediaStreamTrack): void {
    this.closeTrack(kind);
    if (kind === 'audio') track.enabled = this.state.audio.enabled;
    const onEnded = () => this.lost(kind, track);
    track.addEventListener('ended', onEnded);
    this.endedListeners.set(track, onEnded);
    const deviceId = track.getSettings?.().deviceId || this.state[kind].deviceId;
    this.setDevice(kind, { track, deviceId });
  }

  /** The device was unplugged or taken away: show it off, with the reason, until asked again. */
  private lost(kind: DeviceKind, track: MediaStreamTrack): void {
    if (this.disposed || this.state[kind].track !== track) return;
    this.closeTrack(kind);
    const message = strings.prejoin.failure.disconnected(strings.prejoin.deviceNames[kind]);
    this.setDevice(kind, { error: { kind: 'not-found', message } });
  }

  private closeTrack(kind: DeviceKind): void {
    const { track } = this.state[kind];
    if (!track) return;
    const onEnded = this.endedListeners.get(track);
    if (onEnded) track.removeEventListener('ended', onEnded);
    this.endedListeners.delete(track);
    track.stop();
    this.setDevice(kind, { track: null });
  }

  /** Makes any answer to earlier requests for `kind` stale (its tracks get stopped on arrival). */
  private abandon(kind: DeviceKind): void {
    this.latestRequest[kind]++;
    if (this.state[kind].pending) this.setDevice(kind, { pending: false });
  }

  private async refreshDevices(): Promise<void> {
    const devices = await listDevices();
    if (!this.disposed) this.set({ devices });
  }

  private setDevice(kind: DeviceKind, changes: Partial<DeviceState>): void {
    const device = { ...this.state[kind], ...changes };
    const trackChanged = device.track !== this.state[kind].track;
    const next = { ...this.state, [kind]: device };
    if (trackChanged) {
      const tracks = [next.audio.track, next.video.track].filter((t): t is MediaStreamTrack => t !== null);
      next.stream = tracks.length > 0 ? new MediaStream(tracks) : null;
    }
    this.set(next);
  }

  private set(changes: Partial<PreviewState>): void {
    if (this.disposed) return;
    this.state = { ...this.state, ...changes };
    for (const listener of this.listeners) listener();
  }
}
