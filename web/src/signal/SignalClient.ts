/**
 * The WebSocket side of docs/protocol.md: numbered requests answered in order, server
 * notifications, `hello` with a token in the first message (never in the URL), and resuming the
 * same peer after a dropped connection (`resumeToken`) so a network blip does not drop the
 * person from the meeting.
 */
import type { ErrorBody } from './protocol';

export class SignalError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'SignalError';
  }
}

export type NotificationHandler = (method: string, data: unknown) => void;
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

interface Pending {
  resolve: (data: unknown) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

export interface SignalClientOptions {
  url: string;
  /** Returns a token for hello; `renew` after one was refused. */
  token: (renew: boolean) => Promise<string | null>;
  onNotification: NotificationHandler;
  onStateChange?: (state: ConnectionState) => void;
  /** Called after a reconnect that could not resume the old peer (the room must re-join). */
  onResumeFailed?: () => void;
  requestTimeoutMs?: number;
  WebSocketImpl?: typeof WebSocket;
}

// Backing off to one try every 8 s, for 39.5 s in all: longer than the server keeps a dropped peer
// (30 s, docs/protocol.md "Reconnection"), so any drop it would resume gets resumed, and a longer
// one ends in a fresh join (onResumeFailed) instead of a silently dead room.
const RECONNECT_DELAYS_MS = [500, 1000, 2000, 4000, 8000, 8000, 8000, 8000];

export class SignalClient {
  private socket: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private resumeToken: string | null = null;
  private closedByUser = false;
  private attempts = 0;
  private reconnecting = false;
  peerId: string | null = null;

  constructor(private readonly options: SignalClientOptions) {}

  /** Opens the socket and says hello; resolves with the peer id. */
  async connect(): Promise<string> {
    this.closedByUser = false;
    await this.open();
    return this.hello(false);
  }

  request<T = unknown>(method: string, data: object = {}): Promise<T> {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      return Promise.reject(new SignalError('disconnected', 'Not connected to the meeting server'));
    }
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new SignalError('timeout', `No answer to ${method}`));
      }, this.options.requestTimeoutMs ?? 15000);
      this.pending.set(id, { resolve: resolve as (data: unknown) => void, reject, timer });
      socket.send(JSON.stringify({ id, method, data }));
    });
  }

  close(): void {
    this.closedByUser = true;
    this.socket?.close(1000, 'bye');
    this.socket = null;
    this.failPending(new SignalError('disconnected', 'Connection closed'));
    this.options.onStateChange?.('closed');
  }

  private open(): Promise<void> {
    const Impl = this.options.WebSocketImpl ?? WebSocket;
    this.options.onStateChange?.(this.attempts === 0 ? 'connecting' : 'reconnecting');
    return new Promise((resolve, reject) => {
      const socket = new Impl(this.options.url);
      this.socket = socket;
      let opened = false;
      const unreachable = () => new SignalError('disconnected', 'Cannot reach the meeting server');
      socket.onopen = () => {
        opened = true;
        resolve();
      };
      socket.onerror = () => reject(unreachable());
      socket.onmessage = (event) => this.onMessage(String(event.data));
      socket.onclose = () => {
        if (this.socket !== socket) return;
        this.socket = null;
        this.failPending(new SignalError('disconnected', 'Connection lost'));
        // A socket that never opened is one failed attempt, told to whoever called open() (connect
        // or the reconnect loop). Starting another loop here would run two at once, each burning
        // the other's attempts and opening sockets that replace each other.
        if (!opened) reject(unreachable());
        else if (!this.closedByUser) void this.reconnect();
      };
    });
  }

  private async hello(resume: boolean): Promise<string> {
    let renew = false;
    for (;;) {
      const token = await this.options.token(renew);
      if (!token) throw new SignalError('unauthorized', 'Please sign in again');
      try {
        const data = await this.request<{ peerId: string; resumeToken: string; resumed: boolean }>('hello', {
          token,
          ...(resume && this.resumeToken ? { resumeToken: this.resumeToken } : {}),
        });
        this.resumeToken = data.resumeToken;
        this.peerId = data.peerId;
        this.attempts = 0;
        this.options.onStateChange?.('open');
        if (resume && !data.resumed) this.options.onResumeFailed?.();
        return data.peerId;
      } catch (error) {
        // An expired access token: the socket was closed by the server; get a new token, reopen.
        if (error instanceof SignalError && error.code === 'unauthorized' && !renew) {
          renew = true;
          await this.open();
          continue;
        }
        throw error;
      }
    }
  }

  private async reconnect(): Promise<void> {
    // One loop at a time: a socket of an attempt that opens and then drops ends up here too.
    if (this.reconnecting) return;
    this.reconnecting = true;
    try {
      while (!this.closedByUser && this.attempts < RECONNECT_DELAYS_MS.length) {
        const delay = RECONNECT_DELAYS_MS[this.attempts++];
        this.options.onStateChange?.('reconnecting');
        await new Promise((resolve) => setTimeout(resolve, delay));
        if (this.closedByUser) return;
        try {
          await this.open();
          await this.hello(true);
          return;
        } catch {
          // next attempt
        }
      }
      if (!this.closedByUser) this.options.onStateChange?.('closed');
    } finally {
      this.reconnecting = false;
    }
  }

  private onMessage(text: string): void {
    let message: { id?: number | null; ok?: boolean; data?: unknown; error?: ErrorBody; method?: string };
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof message.id === 'number') {
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      clearTimeout(pending.timer);
      if (message.ok) pending.resolve(message.data ?? {});
      else {
        const error = message.error ?? { code: 'internal', message: 'Unknown error' };
        pending.reject(new SignalError(error.code, error.message, error.field));
      }
      return;
    }
    if (typeof message.method === 'string') this.options.onNotification(message.method, message.data ?? {});
  }

  private failPending(error: Error): void {
    for (const [, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.pending.clear();
  }
}

/** ws(s)://<this host>/ws */
export function signalingUrl(location: Location = window.location): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}
