// The service worker's chat rule (a chat push shows only when nobody is looking at that meeting)
// and its pushsubscriptionchange handler, with fakes for clients, PushManager and fetch.
import { describe, expect, it, vi } from 'vitest';
import { handlePush, handleSubscriptionChange, type WindowClientLike } from './swHandlers';

const ORIGIN = 'https://meet.example.test';
const data = (value: unknown) => ({ text: () => JSON.stringify(value) });
const chat = {
  type: 'chat',
  title: 'Ana in Standup',
  body: 'Can everyone see my screen?',
  url: '/m/abc-defg-hij',
  tag: 'chat:abc-defg-hij',
  meetingCode: 'abc-defg-hij',
};
const win = (path: string, focused: boolean, visibilityState: DocumentVisibilityState): WindowClientLike => ({
  url: `${ORIGIN}${path}`,
  focused,
  visibilityState,
  focus: vi.fn(async () => undefined),
});

async function shown(clients: WindowClientLike[], payload: unknown = chat): Promise<boolean> {
  const showNotification = vi.fn(async () => undefined);
  const matchAll = vi.fn(async () => clients);
  await handlePush({ showNotification }, data(payload), { matchAll });
  return showNotification.mock.calls.length === 1;
}

describe('chat push', () => {
  it('is not shown while that meeting is open, focused and visible', async () => {
    expect(await shown([win('/m/abc-defg-hij', true, 'visible')])).toBe(false);
    expect(await shown([win('/meetings', true, 'visible'), win('/m/abc-defg-hij?x=1', true, 'visible')])).toBe(false);
  });

  it('is shown when the meeting window is in the background, hidden, or another meeting is on screen', async () => {
    expect(await shown([])).toBe(true);
    expect(await shown([win('/m/abc-defg-hij', false, 'visible')])).toBe(true);
    expect(await shown([win('/m/abc-defg-hij', true, 'hidden')])).toBe(true);
    expect(await shown([win('/m/other-meet-ing', true, 'visible'), win('/', true, 'visible')])).toBe(true);
  });

  it('uses the url when the payload names no meeting code, and never hides other types', async () => {
    const { meetingCode: _code, ...withoutCode } = chat;
    expect(await shown([win('/m/abc-defg-hij', true, 'visible')], withoutCode)).toBe(false);
    const started = { type: 'started', title: 'Standup', body: 'Ana started the meeting', url: '/m/abc-defg-hij' };
    expect(await shown([win('/m/abc-defg-hij', true, 'visible')], started)).toBe(true);
  });
});

// A valid VAPID key: 65 bytes, 0x04 first.
const KEY = btoa(String.fromCharCode(4, ...new Array<number>(64).fill(7)))
  .replace(/\+/g, '-')
  .replace(/\//g, '_')
  .replace(/=+$/, '');
const NEW_SUBSCRIPTION = {
  endpoint: 'https://push.example.test/send/new-endpoint',
  toJSON: () => ({ endpoint: 'https://push.example.test/send/new-endpoint', keys: { p256dh: 'BPp256dh', auth: 'authsecret' } }),
};

function fakeServer(refreshStatus = 200) {
  const calls: { url: string; init?: RequestInit }[] = [];
  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  const fetch = vi.fn(async (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    if (url === '/api/v1/push/key') return json(200, { publicKey: KEY });
    if (url === '/api/v1/auth/refresh') return refreshStatus === 200 ? json(200, { accessToken: 'token-1' }) : json(refreshStatus, {});
    if (url === '/api/v1/push/subscriptions') return json(201, { id: 7 });
    return json(404, {});
  });
  return { fetch, calls };
}

describe('pushsubscriptionchange', () => {
  it("subscribes again with the server's key and saves the new subscription for the signed-in user", async () => {
    const server = fakeServer();
    const subscribe = vi.fn(async () => NEW_SUBSCRIPTION);
    expect(await handleSubscriptionChange({ pushManager: { subscribe }, fetch: server.fetch })).toBe('saved');
    const options = (subscribe.mock.calls[0] as unknown as [{ userVisibleOnly: boolean; applicationServerKey: Uint8Array }])[0];
    expect(options.userVisibleOnly).toBe(true);
    expect(options.applicationServerKey.length).toBe(65);
    expect(server.calls.map((c) => c.url)).toEqual(['/api/v1/push/key', '/api/v1/auth/refresh', '/api/v1/push/subscriptions']);
    expect(server.calls[1].init).toMatchObject({ method: 'POST', credentials: 'same-origin' });
    const save = server.calls[2].init!;
    expect(save.method).toBe('POST');
    expect((save.headers as Record<string, string>).Authorization).toBe('Bearer token-1');
    expect(JSON.parse(save.body as string)).toEqual({
      endpoint: 'https://push.example.test/send/new-endpoint',
      keys: { p256dh: 'BPp256dh', auth: 'authsecret' },
    });
  });

  it('saves the subscription the browser renewed itself without subscribing again', async () => {
    const server = fakeServer();
    const subscribe = vi.fn(async () => NEW_SUBSCRIPTION);
    expect(await handleSubscriptionChange({ newSubscription: NEW_SUBSCRIPTION, pushManager: { subscribe }, fetch: server.fetch })).toBe(
      'saved',
    );
    expect(subscribe).not.toHaveBeenCalled();
    expect(server.calls.map((c) => c.url)).toEqual(['/api/v1/auth/refresh', '/api/v1/push/subscriptions']);
  });

  it('saves nothing when nobody is signed in, and says so when the server refuses', async () => {
    const signedOut = fakeServer(401);
    const subscribe = vi.fn(async () => NEW_SUBSCRIPTION);
    expect(await handleSubscriptionChange({ pushManager: { subscribe }, fetch: signedOut.fetch })).toBe('signed-out');
    expect(signedOut.calls.map((c) => c.url)).not.toContain('/api/v1/push/subscriptions');

    const refused = fakeServer();
    refused.fetch.mockImplementation(async (url: string) =>
      url === '/api/v1/push/key' ? new Response('{}', { status: 503 }) : new Response('{}', { status: 200 }),
    );
    expect(await handleSubscriptionChange({ pushManager: { subscribe }, fetch: refused.fetch })).toBe('failed');
  });
});
