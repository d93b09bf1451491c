import { describe, expect, it, vi } from 'vitest';
import {
  handleNotificationClick,
  handlePush,
  isServerPath,
  isStaticAsset,
  NOTIFICATION_BADGE,
  NOTIFICATION_ICON,
  parsePushPayload,
  safePath,
  type WindowClientLike,
} from './swHandlers';

const data = (value: unknown) => ({ text: () => (typeof value === 'string' ? value : JSON.stringify(value)) });
const ORIGIN = 'https://meet.example.test';

describe('push handler', () => {
  it('shows the payload as a notification with icon, tag and the url to open', async () => {
    const showNotification = vi.fn(async () => undefined);
    await handlePush(
      { showNotification },
      data({ type: 'reminder', title: 'Standup in 10 minutes', body: 'Daily standup', url: '/m/abc-defg-hij', tag: 'reminder-42' }),
    );
    expect(showNotification).toHaveBeenCalledWith('Standup in 10 minutes', {
      body: 'Daily standup',
      icon: NOTIFICATION_ICON,
      badge: NOTIFICATION_BADGE,
      tag: 'reminder-42',
      renotify: true,
      data: { url: '/m/abc-defg-hij', type: 'reminder' },
    });
  });

  it('still shows something for an empty, non-JSON or hostile payload', () => {
    expect(parsePushPayload(null)).toEqual({ type: 'test', title: 'Flux Meet', body: '', url: '/', tag: undefined });
    expect(parsePushPayload(data('plain words'))).toMatchObject({ title: 'Flux Meet', body: 'plain words' });
    expect(parsePushPayload(data({ type: 'evil', title: '  ', url: 'https://evil.example/x' }))).toMatchObject({
      type: 'test',
      title: 'Flux Meet',
      url: '/',
    });
    const noTag = parsePushPayload(data({ type: 'chat', title: 'Ana', body: 'hi', url: '/m/x' }));
    expect(noTag.tag).toBeUndefined();
  });

  it('keeps click targets on our own origin', () => {
    expect(safePath('/m/abc')).toBe('/m/abc');
    expect(safePath('//evil.example/x')).toBe('/');
    expect(safePath('/\\evil.example')).toBe('/');
    expect(safePath('javascript:alert(1)')).toBe('/');
    expect(safePath(42)).toBe('/');
  });
});

describe('notificationclick handler', () => {
  const win = (url: string): WindowClientLike & { focus: ReturnType<typeof vi.fn> } => ({ url, focus: vi.fn(async () => undefined) });

  it('focuses a window already on that page and opens nothing', async () => {
    const other = win(`${ORIGIN}/meetings`);
    const meeting = win(`${ORIGIN}/m/abc-defg-hij?x=1`);
    const clients = { matchAll: vi.fn(async () => [other, meeting]), openWindow: vi.fn(async () => null) };
    const close = vi.fn();
    await handleNotificationClick({ data: { url: '/m/abc-defg-hij' }, close }, clients, ORIGIN);
    expect(close).toHaveBeenCalled();
    expect(clients.matchAll).toHaveBeenCalledWith({ type: 'window', includeUncontrolled: true });
    expect(meeting.focus).toHaveBeenCalled();
    expect(other.focus).not.toHaveBeenCalled();
    expect(clients.openWindow).not.toHaveBeenCalled();
  });

  it('opens a new window when none shows that page (never navigates a window that may be in a meeting)', async () => {
    const inMeeting = win(`${ORIGIN}/m/other-meet-ing`);
    const clients = { matchAll: vi.fn(async () => [inMeeting]), openWindow: vi.fn(async () => null) };
    await handleNotificationClick({ data: { url: '/m/abc-defg-hij' }, close: vi.fn() }, clients, ORIGIN);
    expect(clients.openWindow).toHaveBeenCalledWith(`${ORIGIN}/m/abc-defg-hij`);
    expect(inMeeting.focus).not.toHaveBeenCalled();
  });

  it('opens the home page for a notification without a usable url', async () => {
    const clients = { matchAll: vi.fn(async () => []), openWindow: vi.fn(async () => null) };
    await handleNotificationClick({ data: { url: 'https://evil.example' }, close: vi.fn() }, clients, ORIGIN);
    expect(clients.openWindow).toHaveBeenCalledWith(`${ORIGIN}/`);
  });
});

describe('routing rules', () => {
  it('leaves the server paths alone', () => {
    for (const p of ['/api/v1/users/me', '/ws', '/ws/', '/metrics', '/healthz']) expect(isServerPath(p)).toBe(true);
    for (const p of ['/', '/m/abc-defg-hij', '/meetings', '/wsx', '/apis', '/profile']) expect(isServerPath(p)).toBe(false);
  });

  it('runtime-caches only same-origin static files, never an API answer', () => {
    const u = (p: string, origin = ORIGIN) => new URL(p, origin);
    expect(isStaticAsset(u('/assets/index-abc.js'), 'script', ORIGIN)).toBe(true);
    expect(isStaticAsset(u('/icons/icon-192.png'), 'image', ORIGIN)).toBe(true);
    expect(isStaticAsset(u('/api/v1/recordings/1/file'), 'video', ORIGIN)).toBe(false);
    expect(isStaticAsset(u('/api/v1/users/me/avatar'), 'image', ORIGIN)).toBe(false);
    expect(isStaticAsset(u('/api/v1/meetings'), '', ORIGIN)).toBe(false);
    expect(isStaticAsset(u('/m/abc'), 'document', ORIGIN)).toBe(false);
    expect(isStaticAsset(u('/x.js', 'https://cdn.example'), 'script', ORIGIN)).toBe(false);
  });
});
