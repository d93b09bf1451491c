/**
 * Wire types of the signaling protocol (docs/protocol.md is the source of truth). Media shapes
 * are mediasoup-client's own types.
 */
import type { types as ms } from 'mediasoup-client';

export type Role = 'host' | 'cohost' | 'participant' | 'guest';
export type MediaSource = 'mic' | 'camera' | 'screen' | 'screen-audio';

export interface PeerInfo {
  peerId: string;
  displayName: string;
  role: Role;
  handRaised: boolean;
  muted: { audio: boolean; video: boolean; screen: boolean };
  connection: 'connected' | 'reconnecting';
}

export interface ProducerNotice {
  producerId: string;
  peerId: string;
  kind: 'audio' | 'video';
  source: MediaSource;
  paused: boolean;
}

export interface ChatMessage {
  id: number;
  peerId: string;
  senderName: string;
  text: string;
  createdAt: string;
  editedAt: string | null;
  deleted: boolean;
}

export interface MeetingSettingsView {
  waitingRoom: boolean;
  guestsAllowed: boolean;
  muteOnEntry: boolean;
  screenShare: 'everyone' | 'hosts';
}

export interface JoinedSnapshot {
  state: 'joined';
  meeting: { code: string; title: string; settings: MeetingSettingsView; locked: boolean };
  peers: PeerInfo[];
  producers: ProducerNotice[];
  routerRtpCapabilities?: ms.RtpCapabilities | null;
  chat: { messages: ChatMessage[]; hasMore: boolean };
  you: { peerId: string; role: Role; displayName: string };
  lobby?: { peerId: string; displayName: string }[];
  /** A server recording in progress (null when none); absent from servers without recording. */
  recording?: ServerRecording | null;
  /** The meeting's whiteboard (issue 7); absent from servers without one. */
  board?: BoardInfo;
}

/** The whiteboard's state in the join snapshot: shown or not, who may draw, where its scene stands. */
export interface BoardInfo {
  open: boolean;
  /** Only hosts and co-hosts may draw. */
  readOnly: boolean;
  epoch: string;
  seq: number;
}

/**
 * A server-side recording (issue 6): who started it (a peerId; null when nobody did, e.g. the
 * meeting's autoRecord setting started it) and when (RFC 3339).
 */
export interface ServerRecording {
  by: string | null;
  startedAt: string;
}

/** Data of the `recording.stopped` notification. */
export interface RecordingStoppedNotice {
  /** Who stopped it; null when the meeting ended for another reason. */
  by: string | null;
  files: number;
  /** The recording in the meeting's history (GET /api/v1/recordings/{id}); null when nothing was kept. */
  recordingId?: number | null;
}

export type JoinResult = JoinedSnapshot | { state: 'waiting' };

export interface TransportOptions {
  id: string;
  iceParameters: ms.IceParameters;
  iceCandidates: ms.IceCandidate[];
  dtlsParameters: ms.DtlsParameters;
  iceServers: RTCIceServer[];
}

export interface ConsumeResult {
  id: string;
  producerId: string;
  kind: 'audio' | 'video';
  rtpParameters: ms.RtpParameters;
  producerPaused: boolean;
  appData: { peerId: string; source: MediaSource };
}

export interface ErrorBody {
  code: string;
  message: string;
  field?: string;
}
