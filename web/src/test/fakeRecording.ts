// Stand-ins for what a local recording uses and jsdom lacks: a 2D canvas context that records its
// calls, a canvas with captureStream(), a WebAudio context that mixes MediaStreams, MediaRecorder.

import { vi } from 'vitest';
import { FakeAnalyser, FakeMediaStream, FakeTrack } from './fakeMedia';

export function fakeContext() {
  const calls: { name: string; args: unknown[] }[] = [];
  const record =
    (name: string, result?: (...args: unknown[]) => unknown) =>
    (...args: unknown[]) => {
      calls.push({ name, args });
      return result?.(...args);
    };
  const ctx = {
    calls,
    fillStyle: '',
    strokeStyle: '',
    lineWidth: 1,
    font: '',
    textAlign: 'left',
    textBaseline: 'alphabetic',
    named: (name: string) => calls.filter((c) => c.name === name),
    ...Object.fromEntries(
      [
        'fillRect',
        'strokeRect',
        'save',
        'restore',
        'beginPath',
        'rect',
        'clip',
        'translate',
        'scale',
        'drawImage',
        'arc',
        'fill',
        'fillText',
      ].map((name) => [name, record(name)]),
    ),
    measureText: record('measureText', (text) => ({ width: String(text).length * 7 })),
  };
  return ctx as typeof ctx & CanvasRenderingContext2D;
}

export function fakeCanvas() {
  const ctx = fakeContext();
  const track = new FakeTrack('video', 'canvas');
  const canvas = {
    width: 300,
    height: 150,
    ctx,
    track,
    getContext: vi.fn(() => ctx),
    captureStream: vi.fn(() => new FakeMediaStream([track as unknown as MediaStreamTrack])),
  };
  return canvas;
}

export class FakeAudioNode {
  connect = vi.fn();
  disconnect = vi.fn();
  constructor(readonly stream: MediaStream | null = null) {}
}

export class FakeMixContext {
  static instances: FakeMixContext[] = [];
  state: AudioContextState = 'running';
  readonly output = new FakeTrack('audio', 'mix');
  readonly sources: FakeAudioNode[] = [];
  close = vi.fn(async () => {
    this.state = 'closed';
  });
  resume = vi.fn(async () => undefined);
  constructor() {
    FakeMixContext.instances.push(this);
  }
  createMediaStreamDestination() {
    return { stream: new FakeMediaStream([this.output as unknown as MediaStreamTrack]) };
  }
  /** For a level meter open at the same time (the device settings dialog). */
  createAnalyser() {
    return new FakeAnalyser();
  }
  createMediaStreamSource(stream: MediaStream) {
    const node = new FakeAudioNode(stream);
    this.sources.push(node);
    return node;
  }
}

export class FakeMediaRecorder {
  static supported = ['video/webm;codecs=vp8,opus', 'video/webm'];
  static instances: FakeMediaRecorder[] = [];
  static isTypeSupported = (type: string) => FakeMediaRecorder.supported.includes(type);
  state: RecordingState = 'inactive';
  ondataavailable: ((event: { data: Blob }) => void) | null = null;
  onstop: (() => void) | null = null;
  onerror: (() => void) | null = null;
  timeslice: number | undefined;
  readonly mimeType: string;

  constructor(
    readonly stream: FakeMediaStream,
    readonly options: MediaRecorderOptions = {},
  ) {
    this.mimeType = options.mimeType ?? '';
    FakeMediaRecorder.instances.push(this);
  }

  start(timeslice?: number) {
    this.state = 'recording';
    this.timeslice = timeslice;
  }

  /** What the browser hands over every timeslice. */
  emit(text: string) {
    this.ondataavailable?.({ data: new Blob([text]) });
  }

  stop() {
    this.state = 'inactive';
    // As browsers do: the last piece of data, then stop, asynchronously.
    setTimeout(() => {
      this.emit('last');
      this.onstop?.();
    }, 0);
  }
}
