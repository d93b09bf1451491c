/**
 * The whiteboard's sync engine, in plain TypeScript (the Excalidraw view only feeds it and renders
 * what it says). It follows docs/protocol.md "Whiteboard":
 *  - local edits: every scene the editor reports is compared with what is known by version; only
 *    elements that changed are sent, batched (one `board.update` in flight, the rest waits) and
 *    split to stay under the message limit;
 *  - remote edits (`board.elements`, `superseded` answers, sync pages) are kept only when they win
 *    under the server's rule (reconcile.ts), so arrival order does not matter and an element we
 *    applied from others is never sent back (the server does not echo ours either);
 *  - joins and reconnections sync (`board.sync`, paged) from the last epoch and sequence number;
 *    `reset` replaces the scene;
 *  - cursors and the presenter's viewport are throttled, the last value always sent.
 */
import {
  boardElementsOf,
  isBoardElement,
  type BoardCursor,
  type BoardElement,
  type BoardFileNotice,
  type BoardSyncPage,
} from './boardTypes';
import type { BoardUpdateResult, BoardViewport, RemoteCursor, RemoteViewport } from './boardTypes';
import { beats, clearlyAhead, compareElements, sameEdit } from './reconcile';
import { realScheduler, type Scheduler } from './scheduler';
import { MAX_MESSAGE_BYTES, splitUpdate } from './splitUpdate';
import { Throttle } from './throttle';

/** What the engine needs of the signaling connection. */
export interface BoardTransport {
  request<T>(method: string, data: object): Promise<T>;
}

export interface BoardSyncError {
  code: string;
  message: string;
}

export interface BoardSyncEvents {
  /** Elements that won and belong in the scene; `reset`: they are the whole scene. */
  scene(elements: BoardElement[], reset: boolean): void;
  cursor?(cursor: RemoteCursor): void;
  viewport?(viewport: RemoteViewport): void;
  file?(file: BoardFileNotice & { peerId?: string }): void;
  error?(error: BoardSyncError): void;
}

export interface BoardSyncOptions {
  transport: BoardTransport;
  events: BoardSyncEvents;
  scheduler?: Scheduler;
  /** How long local edits gather before they are sent (an editor reports every frame of a drag). */
  flushDelayMs?: number;
  /** Wait before sending again after `rate_limited` or a timeout. */
  retryDelayMs?: number;
  /** 20 per second at most, as the server allows. */
  cursorIntervalMs?: number;
  viewportIntervalMs?: number;
  maxMessageBytes?: number;
}

type SyncKind = 'full' | 'delta';
// Codes after which the same update can be sent again unchanged.
const RETRY_LATER = new Set(['timeout', 'rate_limited']);
const AFTER_RECONNECT = new Set(['disconnected']);

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'internal';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** "elements[3].points" → 3. */
export function elementIndexOf(field: unknown): number | null {
  if (typeof field !== 'string') return null;
  const match = /^elements\[(\d+)\]/.exec(field);
  return match ? Number(match[1]) : null;
}

const finite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

export class BoardSync {
  /** The scene as this peer knows it: for each id, the winning version seen or made here. */
  private readonly known = new Map<string, BoardElement>();
  /** Local edits not sent yet (each also in `known`). */
  private readonly pending = new Map<string, BoardElement>();
  private epoch: string | null = null;
  /**
   * The highest sequence number seen (sync pages, answers, broadcasts): the next delta sync starts
   * here. The server numbers every stored element, so numbers jump; the highest one is enough
   * because one socket delivers in the order the server applied the changes.
   */
  private seq = 0;
  private ready = false;
  private syncing: Promise<void> | null = null;
  private queuedSync: SyncKind | null = null;
  /** Notifications that arrive while a sync runs, applied after its last page. */
  private buffered: { seq: number | null; elements: BoardElement[] }[] | null = null;
  private sending = false;
  /** Bumped when the scene is replaced, so that answers to requests sent before are ignored. */
  private generation = 0;
  private canEdit = true;
  private disposed = false;
  private cancelFlush: (() => void) | null = null;
  private readonly scheduler: Scheduler;
  private readonly cursorThrottle: Throttle<BoardCursor>;
  private readonly viewportThrottle: Throttle<BoardViewport>;
  private readonly flushDelayMs: number;
  private readonly retryDelayMs: number;
  private readonly maxMessageBytes: number;

  constructor(private readonly options: BoardSyncOptions) {
    this.scheduler = options.scheduler ?? realScheduler;
    this.flushDelayMs = options.flushDelayMs ?? 50;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.maxMessageBytes = options.maxMessageBytes ?? MAX_MESSAGE_BYTES;
    const fireAndForget = (method: string) => (data: object) => void this.options.transport.request(method, data).catch(() => undefined);
    this.cursorThrottle = new Throttle<BoardCursor>(options.cursorIntervalMs ?? 50, fireAndForget('board.cursor'), this.scheduler);
    this.viewportThrottle = new Throttle<BoardViewport>(options.viewportIntervalMs ?? 100, fireAndForget('board.viewport'), this.scheduler);
  }

  // --- state ---------------------------------------------------------------------------------
  get isReady(): boolean {
    return this.ready;
  }

  get position(): { epoch: string | null; seq: number } {
    return { epoch: this.epoch, seq: this.seq };
  }

  /** The whole known scene (deleted elements included: they are tombstones). */
  elements(): BoardElement[] {
    return [...this.known.values()];
  }

  /** Local edits not yet sent or not yet answered. */
  get pendingCount(): number {
    return this.pending.size;
  }

  // --- syncing -------------------------------------------------------------------------------
  /** The first sync: the whole scene. */
  start(): Promise<void> {
    return this.sync('full');
  }

  /** After a reconnection: what changed since our epoch and sequence number, then our unsent edits. */
  resync(): Promise<void> {
    return this.sync(this.epoch === null ? 'full' : 'delta');
  }

  /** The server's scene again, replacing ours (after a refused update left ours different). */
  reload(): Promise<void> {
    return this.sync('full');
  }

  private sync(kind: SyncKind): Promise<void> {
    if (this.syncing) {
      if (kind === 'full' || this.queuedSync === null) this.queuedSync = kind;
      return this.syncing;
    }
    this.syncing = this.runSyncs(kind).finally(() => {
      this.syncing = null;
      this.scheduleFlush(0);
    });
    return this.syncing;
  }

  private async runSyncs(first: SyncKind): Promise<void> {
    let kind: SyncKind | null = first;
    while (kind !== null && !this.disposed) {
      this.queuedSync = null;
      try {
        await this.syncOnce(kind);
      } catch (error) {
        this.buffered = null;
        this.report(codeOf(error), messageOf(error));
      }
      kind = this.queuedSync;
    }
  }

  private async syncOnce(kind: SyncKind): Promise<void> {
    this.buffered = [];
    const full = kind === 'full' || this.epoch === null;
    let request: object = full ? {} : { epoch: this.epoch, sinceSeq: this.seq };
    let reset = full;
    let collected: BoardElement[] = [];
    let page: BoardSyncPage;
    let pagedEpoch: string | null = null;
    for (;;) {
      page = await this.options.transport.request<BoardSyncPage>('board.sync', request);
      if (this.disposed) return;
      if (page.reset && !(reset && page.epoch === pagedEpoch && collected.length > 0)) {
        // A new board (or the first page of a whole one): start over from this page. A later page
        // of the same epoch continues the same reset snapshot.
        reset = true;
        collected = [];
      }
      pagedEpoch = page.epoch;
      collected.push(...boardElementsOf(page.elements));
      if (page.complete || !finite(page.seq)) break;
      request = { epoch: page.epoch, sinceSeq: page.seq };
    }
    const buffered = this.buffered ?? [];
    this.buffered = null;
    this.epoch = typeof page.epoch === 'string' ? page.epoch : this.epoch;
    this.seq = finite(page.seq) ? page.seq : this.seq;
    if (reset) {
      this.generation++;
      this.known.clear();
      this.pending.clear();
      for (const element of collected) if (beats(element, this.known.get(element.id))) this.known.set(element.id, element);
      this.ready = true;
      this.options.events.scene(this.elements(), true);
    } else {
      const winners = this.applyRemote(collected);
      this.ready = true;
      if (winners.length > 0) this.options.events.scene(winners, false);
    }
    // What came while the pages did: anything up to the last page's number is in it already (and
    // may belong to an epoch that the reset just replaced).
    for (const notice of buffered) if (notice.seq === null || notice.seq > this.seq) this.onRemoteElements(notice.seq, notice.elements);
  }

  // --- local edits ---------------------------------------------------------------------------
  /**
   * The editor's scene (all of it, or only what changed): elements whose version differs from the
   * known one are queued for sending. Stale versions (a remote winner not merged into the editor
   * yet) are ignored.
   */
  applyLocal(elements: readonly unknown[]): void {
    if (!this.canEdit || this.disposed) return;
    let added = false;
    for (const element of elements) {
      if (!isBoardElement(element)) continue;
      const current = this.known.get(element.id);
      if (sameEdit(element, current)) continue;
      if (current && compareElements(element, current) < 0) continue;
      // A copy: the editor changes its element objects in place.
      const copy: BoardElement = { ...element };
      this.known.set(element.id, copy);
      this.pending.set(element.id, copy);
      added = true;
    }
    if (added) this.scheduleFlush(this.flushDelayMs);
  }

  /** False while the board is read-only for us: local edits are dropped (and undone by a reload). */
  setCanEdit(canEdit: boolean): void {
    if (this.canEdit === canEdit) return;
    this.canEdit = canEdit;
    if (canEdit) return;
    const hadEdits = this.pending.size > 0;
    this.pending.clear();
    this.cancelFlush?.();
    this.cancelFlush = null;
    if (hadEdits && this.ready) void this.reload();
  }

  private scheduleFlush(delayMs: number): void {
    if (this.cancelFlush || this.disposed || this.pending.size === 0) return;
    this.cancelFlush = this.scheduler.schedule(() => {
      this.cancelFlush = null;
      void this.flush();
    }, delayMs);
  }

  /** Sends what is pending now (the timer calls it; tests may too). */
  async flush(): Promise<void> {
    if (this.sending || !this.ready || this.syncing || this.disposed || !this.canEdit || this.pending.size === 0) return;
    this.sending = true;
    const generation = this.generation;
    const elements = [...this.pending.values()];
    this.pending.clear();
    const { batches, tooLarge } = splitUpdate(elements, this.maxMessageBytes);
    if (tooLarge.length > 0) this.report('payload_too_large', `${tooLarge.length} element(s) too large to send`);
    let nextFlush: number | null = this.flushDelayMs;
    try {
      while (batches.length > 0) {
        const batch = batches.shift()!;
        let result: BoardUpdateResult;
        try {
          result = await this.options.transport.request<BoardUpdateResult>('board.update', { elements: batch });
        } catch (error) {
          if (generation !== this.generation || this.disposed) return;
          const code = codeOf(error);
          if (code === 'payload_too_large' && batch.length > 1) {
            const half = Math.ceil(batch.length / 2);
            batches.unshift(batch.slice(0, half), batch.slice(half));
            continue;
          }
          if (RETRY_LATER.has(code) || AFTER_RECONNECT.has(code)) {
            this.requeue([batch, ...batches]);
            // After a lost connection, resync() sends them; otherwise try again a little later.
            nextFlush = AFTER_RECONNECT.has(code) ? null : this.retryDelayMs;
            return;
          }
          if (code === 'forbidden') {
            // Read-only now: what we drew is not on the board; show the board as it is.
            this.pending.clear();
            nextFlush = null;
            this.report(code, messageOf(error));
            void this.reload();
            return;
          }
          if (code === 'validation_failed') {
            const bad = elementIndexOf((error as { field?: unknown }).field);
            if (bad !== null && bad < batch.length && batch.length > 1) batches.unshift(batch.filter((_, i) => i !== bad));
          }
          this.report(code, messageOf(error));
          continue;
        }
        if (generation !== this.generation || this.disposed) return;
        if (finite(result?.seq)) this.markSeq(result.seq);
        const winners = this.applySuperseded(boardElementsOf(result?.superseded));
        if (winners.length > 0) this.options.events.scene(winners, false);
      }
    } finally {
      this.sending = false;
      if (nextFlush !== null) this.scheduleFlush(nextFlush);
    }
  }

  /** Puts unsent elements back unless something newer (a later edit, a remote winner) replaced them. */
  private requeue(batches: BoardElement[][]): void {
    for (const batch of batches) {
      for (const element of batch) {
        if (!this.pending.has(element.id) && sameEdit(element, this.known.get(element.id))) this.pending.set(element.id, element);
      }
    }
  }

  // --- remote edits --------------------------------------------------------------------------
  /** Keeps the elements that win; a pending local edit they beat is not sent any more. */
  private applyRemote(elements: readonly BoardElement[]): BoardElement[] {
    const winners: BoardElement[] = [];
    for (const element of elements) {
      if (!beats(element, this.known.get(element.id))) continue;
      this.known.set(element.id, element);
      this.pending.delete(element.id);
      winners.push(element);
    }
    return winners;
  }

  /**
   * The server's state of elements our update lost on: taken as given (it has the last word on a
   * collision), unless we changed the element again since (that newer edit is on its way and wins).
   */
  private applySuperseded(elements: readonly BoardElement[]): BoardElement[] {
    const winners: BoardElement[] = [];
    for (const element of elements) {
      const current = this.known.get(element.id);
      if (current && (clearlyAhead(current, element) || compareElements(current, element) === 0)) continue;
      this.known.set(element.id, element);
      this.pending.delete(element.id);
      winners.push(element);
    }
    return winners;
  }

  private onRemoteElements(seq: number | null, elements: BoardElement[]): void {
    if (seq !== null) this.markSeq(seq);
    const winners = this.applyRemote(elements);
    if (winners.length > 0) this.options.events.scene(winners, false);
  }

  private markSeq(seq: number): void {
    if (seq > this.seq) this.seq = seq;
  }

  /** Routes a `board.*` notification; false for methods that are not the engine's. */
  handleNotification(method: string, data: unknown): boolean {
    if (this.disposed) return false;
    const d = (data ?? {}) as Record<string, unknown>;
    switch (method) {
      case 'board.elements': {
        const seq = finite(d.seq) ? d.seq : null;
        const elements = boardElementsOf(d.elements);
        if (this.buffered) this.buffered.push({ seq, elements });
        else this.onRemoteElements(seq, elements);
        return true;
      }
      case 'board.cursor':
        if (typeof d.peerId === 'string' && finite(d.x) && finite(d.y)) {
          this.options.events.cursor?.({
            peerId: d.peerId,
            x: d.x,
            y: d.y,
            ...(d.pointer === 'down' || d.pointer === 'up' ? { pointer: d.pointer } : {}),
            ...(Array.isArray(d.selected) ? { selected: d.selected.filter((id): id is string => typeof id === 'string') } : {}),
          });
        }
        return true;
      case 'board.viewport':
        if (typeof d.peerId === 'string' && finite(d.scrollX) && finite(d.scrollY) && finite(d.zoom) && d.zoom > 0) {
          this.options.events.viewport?.({ peerId: d.peerId, scrollX: d.scrollX, scrollY: d.scrollY, zoom: d.zoom });
        }
        return true;
      case 'board.file':
        if (typeof d.fileId === 'string' && typeof d.mimeType === 'string') {
          this.options.events.file?.({
            fileId: d.fileId,
            mimeType: d.mimeType,
            ...(typeof d.peerId === 'string' ? { peerId: d.peerId } : {}),
          });
        }
        return true;
      default:
        return false;
    }
  }

  // --- presence ------------------------------------------------------------------------------
  sendCursor(cursor: BoardCursor): void {
    if (!this.disposed) this.cursorThrottle.push(cursor);
  }

  /** Hosts and co-hosts while presenting: where they look, for those who follow. */
  sendViewport(viewport: BoardViewport): void {
    if (!this.disposed) this.viewportThrottle.push(viewport);
  }

  dispose(): void {
    this.disposed = true;
    this.cancelFlush?.();
    this.cancelFlush = null;
    this.cursorThrottle.cancel();
    this.viewportThrottle.cancel();
  }

  private report(code: string, message: string): void {
    this.options.events.error?.({ code, message });
  }
}
