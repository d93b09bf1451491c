// What the service worker does with a push message and a click on its notification, kept apart
// from sw.ts so that tests can drive it with plain fakes (sw.ts only wires these to events).
// The types below are the few members of the service-worker globals the handlers touch.

export type PushType = 'reminder' | 'waiting' | 'started' | 'chat' | 'test';

/** The server's push payload (docs: POST /api/v1/push/test and the reminder/notify senders). */
export interface PushPayload {
  type: PushType;
  title: string;
  body: string;
  /** Same-origin path to open on click; anything else falls back to "/". */
  url: string;
  tag?: string;
}

export interface PushDataLike {
  text(): string;
}

export interface NotificationTarget {
  showNotification(title: string, options: NotificationOptions): Promise<void>;
}

export interface WindowClientLike {
  url: string;
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
  return { type, title, body, url: safePath(raw.url), tag };
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

/** The `push` event: one notification per message. */
export function handlePush(target: NotificationTarget, data: PushDataLike | null | undefined): Promise<void> {
  const payload = parsePushPayload(data);
  return target.showNotification(payload.title, notificationOptions(payload));
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
