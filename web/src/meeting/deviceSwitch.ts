// Changing the camera, microphone or speaker in the middle of a meeting. A new track goes into the
// existing mediasoup producer with replaceTrack (RTCRtpSender.replaceTrack: no renegotiation, the
// producer id and everyone's consumer stay), the old track is stopped, and the choice is kept where
// the pre-join screen keeps it. A device that is unplugged while in use is replaced by the default
// one, with a short notice. Plain TypeScript over a small host interface that MeetingClient fills.

import { strings } from '../i18n/strings';
import {
  audioConstraints,
  classifyMediaError,
  emptyDeviceList,
  listDevices,
  loadDevicePreferences,
  rememberDevicePreferences,
  supportsSpeakerSelection,
  videoConstraints,
  watchDevices,
  type DeviceKind,
  type DeviceList,
  type DevicePreferences,
} from '../media/devices';
import type { CameraEffectHook } from '../media/effects/cameraEffects';
import type { MediaSource } from '../signal/protocol';

export type InputSource = 'mic' | 'camera';

export const sourceOf = (kind: DeviceKind): InputSource => (kind === 'audio' ? 'mic' : 'camera');

/** The part of a mediasoup-client Producer used here. */
export interface SwitchableProducer {
  readonly track: MediaStreamTrack | null;
  readonly closed: boolean;
  replaceTrack(options: { track: MediaStreamTrack }): Promise<void>;
}

/** What the meeting client lets the switcher see and do (MeetingClient implements it). */
export interface LocalMediaHost {
  /** The producer of a local source while it is on (a muted microphone still has one). */
  localProducer(source: MediaSource): SwitchableProducer | null;
  /** After replaceTrack: the self view, a later unmute and a rejoin use `track`. */
  localTrackReplaced(source: InputSource, track: MediaStreamTrack): void;
  /** The device to open when the camera or microphone is turned on later (undefined: default). */
  preferDevice(kind: DeviceKind, deviceId: string | undefined): void;
  showNotice(text: string): void;
  /** Asked first when a local track ends (device unplugged); true means it was handled. */
  localTrackEndedHandler: ((source: MediaSource) => Promise<boolean>) | null;
  /** Video effects (media/effects): while one runs, the producer sends a track processed from the raw camera. */
  cameraEffect?: CameraEffectHook | null;
}

export interface DeviceSwitchDeps {
  getUserMedia?: (constraints: MediaStreamConstraints) => Promise<MediaStream>;
  listDevices?: () => Promise<DeviceList>;
  watchDevices?: (onChange: () => void) => () => void;
  loadPreferences?: () => DevicePreferences;
  rememberPreferences?: (changes: Partial<DevicePreferences>) => void;
  speakerSupported?: () => boolean;
}

export interface DeviceSwitchState {
  devices: DeviceList;
  /** The device in use (or chosen, while the source is off); undefined means the default one. */
  audioDeviceId: string | undefined;
  videoDeviceId: string | undefined;
  speakerDeviceId: string | undefined;
  speakerSupported: boolean;
  /** The kind being switched right now, for a spinner and disabled pickers. */
  busy: DeviceKind | null;
  /** Why the last switch failed, as a sentence for the person. */
  error: string | null;
}

function settingsDeviceId(track: MediaStreamTrack | null | undefined): string | undefined {
  if (!track || typeof track.getSettings !== 'function') return undefined;
  return track.getSettings().deviceId || undefined;
}

export class DeviceSwitcher {
  private state: DeviceSwitchState;
  private readonly listeners = new Set<() => void>();
  private queue: Promise<unknown> = Promise.resolve();
  private unwatch: (() => void) | null = null;
  private readonly onTrackEnded = (source: MediaSource) => this.trackEnded(source);

  constructor(
    private readonly host: LocalMediaHost,
    /** The speaker chosen on the pre-join screen, if any. */
    initialSpeaker: string | undefined,
    private readonly deps: DeviceSwitchDeps = {},
  ) {
    const prefs = (deps.loadPreferences ?? loadDevicePreferences)();
    this.state = {
      devices: emptyDeviceList,
      audioDeviceId: this.inUse('audio') ?? prefs.audioDeviceId,
      videoDeviceId: this.inUse('video') ?? prefs.videoDeviceId,
      speakerDeviceId: initialSpeaker ?? prefs.speakerDeviceId,
      speakerSupported: (deps.speakerSupported ?? supportsSpeakerSelection)(),
      busy: null,
      error: null,
    };
  }

  // --- state for React (useSyncExternalStore) ----------------------------------------------
  getState = (): DeviceSwitchState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(change: Partial<DeviceSwitchState>): void {
    this.state = { ...this.state, ...change };
    for (const listener of this.listeners) listener();
  }

  // --- lifetime ------------------------------------------------------------------------------
  /** Watches for devices coming and going and for tracks that end; undone by stop(). */
  start(): void {
    if (this.unwatch) return;
    this.host.localTrackEndedHandler = this.onTrackEnded;
    // A microphone turned on later (joined without one) opens the remembered device.
    if (!this.host.localProducer('mic')) this.host.preferDevice('audio', this.state.audioDeviceId);
    this.unwatch = (this.deps.watchDevices ?? watchDevices)(() => void this.deviceChange());
    void this.refreshDevices();
  }

  stop(): void {
    this.unwatch?.();
    this.unwatch = null;
    if (this.host.localTrackEndedHandler === this.onTrackEnded) this.host.localTrackEndedHandler = null;
  }

  /** The live track of the camera or microphone, if it is on. */
  localTrack(kind: DeviceKind): MediaStreamTrack | null {
    const track = this.rawCamera(kind) ?? this.host.localProducer(sourceOf(kind))?.track ?? null;
    return track && track.readyState !== 'ended' ? track : null;
  }

  /** Lists the devices again (labels appear once access is granted); returns the list. */
  async refreshDevices(): Promise<DeviceList> {
    const devices = await (this.deps.listDevices ?? listDevices)();
    this.set({
      devices,
      audioDeviceId: this.inUse('audio') ?? this.state.audioDeviceId,
      videoDeviceId: this.inUse('video') ?? this.state.videoDeviceId,
    });
    return devices;
  }

  // --- switching -----------------------------------------------------------------------------
  /** Switches the camera or microphone to `deviceId`; failures end up in state.error, never thrown. */
  switchInput(kind: DeviceKind, deviceId: string): Promise<void> {
    return this.enqueue(async () => {
      this.set({ busy: kind, error: null });
      try {
        await this.replace(kind, deviceId);
        (this.deps.rememberPreferences ?? rememberDevicePreferences)(
          kind === 'audio' ? { audioDeviceId: deviceId } : { videoDeviceId: deviceId },
        );
        this.set(kind === 'audio' ? { audioDeviceId: deviceId } : { videoDeviceId: deviceId });
      } catch (error) {
        this.set({ error: classifyMediaError(error, kind).message });
      } finally {
        this.set({ busy: null });
      }
    });
  }

  /** Routes remote audio to `deviceId` (the room passes it to every <audio>'s setSinkId). */
  setSpeaker(deviceId: string): void {
    this.set({ speakerDeviceId: deviceId });
    (this.deps.rememberPreferences ?? rememberDevicePreferences)({ speakerDeviceId: deviceId });
  }

  // --- front and back camera (phones) ------------------------------------------------------------
  /** There is another camera to turn to: two or more listed, or one that faces several ways. */
  canFlipCamera(): boolean {
    if (this.state.devices.videoInputs.length > 1) return true;
    const track = this.localTrack('video');
    const facing = track && typeof track.getCapabilities === 'function' ? (track.getCapabilities().facingMode ?? []) : [];
    return facing.length > 1;
  }

  /**
   * Turns the camera round: facingMode 'user' <-> 'environment' where the camera says which way it
   * faces (phones), else the next camera of the list. Failures end up in state.error, never thrown.
   */
  flipCamera(): Promise<void> {
    return this.enqueue(async () => {
      const track = this.localTrack('video');
      if (!track) return;
      this.set({ busy: 'video', error: null });
      try {
        const facing = track.getSettings().facingMode;
        const cameras = this.state.devices.videoInputs.map((d) => d.deviceId).filter(Boolean);
        const nextCamera = () => cameras[(cameras.indexOf(settingsDeviceId(track) ?? '') + 1) % cameras.length];
        if (facing === 'user' || facing === 'environment') {
          try {
            await this.replace('video', undefined, facing === 'user' ? 'environment' : 'user');
          } catch (error) {
            // It faces one way only (a laptop's webcam): try the next camera instead.
            if (cameras.length < 2) throw error;
            await this.replace('video', nextCamera());
          }
        } else if (cameras.length > 1) {
          await this.replace('video', nextCamera());
        }
        const deviceId = this.inUse('video');
        this.host.preferDevice('video', deviceId);
        if (deviceId) (this.deps.rememberPreferences ?? rememberDevicePreferences)({ videoDeviceId: deviceId });
        this.set({ videoDeviceId: deviceId });
      } catch (error) {
        this.set({ error: classifyMediaError(error, 'video').message });
      } finally {
        this.set({ busy: null });
      }
    });
  }

  /** Runs device operations one after another, so that a click and an unplug never interleave. */
  private enqueue<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.queue.then(operation, operation);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private inUse(kind: DeviceKind): string | undefined {
    return settingsDeviceId(this.localTrack(kind));
  }

  private async open(kind: DeviceKind, deviceId: string | undefined, facing?: VideoFacingModeEnum): Promise<MediaStreamTrack> {
    const getUserMedia = this.deps.getUserMedia ?? ((c) => navigator.mediaDevices.getUserMedia(c));
    const video = facing ? { ...videoConstraints(undefined), facingMode: { exact: facing } } : videoConstraints(deviceId);
    const stream = await getUserMedia(kind === 'audio' ? { audio: audioConstraints(deviceId) } : { video });
    const tracks = stream.getTracks();
    const track = tracks.find((t) => t.kind === kind);
    for (const t of tracks) if (t !== track) t.stop();
    if (!track) throw Object.assign(new Error('no track'), { name: 'NotFoundError' });
    return track;
  }

  /**
   * Opens `deviceId` (the default device when undefined, or the camera facing `facing`) and puts it
   * into the source's producer. Returns false when the source is off: then the choice only applies
   * when it is turned on.
   */
  private async replace(kind: DeviceKind, deviceId: string | undefined, facing?: VideoFacingModeEnum): Promise<boolean> {
    const source = sourceOf(kind);
    this.host.preferDevice(kind, deviceId);
    const producer = this.host.localProducer(source);
    if (!producer || producer.closed) return false;
    const old = this.rawCamera(kind) ?? producer.track;
    if (deviceId && old && old.readyState !== 'ended' && settingsDeviceId(old) === deviceId) return true;
    let track: MediaStreamTrack;
    try {
      track = await this.open(kind, deviceId, facing);
    } catch (error) {
      // Many phones cannot run two cameras at once (front and back): let go of the old one first.
      if (kind !== 'video' || !old || classifyMediaError(error, kind).kind !== 'in-use') throw error;
      old.stop();
      try {
        track = await this.open(kind, deviceId, facing);
      } catch (retryError) {
        await this.reopen(producer, kind, settingsDeviceId(old));
        throw retryError;
      }
    }
    if (producer.closed) {
      // Turned off while the device was opening.
      track.stop();
      return false;
    }
    let published = track;
    try {
      published = await this.publishable(kind, track);
      await producer.replaceTrack({ track: published });
    } catch (error) {
      track.stop();
      if (producer.closed) return false;
      throw error;
    }
    if (old !== track) old?.stop();
    this.host.localTrackReplaced(source, published);
    return true;
  }

  // With a video effect on, the device switch changes the effect's input, not what is sent.
  private rawCamera(kind: DeviceKind): MediaStreamTrack | null {
    return kind === 'video' ? (this.host.cameraEffect?.rawCameraTrack() ?? null) : null;
  }

  private publishable(kind: DeviceKind, track: MediaStreamTrack): Promise<MediaStreamTrack> {
    return kind === 'video' && this.host.cameraEffect ? this.host.cameraEffect.followCamera(track) : Promise.resolve(track);
  }

  /** Best effort to get the previous camera back after a failed switch that had to stop it. */
  private async reopen(producer: SwitchableProducer, kind: DeviceKind, deviceId: string | undefined): Promise<void> {
    try {
      const track = await this.publishable(kind, await this.open(kind, deviceId));
      await producer.replaceTrack({ track });
      this.host.localTrackReplaced(sourceOf(kind), track);
    } catch {
      // The camera stays dark; the person can pick another one or turn it off and on.
    }
  }

  // --- devices going away ----------------------------------------------------------------------
  private trackEnded(source: MediaSource): Promise<boolean> {
    if (source !== 'mic' && source !== 'camera') return Promise.resolve(false);
    return this.enqueue(() => this.fallBack(source === 'mic' ? 'audio' : 'video'));
  }

  /** The device in use is gone: the default one takes over, and the person is told. */
  private async fallBack(kind: DeviceKind): Promise<boolean> {
    const device = strings.prejoin.deviceNames[kind];
    try {
      const replaced = await this.replace(kind, undefined);
      if (replaced) {
        this.set(kind === 'audio' ? { audioDeviceId: this.inUse('audio') } : { videoDeviceId: this.inUse('video') });
        this.host.showNotice(strings.roomMedia.switchedToDefault(device));
      }
      return replaced;
    } catch {
      this.host.showNotice(strings.prejoin.failure.disconnected(device));
      return false;
    }
  }

  private async deviceChange(): Promise<void> {
    const devices = await this.refreshDevices();
    await this.enqueue(async () => {
      for (const kind of ['audio', 'video'] as const) {
        const list = kind === 'audio' ? devices.audioInputs : devices.videoInputs;
        const inUse = this.inUse(kind);
        // Ids are hidden until access is granted: then the list cannot tell what is gone.
        if (!inUse || list.some((d) => !d.deviceId) || list.some((d) => d.deviceId === inUse)) continue;
        await this.fallBack(kind);
      }
      const speaker = this.state.speakerDeviceId;
      const outputs = devices.audioOutputs;
      if (speaker && outputs.length > 0 && outputs.every((d) => d.deviceId && d.deviceId !== speaker)) {
        this.set({ speakerDeviceId: undefined });
        this.host.showNotice(strings.roomMedia.speakerGone);
      }
    });
  }
}
