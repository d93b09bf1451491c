// The device switcher with a video effect on (issue 8): the producer sends the effect's output,
// so a new camera must become the effect's input, not what is sent.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CameraEffectHook } from '../media/effects/cameraEffects';
import type { MediaSource } from '../signal/protocol';
import { FakeTrack, installFakeMedia, uninstallFakeMedia, type FakeMedia } from '../test/fakeMedia';
import { DeviceSwitcher, type LocalMediaHost, type SwitchableProducer } from './deviceSwitch';

let media: FakeMedia;

beforeEach(() => {
  media = installFakeMedia();
});

afterEach(() => uninstallFakeMedia());

function setup() {
  const raw = new FakeTrack('video', 'cam-1') as unknown as MediaStreamTrack;
  const processed = new FakeTrack('video', 'effect-output') as unknown as MediaStreamTrack;
  let effectInput: MediaStreamTrack | null = raw;
  const effect: CameraEffectHook = {
    rawCameraTrack: () => effectInput,
    followCamera: vi.fn(async (track: MediaStreamTrack) => {
      effectInput = track;
      return processed;
    }),
    cameraClosed: vi.fn(),
  };
  const producer: SwitchableProducer & { track: MediaStreamTrack | null } = {
    track: processed,
    closed: false,
    replaceTrack: vi.fn(async ({ track }: { track: MediaStreamTrack }) => {
      producer.track = track;
    }),
  };
  const replaced: MediaStreamTrack[] = [];
  const host: LocalMediaHost = {
    localProducer: (source: MediaSource) => (source === 'camera' ? producer : null),
    localTrackReplaced: (_source, track) => void replaced.push(track),
    preferDevice: () => undefined,
    showNotice: () => undefined,
    localTrackEndedHandler: null,
    cameraEffect: effect,
  };
  const switcher = new DeviceSwitcher(host, undefined, {
    getUserMedia: media.getUserMedia as unknown as (c: MediaStreamConstraints) => Promise<MediaStream>,
    speakerSupported: () => true,
  });
  return { raw, processed, effect, producer, replaced, switcher };
}

describe('DeviceSwitcher with a video effect on', () => {
  it('sees the raw camera, not the effect output, as the camera in use', () => {
    const { switcher, raw } = setup();
    expect(switcher.localTrack('video')).toBe(raw);
    expect(switcher.getState().videoDeviceId).toBe('cam-1');
  });

  it('gives a new camera to the effect and keeps sending the effect output', async () => {
    const { switcher, raw, processed, effect, producer, replaced } = setup();
    await switcher.switchInput('video', 'cam-2');
    expect(switcher.getState().error).toBeNull();
    const opened = (effect.followCamera as ReturnType<typeof vi.fn>).mock.calls[0]![0] as MediaStreamTrack;
    expect(opened.getSettings().deviceId).toBe('cam-2');
    expect(producer.track).toBe(processed);
    expect(replaced).toEqual([processed]);
    // The old camera is let go of; the effect output goes on.
    expect((raw as unknown as FakeTrack).stopped).toBe(true);
    expect((processed as unknown as FakeTrack).stopped).toBe(false);
    expect(switcher.getState().videoDeviceId).toBe('cam-2');
  });
});
