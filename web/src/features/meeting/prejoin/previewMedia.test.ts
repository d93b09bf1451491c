import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installFakeMedia, uninstallFakeMedia, type FakeMedia } from '../../../test/fakeMedia';
import { isLive, isOn, PreviewMedia } from './previewMedia';

let media: FakeMedia;

beforeEach(() => {
  media = installFakeMedia();
});

afterEach(() => uninstallFakeMedia());

const liveKinds = () => media.liveTracks().map((t) => `${t.kind}:${t.deviceId}`);

async function started(options = { audioEnabled: true, videoEnabled: true }) {
  const preview = new PreviewMedia(options);
  await preview.start();
  return preview;
}

describe('PreviewMedia', () => {
  it('opens both devices and lists them with labels', async () => {
    const preview = await started();
    const state = preview.getSnapshot();
    expect(isLive(state.audio) && isLive(state.video)).toBe(true);
    expect(state.starting).toBe(false);
    expect(state.stream?.getTracks()).toEqual([state.audio.track, state.video.track]);
    expect(state.devices.videoInputs.map((d) => d.label)).toEqual(['FaceTime HD Camera', 'USB Camera']);
    preview.dispose();
    expect(liveKinds()).toEqual([]);
  });

  it('notifies subscribers with a new snapshot on every change', async () => {
    const preview = new PreviewMedia({ audioEnabled: true, videoEnabled: false });
    const snapshots: unknown[] = [];
    preview.subscribe(() => snapshots.push(preview.getSnapshot()));
    await preview.start();
    expect(new Set(snapshots).size).toBe(snapshots.length);
    expect(snapshots.length).toBeGreaterThan(1);
    preview.dispose();
  });

  it('keeps only the answer to the latest switch when answers overlap', async () => {
    const preview = await started();
    media.hold = true;
    const toSecond = preview.selectDevice('video', 'cam-2');
    const backToFirst = preview.selectDevice('video', 'cam-1');
    expect(isOn(preview.getSnapshot().video)).toBe(true);
    await media.release('newestFirst');
    await Promise.all([toSecond, backToFirst]);
    expect(liveKinds()).toEqual(['audio:mic-1', 'video:cam-1']);
    expect(preview.getSnapshot().video.deviceId).toBe('cam-1');
    preview.dispose();
  });

  it('leaves a handed-over stream running, and stops it again once reclaimed', async () => {
    const preview = await started();
    const stream = preview.handOver();
    expect(stream).toBe(preview.getSnapshot().stream);
    preview.reclaim();
    preview.dispose();
    expect(liveKinds()).toEqual([]);

    const other = await started();
    other.handOver();
    other.dispose();
    expect(liveKinds()).toEqual(['audio:mic-1', 'video:cam-1']);
  });

  it('drops a request still waiting when the stream is handed over', async () => {
    const preview = await started({ audioEnabled: true, videoEnabled: false });
    media.hold = true;
    const opening = preview.setVideoEnabled(true);
    const stream = preview.handOver();
    await media.release();
    await opening;
    expect(stream?.getTracks().map((t) => t.kind)).toEqual(['audio']);
    expect(liveKinds()).toEqual(['audio:mic-1']);
    expect(preview.getSnapshot().video.pending).toBe(false);
  });

  it('turning the camera off while it opens closes it on arrival', async () => {
    const preview = await started({ audioEnabled: true, videoEnabled: false });
    media.hold = true;
    const opening = preview.setVideoEnabled(true);
    await preview.setVideoEnabled(false);
    await media.release();
    await opening;
    expect(liveKinds()).toEqual(['audio:mic-1']);
    expect(isOn(preview.getSnapshot().video)).toBe(false);
    preview.dispose();
  });

  it('a muted microphone stays open and keeps its mute across a switch', async () => {
    const preview = await started({ audioEnabled: false, videoEnabled: false });
    expect(preview.getSnapshot().audio.track?.enabled).toBe(false);
    await preview.selectDevice('audio', 'mic-2');
    expect(preview.getSnapshot().audio.track?.enabled).toBe(false);
    expect(liveKinds()).toEqual(['audio:mic-2']);
    await preview.setAudioEnabled(true);
    expect(preview.getSnapshot().audio.track?.enabled).toBe(true);
    preview.dispose();
  });

  it('remembers a camera chosen while it is off, and opens that one when turned on', async () => {
    const preview = await started({ audioEnabled: true, videoEnabled: false });
    await preview.selectDevice('video', 'cam-2');
    expect(liveKinds()).toEqual(['audio:mic-1']);
    await preview.setVideoEnabled(true);
    expect(liveKinds()).toEqual(['audio:mic-1', 'video:cam-2']);
    preview.dispose();
  });
});
