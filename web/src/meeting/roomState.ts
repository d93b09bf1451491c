/**
 * The meeting state MeetingClient publishes, and the pure part of following the server: how each
 * notification that only changes state (peers, chat, lobby, settings, speaker) changes it, and
 * which passing events (someone joined or left) it raises for the UI. Notifications with side
 * effects on media or the connection stay in MeetingClient.
 */
import type { ConnectionState } from '../signal/SignalClient';
import { strings } from '../i18n/strings';
import type {
  BoardInfo,
  ChatMessage,
  MediaSource,
  MeetingSettingsView,
  PeerInfo,
  RecordingStoppedNotice,
  Role,
  ServerRecording,
} from '../signal/protocol';
import { appendMessage, isChatMessage, replaceMessage } from './chat';
import type { ReactionEmoji } from './reactions';

export interface RemoteTrack {
  consumerId: string;
  producerId: string;
  peerId: string;
  source: MediaSource;
  kind: 'audio' | 'video';
  track: MediaStreamTrack;
  paused: boolean;
}

export type MeetingStatus = 'idle' | 'joining' | 'waiting' | 'joined' | 'left' | 'ended' | 'removed' | 'denied' | 'failed';

export interface MeetingState {
  status: MeetingStatus;
  error: string | null;
  connection: ConnectionState;
  self: { peerId: string; displayName: string; role: Role } | null;
  meeting: { code: string; title: string; settings: MeetingSettingsView; locked: boolean } | null;
  peers: PeerInfo[];
  remote: RemoteTrack[];
  local: { mic: boolean; camera: boolean; screen: boolean; cameraTrack: MediaStreamTrack | null; screenTrack: MediaStreamTrack | null };
  handRaised: boolean;
  chat: ChatMessage[];
  unreadChat: number;
  lobby: { peerId: string; displayName: string }[];
  activeSpeaker: string | null;
  notice: string | null;
  /** The server recording of the meeting while one runs (everyone sees it). */
  recording: ServerRecording | null;
  /** "Ana started recording this meeting": kept apart from `notice` so that no other notice hides it. */
  recordingNotice: string | null;
  /** The whiteboard (null: the server has none); a new object after every join snapshot. */
  board: BoardInfo | null;
}

export const INITIAL_STATE: MeetingState = {
  status: 'idle',
  error: null,
  connection: 'connecting',
  self: null,
  meeting: null,
  peers: [],
  remote: [],
  local: { mic: false, camera: false, screen: false, cameraTrack: null, screenTrack: null },
  handRaised: false,
  chat: [],
  unreadChat: 0,
  lobby: [],
  activeSpeaker: null,
  notice: null,
  recording: null,
  recordingNotice: null,
  board: null,
};

export function isBoardInfo(value: unknown): value is BoardInfo {
  const v = value as Partial<BoardInfo> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.open === 'boolean' &&
    typeof v.readOnly === 'boolean' &&
    typeof v.epoch === 'string' &&
    typeof v.seq === 'number'
  );
}

export function isServerRecording(value: unknown): value is ServerRecording {
  const v = value as Partial<ServerRecording> | null;
  return typeof v === 'object' && v !== null && (typeof v.by === 'string' || v.by === null) && typeof v.startedAt === 'string';
}

/** The name to show for a peer id: "You", a participant's name, or "Someone" (already gone). */
function nameOf(state: MeetingState, peerId: unknown): string {
  if (peerId === state.self?.peerId) return strings.room.you;
  return state.peers.find((p) => p.peerId === peerId)?.displayName ?? strings.serverRecording.someone;
}

/** Things that happen once (not state): the UI shows them for a moment (toasts, floating emoji). */
export type MeetingEvent =
  | { type: 'peerJoined'; peerId: string; displayName: string }
  | { type: 'peerLeft'; peerId: string; displayName: string; reason: string }
  | { type: 'reaction'; peerId: string; emoji: ReactionEmoji }
  /** A server recording stopped and was kept: told to hosts and co-hosts, who can find it in the history. */
  | { type: 'recordingSaved'; recordingId: number };

export interface Reduction {
  change: Partial<MeetingState> | null;
  events: MeetingEvent[];
}

/** Adds a message to the chat, counting it unread unless the chat is open or it is our own. */
export function withChatMessage(state: MeetingState, message: ChatMessage, chatOpen: boolean): Partial<MeetingState> | null {
  const chat = appendMessage(state.chat, message);
  if (!chat) return null;
  const mine = message.peerId === state.self?.peerId;
  return { chat, unreadChat: chatOpen || mine ? 0 : state.unreadChat + 1 };
}

/** Applies an edited or deleted message (our own request's answer, or another's notification). */
export function withChatReplaced(state: MeetingState, message: ChatMessage): Partial<MeetingState> | null {
  const chat = replaceMessage(state.chat, message);
  return chat ? { chat } : null;
}

const none = (change: Partial<MeetingState> | null): Reduction => ({ change, events: [] });

/**
 * The state change (and events) of a notification that only changes state; null for the others
 * (MeetingClient handles those itself).
 */
export function reduceNotification(state: MeetingState, method: string, data: unknown, chatOpen: boolean): Reduction | null {
  const d = (data ?? {}) as Record<string, unknown>;
  switch (method) {
    case 'peer.joined': {
      const peer = d as unknown as PeerInfo;
      if (typeof peer.peerId !== 'string' || peer.peerId === state.self?.peerId) return none(null);
      const known = state.peers.some((p) => p.peerId === peer.peerId);
      return {
        change: { peers: [...state.peers.filter((p) => p.peerId !== peer.peerId), peer] },
        events: known ? [] : [{ type: 'peerJoined', peerId: peer.peerId, displayName: peer.displayName }],
      };
    }
    case 'peer.updated': {
      const peer = d as unknown as PeerInfo;
      if (peer.peerId === state.self?.peerId) {
        return none({ self: { ...state.self, role: peer.role, displayName: peer.displayName } });
      }
      return none({ peers: state.peers.map((p) => (p.peerId === peer.peerId ? peer : p)) });
    }
    case 'peer.left': {
      const gone = state.peers.find((p) => p.peerId === d.peerId);
      if (!gone) return none(null);
      return {
        change: { peers: state.peers.filter((p) => p.peerId !== d.peerId) },
        events: [{ type: 'peerLeft', peerId: gone.peerId, displayName: gone.displayName, reason: String(d.reason ?? 'left') }],
      };
    }
    case 'producer.paused':
    case 'producer.resumed': {
      const paused = method === 'producer.paused';
      return none({ remote: state.remote.map((t) => (t.producerId === d.producerId ? { ...t, paused } : t)) });
    }
    case 'activeSpeaker':
      return none({ activeSpeaker: typeof d.peerId === 'string' ? d.peerId : null });
    case 'chat.message':
      return none(isChatMessage(data) ? withChatMessage(state, data, chatOpen) : null);
    case 'chat.edited':
    case 'chat.deleted':
      return none(isChatMessage(data) ? withChatReplaced(state, data) : null);
    case 'lobby.request':
      return none({ lobby: [...state.lobby.filter((w) => w.peerId !== d.peerId), d as { peerId: string; displayName: string }] });
    case 'lobby.resolved':
      return none({ lobby: state.lobby.filter((w) => w.peerId !== d.peerId) });
    case 'meeting.settings':
      return none(state.meeting ? { meeting: { ...state.meeting, settings: d.settings as MeetingSettingsView } } : null);
    case 'recording.started':
      if (!isServerRecording(d)) return none(null);
      return none({
        recording: { by: d.by, startedAt: d.startedAt },
        recordingNotice: d.by === null ? strings.serverRecording.beingRecorded : strings.serverRecording.started(nameOf(state, d.by)),
      });
    case 'recording.stopped': {
      const stopped = d as Partial<RecordingStoppedNotice>;
      const moderator = state.self?.role === 'host' || state.self?.role === 'cohost';
      return {
        change: {
          recording: null,
          recordingNotice:
            typeof stopped.by === 'string' ? strings.serverRecording.stopped(nameOf(state, stopped.by)) : strings.serverRecording.ended,
        },
        events: moderator && typeof stopped.recordingId === 'number' ? [{ type: 'recordingSaved', recordingId: stopped.recordingId }] : [],
      };
    }
    case 'board.opened':
    case 'board.closed':
      return none({ board: { ...(state.board ?? { readOnly: false, epoch: '', seq: 0 }), open: method === 'board.opened' } });
    case 'board.readOnly':
      if (typeof d.readOnly !== 'boolean') return none(null);
      return none({ board: { ...(state.board ?? { open: false, epoch: '', seq: 0 }), readOnly: d.readOnly } });
    case 'meeting.locked':
      return none(state.meeting ? { meeting: { ...state.meeting, locked: Boolean(d.locked) } } : null);
    default:
      return null;
  }
}
