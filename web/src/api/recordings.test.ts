import { describe, expect, it } from 'vitest';
import { authResponse, empty, fakeFetch, json } from '../test/fakeFetch';
import { ApiClient } from './client';
import { ApiError } from './errors';
import {
  deleteRecording,
  forgetMediaAccess,
  getRecording,
  grantMediaAccess,
  hasMediaAccess,
  isRecordingBusy,
  listRecordings,
  MEDIA_ACCESS_RENEW_MS,
  recordingFileUrl,
  type Recording,
} from './recordings';
import { recording } from '../test/recordingFixtures';

function signedIn(route: Parameters<typeof fakeFetch>[0], userId = 1) {
  const { fetch, calls } = fakeFetch(route);
  const client = new ApiClient({ fetchImpl: fetch });
  const auth = authResponse('tok');
  client.setSession({ ...auth, user: { ...auth.user, id: userId } });
  return { client, calls };
}

const forbidden = () => json(403, { error: { code: 'forbidden', message: 'Only the host and attendees can see recordings.' } });

describe('recordings api', () => {
  it('lists a meeting’s recordings with the bearer token and returns the items', async () => {
    const items = [recording({ id: 13, status: 'composing', progress: 40 }), recording()];
    const { client, calls } = signedIn(() => json(200, { items }));
    await expect(listRecordings('abc-defg-hij', client)).resolves.toEqual(items);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ url: '/api/v1/meetings/abc-defg-hij/recordings', method: 'GET' });
    expect(calls[0]!.headers.Authorization).toBe('Bearer tok');
  });

  it('escapes the meeting code in the path', async () => {
    const { client, calls } = signedIn(() => json(200, { items: [] }));
    await listRecordings('a/b?c', client);
    expect(calls[0]!.url).toBe('/api/v1/meetings/a%2Fb%3Fc/recordings');
  });

  it('reports 403 forbidden as an ApiError', async () => {
    const { client } = signedIn(forbidden);
    const err = await listRecordings('abc-defg-hij', client).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 403, code: 'forbidden' });
  });

  it('gets one recording and deletes one (204)', async () => {
    const { client, calls } = signedIn((call) => (call.method === 'DELETE' ? empty(204) : json(200, recording())));
    await expect(getRecording(12, client)).resolves.toMatchObject({ id: 12, status: 'ready' });
    await expect(deleteRecording(12, client)).resolves.toBeUndefined();
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['GET /api/v1/recordings/12', 'DELETE /api/v1/recordings/12']);
    expect(calls[1]!.headers.Authorization).toBe('Bearer tok');
  });

  it('rejects a delete by someone who is not the host', async () => {
    const { client } = signedIn(forbidden);
    await expect(deleteRecording(12, client)).rejects.toMatchObject({ status: 403, code: 'forbidden' });
  });

  it('builds the file URLs without any token in them', () => {
    expect(recordingFileUrl(12)).toBe('/api/v1/recordings/12/file');
    expect(recordingFileUrl(12, true)).toBe('/api/v1/recordings/12/file?download=1');
  });

  it('knows which statuses still change', () => {
    expect(
      ['recording', 'composing', 'ready', 'failed'].map((status) => isRecordingBusy({ status: status as Recording['status'] })),
    ).toEqual([true, true, false, false]);
  });
});

describe('media access cookie', () => {
  it('POSTs /recordings/access with the bearer token and an empty body', async () => {
    const { client, calls } = signedIn(() => empty(204));
    expect(hasMediaAccess(client)).toBe(false);
    await grantMediaAccess(client);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ url: '/api/v1/recordings/access', method: 'POST', body: undefined, credentials: 'same-origin' });
    expect(calls[0]!.headers.Authorization).toBe('Bearer tok');
    expect(hasMediaAccess(client)).toBe(true);
  });

  it('asks again only after 50 minutes, and concurrent callers share one request', async () => {
    let now = 1_000_000;
    const clock = () => now;
    const { client, calls } = signedIn(() => empty(204));
    await Promise.all([grantMediaAccess(client, clock), grantMediaAccess(client, clock)]);
    expect(calls).toHaveLength(1);
    now += MEDIA_ACCESS_RENEW_MS - 1;
    await grantMediaAccess(client, clock);
    expect(calls).toHaveLength(1);
    now += 1;
    expect(hasMediaAccess(client, now)).toBe(false);
    await grantMediaAccess(client, clock);
    expect(calls).toHaveLength(2);
  });

  it('does not count a grant made for another user, nor one forgotten after a playback error', async () => {
    const { client, calls } = signedIn(() => empty(204));
    await grantMediaAccess(client);
    const auth = authResponse('tok-2', 'bob');
    client.setSession({ ...auth, user: { ...auth.user, id: 2 } });
    expect(hasMediaAccess(client)).toBe(false);
    await grantMediaAccess(client);
    expect(calls).toHaveLength(2);
    forgetMediaAccess(client);
    await grantMediaAccess(client);
    expect(calls).toHaveLength(3);
  });

  it('passes a refusal on and remembers nothing', async () => {
    const { client, calls } = signedIn(forbidden);
    await expect(grantMediaAccess(client)).rejects.toMatchObject({ status: 403 });
    expect(hasMediaAccess(client)).toBe(false);
    await expect(grantMediaAccess(client)).rejects.toMatchObject({ status: 403 });
    expect(calls).toHaveLength(2);
  });
});
