import { api, type ApiClient } from './client';

/** Per-user notification choices (GET/PATCH /api/v1/users/me/notifications). */
export interface NotificationSettings {
  reminders: boolean;
  /** How long before a scheduled meeting the reminder comes. */
  reminderMinutes: number;
  waitingRoom: boolean;
  meetingStarted: boolean;
  chat: boolean;
}

/** What the server needs of a browser's PushSubscription (its toJSON()). */
export interface PushSubscriptionBody {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  deviceName?: string;
}

/** The server's VAPID public key: base64url of the 65-byte uncompressed P-256 point. */
export async function getPushKey(client: ApiClient = api): Promise<string> {
  const { publicKey } = await client.request<{ publicKey: string }>('/push/key', { auth: false });
  return publicKey;
}

/** → `{"id": 7}`: the server's id of the subscription (a number; 201 new, 200 updated). */
export function saveSubscription(body: PushSubscriptionBody, client: ApiClient = api): Promise<{ id: number }> {
  return client.request<{ id: number }>('/push/subscriptions', { method: 'POST', body });
}

export function deleteSubscription(endpoint: string, client: ApiClient = api): Promise<void> {
  return client.request<void>('/push/subscriptions', { method: 'DELETE', body: { endpoint } });
}

export function sendTestPush(client: ApiClient = api): Promise<void> {
  return client.request<void>('/push/test', { method: 'POST' });
}

export function getNotificationSettings(client: ApiClient = api): Promise<NotificationSettings> {
  return client.request<NotificationSettings>('/users/me/notifications');
}

export function updateNotificationSettings(patch: Partial<NotificationSettings>, client: ApiClient = api): Promise<NotificationSettings> {
  return client.request<NotificationSettings>('/users/me/notifications', { method: 'PATCH', body: patch });
}
