import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SignalClient, SignalError, type ConnectionState } from './SignalClient';

/** A WebSocket double: records what the client sends, lets the test answer. */
class FakeSocket {
  static instances: FakeSocket[] = [];
  static OPEN = 1;
  /** While set, new sockets fail as the browser's do when the network is down: error, then close. */
  static refuse = false;
  readyState = 0;
  sent: { id: number; method: string; data: Record<string, unknown> }[] = [];
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onclose: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
    const refused = FakeSocket.refuse;
    queueMicrotask(() => {
      if (refused) {
        this.readyState = 3;
        this.onerror?.();
        this.onclose?.();
        return;
      }
      this.readyState = 1;
      this.onopen?.();
    });
  }
  send(text: string) {
    this.sent.push(JSON.parse(text));
  }
  close() {
    this.readyState = 3;
  }
  reply(id: number, data: unknown) {
    this.onmessage?.({ data: JSON.stringify({ id, ok: true, data }) });
  }
  fail(id: number, code: string) {
    this.onmessage?.({ data: JSON.stringify({ id, ok: false, error: { code, message: code } }) });
  }
  notify(method: string, data: unknown) {
    this.onmessage?.({ data: JSON.stringify({ method, data }) });
  }
  drop() {
    this.readyState = 3;
    this.onclose?.();
  }
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

async function waitForSent(socket: FakeSocket, count: number) {
  for (let i = 0; i < 50 && socket.sent.length < count; i++) await flush();
  return socket.sent[count - 1];
}

describe('SignalClient', () => {
  let notifications: [string, unknown][];
  let states: ConnectionState[];
  let tokens: boolean[];
  let resumeFailed: number;

  beforeEach(() => {
    FakeSocket.instances = [];
    FakeSocket.refuse = false;
    notifications = [];
    states = [];
    tokens = [];
    resumeFailed = 0;
    vi.stubGlobal('WebSocket', FakeSocket);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  function makeClient() {
    return new SignalClient({
      url: 'ws://test/ws',
      token: async (renew) => {
        tokens.push(renew);
        return renew ? 'fresh-token' : 'old-token';
      },
      onNotification: (method, data) => notifications.push([method, data]),
      onStateChange: (state) => states.push(state),
      onResumeFailed: () => resumeFailed++,
      WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
    });
  }

  async function connected() {
    const client = makeClient();
    const peer = client.connect();
    const socket = FakeSocket.instances[0];
    const hello = await waitForSent(socket, 1);
    expect(hello).toMatchObject({ method: 'hello', data: { token: 'old-token' } });
    socket.reply(hello.id, { peerId: 'p1', resumeToken: 'r1', resumed: false });
    await expect(peer).resolves.toBe('p1');
    return { client, socket };
  }

  it('sends the token in hello, never in the URL', async () => {
    const { socket } = await connected();
    expect(socket.url).toBe('ws://test/ws');
    expect(states).toEqual(['connecting', 'open']);
  });

  it('matches responses to requests by id and turns errors into SignalError', async () => {
    const { client, socket } = await connected();
    const first = client.request('chat.send', { text: 'a' });
    const second = client.request('chat.send', { text: 'b' });
    const [a, b] = socket.sent.slice(1);
    socket.fail(b.id, 'forbidden');
    socket.reply(a.id, { id: 7 });
    await expect(first).resolves.toEqual({ id: 7 });
    await expect(second).rejects.toMatchObject({ name: 'SignalError', code: 'forbidden' });
  });

  it('passes notifications on and ignores garbage', async () => {
    const { socket } = await connected();
    socket.onmessage?.({ data: 'not json' });
    socket.notify('peer.joined', { peerId: 'p2' });
    expect(notifications).toEqual([['peer.joined', { peerId: 'p2' }]]);
  });

  it('renews an expired token once', async () => {
    const client = makeClient();
    const peer = client.connect();
    const hello = await waitForSent(FakeSocket.instances[0], 1);
    FakeSocket.instances[0].fail(hello.id, 'unauthorized');
    await flush();
    const second = FakeSocket.instances[1];
    const retry = await waitForSent(second, 1);
    expect(retry.data.token).toBe('fresh-token');
    second.reply(retry.id, { peerId: 'p1', resumeToken: 'r1', resumed: false });
    await expect(peer).resolves.toBe('p1');
    expect(tokens).toEqual([false, true]);
  });

  it('fails pending requests when the socket drops, then resumes the same peer', async () => {
    const { client, socket } = await connected();
    const pending = client.request('chat.send', { text: 'x' });
    vi.useFakeTimers();
    socket.drop();
    await expect(pending).rejects.toBeInstanceOf(SignalError);
    expect(states).toContain('reconnecting');
    await vi.advanceTimersByTimeAsync(600);
    vi.useRealTimers();
    const next = FakeSocket.instances[1];
    const hello = await waitForSent(next, 1);
    expect(hello.data).toEqual({ token: 'old-token', resumeToken: 'r1' });
    next.reply(hello.id, { peerId: 'p1', resumeToken: 'r2', resumed: false });
    await flush();
    expect(resumeFailed).toBe(1);
    expect(states.at(-1)).toBe('open');
  });

  it('runs one reconnect loop however many attempts fail, and resumes once the network is back', async () => {
    const { socket } = await connected();
    vi.useFakeTimers();
    FakeSocket.refuse = true;
    socket.drop();
    // Two attempts fail (0.5 s and 1.5 s after the drop), the third (at 3.5 s) gets through.
    await vi.advanceTimersByTimeAsync(1600);
    expect(FakeSocket.instances).toHaveLength(3);
    FakeSocket.refuse = false;
    // Fake timers throughout: a second loop's timers must still be there to fire, if there were one.
    await vi.advanceTimersByTimeAsync(2000);
    expect(FakeSocket.instances).toHaveLength(4);
    const next = FakeSocket.instances[3];
    const hello = next.sent[0];
    expect(hello).toMatchObject({ method: 'hello', data: { token: 'old-token', resumeToken: 'r1' } });
    next.reply(hello.id, { peerId: 'p1', resumeToken: 'r2', resumed: true });
    await vi.advanceTimersByTimeAsync(0);
    // The person saw "reconnecting" all along, never "closed", and no later attempt replaces the socket.
    expect(states.slice(2)).not.toContain('closed');
    expect(states.at(-1)).toBe('open');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.instances).toHaveLength(4);
    expect(resumeFailed).toBe(0);
  });

  it("keeps trying for longer than the server's 30 s grace period, then gives up", async () => {
    const { socket } = await connected();
    vi.useFakeTimers();
    FakeSocket.refuse = true;
    socket.drop();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(states.at(-1)).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(states.at(-1)).toBe('closed');
    expect(FakeSocket.instances).toHaveLength(1 + 8);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeSocket.instances).toHaveLength(1 + 8);
  });

  it('does not reconnect after close()', async () => {
    const { client, socket } = await connected();
    client.close();
    socket.drop();
    await flush();
    expect(FakeSocket.instances).toHaveLength(1);
    await expect(client.request('leave')).rejects.toMatchObject({ code: 'disconnected' });
  });
});
