import { describe, expect, it } from 'vitest';
import type { Device } from 'mediasoup-client';
import type { SignalClient } from '../signal/SignalClient';
import { MeetingClient } from './MeetingClient';
import { INITIAL_STATE, reduceNotification, type MeetingState } from './roomState';

type Handler = (method: string, data: unknown) => void;

const STARTED = { by: 'me', startedAt: '2026-11-25T18:04:12Z' };

/** A signaling client that answers join with `snapshot` and the recording methods as the server does. */
function fakeSignal(snapshot: Record<string, unknown>) {
  const requests: string[] = [];
  let onNotification: Handler = () => undefined;
  const signal = {
    connect: async () => 'me',
    close: () => undefined,
    request: async (method: string) => {
      requests.push(method);
      if (method === 'join') return snapshot;
      if (method === 'recording.start') return STARTED;
      if (method === 'recording.stop') return { files: 2 };
      throw new Error('media is not part of these tests');
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

const snapshot = (recording: unknown) => ({
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
      displayName: 'Ana',
      role: 'cohost',
      handRaised: false,
      muted: { audio: false, video: false, screen: false },
      connection: 'connected',
    },
  ],
  producers: [],
  chat: { messages: [], hasMore: false },
  recording,
});

async function joinedClient(recording: unknown) {
  const signal = fakeSignal(snapshot(recording));
  const client = new MeetingClient({ signal: signal.factory, createDevice: () => ({}) as Device });
  await client.join({ code: 'abc-defg-hij', displayName: 'Me', stream: null, audioEnabled: false, videoEnabled: false });
  await new Promise((resolve) => setTimeout(resolve, 0));
  return { client, signal };
}

describe('server recording state', () => {
  it('takes the recording from the join snapshot and tells the joiner at once', async () => {
    const { client } = await joinedClient({ by: 'p2', startedAt: '2026-11-25T18:00:00Z' });
    expect(client.getState().recording).toEqual({ by: 'p2', startedAt: '2026-11-25T18:00:00Z' });
    expect(client.getState().recordingNotice).toBe('This meeting is being recorded');
    client.dismissRecordingNotice();
    expect(client.getState().recordingNotice).toBeNull();
  });

  it('shows nothing for a meeting that is not recorded (or a server without recording)', async () => {
    for (const recording of [null, undefined]) {
      const { client } = await joinedClient(recording);
      expect(client.getState().recording).toBeNull();
      expect(client.getState().recordingNotice).not.toBe('This meeting is being recorded');
    }
  });

  it('follows recording.started and recording.stopped with a notice naming who', async () => {
    const { client, signal } = await joinedClient(null);
    signal.push('recording.started', { by: 'p2', startedAt: '2026-11-25T18:10:00Z' });
    expect(client.getState().recording).toEqual({ by: 'p2', startedAt: '2026-11-25T18:10:00Z' });
    expect(client.getState().recordingNotice).toBe('Ana started recording this meeting');
    signal.push('recording.stopped', { by: 'p2', files: 3 });
    expect(client.getState().recording).toBeNull();
    expect(client.getState().recordingNotice).toBe('Ana stopped recording this meeting');
    signal.push('recording.started', { by: 'me', startedAt: '2026-11-25T18:20:00Z' });
    expect(client.getState().recordingNotice).toBe('You started recording this meeting');
    signal.push('recording.stopped', { by: null, files: 1 });
    expect(client.getState().recordingNotice).toBe('The recording of this meeting stopped');
  });

  it('keeps the recording across a room.snapshot without telling again', async () => {
    const { client, signal } = await joinedClient(STARTED);
    client.dismissRecordingNotice();
    signal.push('room.snapshot', snapshot(STARTED));
    expect(client.getState().recording).toEqual(STARTED);
    expect(client.getState().recordingNotice).toBeNull();
    signal.push('room.snapshot', snapshot(null));
    expect(client.getState().recording).toBeNull();
  });

  it('starts and stops through the server', async () => {
    const { client, signal } = await joinedClient(null);
    await client.startRecording();
    expect(client.getState().recording).toEqual(STARTED);
    await client.stopRecording();
    expect(client.getState().recording).toBeNull();
    expect(signal.requests).toEqual(expect.arrayContaining(['recording.start', 'recording.stop']));
  });

  it('ignores a malformed recording.started', () => {
    const state: MeetingState = { ...INITIAL_STATE };
    expect(reduceNotification(state, 'recording.started', { by: 5 }, false)).toEqual({ change: null, events: [] });
    const named = reduceNotification(state, 'recording.started', { by: 'gone', startedAt: 'x' }, false);
    expect(named?.change?.recordingNotice).toBe('Someone started recording this meeting');
  });
});

describe('recording saved (recording.stopped with recordingId)', () => {
  const as = (role: 'host' | 'cohost' | 'participant' | 'guest'): MeetingState => ({
    ...INITIAL_STATE,
    self: { peerId: 'me', displayName: 'Me', role },
    recording: STARTED,
  });

  it('tells hosts and co-hosts that a recording was kept, with its id', () => {
    for (const role of ['host', 'cohost'] as const) {
      const reduced = reduceNotification(as(role), 'recording.stopped', { by: 'me', files: 2, recordingId: 12 }, false);
      expect(reduced?.events).toEqual([{ type: 'recordingSaved', recordingId: 12 }]);
      expect(reduced?.change).toMatchObject({ recording: null, recordingNotice: 'You stopped recording this meeting' });
    }
  });

  it('tells nobody else, and nothing when no recording was kept (or an older server sends no id)', () => {
    for (const role of ['participant', 'guest'] as const) {
      expect(reduceNotification(as(role), 'recording.stopped', { by: 'p2', files: 2, recordingId: 12 }, false)?.events).toEqual([]);
    }
    expect(reduceNotification(as('host'), 'recording.stopped', { by: null, files: 0, recordingId: null }, false)?.events).toEqual([]);
    expect(reduceNotification(as('host'), 'recording.stopped', { by: 'me', files: 1 }, false)?.events).toEqual([]);
    expect(reduceNotification(as('host'), 'recording.stopped', { by: 'me', files: 1, recordingId: '12' }, false)?.events).toEqual([]);
  });

  it('passes the event to onEvent listeners of the client', async () => {
    const { client, signal } = await joinedClient(STARTED);
    const events: unknown[] = [];
    client.onEvent((event) => events.push(event));
    signal.push('recording.stopped', { by: null, files: 3, recordingId: 7 });
    expect(events).toEqual([{ type: 'recordingSaved', recordingId: 7 }]);
    expect(client.getState().recording).toBeNull();
  });

  it('follows a recording that nobody started (auto-record) with a plain notice', () => {
    const reduced = reduceNotification(as('participant'), 'recording.started', { by: null, startedAt: '2026-11-25T19:00:00Z' }, false);
    expect(reduced?.change).toEqual({
      recording: { by: null, startedAt: '2026-11-25T19:00:00Z' },
      recordingNotice: 'This meeting is being recorded',
    });
  });
});
