// Server recordings of a meeting (issue 6): listing, deleting, and the media cookie that lets a
// <video> element (which cannot send an Authorization header) stream the composed file.
import { API_BASE, api, type ApiClient } from './client';

export type RecordingStatus = 'recording' | 'composing' | 'ready' | 'failed';

export interface Recording {
  id: number;
  meetingCode: string;
  /** Display name of whoever started it. */
  startedBy: string;
  startedAt: string;
  stoppedAt: string | null;
  status: RecordingStatus;
  /** Composition progress in percent (meaningful while `composing`). */
  progress: number;
  durationSeconds: number | null;
  sizeBytes: number | null;
  /** How many source tracks went into the composition. */
  tracks: number;
  error: string | null;
  canDelete: boolean;
}

/** Statuses that still change on the server, so a list showing one keeps polling. */
export const isRecordingBusy = (r: Pick<Recording, 'status'>) => r.status === 'recording' || r.status === 'composing';

const recordingPath = (id: number) => `/recordings/${encodeURIComponent(String(id))}`;

/** The meeting's recordings, newest first (host or attendee; 403 `forbidden` otherwise). */
export async function listRecordings(code: string, client: ApiClient = api): Promise<Recording[]> {
  const page = await client.request<{ items: Recording[] }>(`/meetings/${encodeURIComponent(code)}/recordings`);
  return page.items;
}

export function getRecording(id: number, client: ApiClient = api): Promise<Recording> {
  return client.request<Recording>(recordingPath(id));
}

/** Host only (403 otherwise); removes the file too. */
export function deleteRecording(id: number, client: ApiClient = api): Promise<void> {
  return client.request<void>(recordingPath(id), { method: 'DELETE' });
}

/**
 * Where the composed WebM is served (HTTP Range, so a <video> can seek). It carries no token:
 * the browser authenticates it with the HttpOnly `fm_media` cookie that grantMediaAccess sets.
 */
export function recordingFileUrl(id: number, download = false): string {
  return `${API_BASE}${recordingPath(id)}/file${download ? '?download=1' : ''}`;
}

/** The cookie lives an hour; renewing after 50 minutes keeps a player opened near the end working. */
export const MEDIA_ACCESS_RENEW_MS = 50 * 60 * 1000;

interface Grant {
  userId: number | null;
  at: number;
}

const grants = new WeakMap<ApiClient, Grant>();
const pending = new WeakMap<ApiClient, Promise<void>>();

/**
 * True when a cookie granted to the signed-in user is younger than MEDIA_ACCESS_RENEW_MS. A grant
 * made for another user (sign out, sign in as someone else in the same tab) does not count.
 */
export function hasMediaAccess(client: ApiClient = api, now: number = Date.now()): boolean {
  const grant = grants.get(client);
  return grant !== undefined && grant.userId === (client.currentUser?.id ?? null) && now - grant.at < MEDIA_ACCESS_RENEW_MS;
}

/**
 * POST /recordings/access: the server answers 204 with `Set-Cookie: fm_media=…` scoped to
 * /api/v1/recordings. Skipped while the last grant is fresh; concurrent callers share one request.
 */
export function grantMediaAccess(client: ApiClient = api, now: () => number = Date.now): Promise<void> {
  if (hasMediaAccess(client, now())) return Promise.resolve();
  let request = pending.get(client);
  if (!request) {
    request = client
      .request<void>('/recordings/access', { method: 'POST' })
      .then(() => {
        grants.set(client, { userId: client.currentUser?.id ?? null, at: now() });
      })
      .finally(() => pending.delete(client));
    pending.set(client, request);
  }
  return request;
}

/** Forgets the grant, e.g. when the file answered 401 and the cookie must be renewed at once. */
export function forgetMediaAccess(client: ApiClient = api): void {
  grants.delete(client);
}
