// Signaling resilience against the real binary: reconnection within and after the grace period,
// chat kept across a restart, and malformed input that must never crash the server.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { api, registerUser } from './lib/http.mjs';
import { startServer } from './lib/server.mjs';
import { connect, connectAs, settle } from './lib/ws.mjs';

const GRACE_MS = 1500;

async function createMeeting(server, token, body = {}) {
  const response = await api(server, 'POST', '/api/v1/meetings', { token, body: { kind: 'instant', ...body } });
  assert.equal(response.status, 201, response.text);
  return response.json.code;
}

describe('signaling resilience', () => {
  let server;
  let host;
  let alice;
  const clients = [];
  const open = async (user) => {
    const client = await connectAs(server, user.accessToken);
    clients.push(client);
    return client;
  };

  before(async () => {
    server = await startServer({ env: { SIGNAL_RECONNECT_GRACE_MS: String(GRACE_MS) } });
    host = await registerUser(server, { username: 'host' });
    alice = await registerUser(server, { username: 'alice' });
  });
  after(async () => {
    for (const client of clients) client.terminate();
    await server?.stop();
  });

  it('a peer resuming within the grace period gets what it missed', async () => {
    const code = await createMeeting(server, host.accessToken);
    const h = await open(host);
    const a = await open(alice);
    await h.call('join', { code });
    await a.call('join', { code });
    const { peerId, resumeToken } = a;

    await a.terminate();
    const reconnecting = await h.waitFor('peer.updated', (p) => p.peerId === peerId);
    assert.equal(reconnecting.connection, 'reconnecting');
    await h.call('chat.send', { text: 'while you were away' });
    await h.call('raiseHand');

    const again = await connect(server);
    clients.push(again);
    const hello = await again.hello(alice.accessToken, resumeToken);
    assert.equal(hello.resumed, true);
    assert.equal(hello.peerId, peerId);
    assert.notEqual(hello.resumeToken, resumeToken);
    const missed = await again.waitFor('chat.message');
    assert.equal(missed.text, 'while you were away');
    await again.waitFor('peer.updated', (p) => p.peerId === h.peerId && p.handRaised);
    const back = await h.waitFor('peer.updated', (p) => p.peerId === peerId);
    assert.equal(back.connection, 'connected');
    // Still in the meeting without re-joining.
    await again.call('chat.send', { text: 'back' });
    await h.waitFor('chat.message', (m) => m.text === 'back');
    // The old resume token is spent.
    const stale = await connect(server);
    clients.push(stale);
    assert.equal((await stale.hello(alice.accessToken, resumeToken)).resumed, false);
    await settle(GRACE_MS + 300);
    assert.equal(h.has('peer.left', (p) => p.peerId === peerId), false);
  });

  it('after the grace period the peer is gone and a resume starts fresh', async () => {
    const code = await createMeeting(server, host.accessToken);
    const h = await open(host);
    const a = await open(alice);
    await h.call('join', { code });
    await a.call('join', { code });
    const { peerId, resumeToken } = a;
    await a.terminate();
    const left = await h.waitFor('peer.left', (p) => p.peerId === peerId, { timeoutMs: GRACE_MS + 3000 });
    assert.equal(left.reason, 'disconnected');
    const late = await connect(server);
    clients.push(late);
    const hello = await late.hello(alice.accessToken, resumeToken);
    assert.equal(hello.resumed, false);
    assert.notEqual(hello.peerId, peerId);
    await late.expectError('chat.send', { text: 'hi' }, 'unprocessable');
    const view = await late.call('join', { code });
    assert.equal(view.peers.length, 1);
  });

  it('a resume token only works for the same identity', async () => {
    const code = await createMeeting(server, host.accessToken);
    const a = await open(alice);
    await a.call('join', { code });
    const token = a.resumeToken;
    await a.terminate();
    const thief = await connect(server);
    clients.push(thief);
    const hello = await thief.hello(host.accessToken, token);
    assert.equal(hello.resumed, false);
  });

  it('malformed messages get errors and never crash the server', async () => {
    const code = await createMeeting(server, host.accessToken);
    const h = await open(host);
    await h.call('join', { code });

    // Before hello: unauthorized, then the connection is closed.
    const early = await connect(server);
    const unauthorized = await early.request('join', { code });
    assert.equal(unauthorized.error.code, 'unauthorized');
    assert.equal((await early.closed).code, 1008);

    const badToken = await connect(server);
    const rejected = await badToken.request('hello', { token: 'not.a.jwt' });
    assert.equal(rejected.error.code, 'unauthorized');
    assert.equal((await badToken.closed).code, 1008);

    const a = await connectAs(server, alice.accessToken);
    clients.push(a);
    const notJson = await a.requestRaw(null, '{"id": 1, nope');
    assert.equal(notJson.id, null);
    assert.equal(notJson.error.code, 'invalid_request');
    const noMethod = await a.requestRaw(7, JSON.stringify({ id: 7, data: {} }));
    assert.equal(noMethod.error.code, 'invalid_request');
    const unknown = await a.request('teleport', {});
    assert.equal(unknown.error.code, 'not_found');
    const wrongType = await a.request('join', { code: 42 });
    assert.equal(wrongType.error.code, 'validation_failed');
    assert.equal(wrongType.error.field, 'code');
    const extra = await a.request('join', { code, admin: true });
    assert.equal(extra.error.code, 'validation_failed');
    const array = await a.requestRaw(null, '[1,2,3]');
    assert.equal(array.error.code, 'invalid_request');
    await a.expectError('join', { code: 'zzz-zzzz-zzz' }, 'not_found');
    await a.call('join', { code });

    // Oversize message: the server closes with 1009 (message too big).
    const big = await connectAs(server, alice.accessToken);
    big.socket.send(JSON.stringify({ id: 1, method: 'chat.send', data: { text: 'x'.repeat(200 * 1024) } }));
    assert.equal((await big.closed).code, 1009);

    // Binary frame: an error, then close 1003.
    const binary = await connectAs(server, alice.accessToken);
    binary.socket.send(Buffer.from([1, 2, 3]));
    const closed = await binary.closed;
    assert.equal(closed.code, 1003);
    const error = binary.raw.find((m) => m.ok === false);
    assert.equal(error.error.code, 'invalid_request');

    // Ten invalid messages: disconnected with 1008.
    const noisy = await connectAs(server, alice.accessToken);
    for (let i = 0; i < 10; i += 1) noisy.socket.send('garbage');
    assert.equal((await noisy.closed).code, 1008);
    assert.equal(noisy.raw.filter((m) => m.ok === false).length, 10);

    // A connection dropped mid-handshake or right after opening does no harm either.
    const dropped = await connect(server);
    dropped.terminate();

    // The server still serves the others.
    await a.call('chat.send', { text: 'still alive' });
    await h.waitFor('chat.message', (m) => m.text === 'still alive');
    const health = await api(server, 'GET', '/healthz');
    assert.equal(health.status, 200);
  });
});

describe('signaling across a restart', () => {
  it('chat written before the ack survives a restart', async () => {
    let server = await startServer();
    const dataDir = server.dataDir;
    try {
      const host = await registerUser(server, { username: 'host' });
      const code = await createMeeting(server, host.accessToken);
      const h = await connectAs(server, host.accessToken);
      await h.call('join', { code });
      const sent = [];
      for (let i = 0; i < 3; i += 1) sent.push(await h.call('chat.send', { text: `note ${i}` }));
      h.terminate();
      await server.stop({ removeData: false });

      server = await startServer({ dataDir, env: { JWT_SECRET: server.secret } });
      const again = await connectAs(server, host.accessToken);
      const view = await again.call('join', { code });
      assert.deepEqual(view.chat.messages.map((m) => m.text), ['note 0', 'note 1', 'note 2']);
      const history = await again.call('chat.history', {});
      assert.deepEqual(history.messages.map((m) => m.id), sent.map((m) => m.id));
      again.terminate();
    } finally {
      await server.stop({ removeData: true });
    }
  });
});
