import { describe, expect, it, vi } from 'vitest';
import { keepPlaying, type PlayableElement, type VisibilityTarget } from './backgroundAudio';

class FakeAudio extends EventTarget implements PlayableElement {
  paused = false;
  srcObject: MediaProvider | null = {} as MediaProvider;
  refuse = false;
  play = vi.fn(async () => {
    if (this.refuse) throw Object.assign(new Error('not allowed'), { name: 'NotAllowedError' });
    this.paused = false;
  });
  /** What the platform does when the screen locks (iOS) or the tab is frozen. */
  platformPause(): void {
    this.paused = true;
    this.dispatchEvent(new Event('pause'));
  }
}

class FakeDocument extends EventTarget implements VisibilityTarget {
  visibilityState: DocumentVisibilityState = 'visible';
  set(state: DocumentVisibilityState): void {
    this.visibilityState = state;
    this.dispatchEvent(new Event('visibilitychange'));
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('keepPlaying', () => {
  it('starts the audio again when the platform pauses it', async () => {
    const audio = new FakeAudio();
    const doc = new FakeDocument();
    keepPlaying(audio, doc);
    doc.set('hidden');
    audio.platformPause();
    await settle();
    expect(audio.play).toHaveBeenCalledTimes(1);
    expect(audio.paused).toBe(false);
  });

  it('tries again when the page is visible, if playing was refused in the background', async () => {
    const audio = new FakeAudio();
    const doc = new FakeDocument();
    keepPlaying(audio, doc);
    doc.set('hidden');
    audio.refuse = true;
    audio.platformPause();
    await settle();
    expect(audio.paused).toBe(true);
    audio.refuse = false;
    doc.set('visible');
    await settle();
    expect(audio.play).toHaveBeenCalledTimes(2);
    expect(audio.paused).toBe(false);
  });

  it('never pauses anything itself on hiding, and stops watching when told', async () => {
    const audio = new FakeAudio();
    const doc = new FakeDocument();
    const stop = keepPlaying(audio, doc);
    doc.set('hidden');
    expect(audio.paused).toBe(false);
    stop();
    audio.platformPause();
    doc.set('visible');
    await settle();
    expect(audio.play).not.toHaveBeenCalled();
  });

  it('answers a pause once per hidden period and leaves a pause while visible alone', async () => {
    const audio = new FakeAudio();
    const doc = new FakeDocument();
    keepPlaying(audio, doc);
    audio.platformPause(); // visible: the browser's controls or an ended stream, not the lock
    await settle();
    expect(audio.play).not.toHaveBeenCalled();
    doc.set('hidden');
    audio.platformPause();
    await settle();
    audio.platformPause(); // the platform insists: no fight
    await settle();
    expect(audio.play).toHaveBeenCalledTimes(1);
    expect(audio.paused).toBe(true);
    doc.set('visible');
    await settle();
    expect(audio.play).toHaveBeenCalledTimes(2);
    expect(audio.paused).toBe(false);
  });

  it('leaves an element without a stream alone', async () => {
    const audio = new FakeAudio();
    const doc = new FakeDocument();
    keepPlaying(audio, doc);
    audio.srcObject = null;
    audio.platformPause();
    await settle();
    expect(audio.play).not.toHaveBeenCalled();
  });
});
