import { describe, expect, it, vi } from 'vitest';
import { strings } from '../../i18n/strings';
import { CameraEffects, type CameraEffectsHost, type EffectProducer } from './cameraEffects';
import type { EffectProcessorDeps, RunningPipeline } from './effectProcessor';
import type { Background, EffectId } from './effects';
import type { PipelineOptions } from './pipeline';

type FakeTrack = MediaStreamTrack & { stopped: boolean; end(): void };

function fakeTrack(id: string): FakeTrack {
  const target = new EventTarget();
  const track = Object.assign(target, {
    id,
    kind: 'video',
    readyState: 'live' as MediaStreamTrackState,
    stopped: false,
    stop: () => {
      track.stopped = true;
      track.readyState = 'ended';
    },
    end: () => {
      track.readyState = 'ended';
      track.dispatchEvent(new Event('ended'));
    },
  });
  return track as unknown as FakeTrack;
}

function setup(options: { preference?: EffectId; startFails?: boolean; customMissing?: boolean; cameraOn?: boolean } = {}) {
  const log: string[] = [];
  const pipelines: Array<RunningPipeline & { options: PipelineOptions; input: MediaStreamTrack; background: Background }> = [];
  const remembered: EffectId[] = [];
  const deps: EffectProcessorDeps = {
    startPipeline: vi.fn(async (input, background, pipelineOptions) => {
      if (options.startFails) throw new Error('no WebGL');
      const n = pipelines.length + 1;
      const pipeline = {
        input,
        background,
        options: pipelineOptions,
        output: fakeTrack(`processed-${n}`),
        setBackground: vi.fn((b: Background) => {
          pipeline.background = b;
          log.push(`background ${b.kind}`);
        }),
        setInput: vi.fn((track: MediaStreamTrack) => {
          pipeline.input = track;
          log.push(`input ${track.id}`);
        }),
        stop: vi.fn(() => log.push(`stop pipeline ${n}`)),
      };
      pipelines.push(pipeline);
      return pipeline;
    }),
    resolveBackground: async (effect) => {
      if (effect === 'blur-light' || effect === 'blur-strong')
        return { kind: 'blur', strength: effect === 'blur-light' ? 'light' : 'strong' };
      if (effect === 'custom' && options.customMissing) return null;
      return { kind: 'image', image: {} as CanvasImageSource, width: 1280, height: 720 };
    },
    forgetCustomBackground: vi.fn(),
    loadPreference: () => options.preference ?? 'off',
    rememberPreference: (effect) => void remembered.push(effect),
  };
  const raw = fakeTrack('camera-1');
  const producer: EffectProducer & { track: MediaStreamTrack | null; closed: boolean } = {
    track: options.cameraOn === false ? null : raw,
    closed: false,
    replaceTrack: vi.fn(async ({ track }: { track: MediaStreamTrack }) => {
      producer.track = track;
      log.push(`replace ${track.id}`);
    }),
  };
  const host: CameraEffectsHost & { notices: string[] } = {
    notices: [],
    localProducer: (source) => (source === 'camera' && options.cameraOn !== false ? producer : null),
    localTrackReplaced: vi.fn(),
    showNotice: (text) => void host.notices.push(text),
    localTrackEndedHandler: null,
    setCameraEnabled: vi.fn(async () => undefined),
    cameraEffect: null,
  };
  const effects = new CameraEffects(host, deps);
  return { effects, host, producer, raw, deps, pipelines, log, remembered };
}

describe('CameraEffects', () => {
  it('hooks itself into the client, so that the camera goes through it', () => {
    const { effects, host } = setup();
    expect(host.cameraEffect).toBe(effects);
  });

  it('publishes the raw camera while no effect is chosen', async () => {
    const { effects, raw, deps } = setup();
    expect(await effects.followCamera(raw)).toBe(raw);
    expect(deps.startPipeline).not.toHaveBeenCalled();
    expect(effects.rawCameraTrack()).toBeNull();
  });

  it('publishes the processed camera from the first frame when an effect was remembered', async () => {
    const { effects, raw, pipelines } = setup({ preference: 'blur-strong' });
    const published = await effects.followCamera(raw);
    expect(published).toBe(pipelines[0]!.output);
    expect(pipelines[0]!.input).toBe(raw);
    expect(pipelines[0]!.background).toEqual({ kind: 'blur', strength: 'strong' });
    expect(effects.rawCameraTrack()).toBe(raw);
    expect(effects.processor.getState()).toMatchObject({ effect: 'blur-strong', status: 'on' });
  });

  it('turning an effect on replaces the track in the producer (no new producer) and remembers the choice', async () => {
    const { effects, producer, host, pipelines, remembered } = setup();
    await effects.choose('blur-light');
    expect(producer.replaceTrack).toHaveBeenCalledWith({ track: pipelines[0]!.output });
    expect(host.localTrackReplaced).toHaveBeenCalledWith('camera', pipelines[0]!.output);
    expect(remembered).toEqual(['blur-light']);
  });

  it('switching between effects changes only what is drawn: same output, no replaceTrack', async () => {
    const { effects, producer, pipelines, log } = setup({ preference: 'blur-light' });
    producer.track = await effects.followCamera(producer.track!);
    await effects.choose('preset:office');
    await effects.choose('blur-strong');
    expect(pipelines).toHaveLength(1);
    expect(producer.replaceTrack).not.toHaveBeenCalled();
    expect(producer.track).toBe(pipelines[0]!.output);
    expect(log).toEqual(['background image', 'background blur']);
  });

  it('turning the effect off sends the raw camera first, then frees the pipeline, and keeps the camera', async () => {
    const { effects, producer, raw, pipelines, log } = setup({ preference: 'blur-strong' });
    producer.track = await effects.followCamera(raw);
    await effects.choose('off');
    expect(log).toEqual(['replace camera-1', 'stop pipeline 1']);
    expect(producer.track).toBe(raw);
    expect(raw.stopped).toBe(false);
    expect(effects.rawCameraTrack()).toBeNull();
    expect(pipelines[0]!.stop).toHaveBeenCalledTimes(1);
  });

  it('follows a new camera (device switch) behind the same processed track', async () => {
    const { effects, producer, raw, pipelines } = setup({ preference: 'blur-strong' });
    producer.track = await effects.followCamera(raw);
    const next = fakeTrack('camera-2');
    expect(await effects.followCamera(next)).toBe(pipelines[0]!.output);
    expect(pipelines[0]!.setInput).toHaveBeenCalledWith(next);
    expect(effects.rawCameraTrack()).toBe(next);
    expect(pipelines).toHaveLength(1);
  });

  it('frees the pipeline when the camera is turned off, stopping the raw camera only when asked', async () => {
    const first = setup({ preference: 'blur-strong' });
    await first.effects.followCamera(first.raw);
    first.effects.cameraClosed(true);
    await Promise.resolve();
    expect(first.raw.stopped).toBe(true);
    await vi.waitFor(() => expect(first.pipelines[0]!.stop).toHaveBeenCalled());

    const second = setup({ preference: 'blur-strong' });
    await second.effects.followCamera(second.raw);
    second.effects.cameraClosed(false); // a rejoin keeps its tracks
    await vi.waitFor(() => expect(second.pipelines[0]!.stop).toHaveBeenCalled());
    expect(second.raw.stopped).toBe(false);
  });

  it('sends the camera unprocessed and says so when the effect cannot start', async () => {
    const { effects, raw } = setup({ preference: 'blur-strong', startFails: true });
    expect(await effects.followCamera(raw)).toBe(raw);
    expect(effects.processor.getState()).toMatchObject({ status: 'unavailable', message: strings.effects.couldNotStart });
  });

  it('a missing own image leaves the camera as it is, with a message', async () => {
    const { effects, producer, raw } = setup({ customMissing: true });
    await effects.choose('custom');
    expect(producer.track).toBe(raw);
    expect(effects.processor.getState()).toMatchObject({ effect: 'custom', status: 'unavailable', message: strings.effects.imageMissing });
  });

  it('a choice made with the camera off applies when it is turned on', async () => {
    const { effects, raw, pipelines, remembered } = setup({ cameraOn: false });
    await effects.choose('preset:sea');
    expect(pipelines).toHaveLength(0);
    expect(remembered).toEqual(['preset:sea']);
    expect(await effects.followCamera(raw)).toBe(pipelines[0]!.output);
  });

  it('hands an unplugged camera to the device switcher, and turns the camera off when nothing takes over', async () => {
    const { effects, raw, host } = setup({ preference: 'blur-strong' });
    await effects.followCamera(raw);
    const handler = vi.fn(async () => false);
    host.localTrackEndedHandler = handler;
    raw.end();
    await vi.waitFor(() => expect(host.setCameraEnabled).toHaveBeenCalledWith(false));
    expect(handler).toHaveBeenCalledWith('camera');
  });

  it('tells the person once when the device is too slow and the effect gets cheaper', async () => {
    const { effects, raw, host, pipelines } = setup({ preference: 'blur-strong' });
    await effects.followCamera(raw);
    const { onQualityChange } = pipelines[0]!.options;
    onQualityChange?.({ level: 1, direction: 'down' });
    onQualityChange?.({ level: 2, direction: 'down' });
    expect(host.notices).toEqual([strings.effects.qualityLowered]);
    expect(effects.processor.getState().message).toBe(strings.effects.qualityLowered);
  });
});
