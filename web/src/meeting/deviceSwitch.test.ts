import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEVICE_PREFERENCES_KEY, loadDevicePreferences, rememberDevicePreferences } from '../media/devices';
import type { MediaSource } from '../signal/protocol';
import { FakeTrack, defaultDevices, installFakeMedia, mediaError, uninstallFakeMedia, type FakeMedia } from '../test/fakeMedia';
import { DeviceSwitcher, type LocalMediaHost } from './deviceSwitch';

/** A mediasoup-client Producer as far as replaceTrack goes: keeps its id, mirrors the pause on the track. */
class FakeProducer {
  closed = false;
  readonly id = `producer-${Math.random()}`;
  replaceTrack = vi.fn(async ({ track }: { track: MediaStreamTrack }) => {
    if (this.closed) throw mediaError('InvalidStateError');
    if (track.readyState === 'ended') throw mediaError('InvalidStateError');
    this.track = track;
    track.enabled = !this.paused;
  });

  constructor(
    public track: MediaStreamTrack | null,
    public paused = false,
  ) {}
}

function fakeHost(producers: Partial<Record<MediaSource, FakeProducer>>) {
  const host = {
    notices: [] as string[],
    preferred: {} as Record<string, string | undefined>,
    replaced: [] as [string, MediaStreamTrack][],
    localTrackEndedHandler: null as LocalMediaHost['localTrackEndedHandler'],
    localProducer: (source: MediaSource) => producers[source] ?? null,
    localTrackReplaced: (source: string, track: MediaStreamTrack) => void host.replaced.push([source, track]),
    preferDevice: (kind: string, deviceId: string | undefined) => void (host.preferred[kind] = deviceId),
    showNotice: (text: string) => void host.notices.push(text),
  };
  return host;
}

const asTrack = (t: FakeTrack) => t as unknown as MediaStreamTrack;
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
};

let media: FakeMedia;
let getUserMedia: (constraints: MediaStreamConstraints) => Promise<MediaStream>;

beforeEach(() => {
  localStorage.removeItem(DEVICE_PREFERENCES_KEY);
  media = installFakeMedia();
  getUserMedia = media.getUserMedia as unknown as typeof getUserMedia;
});

afterEach(() => uninstallFakeMedia());

function setup(producers: Partial<Record<MediaSource, FakeProducer>>, deps = {}) {
  const host = fakeHost(producers);
  const switcher = new DeviceSwitcher(host, undefined, { getUserMedia, speakerSupported: () => true, ...deps });
  switcher.start();
  return { host, switcher };
}

describe('DeviceSwitcher', () => {
  it('puts the new microphone into the same producer, stops the old one and remembers it', async () => {
    const oldMic = new FakeTrack('audio', 'mic-1');
    const producer = new FakeProducer(asTrack(oldMic), true); // muted: stays muted after the switch
    const { host, switcher } = setup({ mic: producer });
    await settle();
    expect(switcher.getState().audioDeviceId).toBe('mic-1');
    expect(switcher.getState().devices.audioInputs.map((d) => d.deviceId)).toEqual(['mic-1', 'mic-2']);

    await switcher.switchInput('audio', 'mic-2');
    expect(producer.replaceTrack).toHaveBeenCalledTimes(1);
    const next = producer.track as unknown as FakeTrack;
    expect(next.deviceId).toBe('mic-2');
    expect(next.enabled).toBe(false);
    expect(oldMic.stopped).toBe(true);
    expect(media.calls.at(-1)).toEqual({ audio: { deviceId: { exact: 'mic-2' } } });
    expect(host.replaced).toEqual([['mic', producer.track]]);
    expect(loadDevicePreferences().audioDeviceId).toBe('mic-2');
    expect(switcher.getState()).toMatchObject({ audioDeviceId: 'mic-2', busy: null, error: null });
  });

  it('switches the camera with its size constraints, and does nothing for the one in use', async () => {
    const producer = new FakeProducer(asTrack(new FakeTrack('video', 'cam-1')));
    const { switcher } = setup({ camera: producer });
    await switcher.switchInput('video', 'cam-1');
    expect(media.getUserMedia).not.toHaveBeenCalled();
    await switcher.switchInput('video', 'cam-2');
    expect(media.calls[0].video).toMatchObject({ deviceId: { exact: 'cam-2' }, width: { ideal: 1280 } });
    expect((producer.track as unknown as FakeTrack).deviceId).toBe('cam-2');
    expect(media.liveTracks().map((t) => t.deviceId)).toEqual(['cam-2']);
  });

  it('only remembers the choice while the camera is off', async () => {
    const { host, switcher } = setup({});
    await switcher.switchInput('video', 'cam-2');
    expect(media.getUserMedia).not.toHaveBeenCalled();
    expect(host.preferred.video).toBe('cam-2');
    expect(loadDevicePreferences().videoDeviceId).toBe('cam-2');
    expect(switcher.getState().videoDeviceId).toBe('cam-2');
  });

  it('keeps the old microphone and says why when the new one does not open', async () => {
    const oldMic = new FakeTrack('audio', 'mic-1');
    const producer = new FakeProducer(asTrack(oldMic));
    media.options.fail = { audio: 'NotReadableError' };
    const { switcher } = setup({ mic: producer });
    await switcher.switchInput('audio', 'mic-2');
    expect(producer.replaceTrack).not.toHaveBeenCalled();
    expect(oldMic.stopped).toBe(false);
    expect(switcher.getState().error).toMatch(/in use by another app/);
    expect(loadDevicePreferences().audioDeviceId).toBeUndefined();
  });

  it('lets go of the old camera first where two cannot run at once (phones)', async () => {
    const oldCamera = new FakeTrack('video', 'cam-1');
    const producer = new FakeProducer(asTrack(oldCamera));
    // A phone: opening a camera while another one runs fails as "in use".
    const phone = vi.fn(async (constraints: MediaStreamConstraints) => {
      if (!oldCamera.stopped) throw mediaError('NotReadableError');
      return getUserMedia(constraints);
    });
    const { switcher } = setup({ camera: producer }, { getUserMedia: phone });
    await switcher.switchInput('video', 'cam-2');
    expect(phone).toHaveBeenCalledTimes(2);
    expect(oldCamera.stopped).toBe(true);
    expect((producer.track as unknown as FakeTrack).deviceId).toBe('cam-2');
    expect(switcher.getState().error).toBeNull();
  });

  it('stops the new track when the camera is turned off during the switch', async () => {
    const producer = new FakeProducer(asTrack(new FakeTrack('video', 'cam-1')));
    const { host, switcher } = setup({ camera: producer });
    media.hold = true;
    const switching = switcher.switchInput('video', 'cam-2');
    await settle();
    expect(switcher.getState().busy).toBe('video');
    producer.closed = true;
    await media.release();
    await switching;
    expect(media.liveTracks()).toEqual([]);
    expect(host.replaced).toEqual([]);
    expect(switcher.getState()).toMatchObject({ busy: null, error: null });
  });

  it('falls back to the default microphone when the one in use is unplugged', async () => {
    const headset = new FakeTrack('audio', 'mic-2');
    const producer = new FakeProducer(asTrack(headset));
    const { host, switcher } = setup({ mic: producer });
    await settle();
    headset.unplug();
    const handled = await host.localTrackEndedHandler!('mic');
    expect(handled).toBe(true);
    expect((producer.track as unknown as FakeTrack).deviceId).toBe('mic-1');
    expect(host.notices).toEqual(['Your microphone was disconnected. Switched to the default microphone.']);
    expect(switcher.getState().audioDeviceId).toBe('mic-1');
    expect(await host.localTrackEndedHandler!('screen')).toBe(false);
  });

  it('lets the source stop when no other device is left', async () => {
    const producer = new FakeProducer(asTrack(new FakeTrack('video', 'cam-1')));
    const { host } = setup({ camera: producer });
    media.options.devices = defaultDevices.filter((d) => d.kind !== 'videoinput');
    expect(await host.localTrackEndedHandler!('camera')).toBe(false);
    expect(host.notices).toEqual(['Your camera was disconnected.']);
  });

  it('follows devicechange: a device in use that disappears is replaced', async () => {
    const camera = new FakeTrack('video', 'cam-2');
    const producer = new FakeProducer(asTrack(camera));
    const { host, switcher } = setup({ camera: producer });
    await settle();
    media.setDevices(defaultDevices.filter((d) => d.deviceId !== 'cam-2'));
    await settle();
    expect((producer.track as unknown as FakeTrack).deviceId).toBe('cam-1');
    expect(camera.stopped).toBe(true);
    expect(switcher.getState().devices.videoInputs.map((d) => d.deviceId)).toEqual(['cam-1']);
    expect(host.notices).toHaveLength(1);
    // Plugging something in changes nothing that is in use.
    media.setDevices(defaultDevices);
    await settle();
    expect(producer.replaceTrack).toHaveBeenCalledTimes(1);
  });

  it('sets and remembers the speaker, and forgets one that is unplugged', async () => {
    rememberDevicePreferences({ speakerDeviceId: 'spk-1' });
    const { host, switcher } = setup({});
    expect(switcher.getState().speakerDeviceId).toBe('spk-1');
    media.setDevices([...defaultDevices, { kind: 'audiooutput', deviceId: 'spk-2', label: 'Headphones' }]);
    switcher.setSpeaker('spk-2');
    expect(loadDevicePreferences().speakerDeviceId).toBe('spk-2');
    media.setDevices(defaultDevices);
    await settle();
    expect(switcher.getState().speakerDeviceId).toBeUndefined();
    expect(host.notices).toEqual(['Your speaker was disconnected. Sound now plays on the default speaker.']);
  });

  it('stop() lets go of devicechange and of the track-ended hook', async () => {
    const producer = new FakeProducer(asTrack(new FakeTrack('video', 'cam-2')));
    const { host, switcher } = setup({ camera: producer });
    await settle();
    switcher.stop();
    expect(host.localTrackEndedHandler).toBeNull();
    media.setDevices(defaultDevices.filter((d) => d.deviceId !== 'cam-2'));
    await settle();
    expect(producer.replaceTrack).not.toHaveBeenCalled();
  });
});
