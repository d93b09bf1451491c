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

// Sends `count` requests at once; splits them by whether the server let them through (anything but
// rate_limited: the call itself may still fail, e.g. not_found).
async function flood(client, count, method, dataFor) {
  const sent = Array.from({ length: count }, (_, i) => dataFor(i));
  const answers = await Promise.all(sent.map((data) => client.request(method, data, { timeoutMs: 120_000 })));
  const results = answers.map((answer, i) => ({ answer, data: answer.ok ? answer.data : sent[i] }));
  return {
    accepted: results.filter(({ answer }) => answer.ok || answer.error.code !== 'rate_limited'),
    refused: results.filter(({ answer }) => !answer.ok && answer.error.code === 'rate_limited'),
  };
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
    // Far more than the burst, all at once: tokens refill while the server works through them
    // (slowly under the sanitizers), so only "at least the burst passes, many are refused" holds.
    const { accepted, refused } = await flood(a, CHAT_BURST + 40, 'chat.send', (i) => ({ text: `message ${i}` }));
    assert.ok(accepted.length >= CHAT_BURST, `${accepted.length} accepted`);
    // More refusals than the 10 invalid messages that get a socket closed: they are not mistakes.
    assert.ok(refused.length > 10, `${refused.length} refused`);
    for (const { answer } of refused) {
      assert.equal(answer.error.code, 'rate_limited');
      assert.match(answer.error.message, /try again in \d+ s/);
    }
    const history = await b.call('chat.history', { limit: 100 });
    assert.deepEqual(
      history.messages.map((m) => m.text).sort(),
      accepted.map(({ data }) => data.text).sort(),
      'exactly the accepted messages are stored',
    );
    await settle(100);
    const refusedTexts = new Set(refused.map(({ data }) => data.text));
    assert.ok(!b.has('chat.message', (m) => refusedTexts.has(m.text)), 'a refused message reached the others');
    // Other peers have budgets of their own, and other methods still work for the flooder.
    await b.call('chat.send', { text: 'my turn' });
    await a.waitFor('chat.message', (m) => m.text === 'my turn');
    await a.call('raiseHand');
  });

  it('reactions beyond the burst are refused and not fanned out', async () => {
    const [a, b] = await meetingOf(2);
    const { accepted, refused } = await flood(a, REACTION_BURST + 20, 'reaction', () => ({ emoji: '🎉' }));
    assert.ok(accepted.length >= REACTION_BURST, `${accepted.length} accepted`);
    assert.ok(refused.length >= 1, `${refused.length} refused`);
    assert.ok(refused.every(({ answer }) => answer.error.code === 'rate_limited'));
    for (let i = 0; i < accepted.length; i += 1) await b.waitFor('reaction', (r) => r.peerId === a.peerId);
    await settle(100);
    assert.ok(!b.has('reaction'), 'no refused reaction reaches the others');
  });

  it('any method beyond the overall budget is refused', async () => {
    const [a, b] = await meetingOf(2);
    // A cheap call (an unknown consumer: not_found, no database): the budget is what is measured.
    const { accepted, refused } = await flood(a, ALL_BURST + 1000, 'requestKeyframe', () => ({ consumerId: 'none' }));
    assert.ok(refused.length >= 1, `${refused.length} refused`);
    assert.ok(refused.every(({ answer }) => answer.error.code === 'rate_limited'));
    assert.ok(accepted.every(({ answer }) => answer.error?.code === 'not_found'));
    assert.ok(accepted.length >= ALL_BURST, `${accepted.length} answered`);
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

    // The server keeps at most its queue limit (4 MiB) for the slow peer, not the 36 MB asked for:
    // it closes the connection (1008, and as the peer reads nothing, drops the TCP connection 5 s
    // later), keeps the peer's seat for a resume, and tells the others it is reconnecting. Waiting
    // for that before reading again makes the outcome independent of the machine's speed.
    await a.waitFor('peer.updated', (p) => p.peerId === slow.peerId && p.connection === 'reconnecting', {
      timeoutMs: 60_000,
    });
    assert.match(server.logs(), /outgoing queue full, closing/);
    slow.socket._socket.resume();
    const closed = await slow.closed;
    // The close frame (1008 "slow consumer") only if it got out before the TCP connection went.
    assert.ok([1006, 1008].includes(closed.code), JSON.stringify(closed));
    if (closed.code === 1008) assert.match(closed.reason, /slow consumer/);
    await b.call('reaction', { emoji: '🙌' });
    await c.waitFor('reaction', (r) => r.peerId === b.peerId && r.emoji === '🙌');
  });
});
