import { describe, expect, it } from 'vitest';
import { authResponse, empty, fakeFetch, json } from '../test/fakeFetch';
import { ApiClient } from './client';
import { inviteByEmail, listInvitations, removeInvitation } from './meetings';
import type { Invitation } from './types';

const invitation = (id: number, email: string, change: Partial<Invitation> = {}): Invitation => ({
  id,
  email,
  invitedAt: '2030-05-01T10:00:00Z',
  emailedAt: null,
  registered: false,
  ...change,
});

describe('invitations API', () => {
  function client(route: Parameters<typeof fakeFetch>[0]) {
    const fake = fakeFetch(route);
    const api = new ApiClient({ fetchImpl: fake.fetch });
    api.setSession(authResponse('tok'));
    return { api, calls: fake.calls };
  }

  it('lists, adds and removes with the host token', async () => {
    const list = [invitation(7, 'ann@example.com', { registered: true })];
    const { api, calls } = client((call) => {
      if (call.method === 'DELETE') return empty(204);
      if (call.method === 'POST') return json(201, { invitations: [...list, invitation(8, 'bo@example.com')] });
      return json(200, { invitations: list });
    });
    expect(await listInvitations('abc-defg-hij', api)).toEqual(list);
    expect((await inviteByEmail('abc-defg-hij', ['bo@example.com'], api)).map((i) => i.id)).toEqual([7, 8]);
    await removeInvitation('abc-defg-hij', 7, api);
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET /api/v1/meetings/abc-defg-hij/invitations',
      'POST /api/v1/meetings/abc-defg-hij/invitations',
      'DELETE /api/v1/meetings/abc-defg-hij/invitations/7',
    ]);
    expect(calls[1]!.body).toEqual({ emails: ['bo@example.com'] });
    expect(calls.every((c) => c.headers.Authorization === 'Bearer tok')).toBe(true);
  });

  it("passes the server's refusal on (a non-host gets 403)", async () => {
    const { api } = client(() => json(403, { error: { code: 'forbidden', message: 'Only the host can do that' } }));
    await expect(listInvitations('abc-defg-hij', api)).rejects.toMatchObject({ status: 403 });
  });
});
