// Hand-written stand-ins for the capture APIs jsdom lacks (getUserMedia, enumerateDevices,
// MediaStream, AudioContext, the Permissions API), so that tests can say which device works, which
// one fails and why, and then check that every track that was opened was also stopped.

import { vi } from 'vitest';

let nextTrackId = 1;

export class FakeTrack extends EventTarget {
  readonly id = `track-${nextTrackId++}`;
  enabled = true;
  readyState: MediaStreamTrackState = 'live';

  constructor(
    readonly kind: 'audio' | 'video',
    readonly deviceId: string,
    readonly label = `${kind} ${deviceId}`,
  ) {
    super();
  }

  stop(): void {
    this.readyState = 'ended';
  }

  getSettings(): MediaTrackSettings {
    return { deviceId: this.deviceId };
  }

  /** What a browser does when the device is unplugged. */
  unplug(): void {
    this.readyState = 'ended';
    this.dispatchEvent(new Event('ended'));
  }

  get stopped(): boolean {
    return this.readyState === 'ended';
  }
}

export class FakeMediaStream {
  readonly id = `stream-${nextTrackId++}`;
  private readonly tracks: MediaStreamTrack[];

  constructor(tracks: MediaStreamTrack[] = []) {
    this.tracks = [...tracks];
  }

  getTracks(): MediaStreamTrack[] {
    return [...this.tracks];
  }

  getAudioTracks(): MediaStreamTrack[] {
    return this.tracks.filter((t) => t.kind === 'audio');
  }

  getVideoTracks(): MediaStreamTrack[] {
    return this.tracks.filter((t) => t.kind === 'video');
  }

  addTrack(track: MediaStreamTrack): void {
    this.tracks.push(track);
  }

  removeTrack(track: MediaStreamTrack): void {
    const i = this.tracks.indexOf(track);
    if (i >= 0) this.tracks.splice(i, 1);
  }
}

/** A DOMException-like error carrying only the name getUserMedia rejects with. */
export function mediaError(name: string): Error {
  const error = new Error(`${name} (fake)`);
  error.name = name;
  return error;
}

export interface FakeDevice {
  kind: MediaDeviceKind;
  deviceId: string;
  label?: string;
}

export interface FakeMediaOptions {
  devices?: FakeDevice[];
  /** Error name per kind; a kind without one opens fine (if a device of that kind exists). */
  fail?: Partial<Record<'audio' | 'video', string>>;
  /** Permissions API answers; absent means the API is missing. */
  permissions?: Partial<Record<'camera' | 'microphone', PermissionState>>;
  /** Labels are hidden until a getUserMedia call succeeds, as browsers do. */
  labelsBeforePermission?: boolean;
}

export const defaultDevices: FakeDevice[] = [
  { kind: 'audioinput', deviceId: 'mic-1', label: 'Built-in Microphone' },
  { kind: 'audioinput', deviceId: 'mic-2', label: 'USB Headset' },
  { kind: 'videoinput', deviceId: 'cam-1', label: 'FaceTime HD Camera' },
  { kind: 'videoinput', deviceId: 'cam-2', label: 'USB Camera' },
  { kind: 'audiooutput', deviceId: 'spk-1', label: 'Speakers' },
];

function requestedDevice(constraint: boolean | MediaTrackConstraints | undefined): string | undefined | false {
  if (!constraint) return false;
  if (constraint === true) return undefined;
  const id = constraint.deviceId;
  if (typeof id === 'string') return id;
  if (id && typeof id === 'object' && !Array.isArray(id)) {
    const exact = (id as ConstrainDOMStringParameters).exact;
    return typeof exact === 'string' ? exact : undefined;
  }
  return undefined;
}

export interface FakeMedia {
  /** Every getUserMedia call's constraints, in order. */
  calls: MediaStreamConstraints[];
  /** Every track handed out. */
  tracks: FakeTrack[];
  liveTracks: () => FakeTrack[];
  options: FakeMediaOptions;
  getUserMedia: ReturnType<typeof vi.fn>;
  /** Changes the device list and fires devicechange. */
  setDevices: (devices: FakeDevice[]) => void;
  /** Calls wait for release() while `hold` is on: lets a test act while a prompt is open. */
  hold: boolean;
  /** Answers the waiting calls, in order or (`newestFirst`) the latest first. */
  release: (order?: 'oldestFirst' | 'newestFirst') => Promise<void>;
  mediaDevices: EventTarget & Partial<MediaDevices>;
}

/** Installs a fake navigator.mediaDevices, navigator.permissions and MediaStream. Undo with uninstallFakeMedia(). */
export function installFakeMedia(options: FakeMediaOptions = {}): FakeMedia {
  const state: FakeMedia = {
    calls: [],
    tracks: [],
    liveTracks: () => state.tracks.filter((t) => !t.stopped),
    options: { devices: defaultDevices, ...options },
    getUserMedia: vi.fn(),
    setDevices: (devices) => {
      state.options.devices = devices;
      target.dispatchEvent(new Event('devicechange'));
    },
    hold: false,
    release: async () => undefined,
    mediaDevices: new EventTarget(),
  };
  let granted = false;
  const waiting: Array<() => void> = [];
  state.release = async (order = 'oldestFirst') => {
    const calls = waiting.splice(0);
    if (order === 'newestFirst') calls.reverse();
    // One at a time, so that each answer is handled before the next one arrives.
    for (const go of calls) {
      go();
      await new Promise((settled) => setTimeout(settled, 0));
    }
  };

  const target = state.mediaDevices;
  const open = (kind: 'audio' | 'video', constraint: boolean | MediaTrackConstraints | undefined): FakeTrack | Error | null => {
    const wanted = requestedDevice(constraint);
    if (wanted === false) return null;
    const failure = state.options.fail?.[kind];
    if (failure) return mediaError(failure);
    const devices = (state.options.devices ?? []).filter((d) => d.kind === (kind === 'audio' ? 'audioinput' : 'videoinput'));
    if (devices.length === 0) return mediaError('NotFoundError');
    const device = wanted === undefined ? devices[0] : devices.find((d) => d.deviceId === wanted);
    if (!device) return mediaError('OverconstrainedError');
    return new FakeTrack(kind, device.deviceId, device.label);
  };

  state.getUserMedia = vi.fn(async (constraints: MediaStreamConstraints) => {
    state.calls.push(constraints);
    if (state.hold) await new Promise<void>((go) => waiting.push(go));
    const results = [open('audio', constraints.audio), open('video', constraints.video)];
    const error = results.find((r): r is Error => r instanceof Error);
    if (error) throw error;
    const tracks = results.filter((r): r is FakeTrack => r instanceof FakeTrack);
    if (tracks.length === 0) throw new TypeError('At least one of audio and video must be requested');
    state.tracks.push(...tracks);
    granted = true;
    return new FakeMediaStream(tracks as unknown as MediaStreamTrack[]) as unknown as MediaStream;
  });

  Object.assign(target, {
    getUserMedia: state.getUserMedia,
    enumerateDevices: vi.fn(async () =>
      (state.options.devices ?? []).map((d) => ({
        kind: d.kind,
        deviceId: d.deviceId,
        groupId: '',
        label: granted || state.options.labelsBeforePermission ? (d.label ?? '') : '',
        toJSON: () => d,
      })),
    ),
  });
  Object.defineProperty(navigator, 'mediaDevices', { configurable: true, value: target });
  const permissions = options.permissions;
  Object.defineProperty(navigator, 'permissions', {
    configurable: true,
    value: permissions
      ? { query: vi.fn(async ({ name }: { name: string }) => ({ state: permissions[name as 'camera' | 'microphone'] ?? 'prompt' })) }
      : undefined,
  });
  vi.stubGlobal('MediaStream', FakeMediaStream);
  return state;
}

export function uninstallFakeMedia(): void {
  // Deleting the own properties uncovers jsdom's originals (none for mediaDevices).
  Reflect.deleteProperty(navigator, 'mediaDevices');
  Reflect.deleteProperty(navigator, 'permissions');
  vi.unstubAllGlobals();
}

export class FakeAnalyser {
  fftSize = 2048;
  /** The waveform every read returns: one value repeated, or a function of the sample index. */
  signal: (i: number) => number = () => 0;
  disconnect = vi.fn();

  getFloatTimeDomainData(out: Float32Array): void {
    for (let i = 0; i < out.length; i++) out[i] = this.signal(i);
  }
}

export class FakeAudioContext {
  static instances: FakeAudioContext[] = [];
  state: AudioContextState = 'running';
  readonly analyser = new FakeAnalyser();
  readonly source = { connect: vi.fn(), disconnect: vi.fn() };
  sourceStream: MediaStream | null = null;
  resume = vi.fn(async () => {
    this.state = 'running';
  });
  close = vi.fn(async () => {
    this.state = 'closed';
  });

  constructor() {
    FakeAudioContext.instances.push(this);
  }

  createMediaStreamSource(stream: MediaStream) {
    this.sourceStream = stream;
    return this.source;
  }

  createAnalyser() {
    return this.analyser;
  }
}

/** Installs FakeAudioContext as window.AudioContext; undone by uninstallFakeMedia(). */
export function installFakeAudio(): typeof FakeAudioContext {
  FakeAudioContext.instances = [];
  vi.stubGlobal('AudioContext', FakeAudioContext);
  return FakeAudioContext;
}
