// The messages between the page and the segmentation worker, and both ends of them. One request
// at a time per caller, answered in order:
//   page -> worker  {init, assets}                    worker -> page  {ready} | {failed, id: 0}
//   page -> worker  {segment, id, image, timestampMs} worker -> page  {mask, id, mask, segmentMs} | {failed, id}
//   page -> worker  {close}                           (the page then terminates the worker)
// `image` is an ImageBitmap at the segmentation size (256x144), transferred, and closed by the
// worker; the mask's bytes are transferred back. Nothing else crosses: no frame, no canvas.

import type { Mask, SegmentationAssets, SegmentationEngineLike } from './segmentationEngine';

export type ToWorker =
  | { type: 'init'; assets: SegmentationAssets }
  | { type: 'segment'; id: number; image: ImageBitmap; timestampMs: number }
  | { type: 'close' };

export type FromWorker =
  { type: 'ready' } | { type: 'mask'; id: number; mask: Mask; segmentMs: number } | { type: 'failed'; id: number; message: string };

/** The id `failed` carries when the engine could not start. */
export const INIT_ID = 0;

/** A mask and the time the model took for it (in the worker, or on the page). */
export interface SegmentResult {
  mask: Mask;
  segmentMs: number;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

// --- worker side -------------------------------------------------------------------------------

/** The worker's message handler: `post` sends to the page, `createEngine` loads the model. */
export function segmentationService(
  post: (message: FromWorker, transfer: Transferable[]) => void,
  createEngine: (assets: SegmentationAssets) => Promise<SegmentationEngineLike>,
  now: () => number = () => performance.now(),
): (message: ToWorker) => Promise<void> {
  let engine: Promise<SegmentationEngineLike> | null = null;
  return async (message) => {
    switch (message.type) {
      case 'init':
        engine = createEngine(message.assets);
        try {
          await engine;
          post({ type: 'ready' }, []);
        } catch (error) {
          engine = null;
          post({ type: 'failed', id: INIT_ID, message: describe(error) }, []);
        }
        return;
      case 'segment':
        try {
          if (!engine) throw new Error('the segmentation model is not loaded');
          const loaded = await engine;
          const started = now();
          const mask = loaded.segment(message.image, message.timestampMs);
          post({ type: 'mask', id: message.id, mask, segmentMs: now() - started }, [mask.data.buffer as ArrayBuffer]);
        } catch (error) {
          post({ type: 'failed', id: message.id, message: describe(error) }, []);
        } finally {
          message.image.close();
        }
        return;
      case 'close': {
        const closing = engine;
        engine = null;
        (await closing?.catch(() => null))?.close();
        return;
      }
    }
  };
}

// --- page side ---------------------------------------------------------------------------------

/** The part of a Worker used here (a fake in tests). */
export interface WorkerLike {
  postMessage(message: ToWorker, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<FromWorker>) => void): void;
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  terminate(): void;
}

interface Pending {
  resolve: (message: FromWorker) => void;
  reject: (error: Error) => void;
}

/** The page's end: requests with ids, answers matched to them, everything failed when the worker dies. */
export class WorkerSegmentation {
  private readonly pending = new Map<number, Pending>();
  private nextId = INIT_ID + 1;
  private broken: Error | null = null;

  private constructor(private readonly worker: WorkerLike) {
    worker.addEventListener('message', (event) => this.receive(event.data));
    // A worker that cannot load its script or throws at the top level: nothing will answer.
    worker.addEventListener('error', (event) =>
      this.fail(new Error(`the segmentation worker failed: ${event.message || 'unknown error'}`)),
    );
  }

  /** Loads the model in `worker`; rejects (and terminates it) when that fails. */
  static async start(worker: WorkerLike, assets: SegmentationAssets): Promise<WorkerSegmentation> {
    const client = new WorkerSegmentation(worker);
    try {
      await client.request(INIT_ID, { type: 'init', assets }, []);
    } catch (error) {
      client.close();
      throw error;
    }
    return client;
  }

  /** Segments `image` (transferred: the caller must not use it afterwards). */
  async segment(image: ImageBitmap, timestampMs: number): Promise<SegmentResult> {
    const id = this.nextId++;
    const answer = await this.request(id, { type: 'segment', id, image, timestampMs }, [image]);
    if (answer.type !== 'mask') throw new Error(`unexpected answer ${answer.type}`);
    return { mask: answer.mask, segmentMs: answer.segmentMs };
  }

  /** Frees the model and ends the worker; calls still waiting fail. */
  close(): void {
    if (!this.broken) this.worker.postMessage({ type: 'close' }, []);
    this.worker.terminate();
    this.fail(new Error('segmentation closed'));
  }

  private request(id: number, message: ToWorker, transfer: Transferable[]): Promise<FromWorker> {
    if (this.broken) return Promise.reject(this.broken);
    return new Promise<FromWorker>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage(message, transfer);
    });
  }

  private receive(message: FromWorker): void {
    const id = message.type === 'ready' ? INIT_ID : message.id;
    const waiting = this.pending.get(id);
    if (!waiting) return; // answered after close()
    this.pending.delete(id);
    if (message.type === 'failed') waiting.reject(new Error(message.message));
    else waiting.resolve(message);
  }

  private fail(error: Error): void {
    this.broken ??= error;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
