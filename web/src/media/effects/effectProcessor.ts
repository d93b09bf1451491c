// The chosen effect applied to one camera track at a time, for the pre-join preview and for the
// meeting (cameraEffects.ts). It keeps one pipeline while an effect is on, so that switching from
// one effect to another only changes what the pipeline draws (same output track: nothing to
// renegotiate, nothing for the receiver to notice but the picture). A pipeline that is no longer
// needed is not stopped at once but "retired" until commit(): the caller first puts the new track
// in place (replaceTrack, srcObject), so that no one ever sends or shows an ended track.

import { strings } from '../../i18n/strings';
import { BackgroundCache } from './backgrounds';
import { EFFECT_OFF, type Background, type EffectId } from './effects';
import { loadEffectPreference, rememberEffectPreference } from './effectPreference';
import { EffectsPipeline, type PipelineOptions } from './pipeline';

export type EffectStatus = 'off' | 'starting' | 'on' | 'unavailable';

export interface EffectsState {
  /** The effect chosen (remembered on this device). */
  effect: EffectId;
  status: EffectStatus;
  /** A sentence for the person: quality lowered, effect could not start, image missing. */
  message: string | null;
}

/** The part of EffectsPipeline used here (fakes in tests). */
export interface RunningPipeline {
  readonly output: MediaStreamTrack;
  setBackground(background: Background): void;
  setInput(track: MediaStreamTrack): void;
  stop(): void;
}

export interface EffectProcessorDeps {
  startPipeline: (input: MediaStreamTrack, background: Background, options: PipelineOptions) => Promise<RunningPipeline>;
  resolveBackground: (effect: EffectId) => Promise<Background | null>;
  forgetCustomBackground: () => void;
  loadPreference: () => EffectId;
  rememberPreference: (effect: EffectId) => void;
}

export function browserProcessorDeps(): EffectProcessorDeps {
  const cache = new BackgroundCache();
  return {
    startPipeline: (input, background, options) => EffectsPipeline.start(input, background, options),
    resolveBackground: (effect) => cache.resolve(effect),
    forgetCustomBackground: () => cache.forgetCustom(),
    loadPreference: loadEffectPreference,
    rememberPreference: rememberEffectPreference,
  };
}

export class EffectProcessor {
  private state: EffectsState;
  private readonly listeners = new Set<() => void>();
  private queue: Promise<unknown> = Promise.resolve();
  private pipeline: RunningPipeline | null = null;
  private retired: RunningPipeline[] = [];
  private input: MediaStreamTrack | null = null;
  private toldLowered = false;

  constructor(
    private readonly deps: EffectProcessorDeps = browserProcessorDeps(),
    /** Told when quality was lowered or the effect failed while running (the meeting shows a notice). */
    private readonly onProblem: (message: string) => void = () => undefined,
  ) {
    this.state = { effect: deps.loadPreference(), status: 'off', message: null };
  }

  getState = (): EffectsState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(change: Partial<EffectsState>): void {
    this.state = { ...this.state, ...change };
    for (const listener of this.listeners) listener();
  }

  /** The camera track being processed while an effect runs, else null. */
  get rawTrack(): MediaStreamTrack | null {
    return this.pipeline ? this.input : null;
  }

  /** The processed track while an effect runs, else null. */
  get outputTrack(): MediaStreamTrack | null {
    return this.pipeline?.output ?? null;
  }

  /** Processes `raw` with the chosen effect; resolves with the track to show or send (raw when off or failed). */
  process(raw: MediaStreamTrack): Promise<MediaStreamTrack> {
    return this.enqueue(async () => {
      this.input = raw;
      if (this.pipeline) {
        this.pipeline.setInput(raw);
        return this.pipeline.output;
      }
      return (await this.apply(this.state.effect)) ?? raw;
    });
  }

  /**
   * Chooses `effect` and remembers it. Resolves with the track to show or send from now on, or
   * null when there is no camera track yet (the effect then applies on the next process()).
   */
  choose(effect: EffectId): Promise<MediaStreamTrack | null> {
    return this.enqueue(async () => {
      this.deps.rememberPreference(effect);
      this.set({ effect, message: null });
      if (!this.input) return null;
      return (await this.apply(effect)) ?? this.input;
    });
  }

  /** A new custom image was saved: it is read again when used. */
  customImageChanged(): void {
    this.deps.forgetCustomBackground();
  }

  /** Stops pipelines that no track in use comes from any more (call after switching tracks). */
  commit(): void {
    for (const pipeline of this.retired) pipeline.stop();
    this.retired = [];
  }

  /** Lets go of the camera track and frees everything (the track itself is the caller's). */
  release(): Promise<void> {
    return this.enqueue(async () => {
      this.retire();
      this.commit();
      this.input = null;
      this.set({ status: 'off' });
    });
  }

  /** Puts `effect` on the current input; resolves with the output, or null when it is off or failed. */
  private async apply(effect: EffectId): Promise<MediaStreamTrack | null> {
    const input = this.input;
    if (!input || effect === EFFECT_OFF) {
      this.retire();
      this.set({ status: 'off' });
      return null;
    }
    const background = await this.deps.resolveBackground(effect).catch(() => null);
    if (!background) {
      this.retire();
      this.set({ status: 'unavailable', message: strings.effects.imageMissing });
      return null;
    }
    if (this.pipeline) {
      this.pipeline.setBackground(background);
      this.set({ status: 'on' });
      return this.pipeline.output;
    }
    this.set({ status: 'starting' });
    try {
      this.pipeline = await this.deps.startPipeline(input, background, {
        onQualityChange: (change) => {
          if (change.direction !== 'down' || this.toldLowered) return;
          this.toldLowered = true;
          this.set({ message: strings.effects.qualityLowered });
          this.onProblem(strings.effects.qualityLowered);
        },
        onFailure: () => void this.failedWhileRunning(),
      });
    } catch {
      this.set({ status: 'unavailable', message: strings.effects.couldNotStart });
      return null;
    }
    this.set({ status: 'on' });
    return this.pipeline.output;
  }

  private async failedWhileRunning(): Promise<void> {
    this.set({ message: strings.effects.stopped });
    this.onProblem(strings.effects.stopped);
  }

  private retire(): void {
    if (this.pipeline) this.retired.push(this.pipeline);
    this.pipeline = null;
  }

  private enqueue<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.queue.then(operation, operation);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
