import { vi } from 'vitest';
import type { PushEnvironment, SubscriptionLike } from '../pwa/push';

/** A P-256 public key as the server sends it: 65 bytes (0x04, x, y), base64url without padding. */
export const VAPID_BYTES = Uint8Array.from({ length: 65 }, (_, i) => (i === 0 ? 4 : i));
export const VAPID_KEY = btoa(String.fromCharCode(...VAPID_BYTES))
  .replace(/\+/g, '-')
  .replace(/\//g, '_')
  .replace(/=+$/, '');

export function fakeSubscription(endpoint = 'https://push.example.test/sub/1', key: Uint8Array = VAPID_BYTES) {
  const sub = {
    endpoint,
    options: { applicationServerKey: key.slice().buffer as ArrayBuffer },
    toJSON: () => ({ endpoint, keys: { p256dh: 'BP256dh-key', auth: 'auth-secret' } }),
    unsubscribe: vi.fn(async () => true),
  };
  return sub satisfies SubscriptionLike;
}

/**
 * Stands in for navigator.serviceWorker + PushManager + Notification. `permissionAnswer` is what
 * the permission prompt answers; `existing` is a subscription the browser already holds.
 */
export function fakePushEnv(
  opts: {
    permission?: NotificationPermission;
    permissionAnswer?: NotificationPermission;
    existing?: ReturnType<typeof fakeSubscription> | null;
    userAgent?: string;
    standalone?: boolean;
    noWorker?: boolean;
    noPushManager?: boolean;
  } = {},
) {
  let current: ReturnType<typeof fakeSubscription> | null = opts.existing ?? null;
  const notification = {
    permission: opts.permission ?? ('default' as NotificationPermission),
    requestPermission: vi.fn(async () => {
      notification.permission = opts.permissionAnswer ?? 'granted';
      return notification.permission;
    }),
  };
  const pushManager = {
    getSubscription: vi.fn(async () => current),
    subscribe: vi.fn(async (_options: { userVisibleOnly: boolean; applicationServerKey: Uint8Array<ArrayBuffer> }) => {
      current = fakeSubscription();
      current.unsubscribe.mockImplementation(async () => {
        current = null;
        return true;
      });
      return current;
    }),
  };
  const registration = { pushManager };
  const env: PushEnvironment = {
    serviceWorker: opts.noWorker ? undefined : { ready: Promise.resolve(registration), getRegistration: vi.fn(async () => registration) },
    hasPushManager: !opts.noPushManager,
    notification: opts.noWorker ? undefined : notification,
    userAgent: opts.userAgent ?? 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
    standalone: opts.standalone ?? false,
  };
  return { env, notification, pushManager, current: () => current };
}
