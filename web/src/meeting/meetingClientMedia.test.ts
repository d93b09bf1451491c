// MeetingClient's side of the room's media tools: the transports for stats, the producers for
// replaceTrack, and what happens when a local track ends. Driven with a DeviceSwitcher end to end.
import { describe, expect, it, vi } from 'vitest';
import type { Device } from 'mediasoup-client';
import type { SignalClient } from '../signal/SignalClient';
import { FakeTrack } from '../test/fakeMedia';
import { DeviceSwitcher } from './deviceSwitch';
import { MeetingClient } from './MeetingClient';

type Handler = (method: string, data: unknown) => void;

/** A mediasoup-client Producer: keeps its id across replaceTrack, fires trackended like the real one. */
class FakeProducer {
  closed = false;
  paused = false;
  private readonly handlers = new Map<string, () => void>();
  constructor(
    readonly id: string,
    public track: MediaStreamTrack,
  ) {
    this.watch(track);
  }
  private watch(track: MediaStreamTrack) {
    track.addEventListener('ended', () => {
      if (track === this.track) this.handlers.get('trackended')?.();
    });
  }
  on(event: string, handler: () => void) {
    this.handlers.set(event, handler);
  }
  pause() {
    this.paused = true;
  }
  resume() {
    this.paused = false;
  }
  close() {
    this.closed = true;
  }
  replaceTrack = vi.fn(async ({ track }: { track: MediaStreamTrack }) => {
    this.track = track;
    this.watch(track);
  });
}

function setup() {
  const requests: string[] = [];
  let produced = 0;
  const producers: FakeProducer[] = [];
  const transport = (id: string) => ({
    id,
    closed: false,
    on: () => undefined,
    close() {
      this.closed = true;
    },
    getStats: async () => new Map(),
    produce: async ({ track }: { track: MediaStreamTrack }) => {
      const producer = new FakeProducer(`prod-${++produced}`, track);
      producers.push(producer);
      return producer;
    },
  });
  const signal = {
    connect: async () => 'me',
    close: () => undefined,
    request: async (method: string, data: Record<string, unknown> = {}) => {
      requests.push(method);
      if (method === 'join')
        return {
          state: 'joined',
          meeting: { code: 'abc-defg-hij', title: 'T', locked: false, settings: {} },
          you: { peerId: 'me', role: 'host', displayName: 'Me' },
          peers: [],
          producers: [],
          chat: { messages: [], hasMore: false },
          lobby: [],
        };
      if (method === 'getRouterRtpCapabilities') return { rtpCapabilities: {} };
      if (method === 'createTransport') return { id: `${data.direction}-t` };
      return {};
    },
  };
  const device = {
    load: async () => undefined,
    rtpCapabilities: {},
    createSendTransport: () => transport('send-t'),
    createRecvTransport: () => transport('recv-t'),
  } as unknown as Device;
  const gum = vi.fn(async (constraints: MediaStreamConstraints) => {
    const kind = constraints.audio ? 'audio' : 'video';
    const spec = (constraints.audio ?? constraints.video) as { deviceId?: { exact?: string; ideal?: string } } | true;
    const id = spec === true ? 'default' : (spec.deviceId?.exact ?? spec.deviceId?.ideal ?? 'default');
    const track = new FakeTrack(kind, id) as unknown as MediaStreamTrack;
    return {
      getTracks: () => [track],
      getAudioTracks: () => (kind === 'audio' ? [track] : []),
      getVideoTracks: () => (kind === 'video' ? [track] : []),
    } as unknown as MediaStream;
  });
  const client = new MeetingClient({
    signal: (handlers: { onNotification: Handler }) => {
      void handlers;
      return signal as unknown as SignalClient;
    },
    createDevice: () => device,
    getUserMedia: gum,
  });
  return { client, requests, producers, gum };
}

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
};

async function joinedWith(tracks: FakeTrack[]) {
  const env = setup();
  const stream = {
    getAudioTracks: () => tracks.filter((t) => t.kind === 'audio'),
    getVideoTracks: () => tracks.filter((t) => t.kind === 'video'),
  } as unknown as MediaStream;
  await env.client.join({ code: 'abc-defg-hij', displayName: 'Me', stream, audioEnabled: true, videoEnabled: true });
  await settle();
  return env;
}

describe('MeetingClient media accessors', () => {
  it('hands out the open transports, and none after leaving', async () => {
    const { client } = await joinedWith([]);
    expect(client.mediaTransports().map((t) => t.id)).toEqual(['send-t', 'recv-t']);
    await client.leave();
    expect(client.mediaTransports()).toEqual([]);
  });

  it('switches the camera without a new producer: same id, no new produce request, self view follows', async () => {
    const camera = new FakeTrack('video', 'cam-1');
    const { client, requests, producers, gum } = await joinedWith([new FakeTrack('audio', 'mic-1'), camera]);
    const producer = client.localProducer('camera') as unknown as FakeProducer;
    expect(producer.id).toBe('prod-2');
    const switcher = new DeviceSwitcher(client, undefined, {
      getUserMedia: gum,
      listDevices: async () => ({ audioInputs: [], videoInputs: [], audioOutputs: [] }),
      watchDevices: () => () => undefined,
    });
    const before = requests.length;
    await switcher.switchInput('video', 'cam-2');
    expect(client.localProducer('camera')).toBe(producer);
    expect(producers).toHaveLength(2);
    expect(requests.slice(before)).toEqual([]); // no produce/closeProducer: no renegotiation
    expect(camera.stopped).toBe(true);
    expect((client.getState().local.cameraTrack as unknown as FakeTrack).deviceId).toBe('cam-2');
  });

  it('lets a device switcher take over an unplugged microphone, else stops the source', async () => {
    const mic = new FakeTrack('audio', 'mic-2');
    const { client, requests, gum } = await joinedWith([mic]);
    const switcher = new DeviceSwitcher(client, undefined, {
      getUserMedia: gum,
      listDevices: async () => ({ audioInputs: [], videoInputs: [], audioOutputs: [] }),
      watchDevices: () => () => undefined,
    });
    switcher.start();
    mic.unplug();
    await settle();
    const producer = client.localProducer('mic') as unknown as FakeProducer;
    expect(producer).not.toBeNull();
    expect((producer.track as unknown as FakeTrack).deviceId).toBe('default');
    expect(client.getState().notice).toBe('Your microphone was disconnected. Switched to the default microphone.');
    expect(requests).not.toContain('closeProducer');

    switcher.stop();
    (producer.track as unknown as FakeTrack).unplug();
    await settle();
    expect(client.localProducer('mic')).toBeNull();
    expect(requests).toContain('closeProducer');
  });

  it('opens the preferred devices when the microphone or camera is turned on later', async () => {
    const { client, gum } = await joinedWith([]);
    client.preferDevice('audio', 'mic-2');
    client.preferDevice('video', 'cam-2');
    await client.setMicEnabled(true);
    await client.setCameraEnabled(true);
    expect(gum.mock.calls.map(([c]) => c)).toEqual([
      { audio: { deviceId: { ideal: 'mic-2' } } },
      { video: { deviceId: { ideal: 'cam-2' } } },
    ]);
    client.showNotice('hello');
    expect(client.getState().notice).toBe('hello');
  });
});
