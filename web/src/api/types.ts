// Wire types of the REST API under /api/v1, written once from the API contract.

export interface User {
  id: number;
  username: string;
  email: string;
  createdAt: string;
}

export interface AuthResponse {
  user: User;
  accessToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
}

export interface Session {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  userAgent: string;
  ip: string;
  current: boolean;
}

export type MeetingKind = 'instant' | 'scheduled';
export type ScreenSharePolicy = 'everyone' | 'hosts';

export interface MeetingSettings {
  waitingRoom: boolean;
  guestsAllowed: boolean;
  muteOnEntry: boolean;
  screenShare: ScreenSharePolicy;
  /** Start a server recording when the meeting starts (issue 6). Absent from older servers: false. */
  autoRecord?: boolean;
}

export interface Meeting {
  code: string;
  title: string;
  kind: MeetingKind;
  startsAt: string | null;
  timeZone: string;
  durationMinutes: number;
  hasPasscode: boolean;
  /** Present for the host only. */
  passcode?: string;
  settings: MeetingSettings;
  host: { id: number; username: string };
  isHost: boolean;
  locked: boolean;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  joinUrl: string;
  /** GET /meetings/{code} only: the server is recording the meeting right now (told before joining). */
  recording?: boolean;
  /** In lists: the caller is invited to this meeting (by their account's email), not its host. */
  invited?: boolean;
}

/** Someone invited to a meeting by email (the host's view; other users' ids and names never show). */
export interface Invitation {
  id: number;
  email: string;
  invitedAt: string;
  /** When the invitation email went out; null when not (yet) sent or no mail server is set up. */
  emailedAt: string | null;
  /** An account with this email exists: reminders and "started" notifications reach them. */
  registered: boolean;
}

export interface MeetingInput {
  title: string;
  kind: MeetingKind;
  startsAt?: string;
  timeZone?: string;
  durationMinutes?: number;
  passcode?: string;
  settings?: MeetingSettings;
}

export type MeetingPatch = Partial<Omit<MeetingInput, 'kind'>>;

export type MeetingScope = 'upcoming' | 'past';

export interface Page<T> {
  items: T[];
  nextCursor: string;
}

export interface HistoryParticipant {
  displayName: string;
  role: string;
  joinedAt: string;
  leftAt: string | null;
}

export interface MeetingHistory {
  meeting: Meeting;
  participants: HistoryParticipant[];
  durationSeconds: number;
  chatCount: number;
}

/** Body of every error response: `{"error": {...}}`. */
export interface ErrorBody {
  error: {
    code: string;
    message: string;
    field?: string;
  };
}
