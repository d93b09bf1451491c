// Invitations end to end (issue 9, docs/api.md "Invitations" and "What is sent"): the host invites
// addresses; the real server mails each new one (with the .ics of a scheduled meeting) through a
// fake SMTP server on 127.0.0.1, lists the meeting in the invitee's upcoming meetings, reminds
// the invitee, and pushes "started" to an absent invitee and "chat" to the others in a meeting
// (at most one per person and meeting every 15 s), through the HTTPS push service of
// lib/push_service.mjs (payloads decrypted and VAPID-checked as a browser and push service would).
// Nobody but the host can list, add or delete a meeting's invitations.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { api, assertError, isoIn, registerUser, uniqueEmail } from './lib/http.mjs';
import {
  checkVapid,
  decryptPush,
  makeBrowserKeys,
  startPushService,
  subscriptionBody,
} from './lib/push_service.mjs';
import { startServer } from './lib/server.mjs';
import { decodeHeader, parseMime, startSmtpServer } from './lib/smtp_server.mjs';
import { connectAs, settle } from './lib/ws.mjs';

const TICK_MS = 200;

describe('invitations', () => {
  let pushService;
  let smtp;
  let server;
  let alice;
  let bob;
  let carol;
  let publicKey;
  const keys = { alice: makeBrowserKeys(), bob: makeBrowserKeys(), carol: makeBrowserKeys() };
  const clients = [];

  const endpoint = (name) => `${pushService.origin}/push/${name}`;
  const pushesOf = (name, type) =>
    pushService.requests.filter((r) => r.path === `/push/${name}` && decryptPush(r.body, keys[name]).type === type);
  const waitForPush = (name, type, match = () => true) =>
    pushService.waitFor((r) => {
      if (r.path !== `/push/${name}`) return false;
      const payload = decryptPush(r.body, keys[name]);
      return payload.type === type && match(payload);
    });
  const invitationsPath = (code) => `/api/v1/meetings/${code}/invitations`;
  const invite = (code, emails, token = alice.accessToken) =>
    api(server, 'POST', invitationsPath(code), { token, body: { emails } });
  const createMeeting = async (body) => {
    const created = await api(server, 'POST', '/api/v1/meetings', { token: alice.accessToken, body });
    assert.equal(created.status, 201, created.text);
    return created.json;
  };
  const connect = async (user) => {
    const client = await connectAs(server, user.accessToken);
    clients.push(client);
    return client;
  };

  before(async () => {
    pushService = await startPushService();
    smtp = await startSmtpServer();
    server = await startServer({
      env: { SMTP_URL: smtp.url, SMTP_FROM: 'Flux Meet <meet@example.com>', PUSH_SCHEDULER_INTERVAL_MS: String(TICK_MS) },
      args: ['--push-ca-file', pushService.certFile],
    });
    alice = await registerUser(server, { username: 'alice' });
    bob = await registerUser(server, { username: 'bob' });
    carol = await registerUser(server, { username: 'carol' });
    publicKey = (await api(server, 'GET', '/api/v1/push/key')).json.publicKey;
    for (const [name, user] of Object.entries({ alice, bob, carol })) {
      const saved = await api(server, 'POST', '/api/v1/push/subscriptions', {
        token: user.accessToken,
        body: subscriptionBody(endpoint(name), keys[name]),
      });
      assert.equal(saved.status, 201, saved.text);
    }
  });
  after(async () => {
    for (const client of clients) client.terminate();
    await server?.stop();
    await smtp?.close();
    await pushService?.close();
  });

  let scheduled;
  const stranger = uniqueEmail('stranger');
  it('adds, lists and deletes invitations, normalising and skipping repeats', async () => {
    scheduled = await createMeeting({ kind: 'scheduled', title: 'Planning, Q1', startsAt: isoIn(120), passcode: 'sesame-42' });
    const added = await invite(scheduled.code, [bob.email.toUpperCase(), ` ${stranger} `, bob.email]);
    assert.equal(added.status, 201, added.text);
    const list = added.json.invitations;
    assert.equal(list.length, 2);
    assert.deepEqual(Object.keys(list[0]).sort(), ['email', 'emailedAt', 'id', 'invitedAt', 'registered']);
    assert.equal(list[0].email, bob.email.toLowerCase());
    assert.equal(list[0].registered, true);
    assert.equal(list[1].email, stranger);
    assert.equal(list[1].registered, false);
    assert.match(list[0].invitedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const again = await invite(scheduled.code, [bob.email]);
    assert.equal(again.status, 201, again.text);
    assert.equal(again.json.invitations.length, 2);
    const got = await api(server, 'GET', invitationsPath(scheduled.code), { token: alice.accessToken });
    assert.equal(got.status, 200, got.text);
    assert.deepEqual(got.json.invitations.map((i) => i.id), list.map((i) => i.id));

    const other = await createMeeting({ kind: 'instant', title: 'Other' });
    const otherInvite = await invite(other.code, [uniqueEmail('x')]);
    const otherId = otherInvite.json.invitations[0].id;
    // An id of another meeting's invitation is not found through this meeting.
    assertError(await api(server, 'DELETE', `${invitationsPath(scheduled.code)}/${otherId}`, { token: alice.accessToken }), 404);
    assertError(await api(server, 'DELETE', `${invitationsPath(scheduled.code)}/abc`, { token: alice.accessToken }), 404);
    const strangerId = list[1].id;
    const deleted = await api(server, 'DELETE', `${invitationsPath(scheduled.code)}/${strangerId}`, { token: alice.accessToken });
    assert.equal(deleted.status, 204, deleted.text);
    assertError(await api(server, 'DELETE', `${invitationsPath(scheduled.code)}/${strangerId}`, { token: alice.accessToken }), 404);
    const after = await api(server, 'GET', invitationsPath(scheduled.code), { token: alice.accessToken });
    assert.deepEqual(after.json.invitations.map((i) => i.email), [bob.email.toLowerCase()]);
    assert.equal((await api(server, 'GET', invitationsPath(other.code), { token: alice.accessToken })).json.invitations.length, 1);
  });

  it('mails each new invitee the link and the .ics, without the passcode, and records it', async () => {
    const mail = await smtp.waitFor((m) => m.to.includes(bob.email.toLowerCase()));
    assert.equal(mail.from, 'meet@example.com');
    const message = parseMime(mail.data);
    assert.equal(decodeHeader(message.headers.subject), 'Invitation: Planning, Q1');
    assert.match(message.headers['content-type'], /^multipart\/mixed; boundary="/);
    const [text, calendar] = message.parts;
    assert.match(text.headers['content-type'], /^text\/plain/);
    assert.ok(text.content.includes(`/m/${scheduled.code}`), text.content);
    assert.match(text.content, /alice invited you/);
    assert.match(calendar.headers['content-type'], /^text\/calendar/);
    assert.match(calendar.headers['content-disposition'], new RegExp(`filename="${scheduled.code}.ics"`));
    assert.match(calendar.content, /^BEGIN:VCALENDAR\r\n/);
    assert.ok(calendar.content.includes('SUMMARY:Planning\\, Q1'), calendar.content);
    assert.ok(calendar.content.includes(`/m/${scheduled.code}`));
    assert.ok(!mail.data.includes('sesame-42') && !calendar.content.includes('sesame-42'), 'passcode mailed');
    // The stranger (deleted since) was mailed when invited too; nobody was mailed twice.
    await smtp.waitFor((m) => m.to.includes(stranger));
    assert.equal(smtp.messages.filter((m) => m.to.includes(bob.email.toLowerCase())).length, 1);
    let emailedAt = null;
    for (let i = 0; i < 100 && !emailedAt; i += 1) {
      const list = await api(server, 'GET', invitationsPath(scheduled.code), { token: alice.accessToken });
      emailedAt = list.json.invitations[0].emailedAt;
      if (!emailedAt) await settle(50);
    }
    assert.match(emailedAt ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('validates what is posted', async () => {
    const post = (body, token = alice.accessToken) => api(server, 'POST', invitationsPath(scheduled.code), { token, body });
    assertError(await post({ emails: [] }), 400, { code: 'validation_failed', field: 'emails' });
    assertError(await post({ emails: Array.from({ length: 51 }, (_, i) => `p${i}@example.com`) }), 400, { field: 'emails' });
    assertError(await post({ emails: ['ok@example.com', 'not an address'] }), 400, { field: 'emails[1]' });
    assertError(await post({ emails: ['ok@example.com', 42] }), 400, { field: 'emails[1]' });
    assertError(await post({ emails: 'bob@example.com' }), 400, { field: 'emails' });
    assertError(await post({ emails: ['ok@example.com'], extra: true }), 400, { field: 'extra' });
    assertError(await post({}), 400, { field: 'emails' });
    assertError(await post({ emails: ['ok@example.com'] }, null), 401);
    const list = await api(server, 'GET', invitationsPath(scheduled.code), { token: alice.accessToken });
    assert.ok(!list.json.invitations.some((i) => i.email === 'ok@example.com'), 'a refused request added someone');
    assertError(await invite('zzz-zzzz-zzz', ['ok@example.com']), 404);
    assertError(await invite('not-a-code', ['ok@example.com']), 404);

    const deletedMeeting = await createMeeting({ kind: 'instant', title: 'Gone' });
    assert.equal((await api(server, 'DELETE', `/api/v1/meetings/${deletedMeeting.code}`, { token: alice.accessToken })).status, 204);
    assertError(await invite(deletedMeeting.code, ['ok@example.com']), 404);

    const ended = await createMeeting({ kind: 'instant', title: 'Ended' });
    const host = await connect(alice);
    await host.call('join', { code: ended.code });
    await host.call('meeting.end');
    assertError(await invite(ended.code, ['ok@example.com']), 409, { code: 'conflict' });
  });

  it('lets nobody but the host list, add or delete invitations (IDOR)', async () => {
    const before = (await api(server, 'GET', invitationsPath(scheduled.code), { token: alice.accessToken })).json.invitations;
    const bobInvitation = before[0].id;
    for (const user of [carol, bob]) {
      const list = await api(server, 'GET', invitationsPath(scheduled.code), { token: user.accessToken });
      assertError(list, 403, { code: 'forbidden' });
      assert.ok(!list.text.includes('@'), 'an error leaked an address');
      assertError(await invite(scheduled.code, [carol.email], user.accessToken), 403, { code: 'forbidden' });
      assertError(
        await api(server, 'DELETE', `${invitationsPath(scheduled.code)}/${bobInvitation}`, { token: user.accessToken }),
        403,
        { code: 'forbidden' },
      );
    }
    assertError(await api(server, 'GET', invitationsPath(scheduled.code)), 401);
    const afterwards = (await api(server, 'GET', invitationsPath(scheduled.code), { token: alice.accessToken })).json.invitations;
    assert.deepEqual(afterwards, before);
  });

  it('lists the meeting among the invitee\'s upcoming meetings and gives them the .ics', async () => {
    const hosted = await api(server, 'POST', '/api/v1/meetings', {
      token: bob.accessToken,
      body: { kind: 'scheduled', title: 'Bob first', startsAt: isoIn(30) },
    });
    assert.equal(hosted.status, 201, hosted.text);
    const upcoming = await api(server, 'GET', '/api/v1/meetings?scope=upcoming', { token: bob.accessToken });
    assert.equal(upcoming.status, 200, upcoming.text);
    const codes = upcoming.json.items.map((m) => m.code);
    assert.deepEqual(codes, [hosted.json.code, scheduled.code], 'soonest first, hosted and invited mixed');
    const invited = upcoming.json.items[1];
    assert.equal(invited.invited, true);
    assert.equal(invited.isHost, false);
    assert.equal(invited.passcode, undefined);
    assert.equal(invited.hasPasscode, true);
    assert.equal(upcoming.json.items[0].invited, false);
    const aliceList = await api(server, 'GET', '/api/v1/meetings?scope=upcoming', { token: alice.accessToken });
    assert.ok(aliceList.json.items.every((m) => m.invited === false));
    const carolList = await api(server, 'GET', '/api/v1/meetings?scope=upcoming', { token: carol.accessToken });
    assert.ok(!carolList.json.items.some((m) => m.code === scheduled.code));

    const ics = await api(server, 'GET', `/api/v1/meetings/${scheduled.code}/invite.ics`, { token: bob.accessToken });
    assert.equal(ics.status, 200, ics.text);
    assert.match(ics.headers['content-type'], /^text\/calendar/);
    assert.ok(!ics.text.includes('sesame-42'));

    // Deleting the meeting takes it off the invitee's list.
    const doomed = await createMeeting({ kind: 'scheduled', title: 'Doomed', startsAt: isoIn(90) });
    assert.equal((await invite(doomed.code, [bob.email])).status, 201);
    const withDoomed = await api(server, 'GET', '/api/v1/meetings?scope=upcoming', { token: bob.accessToken });
    assert.ok(withDoomed.json.items.some((m) => m.code === doomed.code && m.invited));
    assert.equal((await api(server, 'DELETE', `/api/v1/meetings/${doomed.code}`, { token: alice.accessToken })).status, 204);
    const withoutDoomed = await api(server, 'GET', '/api/v1/meetings?scope=upcoming', { token: bob.accessToken });
    assert.ok(!withoutDoomed.json.items.some((m) => m.code === doomed.code));
  });

  it('reminds an invitee with an account', async () => {
    const soon = await createMeeting({ kind: 'scheduled', title: 'Soon', startsAt: isoIn(6) });
    assert.equal((await invite(soon.code, [bob.email])).status, 201);
    const request = await waitForPush('bob', 'reminder', (p) => p.url === `/m/${soon.code}`);
    assert.equal(request.headers.urgency, 'high');
    checkVapid(request.headers.authorization, publicKey, pushService.origin);
    const payload = decryptPush(request.body, keys.bob);
    assert.equal(payload.title, 'Soon');
    assert.match(payload.body, /^Starts in [56] minutes$/);
    assert.equal(payload.tag, `reminder:${soon.code}`);
    // The host is reminded as before; carol, not invited, is not.
    await waitForPush('alice', 'reminder', (p) => p.url === `/m/${soon.code}`);
    await settle(TICK_MS * 3);
    assert.equal(pushesOf('bob', 'reminder').filter((r) => decryptPush(r.body, keys.bob).url === `/m/${soon.code}`).length, 1);
    assert.ok(!pushesOf('carol', 'reminder').some((r) => decryptPush(r.body, keys.carol).url === `/m/${soon.code}`));
  });

  let live;
  let aliceClient;
  let bobClient;
  it('tells an absent invitee that the meeting started, once', async () => {
    live = await createMeeting({ kind: 'instant', title: 'Live now' });
    assert.equal((await invite(live.code, [bob.email])).status, 201);
    aliceClient = await connect(alice);
    await aliceClient.call('join', { code: live.code });
    const request = await waitForPush('bob', 'started', (p) => p.url === `/m/${live.code}`);
    assert.equal(request.headers.urgency, 'high');
    assert.equal(request.headers.ttl, '900');
    const payload = decryptPush(request.body, keys.bob);
    assert.deepEqual(payload, {
      type: 'started',
      title: 'Live now',
      body: 'alice started the meeting',
      url: `/m/${live.code}`,
      tag: `started:${live.code}`,
    });
    // More people entering is the same start.
    bobClient = await connect(bob);
    await bobClient.call('join', { code: live.code });
    await settle(300);
    const started = (name) =>
      pushesOf(name, 'started').filter((r) => decryptPush(r.body, keys[name]).url === `/m/${live.code}`).length;
    assert.equal(started('bob'), 1);
    assert.equal(started('alice'), 0, 'the host is not an invitee');
    assert.equal(started('carol'), 0, 'not invited');
  });

  it('pushes chat to the others in the meeting, at most once per 15 s each', async () => {
    const sent = await aliceClient.call('chat.send', { text: 'Hello Bob, can you see the agenda?' });
    assert.equal(typeof sent.id, 'number');
    const request = await waitForPush('bob', 'chat', (p) => p.meetingCode === live.code);
    assert.equal(request.headers.urgency, 'normal');
    assert.equal(request.headers.ttl, '60');
    assert.deepEqual(decryptPush(request.body, keys.bob), {
      type: 'chat',
      title: 'alice in Live now',
      body: 'Hello Bob, can you see the agenda?',
      url: `/m/${live.code}`,
      tag: `chat:${live.code}`,
      meetingCode: live.code,
    });
    // Within the window the next message is not pushed to bob; bob's own message reaches alice.
    await aliceClient.call('chat.send', { text: 'second' });
    await bobClient.call('chat.send', { text: 'yes, thanks' });
    const toAlice = await waitForPush('alice', 'chat', (p) => p.meetingCode === live.code);
    assert.equal(decryptPush(toAlice.body, keys.alice).body, 'yes, thanks');
    await settle(500);
    const chats = (name) =>
      pushesOf(name, 'chat').filter((r) => decryptPush(r.body, keys[name]).meetingCode === live.code);
    assert.equal(chats('bob').length, 1, 'a second chat push within 15 s');
    assert.equal(chats('alice').length, 1, 'the sender was pushed their own message');
    assert.equal(chats('carol').length, 0, 'someone outside the meeting got its chat');
  });
});
