import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { strings } from '../i18n/strings';
import { FakeAudioContext, installFakeAudio, installFakeMedia, mediaError, uninstallFakeMedia, type FakeTrack } from '../test/fakeMedia';
import {
  classifyMediaError,
  createLevelMeter,
  DEVICE_PREFERENCES_KEY,
  levelFromRms,
  listDevices,
  loadDevicePreferences,
  openPreviewStream,
  rememberDevicePreferences,
  rms,
  stopStream,
  supportsSpeakerSelection,
  watchDevices,
} from './devices';

afterEach(() => {
  uninstallFakeMedia();
  vi.useRealTimers();
  localStorage.clear();
});

describe('classifyMediaError', () => {
  it.each([
    ['NotAllowedError', 'denied'],
    ['PermissionDeniedError', 'denied'],
    ['SecurityError', 'denied'],
    ['NotFoundError', 'not-found'],
    ['DevicesNotFoundError', 'not-found'],
    ['NotReadableError', 'in-use'],
    ['TrackStartError', 'in-use'],
    ['AbortError', 'in-use'],
    ['OverconstrainedError', 'overconstrained'],
    ['ConstraintNotSatisfiedError', 'overconstrained'],
    ['TypeError', 'unknown'],
    ['SomethingNew', 'unknown'],
  ])('%s is %s', (name, kind) => {
    expect(classifyMediaError(mediaError(name), 'video').kind).toBe(kind);
  });

  it('sorts values that are not errors as unknown', () => {
    expect(classifyMediaError('boom', 'audio').kind).toBe('unknown');
    expect(classifyMediaError(null, 'audio').kind).toBe('unknown');
  });

  it('names the device and says what to do', () => {
    expect(classifyMediaError(mediaError('NotAllowedError'), 'video').message).toBe(strings.prejoin.failure.denied('camera'));
    expect(classifyMediaError(mediaError('NotFoundError'), 'audio').message).toBe(
      'No microphone was found. You can still join without a microphone.',
    );
    expect(classifyMediaError(mediaError('NotReadableError'), 'both').message).toContain('camera and microphone');
  });
});

describe('openPreviewStream', () => {
  const tracksOf = (stream: MediaStream | null) => (stream?.getTracks() ?? []) as unknown as FakeTrack[];

  it('opens both devices with one prompt', async () => {
    const media = installFakeMedia();
    const result = await openPreviewStream({ audio: true, video: true });
    expect(media.getUserMedia).toHaveBeenCalledTimes(1);
    expect(tracksOf(result.stream).map((t) => t.kind)).toEqual(['audio', 'video']);
    expect(result.audioError).toBeNull();
    expect(result.videoError).toBeNull();
  });

  it('asks for the chosen devices exactly', async () => {
    const media = installFakeMedia();
    const result = await openPreviewStream({ audio: true, video: true, audioDeviceId: 'mic-2', videoDeviceId: 'cam-2' });
    expect(media.calls[0]).toMatchObject({ audio: { deviceId: { exact: 'mic-2' } }, video: { deviceId: { exact: 'cam-2' } } });
    expect(tracksOf(result.stream).map((t) => t.deviceId)).toEqual(['mic-2', 'cam-2']);
  });

  it('keeps the microphone when the camera is in use', async () => {
    installFakeMedia({ fail: { video: 'NotReadableError' } });
    const result = await openPreviewStream({ audio: true, video: true });
    expect(tracksOf(result.stream).map((t) => t.kind)).toEqual(['audio']);
    expect(result.audioError).toBeNull();
    expect(result.videoError?.kind).toBe('in-use');
  });

  it('keeps the microphone when only the camera is blocked, without asking again for what was refused', async () => {
    const media = installFakeMedia({ fail: { video: 'NotAllowedError' }, permissions: { microphone: 'granted', camera: 'denied' } });
    const result = await openPreviewStream({ audio: true, video: true });
    expect(tracksOf(result.stream).map((t) => t.kind)).toEqual(['audio']);
    expect(result.videoError?.kind).toBe('denied');
    expect(result.audioError).toBeNull();
    // One call for both, one for the microphone alone; the camera was not asked for again.
    expect(media.calls).toHaveLength(2);
    expect(media.calls[1]).toEqual({ audio: true });
  });

  it('keeps the camera when there is no microphone', async () => {
    installFakeMedia({ devices: [{ kind: 'videoinput', deviceId: 'cam-1' }] });
    const result = await openPreviewStream({ audio: true, video: true });
    expect(tracksOf(result.stream).map((t) => t.kind)).toEqual(['video']);
    expect(result.audioError?.kind).toBe('not-found');
    expect(result.audioError?.message).toContain('You can still join without a microphone');
  });

  it('reports both as denied, with no second prompt, when the Permissions API cannot tell', async () => {
    const media = installFakeMedia({ fail: { audio: 'NotAllowedError', video: 'NotAllowedError' } });
    const result = await openPreviewStream({ audio: true, video: true });
    expect(result.stream).toBeNull();
    expect(result.audioError?.kind).toBe('denied');
    expect(result.videoError?.kind).toBe('denied');
    expect(media.calls).toHaveLength(1);
  });

  it('reports no device when there is none', async () => {
    installFakeMedia({ devices: [] });
    const result = await openPreviewStream({ audio: true, video: true });
    expect(result.stream).toBeNull();
    expect(result.audioError?.kind).toBe('not-found');
    expect(result.videoError?.kind).toBe('not-found');
  });

  it('falls back to the default device when the remembered one is gone', async () => {
    const media = installFakeMedia();
    const result = await openPreviewStream({ audio: false, video: true, videoDeviceId: 'unplugged' });
    expect(tracksOf(result.stream).map((t) => t.deviceId)).toEqual(['cam-1']);
    expect(result.videoError).toBeNull();
    expect(media.calls.at(-1)).toEqual({ video: expect.not.objectContaining({ deviceId: expect.anything() }) });
  });

  it('asks for one device alone', async () => {
    const media = installFakeMedia();
    const result = await openPreviewStream({ audio: true, video: false });
    expect(media.calls).toEqual([{ audio: true }]);
    expect(tracksOf(result.stream).map((t) => t.kind)).toEqual(['audio']);
  });

  it('asks for nothing when nothing is wanted', async () => {
    const media = installFakeMedia();
    expect(await openPreviewStream({ audio: false, video: false })).toEqual({ stream: null, audioError: null, videoError: null });
    expect(media.getUserMedia).not.toHaveBeenCalled();
  });

  it('explains that capture needs https when mediaDevices is missing on an insecure page', async () => {
    vi.stubGlobal('isSecureContext', false);
    const result = await openPreviewStream({ audio: true, video: true });
    expect(result.stream).toBeNull();
    expect(result.audioError).toEqual({ kind: 'insecure', message: strings.prejoin.failure.insecure });
    expect(result.videoError?.kind).toBe('insecure');
  });

  it('says the browser cannot capture when mediaDevices is missing on a secure page', async () => {
    vi.stubGlobal('isSecureContext', true);
    const result = await openPreviewStream({ audio: true, video: false });
    expect(result.audioError).toEqual({ kind: 'unknown', message: strings.prejoin.failure.unsupported });
    expect(result.videoError).toBeNull();
  });

  it('stopStream stops every track', async () => {
    const media = installFakeMedia();
    const { stream } = await openPreviewStream({ audio: true, video: true });
    stopStream(stream);
    expect(media.liveTracks()).toEqual([]);
  });
});

describe('listDevices', () => {
  it('sorts devices by kind, with labels once access was granted', async () => {
    installFakeMedia();
    const before = await listDevices();
    expect(before.videoInputs.map((d) => d.label)).toEqual(['', '']);
    await openPreviewStream({ audio: true, video: false });
    const after = await listDevices();
    expect(after.audioInputs.map((d) => d.label)).toEqual(['Built-in Microphone', 'USB Headset']);
    expect(after.videoInputs.map((d) => d.deviceId)).toEqual(['cam-1', 'cam-2']);
    expect(after.audioOutputs.map((d) => d.deviceId)).toEqual(['spk-1']);
  });

  it('is empty without mediaDevices', async () => {
    expect(await listDevices()).toEqual({ audioInputs: [], videoInputs: [], audioOutputs: [] });
  });

  it('watchDevices reports plugging until stopped', () => {
    const media = installFakeMedia();
    const onChange = vi.fn();
    const stop = watchDevices(onChange);
    media.setDevices([]);
    stop();
    media.setDevices([]);
    expect(onChange).toHaveBeenCalledTimes(1);
  });
});

describe('level meter', () => {
  beforeEach(() => {
    installFakeMedia();
    installFakeAudio();
  });

  it('computes RMS', () => {
    expect(rms(new Float32Array([]))).toBe(0);
    expect(rms(new Float32Array([0.5, -0.5, 0.5, -0.5]))).toBeCloseTo(0.5);
    const sine = new Float32Array(1000).map((_, i) => Math.sin((2 * Math.PI * i) / 100));
    expect(rms(sine)).toBeCloseTo(Math.SQRT1_2, 3);
  });

  it('maps RMS to 0..1 on a decibel scale', () => {
    expect(levelFromRms(0)).toBe(0);
    expect(levelFromRms(0.0001)).toBe(0);
    expect(levelFromRms(1)).toBe(1);
    expect(levelFromRms(2)).toBe(1);
    expect(levelFromRms(0.001)).toBeCloseTo(0);
    expect(levelFromRms(0.5)).toBeCloseTo(1 - 6.0206 / 60, 3);
  });

  it('reports the level about 20 times a second and closes its AudioContext when stopped', async () => {
    vi.useFakeTimers();
    const { stream } = await openPreviewStream({ audio: true, video: false });
    const track = stream!.getAudioTracks()[0]!;
    const levels: number[] = [];
    const stop = createLevelMeter(track, (level) => levels.push(level));
    const context = FakeAudioContext.instances[0]!;
    expect(context.sourceStream?.getTracks()).toEqual([track]);
    expect(context.source.connect).toHaveBeenCalledWith(context.analyser);

    context.analyser.signal = (i) => (i % 2 ? -0.5 : 0.5);
    vi.advanceTimersByTime(1000);
    expect(levels).toHaveLength(20);
    expect(levels[0]).toBeCloseTo(levelFromRms(0.5), 5);

    // Silence: the bar falls over a few reports rather than at once.
    context.analyser.signal = () => 0;
    vi.advanceTimersByTime(50);
    expect(levels.at(-1)).toBeGreaterThan(0);
    vi.advanceTimersByTime(1000);
    expect(levels.at(-1)).toBe(0);

    stop();
    expect(context.close).toHaveBeenCalledTimes(1);
    expect(context.source.disconnect).toHaveBeenCalled();
    const count = levels.length;
    vi.advanceTimersByTime(1000);
    expect(levels).toHaveLength(count);
    stop();
    expect(context.close).toHaveBeenCalledTimes(1);
    // The meter only listens: the track belongs to whoever opened it.
    expect((track as unknown as FakeTrack).stopped).toBe(false);
  });

  it('resumes a context the autoplay policy suspended', async () => {
    const { stream } = await openPreviewStream({ audio: true, video: false });
    class Suspended extends FakeAudioContext {
      override state: AudioContextState = 'suspended';
    }
    vi.stubGlobal('AudioContext', Suspended);
    const stop = createLevelMeter(stream!.getAudioTracks()[0]!, () => undefined);
    expect(FakeAudioContext.instances.at(-1)!.resume).toHaveBeenCalled();
    stop();
  });
});

describe('supportsSpeakerSelection', () => {
  it('follows HTMLMediaElement.setSinkId', () => {
    const proto = HTMLMediaElement.prototype as unknown as Record<string, unknown>;
    const had = 'setSinkId' in proto;
    expect(supportsSpeakerSelection()).toBe(had);
    proto.setSinkId = () => Promise.resolve();
    try {
      expect(supportsSpeakerSelection()).toBe(true);
    } finally {
      if (!had) delete proto.setSinkId;
    }
  });
});

describe('device preferences', () => {
  it('round-trips through localStorage', () => {
    expect(loadDevicePreferences()).toEqual({ startAudioMuted: false, startVideoMuted: false });
    rememberDevicePreferences({ videoDeviceId: 'cam-2', audioDeviceId: 'mic-2', displayName: 'Ana' });
    rememberDevicePreferences({ speakerDeviceId: 'spk-1', startAudioMuted: true });
    expect(loadDevicePreferences()).toEqual({
      videoDeviceId: 'cam-2',
      audioDeviceId: 'mic-2',
      speakerDeviceId: 'spk-1',
      displayName: 'Ana',
      startAudioMuted: true,
      startVideoMuted: false,
    });
  });

  it('forgets a choice set to undefined', () => {
    rememberDevicePreferences({ videoDeviceId: 'cam-2' });
    rememberDevicePreferences({ videoDeviceId: undefined });
    expect(loadDevicePreferences().videoDeviceId).toBeUndefined();
  });

  it('ignores malformed or mistyped saved data', () => {
    localStorage.setItem(DEVICE_PREFERENCES_KEY, '{not json');
    expect(loadDevicePreferences()).toEqual({ startAudioMuted: false, startVideoMuted: false });
    localStorage.setItem(DEVICE_PREFERENCES_KEY, JSON.stringify({ videoDeviceId: 7, startVideoMuted: 'yes', displayName: 'Bo' }));
    expect(loadDevicePreferences()).toEqual({ startAudioMuted: false, startVideoMuted: false, displayName: 'Bo' });
  });

  it('does not throw when storage refuses to save', () => {
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw mediaError('QuotaExceededError');
    });
    expect(() => rememberDevicePreferences({ displayName: 'Ana' })).not.toThrow();
  });
});
