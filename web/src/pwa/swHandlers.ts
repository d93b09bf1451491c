// What the service worker does with a push message and a click on its notification, kept apart
// from sw.ts so that tests can drive it with plain fakes (sw.ts only wires these to events).
// The types below are the few members of the service-worker globals the handlers touch.
import { urlBase64ToUint8Array } from './vapidKey';

export type PushType = 'reminder' | 'waiting' | 'started' | 'chat' | 'test';

/** The server's push payload (docs: POST /api/v1/push/test and the reminder/notify senders). */
export interface PushPayload {
  type: PushType;
  title: string;
  body: string;
  /** Same-origin path to open on click; anything else falls back to "/". */
  url: string;
  tag?: string;
  /** The meeting a `chat` message was sent in. */
  meetingCode?: string;
}

export interface PushDataLike {
  text(): string;
}

export interface NotificationTarget {
  showNotification(title: string, options: NotificationOptions): Promise<void>;
}

export interface WindowClientLike {
  url: string;
  /** WindowClient.focused and visibilityState (absent in older fakes: then not looked at). */
  focused?: boolean;
  visibilityState?: DocumentVisibilityState;
  focus(): Promise<unknown>;
}

export interface ClientsLike {
  matchAll(options: { type: 'window'; includeUncontrolled: boolean }): Promise<readonly WindowClientLike[]>;
  openWindow(url: string): Promise<unknown>;
}

export interface ClickedNotification {
  data: unknown;
  close(): void;
}

export const NOTIFICATION_ICON = '/icons/icon-192.png';
export const NOTIFICATION_BADGE = '/icons/badge-96.png';
const PUSH_TYPES: readonly PushType[] = ['reminder', 'waiting', 'started', 'chat', 'test'];
const FALLBACK_TITLE = 'Flux Meet';

/** A path on our own origin ("/m/abc"), never "//evil.example" or "https://…": a push payload
 * must not be able to send a click anywhere else. */
export function safePath(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/';
  return value;
}

/** Reads the JSON payload; a missing or malformed one still shows something (browsers punish a
 * push that shows no notification), as a plain text body when the text is not JSON. */
export function parsePushPayload(data: PushDataLike | null | undefined): PushPayload {
  const text = data ? data.text() : '';
  let raw: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object') raw = parsed as Record<string, unknown>;
  } catch {
    raw = { body: text };
  }
  const type = PUSH_TYPES.includes(raw.type as PushType) ? (raw.type as PushType) : 'test';
  const title = typeof raw.title === 'string' && raw.title.trim() ? raw.title : FALLBACK_TITLE;
  const body = typeof raw.body === 'string' ? raw.body : '';
  const tag = typeof raw.tag === 'string' && raw.tag ? raw.tag : undefined;
  const meetingCode = typeof raw.meetingCode === 'string' && raw.meetingCode ? raw.meetingCode : undefined;
  return { type, title, body, url: safePath(raw.url), tag, ...(meetingCode ? { meetingCode } : {}) };
}

export function notificationOptions(payload: PushPayload): NotificationOptions {
  const options: NotificationOptions & { renotify?: boolean } = {
    body: payload.body,
    icon: NOTIFICATION_ICON,
    badge: NOTIFICATION_BADGE,
    data: { url: payload.url, type: payload.type },
  };
  if (payload.tag) {
    options.tag = payload.tag;
    // A newer message under the same tag (the next chat line) should alert again, not replace silently.
    options.renotify = true;
  }
  return options;
}

/** The meeting path a chat message belongs to: its meetingCode, else its url when that is /m/<code>. */
function chatMeetingPath(payload: PushPayload): string | null {
  if (payload.meetingCode) return `/m/${encodeURIComponent(payload.meetingCode)}`;
  const path = payload.url.split(/[?#]/)[0];
  return /^\/m\/[^/]+$/.test(path) ? path : null;
}

/** Someone is looking at that meeting right now: a window on its page, focused and visible. */
async function watchingMeeting(clients: Pick<ClientsLike, 'matchAll'>, path: string): Promise<boolean> {
  const windows = await clients.matchAll({ type: 'window', includeUncontrolled: true });
  return windows.some((w) => {
    try {
      return w.focused === true && w.visibilityState === 'visible' && new URL(w.url).pathname === path;
    } catch {
      return false;
    }
  });
}

/**
 * The `push` event: one notification per message, except a chat message for a meeting that is
 * open, focused and visible in a window (the chat is on screen; the server cannot know that).
 * Browsers let a push show nothing only while a page of the site is visible, which is the case.
 */
export async function handlePush(
  target: NotificationTarget,
  data: PushDataLike | null | undefined,
  clients?: Pick<ClientsLike, 'matchAll'>,
): Promise<void> {
  const payload = parsePushPayload(data);
  if (payload.type === 'chat' && clients) {
    const path = chatMeetingPath(payload);
    if (path && (await watchingMeeting(clients, path))) return;
  }
  await target.showNotification(payload.title, notificationOptions(payload));
}

/** What the service worker needs to save a renewed push subscription. */
export interface SubscriptionChangeDeps {
  /** The event's newSubscription, when the browser made one already. */
  newSubscription?: { endpoint: string; toJSON(): PushSubscriptionJSON } | null;
  pushManager: {
    subscribe(options: { userVisibleOnly: boolean; applicationServerKey: Uint8Array<ArrayBuffer> }): Promise<{
      endpoint: string;
      toJSON(): PushSubscriptionJSON;
    }>;
  };
  fetch: (input: string, init?: RequestInit) => Promise<Response>;
}

export type SubscriptionChangeResult = 'saved' | 'signed-out' | 'failed';

/**
 * The `pushsubscriptionchange` event: the push service dropped or renewed this browser's
 * subscription. Subscribes again with the server's VAPID key (unless the browser did already) and
 * saves the new one on the server for the signed-in user. The worker has no access token, so it
 * gets one with the refresh cookie, as a page load does; signed out, there is nobody to save it
 * for. The old endpoint needs no DELETE: the server drops it when the push service answers 410.
 */
export async function handleSubscriptionChange(deps: SubscriptionChangeDeps): Promise<SubscriptionChangeResult> {
  let subscription = deps.newSubscription ?? null;
  if (!subscription) {
    const keyResponse = await deps.fetch('/api/v1/push/key');
    if (!keyResponse.ok) return 'failed';
    const { publicKey } = (await keyResponse.json()) as { publicKey: string };
    subscription = await deps.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: urlBase64ToUint8Array(publicKey) });
  }
  const { keys } = subscription.toJSON();
  if (!keys?.p256dh || !keys.auth) return 'failed';

  const session = await deps.fetch('/api/v1/auth/refresh', { method: 'POST', credentials: 'same-origin' });
  if (session.status === 401) return 'signed-out';
  if (!session.ok) return 'failed';
  const { accessToken } = (await session.json()) as { accessToken: string };
  const saved = await deps.fetch('/api/v1/push/subscriptions', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({ endpoint: subscription.endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth } }),
  });
  return saved.ok ? 'saved' : 'failed';
}

/** The `notificationclick` event: focus a window already on that page, else open one. A window
 * elsewhere in the app is left alone, because it may be in a meeting that navigating would end. */
export async function handleNotificationClick(notification: ClickedNotification, clients: ClientsLike, origin: string): Promise<void> {
  notification.close();
  const data = notification.data as { url?: unknown } | null | undefined;
  const target = new URL(safePath(data?.url), origin);
  const windows = await clients.matchAll({ type: 'window', includeUncontrolled: true });
  const open = windows.find((w) => {
    try {
      const url = new URL(w.url);
      return url.origin === target.origin && url.pathname === target.pathname;
    } catch {
      return false;
    }
  });
  if (open) {
    await open.focus();
    return;
  }
  await clients.openWindow(target.href);
}

/** Paths the server answers itself: never the app shell, never cached. */
export const SERVER_PATHS: readonly RegExp[] = [/^\/api\//, /^\/ws(\/|$)/, /^\/metrics(\/|$)/, /^\/healthz(\/|$)/];

export function isServerPath(pathname: string): boolean {
  return SERVER_PATHS.some((re) => re.test(pathname));
}

/** Same-origin static files worth keeping for offline use (hashed bundles, icons, fonts). */
export function isStaticAsset(url: URL, destination: string, origin: string): boolean {
  if (url.origin !== origin || isServerPath(url.pathname)) return false;
  if (url.pathname.startsWith('/assets/')) return true;
  return ['style', 'script', 'font', 'image', 'manifest'].includes(destination);
}
