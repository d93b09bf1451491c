// Signaling over real WebSockets against the real binary (docs/protocol.md): joins, waiting
// room, host controls, permissions, chat, guests.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { api, registerUser } from './lib/http.mjs';
import { startServer } from './lib/server.mjs';
import { connect, connectAs, settle } from './lib/ws.mjs';

async function createMeeting(server, token, body = {}) {
  const response = await api(server, 'POST', '/api/v1/meetings', { token, body: { kind: 'instant', ...body } });
  assert.equal(response.status, 201, response.text);
  return response.json;
}

describe('signaling', () => {
  let server;
  let host;
  let alice;
  let bob;
  const clients = [];
  const open = async (user) => {
    const client = await connectAs(server, user.accessToken);
    clients.push(client);
    return client;
  };

  before(async () => {
    server = await startServer();
    host = await registerUser(server, { username: 'hostess' });
    alice = await registerUser(server, { username: 'alice' });
    bob = await registerUser(server, { username: 'bob' });
  });
  after(async () => {
    for (const client of clients) client.terminate();
    await server?.stop();
  });

  it('join and leave are seen by the other peers', async () => {
    const { code } = await createMeeting(server, host.accessToken);
    const h = await open(host);
    const a = await open(alice);
    const b = await open(bob);
    const hostView = await h.call('join', { code });
    assert.equal(hostView.state, 'joined');
    assert.equal(hostView.you.role, 'host');
    assert.equal(hostView.you.displayName, 'hostess');
    assert.deepEqual(hostView.peers, []);
    assert.equal(hostView.meeting.code, code);

    await a.call('join', { code });
    const joined = await h.waitFor('peer.joined', (p) => p.peerId === a.peerId);
    assert.equal(joined.displayName, 'alice');
    assert.equal(joined.role, 'participant');
    assert.deepEqual(joined.muted, { audio: false, video: false, screen: false });

    const bobView = await b.call('join', { code, displayName: 'Bobby' });
    assert.deepEqual(bobView.peers.map((p) => p.peerId).sort(), [h.peerId, a.peerId].sort());
    await h.waitFor('peer.joined', (p) => p.peerId === b.peerId && p.displayName === 'Bobby');
    await a.waitFor('peer.joined', (p) => p.peerId === b.peerId);

    await b.call('leave');
    const left = await h.waitFor('peer.left', (p) => p.peerId === b.peerId);
    assert.equal(left.reason, 'left');
    await a.waitFor('peer.left', (p) => p.peerId === b.peerId);
    // Closing the socket (no leave) after the grace period would also be seen; here: join twice fails.
    await a.expectError('join', { code }, 'conflict');

    const history = await api(server, 'GET', `/api/v1/meetings/${code}/history`, { token: host.accessToken });
    assert.equal(history.status, 200, history.text);
  });

  it('waiting room: hosts are asked, admit and deny', async () => {
    const { code } = await createMeeting(server, host.accessToken, { settings: { waitingRoom: true } });
    const a = await open(alice);
    const waiting = await a.call('join', { code });
    assert.deepEqual(waiting, { state: 'waiting' });
    await a.waitFor('lobby.hostAbsent');

    const h = await open(host);
    const hostView = await h.call('join', { code });
    assert.deepEqual(hostView.lobby, [{ peerId: a.peerId, displayName: 'alice' }]);

    const b = await open(bob);
    assert.equal((await b.call('join', { code })).state, 'waiting');
    const request = await h.waitFor('lobby.request', (r) => r.peerId === b.peerId);
    assert.equal(request.displayName, 'bob');

    // A waiting peer cannot act in the meeting.
    await a.expectError('chat.send', { text: 'let me in' }, 'unprocessable');

    await h.call('lobby.admit', { peerId: a.peerId });
    const admitted = await a.waitFor('lobby.admitted');
    assert.equal(admitted.state, 'joined');
    assert.equal(admitted.you.peerId, a.peerId);
    assert.equal(admitted.peers[0].peerId, h.peerId);
    await h.waitFor('peer.joined', (p) => p.peerId === a.peerId);

    await h.call('lobby.deny', { peerId: b.peerId });
    await b.waitFor('lobby.denied');
    await b.expectError('chat.send', { text: 'hi' }, 'unprocessable');
    await h.expectError('lobby.admit', { peerId: b.peerId }, 'not_found');
  });

  it('host controls: mute, mute all, roles, lock, settings, remove with ban, end', async () => {
    const { code } = await createMeeting(server, host.accessToken);
    const h = await open(host);
    const a = await open(alice);
    const b = await open(bob);
    await h.call('join', { code });
    await a.call('join', { code });
    await b.call('join', { code });

    await h.call('peer.mute', { peerId: a.peerId, kind: 'video' });
    assert.deepEqual(await a.waitFor('you.muted'), { kind: 'video', by: h.peerId });
    const update = await b.waitFor('peer.updated', (p) => p.peerId === a.peerId);
    assert.equal(update.muted.video, true);

    assert.deepEqual(await h.call('peer.muteAll', {}), { muted: 2 });
    await b.waitFor('you.muted', (m) => m.kind === 'audio');

    await h.call('peer.setRole', { peerId: a.peerId, role: 'cohost' });
    await b.waitFor('peer.updated', (p) => p.peerId === a.peerId && p.role === 'cohost');
    // The co-host can now moderate...
    await a.call('meeting.lock');
    assert.deepEqual(await b.waitFor('meeting.locked'), { locked: true });
    // ...but not end the meeting or change roles.
    await a.expectError('meeting.end', undefined, 'forbidden');
    await a.expectError('peer.setRole', { peerId: b.peerId, role: 'cohost' }, 'forbidden');

    // Locked: a newcomer is refused.
    const carol = await registerUser(server, { username: 'carol' });
    const c = await open(carol);
    await c.expectError('join', { code }, 'forbidden');
    await h.call('meeting.unlock');
    await b.waitFor('meeting.locked', (l) => l.locked === false);

    const settings = await h.call('meeting.updateSettings', { muteOnEntry: true, screenShare: 'hosts' });
    assert.equal(settings.settings.muteOnEntry, true);
    assert.equal((await b.waitFor('meeting.settings')).settings.screenShare, 'hosts');
    const stored = await api(server, 'GET', `/api/v1/meetings/${code}`, { token: host.accessToken });
    assert.equal(stored.json.settings.muteOnEntry, true);

    // Remove with ban: the peer is out and cannot come back.
    await h.call('peer.remove', { peerId: b.peerId, ban: true });
    assert.deepEqual(await b.waitFor('you.removed'), { banned: true });
    const left = await a.waitFor('peer.left', (p) => p.peerId === b.peerId);
    assert.equal(left.reason, 'removed');
    const rejoin = await b.expectError('join', { code }, 'forbidden');
    assert.match(rejoin.message, /removed/);

    const view = await c.call('join', { code });
    assert.equal(view.peers.length, 2);
    await h.waitFor('peer.joined', (p) => p.peerId === c.peerId && p.muted.audio === true);

    await h.call('meeting.end');
    await a.waitFor('meeting.ended');
    await c.waitFor('meeting.ended');
    await h.waitFor('meeting.ended');
    await a.expectError('chat.send', { text: 'anyone?' }, 'unprocessable');
    const ended = await api(server, 'GET', `/api/v1/meetings/${code}`, { token: host.accessToken });
    assert.notEqual(ended.json.endedAt, null);
    // Closed to everyone but the host until the host starts it again.
    const refused = await a.expectError('join', { code }, 'unprocessable');
    assert.match(refused.message, /ended/);
    await h.call('join', { code });
    const again = await a.call('join', { code });
    assert.equal(again.state, 'joined');
  });

  it('participants and guests get forbidden for host methods', async () => {
    const { code } = await createMeeting(server, host.accessToken);
    const h = await open(host);
    const a = await open(alice);
    await h.call('join', { code });
    await a.call('join', { code });
    const guestToken = await api(server, 'POST', `/api/v1/meetings/${code}/guest`, { body: { displayName: 'Gus' } });
    assert.equal(guestToken.status, 201, guestToken.text);
    assert.equal(guestToken.json.expiresIn, 7200);
    const g = await connect(server);
    clients.push(g);
    await g.hello(guestToken.json.guestToken);
    const guestView = await g.call('join', { code });
    assert.equal(guestView.you.role, 'guest');
    assert.equal(guestView.you.displayName, 'Gus');

    const calls = [
      ['peer.mute', { peerId: h.peerId, kind: 'audio' }],
      ['peer.muteAll', {}],
      ['peer.remove', { peerId: h.peerId }],
      ['peer.setRole', { peerId: h.peerId, role: 'participant' }],
      ['lobby.admit', { peerId: 'nobody' }],
      ['lobby.deny', { peerId: 'nobody' }],
      ['meeting.lock', undefined],
      ['meeting.unlock', undefined],
      ['meeting.end', undefined],
      ['meeting.updateSettings', { waitingRoom: true }],
    ];
    for (const client of [a, g]) {
      for (const [method, data] of calls) await client.expectError(method, data, 'forbidden');
    }
    // Nothing changed: the host is still there and not muted.
    const snapshot = await a.call('chat.history', {});
    assert.deepEqual(snapshot.messages, []);
  });

  it('guest tokens: only for meetings allowing guests, only for that meeting', async () => {
    const closed = await createMeeting(server, host.accessToken, { settings: { guestsAllowed: false } });
    const refused = await api(server, 'POST', `/api/v1/meetings/${closed.code}/guest`, { body: { displayName: 'X' } });
    assert.equal(refused.status, 403);
    const unknown = await api(server, 'POST', '/api/v1/meetings/aaa-bbbb-ccc/guest', { body: { displayName: 'X' } });
    assert.equal(unknown.status, 404);
    const other = await createMeeting(server, host.accessToken);
    const bad = await api(server, 'POST', `/api/v1/meetings/${other.code}/guest`, { body: { displayName: '' } });
    assert.equal(bad.status, 400);
    const token = await api(server, 'POST', `/api/v1/meetings/${other.code}/guest`, { body: { displayName: 'Gia' } });
    const g = await connect(server);
    clients.push(g);
    await g.hello(token.json.guestToken);
    await g.expectError('join', { code: closed.code }, 'forbidden');
    // A guest token is no REST credential.
    const me = await api(server, 'GET', '/api/v1/users/me', { token: token.json.guestToken });
    assert.equal(me.status, 401);
  });

  it('chat: stored before the ack, broadcast, edited, deleted, paged', async () => {
    const { code } = await createMeeting(server, host.accessToken);
    const h = await open(host);
    const a = await open(alice);
    await h.call('join', { code });
    await a.call('join', { code });
    const sent = await a.call('chat.send', { text: 'hello <b>world</b>' });
    assert.equal(sent.text, 'hello <b>world</b>');
    assert.equal(sent.senderName, 'alice');
    assert.equal(sent.peerId, a.peerId);
    const received = await h.waitFor('chat.message');
    assert.deepEqual(received, sent);
    await h.expectError('chat.edit', { id: sent.id, text: 'not mine' }, 'forbidden');
    const edited = await a.call('chat.edit', { id: sent.id, text: 'hello world' });
    assert.notEqual(edited.editedAt, null);
    await h.waitFor('chat.edited', (m) => m.id === sent.id && m.text === 'hello world');
    await a.expectError('chat.send', { text: 'x'.repeat(4001) }, 'validation_failed');
    await a.expectError('chat.send', { text: '' }, 'validation_failed');
    await h.call('chat.delete', { id: sent.id });
    await a.waitFor('chat.deleted', (m) => m.id === sent.id && m.deleted === true);
    for (let i = 0; i < 5; i += 1) await h.call('chat.send', { text: `m${i}` });
    const page = await a.call('chat.history', { limit: 3 });
    assert.deepEqual(page.messages.map((m) => m.text), ['m2', 'm3', 'm4']);
    assert.equal(page.hasMore, true);
    const older = await a.call('chat.history', { before: page.messages[0].id, limit: 10 });
    assert.deepEqual(older.messages.map((m) => m.text), ['', 'm0', 'm1']);
    assert.equal(older.hasMore, false);
  });

  it('hand, name, reaction and self-mute are broadcast', async () => {
    const { code } = await createMeeting(server, host.accessToken);
    const h = await open(host);
    const a = await open(alice);
    await h.call('join', { code });
    await a.call('join', { code });
    await a.call('raiseHand');
    await h.waitFor('peer.updated', (p) => p.peerId === a.peerId && p.handRaised);
    await a.call('lowerHand');
    await h.waitFor('peer.updated', (p) => p.peerId === a.peerId && !p.handRaised);
    await a.call('setName', { displayName: 'Alice L.' });
    await h.waitFor('peer.updated', (p) => p.displayName === 'Alice L.');
    await a.call('reaction', { emoji: '🎉' });
    assert.deepEqual(await h.waitFor('reaction'), { peerId: a.peerId, emoji: '🎉' });
    await a.expectError('reaction', { emoji: '💩' }, 'validation_failed');
    await a.call('peer.mute', { peerId: a.peerId, kind: 'audio' });
    await h.waitFor('peer.updated', (p) => p.peerId === a.peerId && p.muted.audio);
    await a.call('peer.unmute', { kind: 'audio' });
    await h.waitFor('peer.updated', (p) => p.peerId === a.peerId && !p.muted.audio);
    assert.equal(a.has('you.muted'), false);
    // Media methods are answered now (tests/integration/media_signaling.test.mjs has the details):
    // a joined peer gets a transport, a connection that has not joined is refused.
    const media = await a.call('createTransport', {});
    assert.equal(typeof media.id, 'string');
    assert.equal(media.iceParameters.iceLite, true);
    const outsider = await open(bob);
    await outsider.expectError('createTransport', {}, 'unprocessable');
    await settle(50);
  });

  it('passcodes are required from non-hosts and rate limited', async () => {
    const { code } = await createMeeting(server, host.accessToken, { passcode: 'opensesame' });
    const h = await open(host);
    await h.call('join', { code });
    const a = await open(alice);
    const missing = await a.expectError('join', { code }, 'forbidden');
    assert.equal(missing.field, 'passcode');
    for (let i = 0; i < 4; i += 1) await a.expectError('join', { code, passcode: 'guess' }, 'forbidden');
    await a.expectError('join', { code, passcode: 'opensesame' }, 'rate_limited');
    // Another user is not affected.
    const b = await open(bob);
    assert.equal((await b.call('join', { code, passcode: 'opensesame' })).state, 'joined');
  });
});
