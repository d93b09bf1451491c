// Signaling limits against the real binary (docs/protocol.md "Rate limits" and the slow-consumer
// rule): a peer flooding chat or reactions is refused without side effects and stays connected,
// and a peer that stops reading is cut off without holding up anyone else.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { api, registerUser } from './lib/http.mjs';
import { startServer } from './lib/server.mjs';
import { connectAs, settle } from './lib/ws.mjs';

const CHAT_BURST = 20;
const REACTION_BURST = 10;
const ALL_BURST = 1000;

async function createMeeting(server, token) {
  const response = await api(server, 'POST', '/api/v1/meetings', { token, body: { kind: 'instant' } });
  assert.equal(response.status, 201, response.text);
  return response.json.code;
}

describe('signaling limits', () => {
  let server;
  const users = [];
  const clients = [];
  const open = async (user) => {
    const client = await connectAs(server, user.accessToken);
    clients.push(client);
    return client;
  };
  const meetingOf = async (count) => {
    const code = await createMeeting(server, users[0].accessToken);
    const joined = [];
    for (const user of users.slice(0, count)) {
      const client = await open(user);
      await client.call('join', { code });
      joined.push(client);
    }
    return joined;
  };

  before(async () => {
    server = await startServer();
    for (let i = 0; i < 6; i += 1) users.push(await registerUser(server, { username: `limits${i}` }));
  });
  after(async () => {
    for (const client of clients) client.terminate();
    await server?.stop();
  });

  it('chat beyond the burst is refused, not stored, not broadcast, and the socket stays open', async () => {
    const [a, b] = await meetingOf(2);
    for (let i = 0; i < CHAT_BURST; i += 1) await a.call('chat.send', { text: `message ${i}` });
    const refused = await a.expectError('chat.send', { text: 'one too many' }, 'rate_limited');
    assert.match(refused.message, /try again in \d+ s/);
    // Refusals are not protocol mistakes: many of them do not get the peer disconnected.
    for (let i = 0; i < 15; i += 1) await a.expectError('chat.send', { text: 'still too many' }, 'rate_limited');
    const history = await b.call('chat.history', { limit: 100 });
    assert.equal(history.messages.length, CHAT_BURST);
    assert.ok(!history.messages.some((m) => m.text.includes('too many')));
    await settle(100);
    assert.ok(!b.has('chat.message', (m) => m.text.includes('too many')));
    // Other peers have budgets of their own, and other methods still work for the flooder.
    await b.call('chat.send', { text: 'my turn' });
    await a.waitFor('chat.message', (m) => m.text === 'my turn');
    await a.call('raiseHand');
  });

  it('reactions beyond the burst are refused and not fanned out', async () => {
    const [a, b] = await meetingOf(2);
    for (let i = 0; i < REACTION_BURST; i += 1) await a.call('reaction', { emoji: '🎉' });
    await a.expectError('reaction', { emoji: '🎉' }, 'rate_limited');
    for (let i = 0; i < REACTION_BURST; i += 1) await b.waitFor('reaction', (r) => r.peerId === a.peerId);
    await settle(100);
    assert.ok(!b.has('reaction'), 'no reaction beyond the burst reaches the others');
  });

  it('any method beyond the overall budget is refused', async () => {
    const [a, b] = await meetingOf(2);
    // Tokens come back at 100/s while the burst is on its way, so ask for well over the budget.
    const extra = 500;
    const answers = await Promise.all(
      Array.from({ length: ALL_BURST + extra }, () => a.request('chat.history', { limit: 1 })),
    );
    const refused = answers.filter((answer) => !answer.ok);
    assert.ok(refused.length >= 1 && refused.length <= extra, `${refused.length} refused`);
    assert.ok(refused.every((answer) => answer.error.code === 'rate_limited'));
    assert.ok(answers.filter((answer) => answer.ok).length >= ALL_BURST);
    // Only this peer is held back.
    await b.call('chat.history', { limit: 1 });
  });

  it('a peer that stops reading is disconnected (1008) and the others carry on', async () => {
    const [a, b, c, d, e, slow] = await meetingOf(6);
    // A history page of 100 messages of 4,000 three-byte characters is about 1.2 MB.
    const big = '€'.repeat(4000);
    for (const sender of [a, b, c, d, e]) {
      for (let i = 0; i < CHAT_BURST; i += 1) await sender.call('chat.send', { text: big });
    }
    for (const peer of [a, b, c, d, e]) peer.notifications.length = 0;

    // The slow peer stops reading its socket but keeps asking for pages (about 36 MB of answers).
    slow.socket._socket.pause();
    for (let i = 0; i < 30; i += 1) slow.request('chat.history', { limit: 100 }).catch(() => {});

    // Meanwhile everyone else is served at once.
    await settle(500);
    await a.call('reaction', { emoji: '👍' });
    await b.waitFor('reaction', (r) => r.peerId === a.peerId);
    await c.waitFor('reaction', (r) => r.peerId === a.peerId);

    // The server kept at most its queue limit (4 MiB) for the slow peer, not the 36 MB asked for:
    // when the peer reads again it finds the close frame, 1008 slow consumer.
    slow.socket._socket.resume();
    const closed = await slow.closed;
    assert.equal(closed.code, 1008, JSON.stringify(closed));
    assert.match(closed.reason, /slow consumer/);
    // It is kept as a disconnected peer (it may resume); the others were told it is reconnecting.
    await a.waitFor('peer.updated', (p) => p.peerId === slow.peerId && p.connection === 'reconnecting');
    await b.call('reaction', { emoji: '🙌' });
    await c.waitFor('reaction', (r) => r.peerId === b.peerId && r.emoji === '🙌');
  });
});
