import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEVICE_PREFERENCES_KEY, loadDevicePreferences } from '../media/devices';
import type { MediaSource } from '../signal/protocol';
import { FakeMediaStream, FakeTrack, installFakeMedia, mediaError, uninstallFakeMedia, type FakeMedia } from '../test/fakeMedia';
import { DeviceSwitcher, type LocalMediaHost } from './deviceSwitch';

/** A phone's camera: says which way it faces, as Chrome and Safari on phones do. */
class FacingTrack extends FakeTrack {
  constructor(
    deviceId: string,
    readonly facing: VideoFacingModeEnum,
  ) {
    super('video', deviceId);
  }

  override getSettings(): MediaTrackSettings {
    return { deviceId: this.deviceId, facingMode: this.facing };
  }

  getCapabilities(): MediaTrackCapabilities {
    return { deviceId: this.deviceId, facingMode: [this.facing] };
  }
}

const PHONE_CAMERAS = { user: 'front-cam', environment: 'back-cam' } as const;

class FakeProducer {
  closed = false;
  replaceTrack = vi.fn(async ({ track }: { track: MediaStreamTrack }) => {
    if (track.readyState === 'ended') throw mediaError('InvalidStateError');
    this.track = track;
  });
  constructor(public track: MediaStreamTrack | null) {}
}

function fakeHost(camera: FakeProducer | null) {
  const host = {
    preferred: {} as Record<string, string | undefined>,
    replaced: [] as [string, MediaStreamTrack][],
    notices: [] as string[],
    localTrackEndedHandler: null as LocalMediaHost['localTrackEndedHandler'],
    localProducer: (source: MediaSource) => (source === 'camera' ? camera : null),
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
beforeEach(() => {
  localStorage.removeItem(DEVICE_PREFERENCES_KEY);
  media = installFakeMedia({
    devices: [
      { kind: 'videoinput', deviceId: 'front-cam', label: 'Front camera' },
      { kind: 'videoinput', deviceId: 'back-cam', label: 'Back camera' },
    ],
  });
});
afterEach(() => uninstallFakeMedia());

/** getUserMedia of a phone: opens the camera facing the asked way; `busyWhileOpen` makes it refuse
 * a second camera while the first one runs (many phones cannot run both). */
function phoneGetUserMedia(opened: FacingTrack[], busyWhileOpen = false) {
  return vi.fn(async (constraints: MediaStreamConstraints) => {
    const video = constraints.video as MediaTrackConstraints;
    const exact = (video.facingMode as ConstrainDOMStringParameters | undefined)?.exact as VideoFacingModeEnum | undefined;
    if (!exact) throw mediaError('OverconstrainedError');
    if (busyWhileOpen && opened.some((t) => !t.stopped)) throw mediaError('NotReadableError');
    const track = new FacingTrack(PHONE_CAMERAS[exact as 'user' | 'environment'], exact);
    opened.push(track);
    return new FakeMediaStream([asTrack(track)]) as unknown as MediaStream;
  });
}

describe('DeviceSwitcher.flipCamera', () => {
  it('turns a phone camera round by facingMode with replaceTrack, and back again', async () => {
    const front = new FacingTrack('front-cam', 'user');
    const opened = [front];
    const getUserMedia = phoneGetUserMedia(opened);
    const producer = new FakeProducer(asTrack(front));
    const host = fakeHost(producer);
    const switcher = new DeviceSwitcher(host, undefined, { getUserMedia, speakerSupported: () => false });
    switcher.start();
    await settle();
    expect(switcher.canFlipCamera()).toBe(true);

    await switcher.flipCamera();
    expect(getUserMedia.mock.calls[0][0].video).toMatchObject({ facingMode: { exact: 'environment' }, width: { ideal: 1280 } });
    expect(producer.replaceTrack).toHaveBeenCalledTimes(1);
    expect((producer.track as unknown as FacingTrack).facing).toBe('environment');
    expect(front.stopped).toBe(true);
    expect(host.replaced).toEqual([['camera', producer.track]]);
    expect(host.preferred.video).toBe('back-cam');
    expect(loadDevicePreferences().videoDeviceId).toBe('back-cam');
    expect(switcher.getState()).toMatchObject({ videoDeviceId: 'back-cam', busy: null, error: null });

    await switcher.flipCamera();
    expect(getUserMedia.mock.calls[1][0].video).toMatchObject({ facingMode: { exact: 'user' } });
    expect((producer.track as unknown as FacingTrack).facing).toBe('user');
    expect(opened.filter((t) => !t.stopped)).toEqual([producer.track]);
  });

  it('lets go of the front camera first on a phone that cannot run both', async () => {
    const front = new FacingTrack('front-cam', 'user');
    const getUserMedia = phoneGetUserMedia([front], true);
    const producer = new FakeProducer(asTrack(front));
    const switcher = new DeviceSwitcher(fakeHost(producer), undefined, { getUserMedia, speakerSupported: () => false });
    await switcher.flipCamera();
    expect(getUserMedia).toHaveBeenCalledTimes(2);
    expect(front.stopped).toBe(true);
    expect((producer.track as unknown as FacingTrack).facing).toBe('environment');
    expect(switcher.getState().error).toBeNull();
  });

  it('goes to the next camera of the list where cameras do not say which way they face', async () => {
    media.options.devices = [
      { kind: 'videoinput', deviceId: 'cam-1', label: 'Built-in' },
      { kind: 'videoinput', deviceId: 'cam-2', label: 'USB' },
    ];
    const producer = new FakeProducer(asTrack(new FakeTrack('video', 'cam-1')));
    const switcher = new DeviceSwitcher(fakeHost(producer), undefined, {
      getUserMedia: media.getUserMedia as unknown as (c: MediaStreamConstraints) => Promise<MediaStream>,
      speakerSupported: () => false,
    });
    switcher.start();
    await settle();
    await switcher.flipCamera();
    expect(media.calls[0].video).toMatchObject({ deviceId: { exact: 'cam-2' } });
    expect((producer.track as unknown as FakeTrack).deviceId).toBe('cam-2');
    await switcher.flipCamera();
    expect((producer.track as unknown as FakeTrack).deviceId).toBe('cam-1');
  });

  it('is not offered with one camera that faces one way, and keeps the camera when the flip fails', async () => {
    media.options.devices = [{ kind: 'videoinput', deviceId: 'front-cam', label: 'Front camera' }];
    const front = new FacingTrack('front-cam', 'user');
    const getUserMedia = vi.fn(async () => Promise.reject(mediaError('OverconstrainedError')));
    const producer = new FakeProducer(asTrack(front));
    const switcher = new DeviceSwitcher(fakeHost(producer), undefined, { getUserMedia, speakerSupported: () => false });
    switcher.start();
    await settle();
    expect(switcher.canFlipCamera()).toBe(false);
    await switcher.flipCamera();
    expect(producer.replaceTrack).not.toHaveBeenCalled();
    expect(front.stopped).toBe(false);
    expect(switcher.getState().error).toEqual(expect.any(String));
    expect(switcher.getState().busy).toBeNull();
  });
});
