// The signed-in user's profile: update username/email, Unicode names, logout with only the cookie.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { api, assertError, login, registerUser, uniqueEmail } from './lib/http.mjs';
import { startServer } from './lib/server.mjs';

describe('profile', () => {
  let server;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server?.stop();
  });

  it('Unicode usernames round-trip; surrounding spaces are trimmed', async () => {
    const account = await registerUser(server, { username: '  Zoë 🎉 Ünal  ' });
    assert.equal(account.user.username, 'Zoë 🎉 Ünal');
    const me = await api(server, 'GET', '/api/v1/users/me', { token: account.accessToken });
    assert.equal(me.json.user.username, 'Zoë 🎉 Ünal');
  });

  it('control and bidi-override characters in usernames are refused', async () => {
    for (const username of ['evil\u202Ename', 'line\nbreak', 'nul\u0000x']) {
      const response = await api(server, 'POST', '/api/v1/auth/register', {
        body: { username, email: uniqueEmail(), password: 'correct horse battery staple' },
      });
      assertError(response, 400, { field: 'username' });
    }
  });

  it('PATCH /users/me changes username and email; a taken email is 409', async () => {
    const account = await registerUser(server);
    const other = await registerUser(server);
    const newEmail = uniqueEmail('renamed').toUpperCase();
    const updated = await api(server, 'PATCH', '/api/v1/users/me', {
      token: account.accessToken,
      body: { username: 'renamed', email: newEmail },
    });
    assert.equal(updated.status, 200, updated.text);
    assert.equal(updated.json.user.username, 'renamed');
    assert.equal(updated.json.user.email, newEmail.toLowerCase());
    assert.equal((await login(server, newEmail, account.password)).status, 200);
    assert.equal((await login(server, account.email, account.password)).status, 401);

    const taken = await api(server, 'PATCH', '/api/v1/users/me', {
      token: account.accessToken,
      body: { email: other.email },
    });
    assertError(taken, 409, { field: 'email' });
    assertError(await api(server, 'PATCH', '/api/v1/users/me', { token: account.accessToken, body: { username: 'x' } }), 400, {
      field: 'username',
    });
    assertError(await api(server, 'PATCH', '/api/v1/users/me', { token: account.accessToken, body: { id: 99 } }), 400, {
      field: 'id',
    });
    assertError(await api(server, 'PATCH', '/api/v1/users/me', { body: { username: 'anon' } }), 401);
  });

  it('logout with only the refresh cookie ends that session', async () => {
    const account = await registerUser(server);
    const response = await api(server, 'POST', '/api/v1/auth/logout', { cookie: account.cookie });
    assert.equal(response.status, 204);
    assertError(await api(server, 'GET', '/api/v1/users/me', { token: account.accessToken }), 401);
    assertError(await api(server, 'POST', '/api/v1/auth/refresh', { cookie: account.cookie }), 401);
  });

  it('a deleted host\'s meetings disappear for everyone', async () => {
    const host = await registerUser(server);
    const guest = await registerUser(server);
    const meeting = await api(server, 'POST', '/api/v1/meetings', { token: host.accessToken, body: { kind: 'instant' } });
    assert.equal((await api(server, 'GET', `/api/v1/meetings/${meeting.json.code}`, { token: guest.accessToken })).status, 200);
    const deleted = await api(server, 'DELETE', '/api/v1/users/me', { token: host.accessToken, body: { password: host.password } });
    assert.equal(deleted.status, 204);
    assertError(await api(server, 'GET', `/api/v1/meetings/${meeting.json.code}`, { token: guest.accessToken }), 404);
  });
});
