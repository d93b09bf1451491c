import { api, type ApiClient } from './client';
import type { Invitation, Meeting, MeetingHistory, MeetingInput, MeetingPatch, MeetingScope, Page } from './types';

const path = (code: string) => `/meetings/${encodeURIComponent(code)}`;

export function createMeeting(input: MeetingInput, client: ApiClient = api): Promise<Meeting> {
  return client.request<Meeting>('/meetings', { method: 'POST', body: input });
}

export function listMeetings(scope: MeetingScope, cursor = '', limit = 20, client: ApiClient = api): Promise<Page<Meeting>> {
  const q = new URLSearchParams({ scope, limit: String(limit) });
  if (cursor) q.set('cursor', cursor);
  return client.request<Page<Meeting>>(`/meetings?${q.toString()}`);
}

/** Public view for non-hosts; works signed out too (the token is sent when there is one). */
export function getMeeting(code: string, client: ApiClient = api): Promise<Meeting> {
  return client.request<Meeting>(path(code));
}

export function updateMeeting(code: string, patch: MeetingPatch, client: ApiClient = api): Promise<Meeting> {
  return client.request<Meeting>(path(code), { method: 'PATCH', body: patch });
}

export function deleteMeeting(code: string, client: ApiClient = api): Promise<void> {
  return client.request<void>(path(code), { method: 'DELETE' });
}

export function getHistory(code: string, client: ApiClient = api): Promise<MeetingHistory> {
  return client.request<MeetingHistory>(`${path(code)}/history`);
}

/** The meeting's invitations (host only). */
export async function listInvitations(code: string, client: ApiClient = api): Promise<Invitation[]> {
  return (await client.request<{ invitations: Invitation[] }>(`${path(code)}/invitations`)).invitations;
}

/** Invites 1-50 addresses (duplicates and ones already invited are ignored); answers with all of
 * the meeting's invitations after the change. New invitees are emailed when the server can. */
export async function inviteByEmail(code: string, emails: string[], client: ApiClient = api): Promise<Invitation[]> {
  const body = { emails };
  return (await client.request<{ invitations: Invitation[] }>(`${path(code)}/invitations`, { method: 'POST', body })).invitations;
}

export function removeInvitation(code: string, id: number, client: ApiClient = api): Promise<void> {
  return client.request<void>(`${path(code)}/invitations/${id}`, { method: 'DELETE' });
}

/** Fetches invite.ics with the bearer token and hands it to the browser as a file download. */
export async function downloadInvite(code: string, client: ApiClient = api): Promise<void> {
  const { blob, filename } = await client.download(`${path(code)}/invite.ics`);
  const url = URL.createObjectURL(blob);
  try {
    const a = document.createElement('a');
    a.href = url;
    a.download = filename ?? `${code}.ics`;
    document.body.appendChild(a);
    a.click();
    a.remove();
  } finally {
    // Revoke after the click has been handled so the download is not cut short.
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
}

/** A guest token for one meeting (only when the meeting allows guests). */
export async function getGuestToken(code: string, displayName: string, client: ApiClient = api): Promise<string> {
  const result = await client.request<{ guestToken: string }>(`/meetings/${encodeURIComponent(code)}/guest`, {
    method: 'POST',
    body: { displayName },
    auth: false,
  });
  return result.guestToken;
}
