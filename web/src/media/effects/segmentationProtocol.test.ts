import { describe, expect, it, vi } from 'vitest';
import type { Mask, SegmentationAssets, SegmentationEngineLike } from './segmentationEngine';
import { INIT_ID, segmentationService, WorkerSegmentation, type FromWorker, type ToWorker, type WorkerLike } from './segmentationProtocol';

const assets: SegmentationAssets = { wasmLoaderUrl: '/l.js', wasmBinaryUrl: '/b.wasm', modelUrl: '/m.tflite' };

function fakeBitmap() {
  return { close: vi.fn(), width: 256, height: 144 } as unknown as ImageBitmap & { close: ReturnType<typeof vi.fn> };
}

function fakeEngine(segment: SegmentationEngineLike['segment'] = () => ({ data: new Uint8Array([0, 255]), width: 2, height: 1 })) {
  return { segment: vi.fn(segment), close: vi.fn() };
}

/** A worker whose other end is segmentationService, with messages delivered asynchronously as in a browser. */
function connectedWorker(createEngine: (assets: SegmentationAssets) => Promise<SegmentationEngineLike>) {
  const listeners = { message: [] as Array<(e: MessageEvent<FromWorker>) => void>, error: [] as Array<(e: ErrorEvent) => void> };
  const transfers: Transferable[][] = [];
  const handle = segmentationService((message, transfer) => {
    transfers.push(transfer);
    setTimeout(() => listeners.message.forEach((l) => l({ data: message } as MessageEvent<FromWorker>)));
  }, createEngine);
  const worker = {
    posted: [] as ToWorker[],
    postMessage: vi.fn((message: ToWorker) => {
      worker.posted.push(message);
      setTimeout(() => void handle(message));
    }),
    addEventListener: (type: 'message' | 'error', listener: never) => listeners[type].push(listener),
    terminate: vi.fn(),
    crash: (message: string) => listeners.error.forEach((l) => l({ message } as ErrorEvent)),
  };
  return { worker: worker as WorkerLike & typeof worker, transfers };
}

describe('segmentationService (the worker side)', () => {
  it('answers init with ready, then each segment with its mask, transferring the bytes and closing the bitmap', async () => {
    const posted: Array<[FromWorker, Transferable[]]> = [];
    const engine = fakeEngine();
    const handle = segmentationService(
      (m, t) => posted.push([m, t]),
      async () => engine,
      () => 10,
    );
    await handle({ type: 'init', assets });
    const image = fakeBitmap();
    await handle({ type: 'segment', id: 7, image, timestampMs: 1234 });
    expect(posted[0]).toEqual([{ type: 'ready' }, []]);
    const [answer, transfer] = posted[1]!;
    expect(answer).toMatchObject({ type: 'mask', id: 7, segmentMs: 0 });
    const mask = (answer as Extract<FromWorker, { type: 'mask' }>).mask;
    expect(transfer).toEqual([mask.data.buffer]);
    expect(engine.segment).toHaveBeenCalledWith(image, 1234);
    expect(image.close).toHaveBeenCalled();
  });

  it('reports a model that cannot load under the init id, and refuses to segment without one', async () => {
    const posted: FromWorker[] = [];
    const handle = segmentationService(
      (m) => posted.push(m),
      async () => Promise.reject(new Error('404 model')),
    );
    await handle({ type: 'init', assets });
    const image = fakeBitmap();
    await handle({ type: 'segment', id: 1, image, timestampMs: 0 });
    expect(posted).toEqual([
      { type: 'failed', id: INIT_ID, message: '404 model' },
      { type: 'failed', id: 1, message: 'the segmentation model is not loaded' },
    ]);
    expect(image.close).toHaveBeenCalled();
  });

  it('reports a frame the model fails on, and closes the model on close', async () => {
    const posted: FromWorker[] = [];
    const engine = fakeEngine(() => {
      throw new Error('bad frame');
    });
    const handle = segmentationService(
      (m) => posted.push(m),
      async () => engine,
    );
    await handle({ type: 'init', assets });
    await handle({ type: 'segment', id: 3, image: fakeBitmap(), timestampMs: 0 });
    await handle({ type: 'close' });
    expect(posted[1]).toEqual({ type: 'failed', id: 3, message: 'bad frame' });
    expect(engine.close).toHaveBeenCalledTimes(1);
  });
});

describe('WorkerSegmentation (the page side)', () => {
  it('starts once the model is loaded and gets a mask back for a transferred bitmap', async () => {
    const engine = fakeEngine(() => ({ data: new Uint8Array([1, 2, 3, 4]), width: 2, height: 2 }));
    const { worker } = connectedWorker(async () => engine);
    const client = await WorkerSegmentation.start(worker, assets);
    expect(worker.posted[0]).toEqual({ type: 'init', assets });
    const image = fakeBitmap();
    const result = await client.segment(image, 5);
    expect(result.mask).toEqual<Mask>({ data: new Uint8Array([1, 2, 3, 4]), width: 2, height: 2 });
    expect(worker.postMessage).toHaveBeenLastCalledWith({ type: 'segment', id: 1, image, timestampMs: 5 }, [image]);
    client.close();
    expect(worker.terminate).toHaveBeenCalled();
  });

  it('matches answers to their requests when several are in flight', async () => {
    let calls = 0;
    const { worker } = connectedWorker(async () => fakeEngine(() => ({ data: new Uint8Array([++calls]), width: 1, height: 1 })));
    const client = await WorkerSegmentation.start(worker, assets);
    const [a, b] = await Promise.all([client.segment(fakeBitmap(), 1), client.segment(fakeBitmap(), 2)]);
    expect([a.mask.data[0], b.mask.data[0]]).toEqual([1, 2]);
    client.close();
  });

  it('rejects start (and ends the worker) when the model cannot load', async () => {
    const { worker } = connectedWorker(async () => Promise.reject(new Error('no SIMD')));
    await expect(WorkerSegmentation.start(worker, assets)).rejects.toThrow('no SIMD');
    expect(worker.terminate).toHaveBeenCalled();
  });

  it('fails calls in flight and later ones when the worker dies', async () => {
    const { worker } = connectedWorker(async () => fakeEngine());
    const client = await WorkerSegmentation.start(worker, assets);
    const inFlight = client.segment(fakeBitmap(), 1);
    worker.crash('out of memory');
    await expect(inFlight).rejects.toThrow(/out of memory/);
    await expect(client.segment(fakeBitmap(), 2)).rejects.toThrow(/out of memory/);
  });

  it('fails calls waiting at close, and frees the model before ending the worker', async () => {
    const engine = fakeEngine();
    const { worker } = connectedWorker(async () => engine);
    const client = await WorkerSegmentation.start(worker, assets);
    const waiting = client.segment(fakeBitmap(), 1);
    client.close();
    await expect(waiting).rejects.toThrow('segmentation closed');
    expect(worker.posted.at(-1)).toEqual({ type: 'close' });
    expect(worker.terminate).toHaveBeenCalledTimes(1);
  });
});
