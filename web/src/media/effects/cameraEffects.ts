// Video effects in a meeting: the camera producer sends the effect's output, made from the raw
// camera track, and every change goes through RTCRtpSender.replaceTrack (producer.replaceTrack):
// no renegotiation, the producer id and everyone's consumer stay. Plain TypeScript over a small
// host interface that MeetingClient fills, like deviceSwitch.ts; it also is the CameraEffectHook
// through which the client (when it turns the camera on) and the device switcher (when it opens
// another camera) hand over a new raw track.

import type { MediaSource } from '../../signal/protocol';
import type { EffectId } from './effects';
import { EffectProcessor, type EffectProcessorDeps } from './effectProcessor';

/** The part of a mediasoup-client Producer used here. */
export interface EffectProducer {
  readonly track: MediaStreamTrack | null;
  readonly closed: boolean;
  replaceTrack(options: { track: MediaStreamTrack }): Promise<void>;
}

/** How a new raw camera track reaches the effect (MeetingClient.produce, DeviceSwitcher.replace). */
export interface CameraEffectHook {
  /** The raw camera track behind the producer's processed one, or null when no effect runs. */
  rawCameraTrack(): MediaStreamTrack | null;
  /** Takes `raw` as the camera; resolves with the track to publish (raw itself when no effect). */
  followCamera(raw: MediaStreamTrack): Promise<MediaStreamTrack>;
  /** The camera producer closed: the effect stops, and the raw track too when `stopRaw`. */
  cameraClosed(stopRaw: boolean): void;
}

export interface CameraEffectsHost {
  localProducer(source: MediaSource): EffectProducer | null;
  /** The self view shows `track` from now on. */
  localTrackReplaced(source: 'camera', track: MediaStreamTrack): void;
  showNotice(text: string): void;
  /** The device switcher's handler for a camera that went away (it opens the default one). */
  localTrackEndedHandler: ((source: MediaSource) => Promise<boolean>) | null;
  setCameraEnabled(enabled: boolean): Promise<void>;
  cameraEffect: CameraEffectHook | null;
}

export class CameraEffects implements CameraEffectHook {
  readonly processor: EffectProcessor;
  private watched: MediaStreamTrack | null = null;
  private readonly onRawEnded = () => void this.rawEnded();

  constructor(
    private readonly host: CameraEffectsHost,
    deps?: EffectProcessorDeps,
  ) {
    this.processor = new EffectProcessor(deps, (message) => host.showNotice(message));
    host.cameraEffect = this;
  }

  rawCameraTrack(): MediaStreamTrack | null {
    return this.processor.rawTrack;
  }

  async followCamera(raw: MediaStreamTrack): Promise<MediaStreamTrack> {
    const published = await this.processor.process(raw);
    this.watch(published === raw ? null : raw);
    this.processor.commit();
    return published;
  }

  cameraClosed(stopRaw: boolean): void {
    const raw = this.processor.rawTrack;
    this.watch(null);
    void this.processor.release();
    if (stopRaw) raw?.stop();
  }

  /** The person picked an effect (pre-join or in the room): applied to the camera if it is on. */
  async choose(effect: EffectId): Promise<void> {
    const producer = this.host.localProducer('camera');
    const live = producer && !producer.closed ? producer : null;
    // The camera the effect works on: the raw one behind a running effect, else what is sent.
    if (live?.track && !this.processor.rawTrack && live.track.readyState !== 'ended') await this.processor.process(live.track);
    const track = await this.processor.choose(effect);
    if (live && track && !live.closed && live.track !== track) {
      await live.replaceTrack({ track });
      this.host.localTrackReplaced('camera', track);
    }
    this.watch(this.processor.rawTrack);
    // Only now that the producer sends the new track does the old pipeline stop.
    this.processor.commit();
  }

  /** The device switcher's "camera unplugged" path, which the processed track cannot trigger. */
  private async rawEnded(): Promise<void> {
    this.watch(null);
    const handler = this.host.localTrackEndedHandler;
    const handled = handler ? await handler('camera').catch(() => false) : false;
    if (!handled) await this.host.setCameraEnabled(false).catch(() => undefined);
  }

  private watch(raw: MediaStreamTrack | null): void {
    if (this.watched === raw) return;
    this.watched?.removeEventListener('ended', this.onRawEnded);
    this.watched = raw;
    raw?.addEventListener('ended', this.onRawEnded);
  }
}
