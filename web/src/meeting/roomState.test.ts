import { describe, expect, it } from 'vitest';
import type { ChatMessage, PeerInfo } from '../signal/protocol';
import { appendMessage, isChatMessage, replaceMessage } from './chat';
import { REACTION_EMOJIS, ReactionThrottle, isReactionEmoji } from './reactions';
import { INITIAL_STATE, reduceNotification, type MeetingState } from './roomState';

const peer = (peerId: string, displayName: string): PeerInfo => ({
  peerId,
  displayName,
  role: 'participant',
  handRaised: false,
  muted: { audio: false, video: false, screen: false },
  connection: 'connected',
});

const message = (id: number, peerId = 'p2', text = `m${id}`): ChatMessage => ({
  id,
  peerId,
  senderName: peerId,
  text,
  createdAt: '2026-01-01T00:00:00Z',
  editedAt: null,
  deleted: false,
});

const state: MeetingState = {
  ...INITIAL_STATE,
  status: 'joined',
  self: { peerId: 'me', displayName: 'Me', role: 'participant' },
  peers: [peer('p2', 'Ann')],
  chat: [message(1), message(2, 'me')],
};

describe('reduceNotification', () => {
  it('leaves notifications with side effects to the client', () => {
    for (const method of ['producer.new', 'you.removed', 'meeting.ended', 'reaction', 'lobby.admitted']) {
      expect(reduceNotification(state, method, {}, false)).toBeNull();
    }
  });

  it('raises a join event only for someone new', () => {
    const joined = reduceNotification(state, 'peer.joined', peer('p3', 'Bob'), false)!;
    expect(joined.change?.peers?.map((p) => p.peerId)).toEqual(['p2', 'p3']);
    expect(joined.events).toEqual([{ type: 'peerJoined', peerId: 'p3', displayName: 'Bob' }]);
    expect(reduceNotification(state, 'peer.joined', peer('p2', 'Ann'), false)!.events).toEqual([]);
  });

  it('names who left, with the reason', () => {
    const left = reduceNotification(state, 'peer.left', { peerId: 'p2', reason: 'removed' }, false)!;
    expect(left.change?.peers).toEqual([]);
    expect(left.events).toEqual([{ type: 'peerLeft', peerId: 'p2', displayName: 'Ann', reason: 'removed' }]);
  });

  it('follows our own role and name through peer.updated', () => {
    const updated = reduceNotification(state, 'peer.updated', { ...peer('me', 'Me 2'), role: 'cohost' }, false)!;
    expect(updated.change?.self).toEqual({ peerId: 'me', displayName: 'Me 2', role: 'cohost' });
  });

  it('counts unread chat unless the chat is open or the message is ours', () => {
    expect(reduceNotification(state, 'chat.message', message(3), false)!.change).toMatchObject({ unreadChat: 1 });
    expect(reduceNotification(state, 'chat.message', message(3), true)!.change).toMatchObject({ unreadChat: 0 });
    expect(reduceNotification(state, 'chat.message', message(1), false)!.change).toBeNull();
    expect(reduceNotification(state, 'chat.message', { id: 'x' }, false)!.change).toBeNull();
  });

  it('replaces edited and deleted messages in place', () => {
    const edited = reduceNotification(state, 'chat.edited', { ...message(1), text: 'new', editedAt: '2026-01-01T00:05:00Z' }, false)!;
    expect(edited.change?.chat?.map((m) => m.text)).toEqual(['new', 'm2']);
    const deleted = reduceNotification(state, 'chat.deleted', { ...message(2, 'me'), deleted: true }, false)!;
    expect(deleted.change?.chat?.[1]).toMatchObject({ id: 2, deleted: true, text: '' });
  });
});

describe('chat list', () => {
  it('appends new messages once', () => {
    expect(appendMessage([message(1)], message(2))?.map((m) => m.id)).toEqual([1, 2]);
    expect(appendMessage([message(1)], message(1))).toBeNull();
  });

  it('replaces by id, ignores unknown ids, blanks deleted text', () => {
    expect(replaceMessage([message(1)], message(9))).toBeNull();
    expect(replaceMessage([message(1)], { ...message(1), deleted: true })?.[0].text).toBe('');
  });

  it('checks the shape of a message', () => {
    expect(isChatMessage(message(1))).toBe(true);
    expect(isChatMessage(null)).toBe(false);
    expect(isChatMessage({ id: 1, text: 'x' })).toBe(false);
  });
});

describe('reactions', () => {
  it('knows the protocol emojis', () => {
    expect(REACTION_EMOJIS).toHaveLength(8);
    expect(isReactionEmoji('🙌')).toBe(true);
    expect(isReactionEmoji('💩')).toBe(false);
    expect(isReactionEmoji(1)).toBe(false);
  });

  it('throttles each person on their own', () => {
    const throttle = new ReactionThrottle(500);
    expect(throttle.allow('a', 0)).toBe(true);
    expect(throttle.allow('b', 100)).toBe(true);
    expect(throttle.allow('a', 499)).toBe(false);
    expect(throttle.allow('a', 500)).toBe(true);
    throttle.forget('b');
    expect(throttle.allow('b', 200)).toBe(true);
  });
});
