import { describe, expect, it } from 'vitest';
import type { Device } from 'mediasoup-client';
import type { SignalClient } from '../signal/SignalClient';
import { MeetingClient } from './MeetingClient';

type Handler = (method: string, data: unknown) => void;

/** Answers requests from a table and records them; `push` plays a server notification. */
function fakeSignal(answers: Record<string, (data: Record<string, unknown>) => unknown>) {
  const requests: { method: string; data: Record<string, unknown> }[] = [];
  let onNotification: Handler = () => undefined;
  const signal = {
    connect: async () => 'me',
    close: () => undefined,
    request: async (method: string, data: Record<string, unknown> = {}) => {
      requests.push({ method, data });
      const answer = answers[method];
      return answer ? answer(data) : {};
    },
  };
  return {
    requests,
    push: (method: string, data: unknown) => onNotification(method, data),
    factory: (handlers: { onNotification: Handler }) => {
      onNotification = handlers.onNotification;
      return signal as unknown as SignalClient;
    },
  };
}

function fakeTrack(kind: string): MediaStreamTrack {
  return { kind, id: `${kind}-${Math.random()}`, stop: () => undefined } as unknown as MediaStreamTrack;
}

function fakeTransport(id: string) {
  return {
    id,
    on: () => undefined,
    close: () => undefined,
    consume: async ({ id: consumerId, kind }: { id: string; kind: string }) => ({
      id: consumerId,
      track: fakeTrack(kind),
      close: () => undefined,
    }),
  };
}

const fakeDevice = () =>
  ({
    load: async () => undefined,
    rtpCapabilities: { codecs: [] },
    createSendTransport: () => fakeTransport('send-t'),
    createRecvTransport: () => fakeTransport('recv-t'),
  }) as unknown as Device;

const snapshot = {
  state: 'joined',
  meeting: {
    code: 'abc-defg-hij',
    title: 'Standup',
    locked: false,
    settings: { waitingRoom: false, guestsAllowed: true, muteOnEntry: false, screenShare: 'everyone' },
  },
  you: { peerId: 'me', role: 'host', displayName: 'Me' },
  peers: [
    {
      peerId: 'p2',
      displayName: 'Ann',
      role: 'participant',
      handRaised: false,
      muted: { audio: false, video: false, screen: false },
      connection: 'connected',
    },
  ],
  producers: [{ producerId: 'prod-1', peerId: 'p2', kind: 'video', source: 'camera', paused: false }],
  chat: { messages: [], hasMore: false },
  lobby: [],
};

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** The client's clock for reaction throttling, moved by hand. */
const clock = { now: 1_000_000 };

async function joined() {
  let consumers = 0;
  const signal = fakeSignal({
    join: () => snapshot,
    getRouterRtpCapabilities: () => ({ rtpCapabilities: { codecs: [] } }),
    createTransport: (d) => ({ id: `${d.direction}-t`, iceParameters: {}, iceCandidates: [], dtlsParameters: {}, iceServers: [] }),
    consume: (d) => ({
      id: `c-${++consumers}`,
      producerId: d.producerId,
      kind: 'video',
      rtpParameters: {},
      producerPaused: false,
      appData: { peerId: 'p2', source: 'camera' },
    }),
    'chat.send': (d) => ({
      id: 1,
      peerId: 'me',
      senderName: 'Me',
      text: d.text,
      createdAt: '2026-01-01T00:00:00Z',
      editedAt: null,
      deleted: false,
    }),
    'chat.edit': (d) => ({
      id: d.id,
      peerId: 'me',
      senderName: 'Me',
      text: d.text,
      createdAt: '2026-01-01T00:00:00Z',
      editedAt: '2026-01-01T00:01:00Z',
      deleted: false,
    }),
    'chat.delete': (d) => ({
      id: d.id,
      peerId: 'me',
      senderName: 'Me',
      text: '',
      createdAt: '2026-01-01T00:00:00Z',
      editedAt: null,
      deleted: true,
    }),
  });
  const client = new MeetingClient({ signal: signal.factory, createDevice: fakeDevice, now: () => clock.now });
  await client.join({ code: 'abc-defg-hij', displayName: 'Me', stream: null, audioEnabled: true, videoEnabled: true });
  await settle();
  await settle();
  return { client, signal };
}

describe('MeetingClient', () => {
  it('joins, loads the device and consumes the producers of the snapshot', async () => {
    const { client, signal } = await joined();
    const state = client.getState();
    expect(state.status).toBe('joined');
    expect(state.peers.map((p) => p.displayName)).toEqual(['Ann']);
    expect(state.remote).toHaveLength(1);
    expect(state.remote[0]).toMatchObject({ peerId: 'p2', source: 'camera', consumerId: 'c-1' });
    const methods = signal.requests.map((r) => r.method);
    expect(methods).toEqual(['join', 'getRouterRtpCapabilities', 'createTransport', 'createTransport', 'consume', 'resumeConsumer']);
    expect(signal.requests[4].data).toMatchObject({ transportId: 'recv-t', producerId: 'prod-1' });
  });

  it('follows producers coming and going', async () => {
    const { client, signal } = await joined();
    signal.push('producer.new', { producerId: 'prod-2', peerId: 'p2', kind: 'audio', source: 'mic', paused: false });
    await settle();
    expect(client.getState().remote).toHaveLength(2);
    signal.push('producer.paused', { producerId: 'prod-1', peerId: 'p2' });
    expect(client.getState().remote.find((t) => t.producerId === 'prod-1')?.paused).toBe(true);
    signal.push('producer.closed', { producerId: 'prod-1', peerId: 'p2' });
    expect(client.getState().remote.map((t) => t.producerId)).toEqual(['prod-2']);
    signal.push('peer.left', { peerId: 'p2', reason: 'left' });
    expect(client.getState().remote).toEqual([]);
    expect(client.getState().peers).toEqual([]);
  });

  it('never consumes its own producers', async () => {
    const { client, signal } = await joined();
    signal.push('producer.new', { producerId: 'mine', peerId: 'me', kind: 'audio', source: 'mic', paused: false });
    await settle();
    expect(client.getState().remote).toHaveLength(1);
  });

  it('keeps chat, counts unread messages while the panel is closed', async () => {
    const { client, signal } = await joined();
    signal.push('chat.message', {
      id: 5,
      peerId: 'p2',
      senderName: 'Ann',
      text: 'hi',
      createdAt: '2026-01-01T00:00:00Z',
      editedAt: null,
      deleted: false,
    });
    expect(client.getState().unreadChat).toBe(1);
    client.markChatRead(true);
    expect(client.getState().unreadChat).toBe(0);
    await client.sendChat('hello');
    expect(client.getState().chat.map((m) => m.text)).toEqual(['hi', 'hello']);
  });

  it('tracks the lobby for hosts', async () => {
    const { client, signal } = await joined();
    signal.push('lobby.request', { peerId: 'w1', displayName: 'Waiter' });
    expect(client.getState().lobby).toEqual([{ peerId: 'w1', displayName: 'Waiter' }]);
    signal.push('lobby.resolved', { peerId: 'w1', outcome: 'admitted' });
    expect(client.getState().lobby).toEqual([]);
  });

  it('ends up removed or ended when the server says so', async () => {
    const removed = await joined();
    removed.signal.push('you.removed', { banned: false });
    expect(removed.client.getState().status).toBe('removed');
    expect(removed.client.getState().remote).toEqual([]);
    const ended = await joined();
    ended.signal.push('meeting.ended', {});
    expect(ended.client.getState().status).toBe('ended');
  });

  it('waits in the lobby, then enters with the snapshot when admitted', async () => {
    const signal = fakeSignal({
      join: () => ({ state: 'waiting' }),
      getRouterRtpCapabilities: () => ({ rtpCapabilities: {} }),
      createTransport: () => ({ id: 't' }),
    });
    const client = new MeetingClient({ signal: signal.factory, createDevice: fakeDevice });
    await client.join({ code: 'abc-defg-hij', displayName: 'Me', stream: null, audioEnabled: false, videoEnabled: false });
    expect(client.getState().status).toBe('waiting');
    signal.push('lobby.admitted', { ...snapshot, producers: [] });
    await settle();
    expect(client.getState().status).toBe('joined');
  });

  it("edits and deletes chat messages, its own and others'", async () => {
    const { client, signal } = await joined();
    await client.sendChat('helo');
    await client.editChat(1, 'hello');
    expect(signal.requests.at(-1)).toEqual({ method: 'chat.edit', data: { id: 1, text: 'hello' } });
    expect(client.getState().chat[0]).toMatchObject({ text: 'hello', editedAt: '2026-01-01T00:01:00Z' });
    const theirs = {
      id: 7,
      peerId: 'p2',
      senderName: 'Ann',
      text: 'hi',
      createdAt: '2026-01-01T00:02:00Z',
      editedAt: null,
      deleted: false,
    };
    signal.push('chat.message', theirs);
    signal.push('chat.edited', { ...theirs, text: 'hi all', editedAt: '2026-01-01T00:03:00Z' });
    expect(client.getState().chat[1]).toMatchObject({ id: 7, text: 'hi all' });
    signal.push('chat.deleted', { ...theirs, text: '', deleted: true });
    expect(client.getState().chat[1]).toMatchObject({ id: 7, text: '', deleted: true });
    await client.deleteChat(1);
    expect(client.getState().chat[0]).toMatchObject({ id: 1, text: '', deleted: true });
    // Edits do not count as unread messages; an edit of a message we never had is ignored.
    expect(client.getState().unreadChat).toBe(1);
    signal.push('chat.edited', { ...theirs, id: 99 });
    expect(client.getState().chat.map((m) => m.id)).toEqual([1, 7]);
  });

  it('tells listeners who joins and leaves, never about itself', async () => {
    const { client, signal } = await joined();
    const events: unknown[] = [];
    const off = client.onEvent((event) => events.push(event));
    const bob = { ...snapshot.peers[0], peerId: 'p3', displayName: 'Bob' };
    signal.push('peer.joined', bob);
    signal.push('peer.joined', bob); // a repeat (e.g. after a resume) is not a new arrival
    signal.push('peer.joined', { ...bob, peerId: 'me', displayName: 'Me' });
    signal.push('peer.left', { peerId: 'p2', reason: 'left' });
    signal.push('peer.left', { peerId: 'nobody', reason: 'left' });
    expect(events).toEqual([
      { type: 'peerJoined', peerId: 'p3', displayName: 'Bob' },
      { type: 'peerLeft', peerId: 'p2', displayName: 'Ann', reason: 'left' },
    ]);
    expect(client.getState().peers.map((p) => p.displayName)).toEqual(['Bob']);
    off();
    signal.push('peer.left', { peerId: 'p3', reason: 'disconnected' });
    expect(events).toHaveLength(2);
  });

  it("sends reactions at most twice a second and shows its own and others'", async () => {
    const { client, signal } = await joined();
    const events: unknown[] = [];
    client.onEvent((event) => events.push(event));
    expect(client.react('👍')).toBe(true);
    clock.now += 200;
    expect(client.react('🎉')).toBe(false);
    clock.now += 300;
    expect(client.react('🎉')).toBe(true);
    await settle();
    expect(signal.requests.filter((r) => r.method === 'reaction').map((r) => r.data)).toEqual([{ emoji: '👍' }, { emoji: '🎉' }]);
    signal.push('reaction', { peerId: 'p2', emoji: '❤️' });
    signal.push('reaction', { peerId: 'p2', emoji: '😂' }); // too soon after the last one
    signal.push('reaction', { peerId: 'p2', emoji: '💩' }); // not one of the protocol's
    expect(events).toEqual([
      { type: 'reaction', peerId: 'me', emoji: '👍' },
      { type: 'reaction', peerId: 'me', emoji: '🎉' },
      { type: 'reaction', peerId: 'p2', emoji: '❤️' },
    ]);
  });
});
