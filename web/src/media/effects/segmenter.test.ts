import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AnyCanvas } from './compositor';
import type { SegmentationAssets } from './segmentationEngine';
import type { FromWorker, ToWorker, WorkerLike } from './segmentationProtocol';
import {
  chooseSegmentationHost,
  MODEL_LINGER_MS,
  SharedSegmentation,
  startEngine,
  type Engine,
  type EngineDeps,
  type SegmentationPlatform,
} from './segmenter';

const everything: SegmentationPlatform = { worker: true, offscreenCanvas: true, simd: true };
const mask = { data: new Uint8Array(4), width: 2, height: 2 };

describe('chooseSegmentationHost', () => {
  it('runs the model in a worker where there are workers, OffscreenCanvas and WebAssembly SIMD', () => {
    expect(chooseSegmentationHost(everything)).toBe('worker');
  });

  it('falls back to the page when any of them is missing', () => {
    expect(chooseSegmentationHost({ ...everything, worker: false })).toBe('page');
    expect(chooseSegmentationHost({ ...everything, offscreenCanvas: false })).toBe('page');
    expect(chooseSegmentationHost({ ...everything, simd: false })).toBe('page');
  });
});

/** A worker that loads (or fails to load) the model and answers segment requests. */
function fakeWorker(loads: boolean) {
  let onMessage: ((e: MessageEvent<FromWorker>) => void) | null = null;
  const worker = {
    posted: [] as ToWorker[],
    postMessage(message: ToWorker) {
      worker.posted.push(message);
      let answer: FromWorker | null = null;
      if (message.type === 'init') answer = loads ? { type: 'ready' } : { type: 'failed', id: 0, message: 'no WebGL in workers' };
      if (message.type === 'segment') answer = { type: 'mask', id: message.id, mask, segmentMs: 3 };
      if (answer) queueMicrotask(() => onMessage?.({ data: answer } as MessageEvent<FromWorker>));
    },
    addEventListener(type: string, listener: (e: MessageEvent<FromWorker>) => void) {
      if (type === 'message') onMessage = listener;
    },
    terminate: vi.fn(),
  };
  return worker;
}

function canvas(): AnyCanvas {
  const ctx = { fillRect: () => undefined };
  return {
    width: 256,
    height: 144,
    getContext: () => ctx,
    transferToImageBitmap: () => ({ close: () => undefined }),
  } as unknown as AnyCanvas;
}

function engineDeps(platform: SegmentationPlatform, workerLoads = true) {
  const worker = fakeWorker(workerLoads);
  const pageEngine = { segment: vi.fn(() => mask), close: vi.fn() };
  const deps: EngineDeps = {
    platform: () => platform,
    createWorker: vi.fn(() => worker as unknown as WorkerLike),
    createPageEngine: vi.fn(async (_assets: SegmentationAssets) => pageEngine),
    createCanvas: canvas,
  };
  return { deps, worker, pageEngine };
}

describe('startEngine', () => {
  afterEach(() => vi.restoreAllMocks());

  it('loads the ES-module build in a worker and warms the graph up on a blank frame', async () => {
    const { deps, worker } = engineDeps(everything);
    const engine = await startEngine(deps);
    expect(engine.onPageThread).toBe(false);
    const init = worker.posted[0] as Extract<ToWorker, { type: 'init' }>;
    expect(init.assets.wasmLoaderUrl).toMatch(/\/vision_wasm_module_internal\.js$/);
    expect(init.assets.modelUrl).toMatch(/\/selfie_segmentation_landscape_tasks\.tflite$/);
    expect(worker.posted[1]).toMatchObject({ type: 'segment' });
    expect(deps.createPageEngine).not.toHaveBeenCalled();
    expect(await engine.segment(canvas())).toEqual({ mask, segmentMs: 3 });
    engine.close();
    expect(worker.terminate).toHaveBeenCalled();
  });

  it('segments on the page, with the classic build, where there is no Worker or OffscreenCanvas', async () => {
    for (const platform of [
      { ...everything, worker: false },
      { ...everything, offscreenCanvas: false },
    ]) {
      const { deps, pageEngine } = engineDeps(platform);
      const engine = await startEngine(deps);
      expect(deps.createWorker).not.toHaveBeenCalled();
      expect(engine.onPageThread).toBe(true);
      expect(vi.mocked(deps.createPageEngine).mock.calls[0]![0].wasmLoaderUrl).toMatch(/\/vision_wasm_internal\.js$/);
      expect((await engine.segment(canvas())).mask).toBe(mask);
      expect(pageEngine.segment).toHaveBeenCalledTimes(2); // warm-up and the call above
    }
  });

  it('uses the build without SIMD on a page whose WebAssembly has none', async () => {
    const { deps } = engineDeps({ ...everything, simd: false });
    await startEngine(deps);
    expect(vi.mocked(deps.createPageEngine).mock.calls[0]![0].wasmLoaderUrl).toMatch(/\/vision_wasm_nosimd_internal\.js$/);
  });

  it('falls back to the page when the worker cannot load the model, saying why', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { deps, worker } = engineDeps(everything, false);
    const engine = await startEngine(deps);
    expect(engine.onPageThread).toBe(true);
    expect(worker.terminate).toHaveBeenCalled();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/worker could not start/), expect.any(Error));
  });

  it('closes the model and rejects when the warm-up frame fails', async () => {
    const { deps, pageEngine } = engineDeps({ ...everything, worker: false });
    pageEngine.segment.mockImplementation(() => {
      throw new Error('graph failed');
    });
    await expect(startEngine(deps)).rejects.toThrow('graph failed');
    expect(pageEngine.close).toHaveBeenCalled();
  });
});

describe('SharedSegmentation', () => {
  afterEach(() => vi.useRealTimers());

  function fakeEngine() {
    return { onPageThread: false, segment: vi.fn(async () => ({ mask, segmentMs: 1 })), close: vi.fn<() => void>() };
  }

  it('loads one model for several users and frees it a while after the last one let go', async () => {
    vi.useFakeTimers();
    const engines: Array<ReturnType<typeof fakeEngine>> = [];
    const shared = new SharedSegmentation(async () => {
      engines.push(fakeEngine());
      return engines.at(-1)!;
    });
    const preview = await shared.acquire();
    const room = await shared.acquire();
    expect(engines).toHaveLength(1);
    preview.release();
    preview.release(); // twice counts once
    await vi.advanceTimersByTimeAsync(MODEL_LINGER_MS);
    expect(engines[0]!.close).not.toHaveBeenCalled();
    expect((await room.segment(canvas())).mask).toBe(mask);
    room.release();
    await vi.advanceTimersByTimeAsync(MODEL_LINGER_MS);
    expect(engines[0]!.close).toHaveBeenCalledTimes(1);
    await expect(room.segment(canvas())).rejects.toThrow('segmentation closed');
    // A later user gets a new model.
    await shared.acquire();
    expect(engines).toHaveLength(2);
  });

  it('keeps the model when someone acquires it again within the linger time', async () => {
    vi.useFakeTimers();
    const engine = fakeEngine();
    const start = vi.fn(async () => engine);
    const shared = new SharedSegmentation(start);
    (await shared.acquire()).release();
    await vi.advanceTimersByTimeAsync(MODEL_LINGER_MS / 2);
    await shared.acquire();
    await vi.advanceTimersByTimeAsync(MODEL_LINGER_MS * 2);
    expect(engine.close).not.toHaveBeenCalled();
    expect(start).toHaveBeenCalledTimes(1);
  });

  it('lets a later attempt load the model after one failed', async () => {
    const start = vi.fn<() => Promise<Engine>>().mockRejectedValueOnce(new Error('offline')).mockResolvedValueOnce(fakeEngine());
    const shared = new SharedSegmentation(start);
    await expect(shared.acquire()).rejects.toThrow('offline');
    await expect(shared.acquire()).resolves.toBeDefined();
  });
});
