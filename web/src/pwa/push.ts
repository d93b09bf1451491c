// Web Push on this device: whether the browser can, and turning it on and off. The browser side
// (permission, PushManager) and the server side (POST/DELETE /push/subscriptions) change together.
// Every browser object comes in through PushEnvironment so tests run the flow with fakes.
import { api, type ApiClient } from '../api/client';
import { deleteSubscription, getPushKey, saveSubscription } from '../api/push';
import { describeUserAgent } from '../ui/format';
import { PushSetupError, urlBase64ToUint8Array } from './vapidKey';

// Kept in vapidKey.ts so the service worker can use them without the app's API client.
export { PushSetupError, urlBase64ToUint8Array };

export type PushSupport = 'supported' | 'needs-install' | 'unsupported';
export type EnableResult = 'enabled' | 'denied' | 'dismissed';

export interface SubscriptionLike {
  endpoint: string;
  options?: { applicationServerKey: ArrayBuffer | null };
  toJSON(): PushSubscriptionJSON;
  unsubscribe(): Promise<boolean>;
}

export interface PushManagerLike {
  getSubscription(): Promise<SubscriptionLike | null>;
  subscribe(options: { userVisibleOnly: boolean; applicationServerKey: Uint8Array<ArrayBuffer> }): Promise<SubscriptionLike>;
}

export interface RegistrationLike {
  pushManager: PushManagerLike;
}

export interface PushEnvironment {
  serviceWorker?: {
    ready: Promise<RegistrationLike>;
    getRegistration(): Promise<RegistrationLike | undefined>;
  };
  hasPushManager: boolean;
  notification?: {
    readonly permission: NotificationPermission;
    requestPermission(): Promise<NotificationPermission>;
  };
  userAgent: string;
  /** Running as an installed app (display-mode standalone, or iOS's navigator.standalone). */
  standalone: boolean;
}

/** How long to wait for the service worker to become active before giving up. */
export const READY_TIMEOUT_MS = 10_000;

export function browserPushEnvironment(): PushEnvironment {
  const nav = navigator as Navigator & { standalone?: boolean };
  const standalone =
    nav.standalone === true || (typeof window.matchMedia === 'function' && window.matchMedia('(display-mode: standalone)').matches);
  return {
    serviceWorker: 'serviceWorker' in nav ? (nav.serviceWorker as unknown as PushEnvironment['serviceWorker']) : undefined,
    hasPushManager: 'PushManager' in window,
    notification: 'Notification' in window ? window.Notification : undefined,
    userAgent: nav.userAgent,
    standalone,
  };
}

const isIos = (ua: string) => /iPhone|iPad|iPod/.test(ua);

/** iOS (16.4+) offers Web Push only to a web app added to the home screen, not in a Safari tab. */
export function pushSupport(env: PushEnvironment): PushSupport {
  if (env.serviceWorker && env.hasPushManager && env.notification) return 'supported';
  if (isIos(env.userAgent) && !env.standalone) return 'needs-install';
  return 'unsupported';
}

function sameBytes(a: ArrayBuffer, b: Uint8Array): boolean {
  const x = new Uint8Array(a);
  return x.length === b.length && x.every((v, i) => v === b[i]);
}

async function readyRegistration(env: PushEnvironment): Promise<RegistrationLike> {
  if (!env.serviceWorker) throw new PushSetupError('no-worker');
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PushSetupError('no-worker')), READY_TIMEOUT_MS);
  });
  try {
    return await Promise.race([env.serviceWorker.ready, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** This device's current subscription, without waiting for a worker that may never come. */
export async function currentSubscription(env: PushEnvironment): Promise<SubscriptionLike | null> {
  const registration = await env.serviceWorker?.getRegistration();
  return registration ? registration.pushManager.getSubscription() : null;
}

/**
 * Asks for permission, subscribes with the server's VAPID key and saves the subscription on the
 * server. A subscription made for another key (the server's keys changed) is replaced. When the
 * server refuses it, the browser subscription is dropped again so both sides agree.
 */
export async function enablePush(env: PushEnvironment, client: ApiClient = api): Promise<EnableResult> {
  if (!env.notification) throw new PushSetupError('no-worker');
  const permission = await env.notification.requestPermission();
  if (permission === 'denied') return 'denied';
  if (permission !== 'granted') return 'dismissed';

  const [registration, publicKey] = await Promise.all([readyRegistration(env), getPushKey(client)]);
  const key = urlBase64ToUint8Array(publicKey);
  let subscription = await registration.pushManager.getSubscription();
  const oldKey = subscription?.options?.applicationServerKey;
  if (subscription && oldKey && !sameBytes(oldKey, key)) {
    await subscription.unsubscribe();
    subscription = null;
  }
  subscription ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });

  const json = subscription.toJSON();
  const p256dh = json.keys?.p256dh;
  const auth = json.keys?.auth;
  if (!p256dh || !auth) throw new PushSetupError('no-keys');
  const deviceName = describeUserAgent(env.userAgent) ?? undefined;
  try {
    await saveSubscription({ endpoint: subscription.endpoint, keys: { p256dh, auth }, ...(deviceName ? { deviceName } : {}) }, client);
  } catch (err) {
    await subscription.unsubscribe().catch(() => false);
    throw err;
  }
  return 'enabled';
}

/**
 * Tells the server to forget this device, then unsubscribes in the browser. The browser side is
 * dropped even when the server cannot be told (offline, signed out): the server deletes a
 * subscription the push service answers 404/410 for, so nothing is left behind for long.
 */
export async function disablePush(env: PushEnvironment, client: ApiClient = api): Promise<void> {
  const subscription = await currentSubscription(env);
  if (!subscription) return;
  try {
    await deleteSubscription(subscription.endpoint, client);
  } catch (err) {
    console.warn('Could not remove the push subscription on the server; it expires there', err);
  }
  await subscription.unsubscribe();
}
