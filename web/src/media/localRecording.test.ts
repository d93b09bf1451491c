import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeMediaStream, FakeTrack } from '../test/fakeMedia';
import { FakeMediaRecorder, FakeMixContext, fakeCanvas, fakeContext } from '../test/fakeRecording';
import {
  AudioMixer,
  LocalRecorder,
  chooseMimeType,
  drawFrame,
  extensionFor,
  fitRect,
  gridRects,
  layoutTiles,
  recordingFileName,
  type RecordedTile,
  type RecorderEnv,
  type Rect,
} from './localRecording';

function fakeEnv(overrides: Partial<RecorderEnv> = {}) {
  const canvases: ReturnType<typeof fakeCanvas>[] = [];
  const contexts: FakeMixContext[] = [];
  const saved: { blob: Blob; fileName: string }[] = [];
  const env: RecorderEnv = {
    MediaRecorder: FakeMediaRecorder as unknown as RecorderEnv['MediaRecorder'],
    createCanvas: () => {
      const canvas = fakeCanvas();
      canvases.push(canvas);
      return canvas as unknown as HTMLCanvasElement;
    },
    createAudioContext: () => {
      const context = new FakeMixContext();
      contexts.push(context);
      return context as unknown as AudioContext;
    },
    save: (blob, fileName) => void saved.push({ blob, fileName }),
    now: () => new Date(2026, 2, 5, 9, 7).getTime(),
    ...overrides,
  };
  return { env, canvases, contexts, saved };
}

function video(width: number, height: number, readyState = 4) {
  return { videoWidth: width, videoHeight: height, readyState } as unknown as HTMLVideoElement;
}

const tile = (name: string, extra: Partial<RecordedTile> = {}): RecordedTile => ({
  name,
  label: name,
  video: null,
  mirrored: false,
  screen: false,
  speaking: false,
  ...extra,
});

const inside = (r: Rect, area: Rect) =>
  r.x >= area.x - 1e-9 && r.y >= area.y - 1e-9 && r.x + r.w <= area.x + area.w + 1e-9 && r.y + r.h <= area.y + area.h + 1e-9;
const overlap = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

beforeEach(() => {
  vi.stubGlobal('MediaStream', FakeMediaStream);
  FakeMediaRecorder.instances = [];
  FakeMediaRecorder.supported = ['video/webm;codecs=vp8,opus', 'video/webm'];
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('layout', () => {
  const area = { x: 0, y: 0, w: 1280, h: 720 };

  it('gives one tile the whole 16:9 area and two tiles side by side', () => {
    expect(gridRects(1, area, 8)).toEqual([{ x: 0, y: 0, w: 1280, h: 720 }]);
    const two = gridRects(2, area, 8);
    expect(two[0].y).toBe(two[1].y);
    expect(two[0].w).toBe(636);
    expect(two[1].x).toBe(644);
  });

  it.each([3, 4, 5, 7, 9, 12])('places %d tiles inside the area without overlap, the last row centred', (n) => {
    const rects = gridRects(n, area, 8);
    expect(rects).toHaveLength(n);
    for (const r of rects) expect(inside(r, area)).toBe(true);
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(overlap(rects[i], rects[j])).toBe(false);
    const last = rects[n - 1];
    const lastRow = rects.filter((r) => r.y === last.y);
    const middle = (lastRow[0].x + last.x + last.w) / 2;
    expect(middle).toBeCloseTo(640);
  });

  it('puts a shared screen on top and people in a strip below', () => {
    const rects = layoutTiles([tile('A'), { screen: true }, tile('B')], 1280, 720);
    const [a, screen, b] = rects;
    expect(screen.w * screen.h).toBeGreaterThan(5 * a.w * a.h);
    expect(a.y).toBeGreaterThan(screen.y + screen.h);
    expect(a.y).toBe(b.y);
    expect(layoutTiles([], 1280, 720)).toEqual([]);
  });

  it('fits pictures by cover or contain', () => {
    const rect = { x: 0, y: 0, w: 160, h: 90 };
    expect(fitRect(640, 480, rect, 'cover')).toEqual({ x: 0, y: -15, w: 160, h: 120 });
    expect(fitRect(640, 480, rect, 'contain')).toEqual({ x: 20, y: 0, w: 120, h: 90 });
  });
});

describe('file type and name', () => {
  it('prefers VP8 and Opus in WebM, falls back to what the browser has', () => {
    expect(chooseMimeType((t) => t !== 'nothing')).toBe('video/webm;codecs=vp8,opus');
    expect(chooseMimeType((t) => t === 'video/webm')).toBe('video/webm');
    expect(chooseMimeType((t) => t.startsWith('video/mp4'))).toBe('video/mp4;codecs=avc1,mp4a');
    expect(chooseMimeType(() => false)).toBe('');
    expect(extensionFor('video/mp4;codecs=avc1')).toBe('mp4');
    expect(extensionFor('video/webm;codecs=vp8,opus')).toBe('webm');
    expect(extensionFor('')).toBe('webm');
  });

  it('names the file after the meeting and the local time', () => {
    const date = new Date(2026, 2, 5, 9, 7);
    expect(recordingFileName('abc-defg-hij', date)).toBe('flux-meet-abc-defg-hij-2026-03-05-0907.webm');
    expect(recordingFileName('A/B:C', date, 'mp4')).toBe('flux-meet-a-b-c-2026-03-05-0907.mp4');
  });
});

describe('drawFrame', () => {
  it('draws pictures that have a frame, initials for the others, and every name', () => {
    const ctx = fakeContext();
    const camera = video(640, 480);
    drawFrame(
      ctx,
      [
        tile('Me', { label: 'Me (you)', video: camera, mirrored: true, speaking: true }),
        tile('Ann Lee'),
        tile('Bob', { video: video(640, 480, 0) }), // no frame yet: initials
      ],
      1280,
      720,
    );
    expect(ctx.named('fillRect')[0].args).toEqual([0, 0, 1280, 720]);
    expect(ctx.named('drawImage')).toHaveLength(1);
    expect(ctx.named('drawImage')[0].args[0]).toBe(camera);
    expect(ctx.named('scale')[0].args).toEqual([-1, 1]);
    expect(ctx.named('strokeRect')).toHaveLength(1);
    const texts = ctx.named('fillText').map((c) => c.args[0]);
    expect(texts).toEqual(['Me (you)', 'AL', 'Ann Lee', 'B', 'Bob']);
  });
});

describe('AudioMixer', () => {
  it('connects new tracks, disconnects gone or ended ones, and closes the context', () => {
    const context = new FakeMixContext();
    const mixer = new AudioMixer(context as unknown as AudioContext);
    expect(mixer.track).toBe(context.output);
    const a = new FakeTrack('audio', 'a') as unknown as MediaStreamTrack;
    const b = new FakeTrack('audio', 'b');
    const v = new FakeTrack('video', 'v') as unknown as MediaStreamTrack;
    mixer.setTracks([a, b as unknown as MediaStreamTrack, v]);
    expect(mixer.size).toBe(2);
    mixer.setTracks([a, b as unknown as MediaStreamTrack]);
    expect(context.sources).toHaveLength(2);
    b.stop();
    mixer.setTracks([a, b as unknown as MediaStreamTrack]);
    expect(mixer.size).toBe(1);
    expect(context.sources[1].disconnect).toHaveBeenCalled();
    mixer.close();
    expect(context.sources[0].disconnect).toHaveBeenCalled();
    expect(context.close).toHaveBeenCalled();
    expect(context.output.stopped).toBe(true);
  });
});

describe('LocalRecorder', () => {
  function setup(envOverrides: Partial<RecorderEnv> = {}) {
    const fake = fakeEnv(envOverrides);
    const audio = [new FakeTrack('audio', 'remote') as unknown as MediaStreamTrack];
    const tiles = [tile('Me', { video: video(1280, 720) }), tile('Ann')];
    const onSaved = vi.fn();
    const recorder = new LocalRecorder(
      { tiles: () => tiles, audioTracks: () => audio },
      { fileName: (ext, startedAt) => recordingFileName('abc-defg-hij', startedAt, ext), fps: 20, onSaved },
      fake.env,
    );
    return { ...fake, recorder, audio, tiles, onSaved };
  }

  it('records the composed canvas and the mixed audio, then saves a .webm and releases everything', async () => {
    vi.useFakeTimers();
    const { recorder, canvases, contexts, saved, audio, onSaved } = setup();
    expect(recorder.supported).toBe(true);
    expect(recorder.start()).toBe(true);
    expect(recorder.getState()).toMatchObject({ status: 'recording', startedAt: new Date(2026, 2, 5, 9, 7).getTime(), error: null });

    const canvas = canvases.at(-1)!;
    expect([canvas.width, canvas.height]).toEqual([1280, 720]);
    expect(canvas.captureStream).toHaveBeenCalledWith(20);
    const media = FakeMediaRecorder.instances[0];
    expect(media.options.mimeType).toBe('video/webm;codecs=vp8,opus');
    expect(media.timeslice).toBe(1000);
    expect(media.stream.getTracks()).toEqual([canvas.track, contexts[0].output]);
    expect(contexts[0].sources.map((s) => s.stream?.getTracks()[0])).toEqual(audio);

    const drawn = () => canvas.ctx.named('drawImage').length;
    const before = drawn();
    vi.advanceTimersByTime(1000);
    expect(drawn() - before).toBe(20);

    // Someone joins: their voice joins the mix.
    audio.push(new FakeTrack('audio', 'late') as unknown as MediaStreamTrack);
    recorder.refreshAudio();
    expect(contexts[0].sources).toHaveLength(2);

    media.emit('first');
    const stopping = recorder.stop();
    expect(recorder.getState().status).toBe('saving');
    expect(recorder.stop()).toBe(stopping);
    await vi.runAllTimersAsync();
    await stopping;

    expect(saved).toHaveLength(1);
    expect(saved[0].fileName).toBe('flux-meet-abc-defg-hij-2026-03-05-0907.webm');
    expect(saved[0].blob.type).toBe('video/webm');
    expect(onSaved).toHaveBeenCalledWith(saved[0].fileName);
    expect(saved[0].blob.size).toBe('firstlast'.length);
    expect(recorder.getState()).toMatchObject({ status: 'idle', startedAt: null, savedFile: saved[0].fileName });
    expect(canvas.track.stopped).toBe(true);
    expect(contexts[0].close).toHaveBeenCalled();
    expect(canvas.width).toBe(0);
    const drawsAfterStop = drawn();
    vi.advanceTimersByTime(5000);
    expect(drawn()).toBe(drawsAfterStop);
  });

  it('records MP4 where WebM is not available (Safari)', async () => {
    FakeMediaRecorder.supported = ['video/mp4'];
    const { recorder, saved } = setup();
    recorder.start();
    expect(FakeMediaRecorder.instances[0].options.mimeType).toBe('video/mp4');
    await recorder.stop();
    expect(saved[0].fileName.endsWith('.mp4')).toBe(true);
  });

  it('still records the picture without WebAudio', async () => {
    const { recorder, saved } = setup({ createAudioContext: () => null });
    expect(recorder.start()).toBe(true);
    expect(FakeMediaRecorder.instances[0].stream.getTracks()).toHaveLength(1);
    await recorder.stop();
    expect(saved).toHaveLength(1);
  });

  it('says so where the browser cannot record', () => {
    const { recorder } = setup({ MediaRecorder: null });
    expect(recorder.supported).toBe(false);
    expect(recorder.start()).toBe(false);
    expect(recorder.getState()).toMatchObject({ status: 'idle', error: 'unsupported' });
  });

  it('releases what it made when MediaRecorder refuses to start', () => {
    vi.useFakeTimers();
    const { recorder, canvases, contexts } = setup();
    vi.spyOn(FakeMediaRecorder.prototype, 'start').mockImplementation(() => {
      throw new Error('NotSupportedError');
    });
    expect(recorder.start()).toBe(false);
    expect(recorder.getState()).toMatchObject({ status: 'idle', error: 'NotSupportedError' });
    expect(canvases.at(-1)!.track.stopped).toBe(true);
    expect(contexts[0].close).toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('saves nothing when nothing was recorded, and stop() while idle does nothing', async () => {
    const { recorder, saved } = setup();
    await recorder.stop();
    recorder.start();
    FakeMediaRecorder.instances[0].stop = function () {
      this.state = 'inactive';
      setTimeout(() => this.onstop?.(), 0);
    };
    await recorder.stop();
    expect(saved).toEqual([]);
    expect(recorder.getState().savedFile).toBeNull();
  });
});
