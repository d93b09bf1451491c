// Rate limits on login (LOGIN_ATTEMPTS_PER_MINUTE), register (3x that per IP) and forgot-password
// (5 per 15 minutes per IP). Each limit gets its own server so the per-IP buckets start empty.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { api, assertError, GOOD_PASSWORD, login, registerUser, uniqueEmail } from './lib/http.mjs';
import { startServer } from './lib/server.mjs';

function assertRateLimited(response) {
  assertError(response, 429, { code: 'rate_limited' });
  const retryAfter = Number(response.headers['retry-after']);
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1, `Retry-After: ${response.headers['retry-after']}`);
}

describe('login rate limit', () => {
  let server;
  let account;
  before(async () => {
    server = await startServer({ env: { LOGIN_ATTEMPTS_PER_MINUTE: '3' } });
    account = await registerUser(server);
  });
  after(async () => {
    await server?.stop();
  });

  it('3 failed logins, then 429 with Retry-After even for the right password', async () => {
    for (let i = 0; i < 3; i += 1) {
      assertError((await login(server, account.email, 'wrong password here')).response, 401);
    }
    assertRateLimited((await login(server, account.email, 'wrong password here')).response);
    assertRateLimited((await login(server, account.email, account.password)).response);
    // The per-IP bucket is spent too: another account from this address is also refused.
    assertRateLimited((await login(server, uniqueEmail(), 'whatever password')).response);
  });

  it('a limited login does not affect signed-in users', async () => {
    const response = await api(server, 'GET', '/api/v1/users/me', { token: account.accessToken });
    assert.equal(response.status, 200);
  });
});

describe('--login-attempts-per-minute flag', () => {
  let server;
  before(async () => {
    // The flag wins over the environment default the helper sets.
    server = await startServer({ args: ['--login-attempts-per-minute', '2'] });
  });
  after(async () => {
    await server?.stop();
  });

  it('limits after 2 attempts', async () => {
    const email = uniqueEmail();
    assertError((await login(server, email, 'wrong password here')).response, 401);
    assertError((await login(server, email, 'wrong password here')).response, 401);
    assertRateLimited((await login(server, email, 'wrong password here')).response);
  });
});

describe('register and forgot-password rate limits', () => {
  let server;
  before(async () => {
    server = await startServer({ env: { LOGIN_ATTEMPTS_PER_MINUTE: '2' } });
  });
  after(async () => {
    await server?.stop();
  });

  it('register allows 3x the login limit per IP per minute', async () => {
    for (let i = 0; i < 6; i += 1) await registerUser(server);
    const response = await api(server, 'POST', '/api/v1/auth/register', {
      body: { username: 'seventh', email: uniqueEmail(), password: GOOD_PASSWORD },
    });
    assertRateLimited(response);
  });

  it('forgot-password allows 5 per IP, then 429', async () => {
    for (let i = 0; i < 5; i += 1) {
      const response = await api(server, 'POST', '/api/v1/auth/forgot-password', { body: { email: uniqueEmail() } });
      assert.equal(response.status, 202);
    }
    assertRateLimited(await api(server, 'POST', '/api/v1/auth/forgot-password', { body: { email: uniqueEmail() } }));
  });
});

describe('password work is bounded', () => {
  let server;
  let account;
  before(async () => {
    // Real Argon2id cost (~120 ms per verification) so that a burst outlasts the pool.
    server = await startServer({ args: ['--password-hash-cost', 'interactive'] });
    account = await registerUser(server);
  });
  after(async () => {
    await server?.stop();
  });

  it('a burst of 40 logins: at most 16 queue for Argon2id, the rest get 503 with Retry-After', async () => {
    const burst = await Promise.all(
      Array.from({ length: 40 }, () => login(server, account.email, 'wrong password here').then((r) => r.response)),
    );
    const statuses = burst.map((response) => response.status);
    const refused = burst.filter((response) => response.status === 503);
    assert.ok(statuses.every((status) => status === 401 || status === 503), statuses.join(','));
    assert.ok(statuses.filter((status) => status === 401).length <= 16, statuses.join(','));
    assert.ok(refused.length >= 1, statuses.join(','));
    for (const response of refused) {
      assert.equal(response.json.error.code, 'unavailable');
      assert.equal(response.headers['retry-after'], '1');
    }
    // Once the queue drains, the right password works again.
    assert.equal((await login(server, account.email, account.password)).response.status, 200);
  });
});
