// A joined room as the Stage sees it, for the Stage tests (desktop and phone layouts).
import type { Mock } from 'vitest';
import { INITIAL_STATE, type MeetingState } from '../meeting/roomState';
import type { PeerInfo } from '../signal/protocol';

export const peer = (n: number): PeerInfo => ({
  peerId: `p${n}`,
  displayName: `Peer ${n}`,
  role: 'participant',
  handRaised: false,
  muted: { audio: false, video: false, screen: false },
  connection: 'connected',
});

/** `count` others with a camera each. The remote tracks are paused: the tiles show avatars
 * (jsdom plays no video), the consumers still count. */
export function roomOf(count: number, change: Partial<MeetingState> = {}): MeetingState {
  const peers = Array.from({ length: count }, (_, i) => peer(i + 1));
  return {
    ...INITIAL_STATE,
    status: 'joined',
    self: { peerId: 'me', displayName: 'Me', role: 'host' },
    peers,
    remote: peers.map((p, i) => ({
      consumerId: `c${i + 1}`,
      producerId: `prod${i + 1}`,
      peerId: p.peerId,
      source: 'camera' as const,
      kind: 'video' as const,
      track: {} as MediaStreamTrack,
      paused: true,
    })),
    ...change,
  };
}

/** The last visibility asked for each consumer through setVideoVisibility. */
export function lastVisibility(mock: Mock): Record<string, string> {
  const last: Record<string, string> = {};
  for (const [id, visible, large] of mock.mock.calls) last[id as string] = !visible ? 'hidden' : large ? 'large' : 'small';
  return last;
}
