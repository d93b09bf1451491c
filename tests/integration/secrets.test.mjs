// Secrets stay secret: passwords, tokens and query strings never reach the log; password reset
// links are built from PUBLIC_URL and cannot be pointed at another host with a forged Host header.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { api, login, registerUser } from './lib/http.mjs';
import { startServer } from './lib/server.mjs';

async function waitForLog(server, pattern, since = 0) {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const match = pattern.exec(server.logs().slice(since));
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`${pattern} not in the log:\n${server.logs()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('logs never contain secrets', () => {
  let server;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server?.stop();
  });

  it('passwords, tokens, cookies and query strings stay out of the log', async () => {
    const password = 'Log-Canary-Passphrase-9';
    const account = await registerUser(server, { password });
    const signedIn = await login(server, account.email, password);
    await api(server, 'GET', '/api/v1/meetings?cursor=QUERY-CANARY-123', { token: signedIn.accessToken });
    await api(server, 'POST', '/api/v1/auth/refresh', { cookie: signedIn.cookie });
    await api(server, 'POST', '/api/v1/auth/forgot-password', { body: { email: account.email } });
    await waitForLog(server, /path=\/api\/v1\/auth\/forgot-password/);
    const logs = server.logs();
    assert.ok(!logs.includes(password), 'password logged');
    assert.ok(!logs.includes(signedIn.accessToken), 'access token logged');
    assert.ok(!logs.includes(signedIn.cookie.split('=')[1]), 'refresh token logged');
    assert.ok(!logs.includes('QUERY-CANARY-123'), 'query string logged');
    assert.ok(!logs.includes(server.secret), 'JWT secret logged');
    assert.ok(!logs.includes('reset-password#token='), 'reset links are only logged in --dev mode');
  });
});

describe('password reset links', () => {
  let devServer;
  let publicServer;
  before(async () => {
    devServer = await startServer({ args: ['--dev'] });
    publicServer = await startServer({ args: ['--dev', '--public-url', 'https://meet.example.com/'] });
  });
  after(async () => {
    await devServer?.stop();
    await publicServer?.stop();
  });

  it('with PUBLIC_URL the link uses it, whatever the Host header says', async () => {
    const account = await registerUser(publicServer);
    const since = publicServer.logs().length;
    const response = await api(publicServer, 'POST', '/api/v1/auth/forgot-password', {
      body: { email: account.email },
      headers: { Host: 'evil.example' },
    });
    assert.equal(response.status, 202);
    const [link] = await waitForLog(publicServer, /\S+\/reset-password#token=[A-Za-z0-9_-]+/, since);
    assert.ok(link.startsWith('https://meet.example.com/reset-password#token='), link);
  });

  it('without PUBLIC_URL a forged Host header does not redirect the reset link', async () => {
    const account = await registerUser(devServer);
    const since = devServer.logs().length;
    const response = await api(devServer, 'POST', '/api/v1/auth/forgot-password', {
      body: { email: account.email },
      headers: { Host: 'evil.example' },
    });
    assert.equal(response.status, 202);
    // Without a trusted base URL the server refuses to build the link at all and says why.
    await waitForLog(devServer, /not sent: set PUBLIC_URL/, since);
    assert.ok(!devServer.logs().slice(since).includes('evil.example'), 'a link to the forged host was logged');
  });

  it('meeting join URLs use PUBLIC_URL', async () => {
    const account = await registerUser(publicServer);
    const meeting = await api(publicServer, 'POST', '/api/v1/meetings', {
      token: account.accessToken,
      body: { kind: 'instant' },
      headers: { Host: 'evil.example' },
    });
    assert.equal(meeting.status, 201);
    assert.equal(meeting.json.joinUrl, `https://meet.example.com/m/${meeting.json.code}`);
  });
});
