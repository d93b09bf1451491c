/**
 * A whiteboard server in memory for the board engine's tests: the reconciliation rule, sequence
 * numbers, paged sync and broadcasts of docs/protocol.md "Whiteboard", with each peer's link a
 * pair of FIFO queues (to the server, to the client) that a test delivers from in any order it
 * likes, the way one WebSocket per peer keeps its own order while peers race each other.
 */
import type { BoardElement, BoardSyncPage, BoardUpdateResult } from '../features/whiteboard/boardTypes';
import type { BoardTransport } from '../features/whiteboard/BoardSync';
import { beats, compareElements } from '../features/whiteboard/reconcile';
import type { Scheduler } from '../features/whiteboard/scheduler';

export class FakeSignalError extends Error {
  constructor(
    readonly code: string,
    message = code,
    readonly field?: string,
  ) {
    super(message);
  }
}

type Outgoing = { method: string; data: Record<string, unknown>; resolve: (value: unknown) => void; reject: (error: Error) => void };
type Incoming =
  | { kind: 'response'; resolve: (value: unknown) => void; reject: (error: Error) => void; value?: unknown; error?: Error }
  | { kind: 'notification'; method: string; data: unknown };

export class FakeBoardLink implements BoardTransport {
  readonly toServer: Outgoing[] = [];
  readonly toClient: Incoming[] = [];
  readonly sent: { method: string; data: Record<string, unknown> }[] = [];
  online = true;
  onNotification: (method: string, data: unknown) => void = () => undefined;

  constructor(
    readonly server: FakeBoardServer,
    readonly peerId: string,
  ) {}

  request<T>(method: string, data: object): Promise<T> {
    if (!this.online) return Promise.reject(new FakeSignalError('disconnected', 'Not connected'));
    const payload = JSON.parse(JSON.stringify(data)) as Record<string, unknown>;
    this.sent.push({ method, data: payload });
    return new Promise<T>((resolve, reject) => {
      this.toServer.push({ method, data: payload, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  /** The server handles this peer's oldest request. */
  deliverToServer(): boolean {
    const message = this.toServer.shift();
    if (!message) return false;
    const { resolve, reject } = message;
    try {
      const value = this.server.handle(this, message.method, message.data);
      this.toClient.push({ kind: 'response', resolve, reject, value: JSON.parse(JSON.stringify(value ?? {})) });
    } catch (error) {
      this.toClient.push({ kind: 'response', resolve, reject, error: error as Error });
    }
    return true;
  }

  /** The client reads its oldest message (an answer or a notification). */
  deliverToClient(): boolean {
    const message = this.toClient.shift();
    if (!message) return false;
    if (message.kind === 'notification') this.onNotification(message.method, message.data);
    else if (message.error) message.reject(message.error);
    else message.resolve(message.value);
    return true;
  }

  notify(method: string, data: unknown): void {
    if (this.online) this.toClient.push({ kind: 'notification', method, data: JSON.parse(JSON.stringify(data)) });
  }

  /** The socket drops: unanswered requests fail, undelivered notifications are lost. */
  disconnect(): void {
    this.online = false;
    const lost = new FakeSignalError('disconnected', 'Connection lost');
    for (const message of this.toServer.splice(0)) message.reject(lost);
    for (const message of this.toClient.splice(0)) if (message.kind === 'response') message.reject(lost);
  }

  reconnect(): void {
    this.online = true;
  }

  get idle(): boolean {
    return this.toServer.length === 0 && this.toClient.length === 0;
  }
}

export class FakeBoardServer {
  readonly elements = new Map<string, BoardElement>();
  private readonly changedAt = new Map<string, number>();
  private readonly writer = new Map<string, string>();
  readonly links: FakeBoardLink[] = [];
  seq = 0;
  epoch = 'epoch-1';
  readOnly = false;
  pageSize = Number.POSITIVE_INFINITY;
  maxMessageBytes = 60 * 1024;
  /** Answers the next board.update with this error instead (once). */
  failNextUpdate: FakeSignalError | null = null;

  connect(peerId: string): FakeBoardLink {
    const link = new FakeBoardLink(this, peerId);
    this.links.push(link);
    return link;
  }

  /** Replaces the board (a new epoch), as after a server restart without the old one. */
  replace(elements: BoardElement[]): void {
    this.epoch = `epoch-${Number(this.epoch.split('-')[1]) + 1}`;
    this.elements.clear();
    this.changedAt.clear();
    for (const element of elements) {
      this.seq++;
      this.elements.set(element.id, element);
      this.changedAt.set(element.id, this.seq);
    }
  }

  handle(from: FakeBoardLink, method: string, data: Record<string, unknown>): unknown {
    switch (method) {
      case 'board.sync':
        return this.sync(data);
      case 'board.update':
        return this.update(from, data);
      case 'board.cursor':
      case 'board.viewport':
        for (const link of this.links) if (link !== from) link.notify(method, { peerId: from.peerId, ...data });
        return {};
      default:
        throw new FakeSignalError('unknown_method');
    }
  }

  private sync(data: Record<string, unknown>): BoardSyncPage {
    const reset = data.epoch !== this.epoch;
    const since = reset ? 0 : Number(data.sinceSeq ?? 0);
    const changed = [...this.changedAt.entries()].filter(([, at]) => at > since).sort((a, b) => a[1] - b[1]);
    const page = changed.slice(0, this.pageSize);
    const complete = page.length === changed.length;
    return {
      epoch: this.epoch,
      reset,
      elements: page.map(([id]) => this.elements.get(id)!),
      seq: complete ? this.seq : page[page.length - 1][1],
      complete,
    };
  }

  private update(from: FakeBoardLink, data: Record<string, unknown>): BoardUpdateResult {
    if (this.failNextUpdate) {
      const error = this.failNextUpdate;
      this.failNextUpdate = null;
      throw error;
    }
    if (this.readOnly) throw new FakeSignalError('forbidden', 'The board is read-only');
    if (new TextEncoder().encode(JSON.stringify({ id: 1, method: 'board.update', data })).length > this.maxMessageBytes) {
      throw new FakeSignalError('payload_too_large');
    }
    const applied: BoardElement[] = [];
    const superseded: BoardElement[] = [];
    for (const element of data.elements as BoardElement[]) {
      const stored = this.elements.get(element.id);
      if (beats(element, stored)) {
        this.elements.set(element.id, element);
        this.writer.set(element.id, from.peerId);
        applied.push(element);
      } else if (stored && compareElements(stored, element) > 0 && this.writer.get(element.id) !== from.peerId) {
        superseded.push(stored);
      }
    }
    if (applied.length > 0) {
      // As the real board does: every stored element takes its own number.
      for (const element of applied) this.changedAt.set(element.id, ++this.seq);
      for (const link of this.links) {
        // Unbatched (the real server relays the updates of 50 ms together): order is what these tests vary.
        if (link !== from) link.notify('board.elements', { seq: this.seq, elements: applied });
      }
    }
    return { seq: this.seq, superseded };
  }
}

/** Timers that run only when the test says, in time order. */
export class ManualScheduler implements Scheduler {
  private time = 0;
  private tasks: { at: number; id: number; task: () => void }[] = [];
  private nextId = 0;

  now(): number {
    return this.time;
  }

  schedule(task: () => void, ms: number): () => void {
    const id = this.nextId++;
    this.tasks.push({ at: this.time + ms, id, task });
    return () => {
      this.tasks = this.tasks.filter((t) => t.id !== id);
    };
  }

  get size(): number {
    return this.tasks.length;
  }

  /** Runs the earliest task (moving the clock to it); false when none is waiting. */
  runNext(): boolean {
    if (this.tasks.length === 0) return false;
    this.tasks.sort((a, b) => a.at - b.at || a.id - b.id);
    const next = this.tasks.shift()!;
    this.time = Math.max(this.time, next.at);
    next.task();
    return true;
  }

  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      this.tasks.sort((a, b) => a.at - b.at || a.id - b.id);
      if (this.tasks.length === 0 || this.tasks[0].at > until) break;
      this.runNext();
    }
    this.time = until;
  }
}

/** Lets promise callbacks run (answers delivered synchronously settle on the microtask queue). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 30; i++) await Promise.resolve();
}

/** A small deterministic PRNG (mulberry32) so a failing seed can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function element(id: string, version = 1, extra: Partial<BoardElement> = {}): BoardElement {
  return { id, version, versionNonce: 1000 + version, type: 'rectangle', isDeleted: false, x: 0, y: 0, ...extra };
}
