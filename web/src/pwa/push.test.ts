import { describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../api/client';
import { authResponse, empty, fakeFetch, json, type RecordedCall } from '../test/fakeFetch';
import { fakePushEnv, fakeSubscription, VAPID_BYTES, VAPID_KEY } from '../test/fakePush';
import { disablePush, enablePush, PushSetupError, pushSupport, urlBase64ToUint8Array } from './push';

function server(overrides: (call: RecordedCall) => Response | undefined = () => undefined) {
  const f = fakeFetch((call) => {
    const over = overrides(call);
    if (over) return over;
    if (call.url.endsWith('/push/key')) return json(200, { publicKey: VAPID_KEY });
    if (call.url.endsWith('/push/subscriptions') && call.method === 'POST') return json(201, { id: 'sub-1' });
    if (call.url.endsWith('/push/subscriptions') && call.method === 'DELETE') return empty(204);
    return json(404, { error: { code: 'not_found', message: 'no' } });
  });
  const client = new ApiClient({ fetchImpl: f.fetch });
  client.setSession(authResponse('tok'));
  return { client, calls: f.calls };
}

const IPHONE_SAFARI =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';

describe('VAPID key conversion', () => {
  it('turns base64url into the 65 key bytes', () => {
    const bytes = urlBase64ToUint8Array(VAPID_KEY);
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(Array.from(bytes)).toEqual(Array.from(VAPID_BYTES));
    expect(VAPID_KEY).not.toMatch(/[+/=]/);
  });

  it('decodes the url-safe alphabet (- and _) as + and /', () => {
    const key = new Uint8Array(65).fill(0xfb);
    key[0] = 4;
    const b64url = btoa(String.fromCharCode(...key))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
    expect(b64url).toMatch(/[-_]/);
    expect(Array.from(urlBase64ToUint8Array(b64url))).toEqual(Array.from(key));
  });

  it('refuses what is not an uncompressed P-256 point', () => {
    expect(() => urlBase64ToUint8Array('AAAA')).toThrow(PushSetupError);
    expect(() => urlBase64ToUint8Array('not base64 at all!')).toThrow(PushSetupError);
    const wrongPrefix = btoa(String.fromCharCode(...new Uint8Array(65).fill(2)));
    expect(() => urlBase64ToUint8Array(wrongPrefix)).toThrow(PushSetupError);
  });
});

describe('push support', () => {
  it('is there with a service worker, PushManager and Notification', () => {
    expect(pushSupport(fakePushEnv().env)).toBe('supported');
  });

  it('asks iPhone users to add the app to the home screen first', () => {
    expect(pushSupport(fakePushEnv({ noWorker: true, noPushManager: true, userAgent: IPHONE_SAFARI }).env)).toBe('needs-install');
    // Installed but too old an iOS (no PushManager even at home-screen): plainly unsupported.
    expect(pushSupport(fakePushEnv({ noPushManager: true, userAgent: IPHONE_SAFARI, standalone: true }).env)).toBe('unsupported');
  });

  it('is unsupported without PushManager elsewhere', () => {
    expect(pushSupport(fakePushEnv({ noPushManager: true }).env)).toBe('unsupported');
    expect(pushSupport(fakePushEnv({ noWorker: true }).env)).toBe('unsupported');
  });
});

describe('enablePush', () => {
  it('asks permission, subscribes with the server key and POSTs the subscription', async () => {
    const { env, notification, pushManager } = fakePushEnv();
    const { client, calls } = server();
    await expect(enablePush(env, client)).resolves.toBe('enabled');
    expect(notification.requestPermission).toHaveBeenCalledOnce();
    expect(pushManager.subscribe).toHaveBeenCalledOnce();
    const options = pushManager.subscribe.mock.calls[0][0];
    expect(options.userVisibleOnly).toBe(true);
    expect(Array.from(options.applicationServerKey)).toEqual(Array.from(VAPID_BYTES));
    const key = calls.find((c) => c.url.endsWith('/push/key'))!;
    expect(key.headers.Authorization).toBeUndefined();
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.url).toBe('/api/v1/push/subscriptions');
    expect(post.headers.Authorization).toBe('Bearer tok');
    expect(post.body).toEqual({
      endpoint: 'https://push.example.test/sub/1',
      keys: { p256dh: 'BP256dh-key', auth: 'auth-secret' },
      deviceName: 'Chrome on Linux',
    });
  });

  it('stops at a denied or dismissed permission prompt without subscribing', async () => {
    for (const answer of ['denied', 'default'] as const) {
      const { env, pushManager } = fakePushEnv({ permissionAnswer: answer });
      const { client, calls } = server();
      await expect(enablePush(env, client)).resolves.toBe(answer === 'denied' ? 'denied' : 'dismissed');
      expect(pushManager.subscribe).not.toHaveBeenCalled();
      expect(calls).toHaveLength(0);
    }
  });

  it('reuses a subscription for the same key (server answers 200) and replaces one for an old key', async () => {
    const same = fakeSubscription('https://push.example.test/same');
    const a = fakePushEnv({ existing: same });
    const s1 = server((c) => (c.method === 'POST' ? json(200, {}) : undefined));
    await expect(enablePush(a.env, s1.client)).resolves.toBe('enabled');
    expect(a.pushManager.subscribe).not.toHaveBeenCalled();
    expect(s1.calls.find((c) => c.method === 'POST')!.body).toMatchObject({ endpoint: 'https://push.example.test/same' });

    const stale = fakeSubscription('https://push.example.test/old', new Uint8Array(65).fill(4));
    const b = fakePushEnv({ existing: stale });
    const s2 = server();
    await enablePush(b.env, s2.client);
    expect(stale.unsubscribe).toHaveBeenCalled();
    expect(b.pushManager.subscribe).toHaveBeenCalledOnce();
  });

  it('drops the browser subscription again when the server refuses it', async () => {
    const { env, current } = fakePushEnv();
    const { client } = server((c) =>
      c.method === 'POST' ? json(400, { error: { code: 'invalid', message: 'Bad endpoint' } }) : undefined,
    );
    await expect(enablePush(env, client)).rejects.toMatchObject({ status: 400 });
    expect(current()).toBeNull();
  });

  it('reports a bad server key before subscribing', async () => {
    const { env, pushManager } = fakePushEnv();
    const { client } = server((c) => (c.url.endsWith('/push/key') ? json(200, { publicKey: 'AAAA' }) : undefined));
    await expect(enablePush(env, client)).rejects.toMatchObject({ code: 'bad-key' });
    expect(pushManager.subscribe).not.toHaveBeenCalled();
  });
});

describe('disablePush', () => {
  it('DELETEs the endpoint on the server and unsubscribes', async () => {
    const sub = fakeSubscription('https://push.example.test/mine');
    const { env } = fakePushEnv({ existing: sub, permission: 'granted' });
    const { client, calls } = server();
    await disablePush(env, client);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      method: 'DELETE',
      url: '/api/v1/push/subscriptions',
      body: { endpoint: 'https://push.example.test/mine' },
    });
    expect(sub.unsubscribe).toHaveBeenCalled();
  });

  it('still unsubscribes the browser when the server cannot be told', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const sub = fakeSubscription();
    const { env } = fakePushEnv({ existing: sub });
    const { client } = server(() => {
      throw new TypeError('Failed to fetch');
    });
    await disablePush(env, client);
    expect(sub.unsubscribe).toHaveBeenCalled();
    expect(warn).toHaveBeenCalledOnce();
  });

  it('does nothing when this device has no subscription', async () => {
    const { env } = fakePushEnv();
    const { client, calls } = server();
    await disablePush(env, client);
    expect(calls).toHaveLength(0);
  });
});
