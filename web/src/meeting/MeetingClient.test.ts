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
  });
  const client = new MeetingClient({ signal: signal.factory, createDevice: fakeDevice });
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
});
