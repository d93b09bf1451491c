// Access control: one user cannot touch another's meetings or sessions, and forged, tampered or
// expired access tokens are refused.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { api, assertError, decodeJwtPayload, isoIn, registerUser, signJwt } from './lib/http.mjs';
import { startServer } from './lib/server.mjs';

describe('cross-user access (IDOR)', () => {
  let server;
  let alice;
  let bob;
  let meeting;
  before(async () => {
    server = await startServer();
    alice = await registerUser(server, { username: 'alice' });
    bob = await registerUser(server, { username: 'bob' });
    const created = await api(server, 'POST', '/api/v1/meetings', {
      token: alice.accessToken,
      body: { kind: 'scheduled', title: 'Alice only', startsAt: isoIn(90), passcode: 'alice-pass' },
    });
    assert.equal(created.status, 201);
    meeting = created.json;
  });
  after(async () => {
    await server?.stop();
  });

  it('B cannot PATCH or DELETE A\'s meeting', async () => {
    const patch = await api(server, 'PATCH', `/api/v1/meetings/${meeting.code}`, {
      token: bob.accessToken,
      body: { title: 'pwned', passcode: null },
    });
    assertError(patch, 403, { code: 'forbidden' });
    const del = await api(server, 'DELETE', `/api/v1/meetings/${meeting.code}`, { token: bob.accessToken });
    assertError(del, 403, { code: 'forbidden' });
    const reread = await api(server, 'GET', `/api/v1/meetings/${meeting.code}`, { token: alice.accessToken });
    assert.equal(reread.status, 200);
    assert.equal(reread.json.title, 'Alice only');
    assert.equal(reread.json.passcode, 'alice-pass');
  });

  it('B cannot list, add or delete the invitations of A\'s meeting', async () => {
    const path = `/api/v1/meetings/${meeting.code}/invitations`;
    const added = await api(server, 'POST', path, { token: alice.accessToken, body: { emails: ['dave@example.com'] } });
    assert.equal(added.status, 201, added.text);
    const id = added.json.invitations[0].id;
    assertError(await api(server, 'GET', path, { token: bob.accessToken }), 403, { code: 'forbidden' });
    assertError(await api(server, 'POST', path, { token: bob.accessToken, body: { emails: ['eve@example.com'] } }), 403, {
      code: 'forbidden',
    });
    assertError(await api(server, 'DELETE', `${path}/${id}`, { token: bob.accessToken }), 403, { code: 'forbidden' });
    const list = await api(server, 'GET', path, { token: alice.accessToken });
    assert.deepEqual(list.json.invitations.map((i) => i.email), ['dave@example.com']);
  });

  it('B cannot read A\'s meeting history', async () => {
    const history = await api(server, 'GET', `/api/v1/meetings/${meeting.code}/history`, { token: bob.accessToken });
    assertError(history, 403, { code: 'forbidden' });
    assert.ok(!history.text.includes('alice-pass'));
  });

  it('B cannot revoke A\'s session, and A\'s session keeps working', async () => {
    const sessions = await api(server, 'GET', '/api/v1/users/me/sessions', { token: alice.accessToken });
    const aliceSession = sessions.json.items.find((s) => s.current).id;
    const revoke = await api(server, 'DELETE', `/api/v1/users/me/sessions/${encodeURIComponent(aliceSession)}`, {
      token: bob.accessToken,
    });
    assertError(revoke, 404, { code: 'not_found' });
    assert.equal((await api(server, 'GET', '/api/v1/users/me', { token: alice.accessToken })).status, 200);
    const bobSessions = await api(server, 'GET', '/api/v1/users/me/sessions', { token: bob.accessToken });
    assert.ok(!bobSessions.json.items.some((s) => s.id === aliceSession));
  });

  it('B\'s listings never contain A\'s meetings', async () => {
    for (const scope of ['upcoming', 'past']) {
      const list = await api(server, 'GET', `/api/v1/meetings?scope=${scope}&limit=100`, { token: bob.accessToken });
      assert.equal(list.status, 200);
      assert.ok(!list.json.items.some((m) => m.code === meeting.code || m.host.id === alice.user.id), scope);
    }
  });

  it('B cannot get A\'s invite with the passcode', async () => {
    const ics = await api(server, 'GET', `/api/v1/meetings/${meeting.code}/invite.ics`, { token: bob.accessToken });
    assert.ok(!ics.text.replace(/\r\n[ \t]/g, '').includes('alice-pass'));
  });
});

describe('forged and expired tokens', () => {
  let server;
  let account;
  const me = (token) => api(server, 'GET', '/api/v1/users/me', { token });
  before(async () => {
    server = await startServer();
    account = await registerUser(server);
  });
  after(async () => {
    await server?.stop();
  });

  it('a genuine token works (control)', async () => {
    assert.equal((await me(account.accessToken)).status, 200);
    // A token we sign ourselves with the server's secret and live claims is accepted, which
    // shows that the forgeries below fail for the reason under test.
    const claims = decodeJwtPayload(account.accessToken);
    assert.equal((await me(signJwt({ ...claims, jti: 'self-signed' }, server.secret))).status, 200);
  });

  it('a tampered signature is 401', async () => {
    const [header, payload, signature] = account.accessToken.split('.');
    const flipped = signature[5] === 'A' ? 'B' : 'A';
    const tampered = `${header}.${payload}.${signature.slice(0, 5)}${flipped}${signature.slice(6)}`;
    assertError(await me(tampered), 401, { code: 'unauthorized' });
  });

  it('a tampered payload (other user id) is 401', async () => {
    const [header, , signature] = account.accessToken.split('.');
    const claims = { ...decodeJwtPayload(account.accessToken), sub: String(account.user.id + 1) };
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    assertError(await me(`${header}.${payload}.${signature}`), 401);
  });

  it('alg=none is 401', async () => {
    const claims = decodeJwtPayload(account.accessToken);
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    assertError(await me(`${header}.${payload}.`), 401);
    assertError(await me(`${header}.${payload}`), 401);
    // Same but with a valid-looking HMAC made with the right secret: the header alone must fail it.
    assertError(await me(signJwt(claims, server.secret, { alg: 'none', typ: 'JWT' })), 401);
  });

  it('an expired token signed with the real secret is 401', async () => {
    const claims = decodeJwtPayload(account.accessToken);
    const now = Math.floor(Date.now() / 1000);
    const expired = signJwt({ ...claims, iat: now - 3600, exp: now - 60, jti: 'expired-1' }, server.secret);
    assertError(await me(expired), 401);
  });

  it('a token signed with another secret is 401', async () => {
    const claims = decodeJwtPayload(account.accessToken);
    assertError(await me(signJwt(claims, 'x'.repeat(48))), 401);
  });

  it('missing or malformed Authorization is 401', async () => {
    assertError(await api(server, 'GET', '/api/v1/users/me'), 401);
    assertError(await api(server, 'GET', '/api/v1/users/me', { headers: { Authorization: 'Basic abc' } }), 401);
    assertError(await me('not.a.jwt'), 401);
    assertError(await me('a'.repeat(5000)), 401);
  });
});
