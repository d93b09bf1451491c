import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AnyCanvas } from './compositor';
import { InsertableStreamsLoop, selectBackend, type RenderFrame } from './frameLoop';

describe('selectBackend', () => {
  const none = { trackProcessor: false, trackGenerator: false, videoFrame: false, canvasCaptureStream: false };

  it('prefers insertable streams where all three parts exist', () => {
    expect(selectBackend({ ...none, trackProcessor: true, trackGenerator: true, videoFrame: true, canvasCaptureStream: true })).toBe(
      'insertable-streams',
    );
  });

  it('falls back to canvas capture when any part of insertable streams is missing (Firefox, Safari)', () => {
    expect(selectBackend({ ...none, trackProcessor: true, videoFrame: true, canvasCaptureStream: true })).toBe('canvas');
    expect(selectBackend({ ...none, canvasCaptureStream: true })).toBe('canvas');
  });

  it('reports that nothing works when neither exists', () => {
    expect(selectBackend(none)).toBe('none');
  });
});

interface FakeFrame {
  timestamp: number;
  displayWidth: number;
  displayHeight: number;
  closed: boolean;
  close(): void;
}

function fakeFrame(timestamp: number): FakeFrame {
  return {
    timestamp,
    displayWidth: 640,
    displayHeight: 360,
    closed: false,
    close() {
      this.closed = true;
    },
  };
}

/** A camera whose frames the test pushes; the processor reads them in order. */
function fakeCamera(id: string) {
  let controller!: ReadableStreamDefaultController<FakeFrame>;
  const cancelled = vi.fn();
  const readable = new ReadableStream<FakeFrame>({
    start: (c) => {
      controller = c;
    },
    cancel: cancelled,
  });
  const track = { id, stop: vi.fn() } as unknown as MediaStreamTrack;
  return { track, readable, cancelled, push: (frame: FakeFrame) => controller.enqueue(frame) };
}

function fakeGlobals(cameras: Map<MediaStreamTrack, ReadableStream<FakeFrame>>) {
  const written: Array<{ source: unknown; timestamp: number }> = [];
  const writerClosed = vi.fn();
  const generatorStop = vi.fn();
  class Processor {
    readonly readable: ReadableStream<FakeFrame>;
    constructor({ track }: { track: MediaStreamTrack }) {
      this.readable = cameras.get(track)!;
    }
  }
  class Generator {
    readonly writable = new WritableStream<{ source: unknown; timestamp: number }>({
      write: (frame) => void written.push(frame),
      close: writerClosed,
    });
    stop = generatorStop;
  }
  vi.stubGlobal(
    'VideoFrame',
    class {
      constructor(
        readonly source: unknown,
        init: { timestamp: number },
      ) {
        Object.assign(this, { timestamp: init.timestamp });
      }
    },
  );
  return {
    globals: { MediaStreamTrackProcessor: Processor, MediaStreamTrackGenerator: Generator } as never,
    written,
    writerClosed,
    generatorStop,
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('InsertableStreamsLoop', () => {
  afterEach(() => vi.unstubAllGlobals());

  const target = { width: 2, height: 2 } as AnyCanvas;

  it('renders each camera frame, writes the result with its timestamp and closes the camera frame', async () => {
    const camera = fakeCamera('cam-1');
    const { globals, written } = fakeGlobals(new Map([[camera.track, camera.readable]]));
    const render = vi.fn<RenderFrame>(async () => ({ drawn: true, busyMs: 0 }));
    const loop = new InsertableStreamsLoop(camera.track, render, target, globals);
    const frames = [fakeFrame(1000), fakeFrame(2000)];
    for (const frame of frames) camera.push(frame);
    // The loop yields a task between frames: on a loaded machine that can take a while.
    await vi.waitFor(() => expect(frames.every((f) => f.closed)).toBe(true));
    expect(render).toHaveBeenCalledTimes(2);
    expect(render.mock.calls[0]!.slice(1)).toEqual([640, 360, target]);
    expect(written.map((f) => f.timestamp)).toEqual([1000, 2000]);
    expect(frames.every((f) => f.closed)).toBe(true);
    loop.stop();
  });

  it('sends nothing for a frame the renderer drops', async () => {
    const camera = fakeCamera('cam-1');
    const { globals, written } = fakeGlobals(new Map([[camera.track, camera.readable]]));
    const loop = new InsertableStreamsLoop(camera.track, async () => ({ drawn: false, busyMs: 0 }), target, globals);
    const frame = fakeFrame(1);
    camera.push(frame);
    await settle();
    expect(written).toEqual([]);
    expect(frame.closed).toBe(true);
    loop.stop();
  });

  it('switches cameras behind the same output track, letting go of the old one', async () => {
    const first = fakeCamera('cam-1');
    const second = fakeCamera('cam-2');
    const { globals, written } = fakeGlobals(
      new Map([
        [first.track, first.readable],
        [second.track, second.readable],
      ]),
    );
    const loop = new InsertableStreamsLoop(first.track, async () => ({ drawn: true, busyMs: 0 }), target, globals);
    const output = loop.output;
    loop.setInput(second.track);
    expect(first.cancelled).toHaveBeenCalled();
    second.push(fakeFrame(7));
    await vi.waitFor(() => expect(written.map((f) => f.timestamp)).toEqual([7]));
    expect(loop.output).toBe(output);
    // The cameras belong to the caller.
    expect(first.track.stop).not.toHaveBeenCalled();
    loop.stop();
  });

  it('stop() ends the output track and stops reading, and leaves the camera running', async () => {
    const camera = fakeCamera('cam-1');
    const { globals, written, writerClosed, generatorStop } = fakeGlobals(new Map([[camera.track, camera.readable]]));
    const loop = new InsertableStreamsLoop(camera.track, async () => ({ drawn: true, busyMs: 0 }), target, globals);
    loop.stop();
    await settle();
    expect(generatorStop).toHaveBeenCalled();
    expect(writerClosed).toHaveBeenCalled();
    expect(camera.cancelled).toHaveBeenCalled();
    expect(camera.track.stop).not.toHaveBeenCalled();
    loop.setInput(camera.track); // ignored after stop
    expect(written).toEqual([]);
  });
});
