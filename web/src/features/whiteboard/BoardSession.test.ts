import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { INITIAL_STATE, type MeetingState } from '../../meeting/roomState';
import { BoardSession, type BoardMeetingLink } from './BoardSession';

/** The parts of MeetingClient the session uses, driven by the test. */
function fakeMeeting() {
  let state: MeetingState = {
    ...INITIAL_STATE,
    status: 'joined',
    connection: 'open',
    self: { peerId: 'p1', displayName: 'Ana', role: 'host' },
  };
  const listeners = new Set<() => void>();
  const boardListeners = new Set<(method: string, data: unknown) => void>();
  const requests: { method: string; data: object }[] = [];
  const link: BoardMeetingLink = {
    getState: () => state,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onBoardNotification: (listener) => {
      boardListeners.add(listener);
      return () => boardListeners.delete(listener);
    },
    boardRequest: <T>(method: string, data: object) => {
      requests.push({ method, data });
      return Promise.resolve({
        epoch: 'e1',
        reset: method === 'board.sync' && !('epoch' in data),
        elements: [],
        seq: 4,
        complete: true,
      } as T);
    },
  };
  return {
    link,
    requests,
    set(change: Partial<MeetingState>) {
      state = { ...state, ...change };
      listeners.forEach((l) => l());
    },
    notify: (method: string, data: unknown) => boardListeners.forEach((l) => l(method, data)),
    get listening() {
      return listeners.size + boardListeners.size;
    },
  };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('BoardSession', () => {
  it('passes board notifications to the engine and resyncs after a reconnection', async () => {
    const meeting = fakeMeeting();
    const scene = vi.fn();
    const session = new BoardSession(meeting.link, { scene });
    await session.start();
    expect(meeting.requests).toEqual([{ method: 'board.sync', data: {} }]);
    meeting.notify('board.elements', { peerId: 'p2', seq: 5, elements: [{ id: 'a', version: 1, versionNonce: 3, isDeleted: false }] });
    expect(scene).toHaveBeenLastCalledWith([{ id: 'a', version: 1, versionNonce: 3, isDeleted: false }], false);

    meeting.set({ connection: 'reconnecting' });
    meeting.set({ connection: 'open' });
    await vi.runAllTimersAsync();
    expect(meeting.requests.at(-1)).toEqual({ method: 'board.sync', data: { epoch: 'e1', sinceSeq: 5 } });
  });

  it('resyncs once after a fresh join (new peer id) and stops listening when disposed', async () => {
    const meeting = fakeMeeting();
    const session = new BoardSession(meeting.link, { scene: vi.fn() });
    await session.start();
    meeting.set({ self: { peerId: 'p9', displayName: 'Ana', role: 'host' } });
    await vi.runAllTimersAsync();
    expect(meeting.requests.filter((r) => r.method === 'board.sync')).toHaveLength(2);
    session.dispose();
    expect(meeting.listening).toBe(0);
  });
});
