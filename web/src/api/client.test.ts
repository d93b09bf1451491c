import { describe, expect, it, vi } from 'vitest';
import { authResponse, empty, fakeFetch, json } from '../test/fakeFetch';
import { ApiClient, filenameFrom } from './client';
import { ApiError } from './errors';

const unauthorized = () => json(401, { error: { code: 'unauthorized', message: 'Token expired' } });

describe('ApiClient', () => {
  it('sends the bearer token, JSON body and same-origin credentials', async () => {
    const { fetch, calls } = fakeFetch(() => json(201, { code: 'abc-defg-hij' }));
    const client = new ApiClient({ fetchImpl: fetch });
    client.setSession(authResponse('tok-1'));
    const res = await client.request<{ code: string }>('/meetings', { method: 'POST', body: { title: 'x' } });
    expect(res.code).toBe('abc-defg-hij');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      url: '/api/v1/meetings',
      method: 'POST',
      credentials: 'same-origin',
      body: { title: 'x' },
    });
    expect(calls[0]!.headers.Authorization).toBe('Bearer tok-1');
    expect(calls[0]!.headers['Content-Type']).toBe('application/json');
  });

  it('on 401 refreshes once with the cookie and retries with the new token', async () => {
    const { fetch, calls } = fakeFetch((call) => {
      if (call.url.endsWith('/auth/refresh')) return json(200, authResponse('fresh'));
      return call.headers.Authorization === 'Bearer fresh' ? json(200, { user: { id: 1 } }) : unauthorized();
    });
    const client = new ApiClient({ fetchImpl: fetch });
    client.setSession(authResponse('stale'));

    const res = await client.request<{ user: { id: number } }>('/users/me');

    expect(res.user.id).toBe(1);
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['GET /api/v1/users/me', 'POST /api/v1/auth/refresh', 'GET /api/v1/users/me']);
    // The refresh call carries only the cookie: no stale bearer token, no body.
    expect(calls[1]!.headers.Authorization).toBeUndefined();
    expect(calls[1]!.body).toBeUndefined();
    expect(calls[1]!.credentials).toBe('same-origin');
    expect(calls[2]!.headers.Authorization).toBe('Bearer fresh');
  });

  it('concurrent 401s share a single refresh (the refresh token rotates)', async () => {
    const { fetch, calls } = fakeFetch(async (call) => {
      if (call.url.endsWith('/auth/refresh')) {
        await new Promise((r) => setTimeout(r, 5));
        return json(200, authResponse('fresh'));
      }
      return call.headers.Authorization === 'Bearer fresh' ? json(200, { ok: true }) : unauthorized();
    });
    const client = new ApiClient({ fetchImpl: fetch });
    client.setSession(authResponse('stale'));

    await Promise.all([client.request('/a'), client.request('/b'), client.request('/c')]);

    expect(calls.filter((c) => c.url.endsWith('/auth/refresh'))).toHaveLength(1);
    expect(calls).toHaveLength(7);
  });

  it('retries only once: a second 401 is reported, not looped on', async () => {
    const { fetch, calls } = fakeFetch((call) => (call.url.endsWith('/auth/refresh') ? json(200, authResponse('fresh')) : unauthorized()));
    const client = new ApiClient({ fetchImpl: fetch });
    client.setSession(authResponse('stale'));

    await expect(client.request('/users/me')).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
    expect(calls).toHaveLength(3);
  });

  it('clears the session and notifies listeners when the refresh is refused', async () => {
    const { fetch, calls } = fakeFetch(unauthorized);
    const client = new ApiClient({ fetchImpl: fetch });
    client.setSession(authResponse('stale'));
    const listener = vi.fn();
    client.subscribe(listener);

    const err = await client.request('/users/me').catch((e: unknown) => e);

    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('unauthorized');
    expect(calls).toHaveLength(2);
    expect(client.isSignedIn).toBe(false);
    expect(client.currentUser).toBeNull();
    expect(listener).toHaveBeenCalledWith(null);
  });

  it('does not refresh for calls made without auth (login with a wrong password)', async () => {
    const { fetch, calls } = fakeFetch(() => unauthorized());
    const client = new ApiClient({ fetchImpl: fetch });
    await expect(client.request('/auth/login', { method: 'POST', body: {}, auth: false })).rejects.toMatchObject({ status: 401 });
    expect(calls).toHaveLength(1);
  });

  it('restores a session on start through refresh()', async () => {
    const { fetch } = fakeFetch(() => json(200, authResponse('restored', 'bob')));
    const client = new ApiClient({ fetchImpl: fetch });
    expect(await client.refresh()).toBe(true);
    expect(client.currentUser?.username).toBe('bob');
    expect(client.isSignedIn).toBe(true);
  });

  it('maps a fetch failure to a network_error ApiError with status 0', async () => {
    const client = new ApiClient({
      fetchImpl: () => Promise.reject(new TypeError('Failed to fetch')),
    });
    await expect(client.request('/meetings')).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });

  it('resolves undefined for 204 answers', async () => {
    const { fetch } = fakeFetch(() => empty(204));
    const client = new ApiClient({ fetchImpl: fetch });
    await expect(client.request('/auth/logout', { method: 'POST' })).resolves.toBeUndefined();
  });

  it('downloads a blob with the bearer token and reads the file name', async () => {
    const { fetch, calls } = fakeFetch(
      () =>
        new Response('BEGIN:VCALENDAR', {
          status: 200,
          headers: { 'Content-Type': 'text/calendar', 'Content-Disposition': 'attachment; filename="abc-defg-hij.ics"' },
        }),
    );
    const client = new ApiClient({ fetchImpl: fetch });
    client.setSession(authResponse('tok'));
    const { blob, filename } = await client.download('/meetings/abc-defg-hij/invite.ics');
    expect(await blob.text()).toBe('BEGIN:VCALENDAR');
    expect(filename).toBe('abc-defg-hij.ics');
    expect(calls[0]!.headers.Authorization).toBe('Bearer tok');
  });
});

describe('filenameFrom', () => {
  it('prefers the RFC 6266 extended parameter', () => {
    expect(filenameFrom(`attachment; filename="a.ics"; filename*=UTF-8''caf%C3%A9.ics`)).toBe('café.ics');
    expect(filenameFrom('attachment; filename=plain.ics')).toBe('plain.ics');
    expect(filenameFrom(null)).toBeNull();
  });
});
