import { api, type ApiClient } from './client';
import type { Session, User } from './types';

export async function getMe(client: ApiClient = api): Promise<User> {
  const { user } = await client.request<{ user: User }>('/users/me');
  client.setUser(user);
  return user;
}

export async function updateMe(patch: { username?: string; email?: string }, client: ApiClient = api): Promise<User> {
  const { user } = await client.request<{ user: User }>('/users/me', { method: 'PATCH', body: patch });
  client.setUser(user);
  return user;
}

export async function deleteMe(password: string, client: ApiClient = api): Promise<void> {
  await client.request<void>('/users/me', { method: 'DELETE', body: { password } });
  client.clearSession();
}

export function changePassword(currentPassword: string, newPassword: string, client: ApiClient = api): Promise<void> {
  return client.request<void>('/users/me/password', { method: 'POST', body: { currentPassword, newPassword } });
}

export async function listSessions(client: ApiClient = api): Promise<Session[]> {
  const { items } = await client.request<{ items: Session[] }>('/users/me/sessions');
  return items;
}

export function revokeSession(id: string, client: ApiClient = api): Promise<void> {
  return client.request<void>(`/users/me/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** Signs out every session except this one. */
export function revokeOtherSessions(client: ApiClient = api): Promise<void> {
  return client.request<void>('/users/me/sessions', { method: 'DELETE' });
}
