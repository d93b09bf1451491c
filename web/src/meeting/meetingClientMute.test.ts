// Muting the microphone stops the packets, not just the sound: the mic producer is made with
// mediasoup-client's zeroRtpOnPause, and a host's mute pauses it as our own mute does.
import { describe, expect, it } from 'vitest';
import type { Device } from 'mediasoup-client';
import type { SignalClient } from '../signal/SignalClient';
import { FakeTrack } from '../test/fakeMedia';
import { MeetingClient } from './MeetingClient';

type Handler = (method: string, data: unknown) => void;

class FakeProducer {
  paused = false;
  constructor(
    readonly id: string,
    readonly track: MediaStreamTrack,
    readonly options: Record<string, unknown>,
  ) {}
  on() {}
  pause() {
    this.paused = true;
  }
  resume() {
    this.paused = false;
  }
  close() {}
}

async function joined() {
  const requests: string[] = [];
  const producers = new Map<string, FakeProducer>();
  let notify: Handler = () => undefined;
  const transport = (id: string) => ({
    id,
    closed: false,
    on: () => undefined,
    close: () => undefined,
    produce: async (options: { track: MediaStreamTrack; appData: { source: string } }) => {
      const producer = new FakeProducer(`prod-${options.appData.source}`, options.track, options);
      producers.set(options.appData.source, producer);
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
          you: { peerId: 'me', role: 'participant', displayName: 'Me' },
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
  const client = new MeetingClient({
    signal: (handlers: { onNotification: Handler }) => {
      notify = handlers.onNotification;
      return signal as unknown as SignalClient;
    },
    createDevice: () => device,
  });
  const tracks = [new FakeTrack('audio', 'mic'), new FakeTrack('video', 'cam')] as unknown as MediaStreamTrack[];
  const stream = {
    getAudioTracks: () => tracks.filter((t) => t.kind === 'audio'),
    getVideoTracks: () => tracks.filter((t) => t.kind === 'video'),
  } as unknown as MediaStream;
  await client.join({ code: 'abc-defg-hij', displayName: 'Me', stream, audioEnabled: true, videoEnabled: true });
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 0));
  return { client, requests, producers, notify: (method: string, data: unknown) => notify(method, data) };
}

describe('MeetingClient microphone mute', () => {
  it('makes the microphone producer send no RTP while paused; the camera keeps the default', async () => {
    const { producers } = await joined();
    expect(producers.get('mic')?.options.zeroRtpOnPause).toBe(true);
    expect(producers.get('camera')?.options.zeroRtpOnPause).toBeUndefined();
  });

  it('pauses and resumes the producer with the control, and tells the server', async () => {
    const { client, producers, requests } = await joined();
    await client.setMicEnabled(false);
    expect(producers.get('mic')?.paused).toBe(true);
    expect(requests).toContain('pauseProducer');
    await client.setMicEnabled(true);
    expect(producers.get('mic')?.paused).toBe(false);
    expect(requests).toContain('resumeProducer');
  });

  it("pauses the producer when a host mutes us, and the person's unmute resumes it", async () => {
    const { client, producers, notify } = await joined();
    notify('you.muted', { kind: 'audio', by: 'host-peer' });
    expect(producers.get('mic')?.paused).toBe(true);
    expect(client.getState().local.mic).toBe(false);
    expect(client.getState().notice).toBe('A host muted you');
    await client.setMicEnabled(true);
    expect(producers.get('mic')?.paused).toBe(false);
    expect(client.getState().local.mic).toBe(true);
  });
});
