// Accounts end to end: register, login, refresh rotation with reuse detection, logout, password
// change and reset, sessions, deletion.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { api, assertError, GOOD_PASSWORD, login, refreshCookieFrom, registerUser, uniqueEmail } from './lib/http.mjs';
import { startServer } from './lib/server.mjs';

const me = (server, token) => api(server, 'GET', '/api/v1/users/me', { token });
const refresh = (server, cookie) => api(server, 'POST', '/api/v1/auth/refresh', { cookie });

describe('auth', () => {
  let server;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server?.stop();
  });

  it('register -> login -> me -> refresh rotation with reuse detection', async () => {
    const account = await registerUser(server, { username: 'alice' });
    assert.equal(account.user.username, 'alice');
    assert.equal(account.user.email, account.email);
    assert.ok(account.accessToken);
    assert.ok(account.cookie, 'register sets the refresh cookie');
    const setCookie = account.response.setCookies.find((c) => c.startsWith('fm_refresh='));
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Strict/);
    assert.match(setCookie, /Path=\/api\/v1\/auth/);
    assert.doesNotMatch(setCookie, /Secure/, 'plain HTTP must not mark the cookie Secure');

    const signedIn = await login(server, account.email, account.password);
    assert.equal(signedIn.status, 200);
    assert.ok(signedIn.cookie);

    const profile = await me(server, signedIn.accessToken);
    assert.equal(profile.status, 200);
    assert.equal(profile.json.user.id, account.user.id);
    assert.equal(profile.json.user.email, account.email);
    assert.equal(profile.json.user.passwordHash, undefined);

    const rotated = await refresh(server, signedIn.cookie);
    assert.equal(rotated.status, 200, rotated.text);
    const newCookie = refreshCookieFrom(rotated);
    assert.ok(newCookie);
    assert.notEqual(newCookie, signedIn.cookie, 'refresh rotates the cookie');
    assert.equal((await me(server, rotated.json.accessToken)).status, 200);

    // Replaying the used cookie is reuse: refused, and the whole session is revoked.
    assertError(await refresh(server, signedIn.cookie), 401, { code: 'unauthorized' });
    assertError(await refresh(server, newCookie), 401);
    assertError(await me(server, rotated.json.accessToken), 401);
    // The other session (from register) is unaffected.
    assert.equal((await me(server, account.accessToken)).status, 200);
  });

  it('refresh without a cookie or with a made-up one is 401', async () => {
    assertError(await refresh(server, undefined), 401);
    assertError(await refresh(server, 'fm_refresh=not-a-real-token'), 401);
  });

  it('logout revokes the session: refresh cookie and access token stop working', async () => {
    const account = await registerUser(server);
    const response = await api(server, 'POST', '/api/v1/auth/logout', {
      token: account.accessToken,
      cookie: account.cookie,
    });
    assert.equal(response.status, 204);
    const cleared = response.setCookies.find((c) => c.startsWith('fm_refresh='));
    assert.match(cleared, /Max-Age=0/);
    assertError(await refresh(server, account.cookie), 401);
    assertError(await me(server, account.accessToken), 401);
  });

  it('register validation names the offending field', async () => {
    const cases = [
      [{ password: 'short1!' }, 'password'],
      [{ password: 'password123' }, 'password'], // in common_passwords.cpp
      [{ email: 'not-an-email' }, 'email'],
      [{ email: 'a@b' }, 'email'],
      [{ username: 'a' }, 'username'],
      [{ username: '' }, 'username'],
    ];
    for (const [override, field] of cases) {
      const body = { username: 'valid', email: uniqueEmail(), password: GOOD_PASSWORD, ...override };
      const response = await api(server, 'POST', '/api/v1/auth/register', { body });
      assertError(response, 400, { code: 'validation_failed', field });
    }
    const missing = await api(server, 'POST', '/api/v1/auth/register', { body: { username: 'valid' } });
    assertError(missing, 400, { code: 'validation_failed' });
  });

  it('duplicate email is 409 on field email, case-insensitively', async () => {
    const local = `bob${Date.now().toString(36)}`;
    await registerUser(server, { email: `${local}@x.com` });
    const response = await api(server, 'POST', '/api/v1/auth/register', {
      body: { username: 'bob2', email: `${local[0].toUpperCase()}${local.slice(1)}@X.com`, password: GOOD_PASSWORD },
    });
    assertError(response, 409, { code: 'conflict', field: 'email' });
    // Login with a differently-cased email finds the same account.
    assert.equal((await login(server, `${local.toUpperCase()}@X.COM`, GOOD_PASSWORD)).status, 200);
  });

  it('wrong password and unknown email give the same 401', async () => {
    const account = await registerUser(server);
    const wrong = await login(server, account.email, 'not the right password');
    const unknown = await login(server, uniqueEmail('nobody'), 'not the right password');
    assertError(wrong.response, 401, { code: 'unauthorized' });
    assertError(unknown.response, 401, { code: 'unauthorized' });
    assert.equal(wrong.response.json.error.message, unknown.response.json.error.message);
    assert.equal(wrong.cookie, undefined);
  });

  it('change password needs the current one and signs out other sessions', async () => {
    const account = await registerUser(server);
    const other = await login(server, account.email, account.password);
    assert.equal(other.status, 200);

    const wrongCurrent = await api(server, 'POST', '/api/v1/users/me/password', {
      token: account.accessToken,
      body: { currentPassword: 'wrong wrong wrong', newPassword: 'a brand new passphrase' },
    });
    assertError(wrongCurrent, 400, { field: 'currentPassword' });
    const weakNew = await api(server, 'POST', '/api/v1/users/me/password', {
      token: account.accessToken,
      body: { currentPassword: account.password, newPassword: 'short' },
    });
    assertError(weakNew, 400, { field: 'newPassword' });
    assert.equal((await me(server, other.accessToken)).status, 200, 'failed attempts change nothing');

    const changed = await api(server, 'POST', '/api/v1/users/me/password', {
      token: account.accessToken,
      body: { currentPassword: account.password, newPassword: 'a brand new passphrase' },
    });
    assert.equal(changed.status, 204, changed.text);
    assertError(await me(server, other.accessToken), 401);
    assertError(await refresh(server, other.cookie), 401);
    assert.equal((await me(server, account.accessToken)).status, 200, 'the current session stays');
    assert.equal((await login(server, account.email, account.password)).status, 401);
    assert.equal((await login(server, account.email, 'a brand new passphrase')).status, 200);
  });

  it('sessions: list, revoke one, sign out everywhere else', async () => {
    const account = await registerUser(server);
    const second = await login(server, account.email, account.password);
    const third = await login(server, account.email, account.password);

    const listed = await api(server, 'GET', '/api/v1/users/me/sessions', { token: account.accessToken });
    assert.equal(listed.status, 200);
    assert.equal(listed.json.items.length, 3);
    const current = listed.json.items.filter((s) => s.current);
    assert.equal(current.length, 1);
    for (const session of listed.json.items) {
      assert.equal(typeof session.id, 'string');
      assert.ok(session.createdAt);
    }

    // Find the second login's session id from its own listing.
    const fromSecond = await api(server, 'GET', '/api/v1/users/me/sessions', { token: second.accessToken });
    const secondId = fromSecond.json.items.find((s) => s.current).id;
    const revoked = await api(server, 'DELETE', `/api/v1/users/me/sessions/${encodeURIComponent(secondId)}`, {
      token: account.accessToken,
    });
    assert.equal(revoked.status, 204);
    assertError(await me(server, second.accessToken), 401);
    assert.equal((await me(server, third.accessToken)).status, 200);

    const unknown = await api(server, 'DELETE', '/api/v1/users/me/sessions/no-such-session', {
      token: account.accessToken,
    });
    assertError(unknown, 404);

    const others = await api(server, 'DELETE', '/api/v1/users/me/sessions', { token: account.accessToken });
    assert.equal(others.status, 204);
    assertError(await me(server, third.accessToken), 401);
    assert.equal((await me(server, account.accessToken)).status, 200);
    const after = await api(server, 'GET', '/api/v1/users/me/sessions', { token: account.accessToken });
    assert.equal(after.json.items.length, 1);
    assert.equal(after.json.items[0].current, true);
  });

  it('forgot-password answers 202 for known and unknown emails alike', async () => {
    const account = await registerUser(server);
    const known = await api(server, 'POST', '/api/v1/auth/forgot-password', { body: { email: account.email } });
    const unknown = await api(server, 'POST', '/api/v1/auth/forgot-password', {
      body: { email: uniqueEmail('ghost') },
    });
    assert.equal(known.status, 202);
    assert.equal(unknown.status, 202);
    assert.deepEqual(known.json, unknown.json);
  });

  it('reset-password with a bad token is 400 on field token', async () => {
    const response = await api(server, 'POST', '/api/v1/auth/reset-password', {
      body: { token: 'definitely-not-a-token', password: 'a brand new passphrase' },
    });
    assertError(response, 400, { code: 'validation_failed', field: 'token' });
  });

  it('delete account requires the password, then the account is gone', async () => {
    const account = await registerUser(server);
    const wrong = await api(server, 'DELETE', '/api/v1/users/me', {
      token: account.accessToken,
      body: { password: 'not my password at all' },
    });
    assertError(wrong, 400, { field: 'password' });
    const noBody = await api(server, 'DELETE', '/api/v1/users/me', { token: account.accessToken, body: {} });
    assertError(noBody, 400, { field: 'password' });
    assert.equal((await me(server, account.accessToken)).status, 200);

    const deleted = await api(server, 'DELETE', '/api/v1/users/me', {
      token: account.accessToken,
      body: { password: account.password },
    });
    assert.equal(deleted.status, 204);
    assertError(await me(server, account.accessToken), 401);
    assertError((await login(server, account.email, account.password)).response, 401);
  });
});

describe('password reset flow (dev mode logs the link)', () => {
  let server;
  before(async () => {
    server = await startServer({ args: ['--dev'] });
  });
  after(async () => {
    await server?.stop();
  });

  async function waitForResetToken(since) {
    const deadline = Date.now() + 5_000;
    for (;;) {
      const match = /reset-password#token=([A-Za-z0-9_-]+)/.exec(server.logs().slice(since));
      if (match) return match[1];
      if (Date.now() > deadline) throw new Error(`no reset link in the log:\n${server.logs()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('reset link works once; old password fails, new one works, other sessions end', async () => {
    const account = await registerUser(server);
    const since = server.logs().length;
    const forgot = await api(server, 'POST', '/api/v1/auth/forgot-password', { body: { email: account.email } });
    assert.equal(forgot.status, 202);
    const token = await waitForResetToken(since);

    const weak = await api(server, 'POST', '/api/v1/auth/reset-password', { body: { token, password: 'short' } });
    assertError(weak, 400, { field: 'password' });

    const reset = await api(server, 'POST', '/api/v1/auth/reset-password', {
      body: { token, password: 'reset passphrase 42' },
    });
    assert.equal(reset.status, 204, reset.text);
    assert.equal((await login(server, account.email, account.password)).status, 401);
    assert.equal((await login(server, account.email, 'reset passphrase 42')).status, 200);

    const again = await api(server, 'POST', '/api/v1/auth/reset-password', {
      body: { token, password: 'another passphrase 43' },
    });
    assertError(again, 400, { field: 'token' });
    assert.equal((await login(server, account.email, 'reset passphrase 42')).status, 200);
  });

  it('a password reset ends the sessions signed in with the old password', async () => {
    const account = await registerUser(server);
    const since = server.logs().length;
    await api(server, 'POST', '/api/v1/auth/forgot-password', { body: { email: account.email } });
    const token = await waitForResetToken(since);
    const reset = await api(server, 'POST', '/api/v1/auth/reset-password', {
      body: { token, password: 'reset passphrase 44' },
    });
    assert.equal(reset.status, 204);
    assertError(await me(server, account.accessToken), 401);
    assertError(await refresh(server, account.cookie), 401);
  });
});
