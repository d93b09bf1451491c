// Web Push end to end (issue 9, docs/api.md "Push notifications"): the real server sends to a
// push service played by a Node HTTPS server on 127.0.0.1 with a self-signed certificate made by
// the test (lib/push_service.mjs); the server trusts it only through --push-ca-file, and runs
// without the test-only PUSH_ALLOW_HTTP. The test checks what a real push service would: the
// VAPID ES256 JWT against the key GET /push/key hands out, TTL/Urgency/Content-Encoding, and
// decrypts the aes128gcm body with the subscription's private key (RFC 8291, node:crypto), as the
// browser would. Then: 410 removes a subscription, a reminder arrives once and not again after a
// restart, an absent host hears of someone waiting, one user cannot delete another's
// subscription, the VAPID key survives restarts, and a server without the CA file cannot deliver.
import assert from 'node:assert/strict';
import { createECDH } from 'node:crypto';
import { stat, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { api, assertError, isoIn, registerUser } from './lib/http.mjs';
import {
  checkVapid,
  decryptPush,
  makeBrowserKeys,
  startPushService,
  subscriptionBody,
} from './lib/push_service.mjs';
import { makeTempDir, removeDir, startServer } from './lib/server.mjs';
import { connectAs, settle } from './lib/ws.mjs';

const TICK_MS = 200;

describe('web push', () => {
  let pushService;
  let dataDir;
  let server;
  let alice;
  let bob;
  let publicKey;
  const aliceKeys = makeBrowserKeys();
  const clients = [];
  const env = { PUSH_SCHEDULER_INTERVAL_MS: String(TICK_MS) };
  const args = () => ['--push-ca-file', pushService.certFile];
  const endpoint = (name) => `${pushService.origin}/push/${name}`;
  const pushesTo = (name) => pushService.requests.filter((r) => r.path === `/push/${name}`);

  before(async () => {
    pushService = await startPushService();
    dataDir = await makeTempDir('fluxmeet-push-');
    server = await startServer({ env, args: args(), dataDir });
    alice = await registerUser(server, { username: 'alice' });
    bob = await registerUser(server, { username: 'bob' });
  });
  after(async () => {
    for (const client of clients) client.terminate();
    await server?.stop({ removeData: false });
    await pushService?.close();
    await removeDir(dataDir);
  });

  it('hands out a VAPID key generated into the data directory with mode 0600', async () => {
    const response = await api(server, 'GET', '/api/v1/push/key');
    assert.equal(response.status, 200, response.text);
    publicKey = response.json.publicKey;
    assert.match(publicKey, /^[A-Za-z0-9_-]{87}$/);
    assert.equal(Buffer.from(publicKey, 'base64url')[0], 4);
    const file = path.join(dataDir, 'vapid.json');
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.equal(JSON.parse(await readFile(file, 'utf8')).publicKey, publicKey);
    assert.ok(!server.logs().includes(JSON.parse(await readFile(file, 'utf8')).privateKey), 'private key logged');
  });

  it('saves a subscription, and the same endpoint again updates it', async () => {
    const body = subscriptionBody(endpoint('alice-1'), aliceKeys, { deviceName: 'Pixel' });
    const created = await api(server, 'POST', '/api/v1/push/subscriptions', { token: alice.accessToken, body });
    assert.equal(created.status, 201, created.text);
    assert.equal(typeof created.json.id, 'number');
    const again = await api(server, 'POST', '/api/v1/push/subscriptions', { token: alice.accessToken, body });
    assert.equal(again.status, 200, again.text);
    assert.equal(again.json.id, created.json.id);
  });

  it('refuses bad subscriptions', async () => {
    const post = (body, token = alice.accessToken) => api(server, 'POST', '/api/v1/push/subscriptions', { token, body });
    assertError(await post(subscriptionBody(endpoint('x'), aliceKeys), null), 401);
    const badKey = subscriptionBody(endpoint('x'), aliceKeys);
    badKey.keys.p256dh = Buffer.alloc(65, 7).toString('base64url');
    assertError(await post(badKey), 400, { code: 'validation_failed', field: 'keys.p256dh' });
    const badAuth = subscriptionBody(endpoint('x'), aliceKeys);
    badAuth.keys.auth = 'AAAA';
    assertError(await post(badAuth), 400, { code: 'validation_failed', field: 'keys.auth' });
    assertError(await post(subscriptionBody('ftp://127.0.0.1/x', aliceKeys)), 400, { field: 'endpoint' });
    assertError(await post(subscriptionBody(`${endpoint('x')}${'a'.repeat(2100)}`, aliceKeys)), 400, { field: 'endpoint' });
    assertError(await post({ endpoint: endpoint('x') }), 400, { field: 'keys' });
  });

  it('sends an encrypted, VAPID-signed test notification', async () => {
    const response = await api(server, 'POST', '/api/v1/push/test', { token: alice.accessToken });
    assert.equal(response.status, 202, response.text);
    assert.equal(response.json.queued, 1);
    const request = await pushService.waitFor((r) => r.path === '/push/alice-1');
    assert.equal(request.method, 'POST');
    assert.equal(request.headers['content-encoding'], 'aes128gcm');
    assert.equal(request.headers['content-type'], 'application/octet-stream');
    assert.match(request.headers.ttl, /^\d+$/);
    assert.ok(Number(request.headers.ttl) > 0);
    assert.equal(request.headers.urgency, 'normal');
    checkVapid(request.headers.authorization, publicKey, pushService.origin);
    const payload = decryptPush(request.body, aliceKeys);
    assert.deepEqual(Object.keys(payload).sort(), ['body', 'tag', 'title', 'type', 'url']);
    assert.equal(payload.type, 'test');
    assert.equal(payload.url, '/');
  });

  it('does not let another user delete a subscription', async () => {
    const byBob = await api(server, 'DELETE', '/api/v1/push/subscriptions', {
      token: bob.accessToken,
      body: { endpoint: endpoint('alice-1') },
    });
    assertError(byBob, 404, { code: 'not_found' });
    const before = pushesTo('alice-1').length;
    const sent = await api(server, 'POST', '/api/v1/push/test', { token: alice.accessToken });
    assert.equal(sent.json.queued, 1);
    await pushService.waitFor(() => pushesTo('alice-1').length > before);
  });

  it('deletes a subscription the push service says is gone (410)', async () => {
    pushService.statusByPath.set('/push/alice-1', 410);
    const before = pushesTo('alice-1').length;
    const sent = await api(server, 'POST', '/api/v1/push/test', { token: alice.accessToken });
    assert.equal(sent.json.queued, 1);
    await pushService.waitFor(() => pushesTo('alice-1').length > before);
    // The 410 is handled on the server's control thread just after.
    let queued = 1;
    for (let i = 0; i < 50 && queued !== 0; i += 1) {
      await settle(50);
      queued = (await api(server, 'POST', '/api/v1/push/test', { token: alice.accessToken })).json.queued;
    }
    assert.equal(queued, 0);
    await settle(300);
    assert.equal(pushesTo('alice-1').length, before + 1, 'a deleted subscription still received pushes');
  });

  it('deletes its own subscription', async () => {
    const keys = makeBrowserKeys();
    const created = await api(server, 'POST', '/api/v1/push/subscriptions', {
      token: bob.accessToken,
      body: subscriptionBody(endpoint('bob-1'), keys),
    });
    assert.equal(created.status, 201, created.text);
    const deleted = await api(server, 'DELETE', '/api/v1/push/subscriptions', {
      token: bob.accessToken,
      body: { endpoint: endpoint('bob-1') },
    });
    assert.equal(deleted.status, 204, deleted.text);
    const sent = await api(server, 'POST', '/api/v1/push/test', { token: bob.accessToken });
    assert.equal(sent.json.queued, 0);
  });

  it('reads and validates notification settings', async () => {
    const get = await api(server, 'GET', '/api/v1/users/me/notifications', { token: alice.accessToken });
    assert.equal(get.status, 200, get.text);
    assert.deepEqual(get.json, { reminders: true, reminderMinutes: 10, waitingRoom: true, meetingStarted: true, chat: true });
    const patched = await api(server, 'PATCH', '/api/v1/users/me/notifications', {
      token: alice.accessToken,
      body: { reminderMinutes: 15, chat: false },
    });
    assert.equal(patched.status, 200, patched.text);
    assert.deepEqual(patched.json, { reminders: true, reminderMinutes: 15, waitingRoom: true, meetingStarted: true, chat: false });
    for (const [body, field] of [
      [{ reminderMinutes: 0 }, 'reminderMinutes'],
      [{ reminderMinutes: 1441 }, 'reminderMinutes'],
      [{ reminders: 'yes' }, 'reminders'],
      [{ sound: true }, 'sound'],
    ]) {
      const refused = await api(server, 'PATCH', '/api/v1/users/me/notifications', { token: alice.accessToken, body });
      assertError(refused, 400, { code: 'validation_failed', field });
    }
    const back = await api(server, 'PATCH', '/api/v1/users/me/notifications', {
      token: alice.accessToken,
      body: { reminderMinutes: 10, chat: true },
    });
    assert.equal(back.json.reminderMinutes, 10);
    assertError(await api(server, 'GET', '/api/v1/users/me/notifications'), 401);
  });

  let reminderCode;
  it('reminds the host of a scheduled meeting once', async () => {
    const created = await api(server, 'POST', '/api/v1/push/subscriptions', {
      token: alice.accessToken,
      body: subscriptionBody(endpoint('alice-2'), aliceKeys),
    });
    assert.equal(created.status, 201, created.text);
    const meeting = await api(server, 'POST', '/api/v1/meetings', {
      token: alice.accessToken,
      body: { kind: 'scheduled', title: 'Standup', startsAt: isoIn(6) },
    });
    assert.equal(meeting.status, 201, meeting.text);
    reminderCode = meeting.json.code;
    const isReminder = (r) => r.path === '/push/alice-2' && decryptPush(r.body, aliceKeys).type === 'reminder';
    const request = await pushService.waitFor(isReminder, 5_000);
    assert.equal(request.headers.urgency, 'high');
    const payload = decryptPush(request.body, aliceKeys);
    assert.equal(payload.title, 'Standup');
    assert.match(payload.body, /^Starts in [56] minutes$/);
    assert.equal(payload.url, `/m/${reminderCode}`);
    await settle(TICK_MS * 5);
    assert.equal(pushService.requests.filter(isReminder).length, 1);
  });

  it('tells an absent host that someone is waiting', async () => {
    const meeting = await api(server, 'POST', '/api/v1/meetings', {
      token: alice.accessToken,
      body: { kind: 'instant', title: 'Office hours', settings: { waitingRoom: true } },
    });
    assert.equal(meeting.status, 201, meeting.text);
    const code = meeting.json.code;
    const client = await connectAs(server, bob.accessToken);
    clients.push(client);
    assert.equal((await client.call('join', { code })).state, 'waiting');
    const isWaiting = (r) => r.path === '/push/alice-2' && decryptPush(r.body, aliceKeys).type === 'waiting';
    const request = await pushService.waitFor(isWaiting, 5_000);
    const payload = decryptPush(request.body, aliceKeys);
    assert.equal(payload.url, `/m/${code}`);
    assert.match(payload.body, /bob/);
  });

  it('keeps its VAPID key and sends no reminder twice after a restart', async () => {
    await server.stop({ removeData: false });
    server = await startServer({ env, args: args(), dataDir });
    const key = await api(server, 'GET', '/api/v1/push/key');
    assert.equal(key.json.publicKey, publicKey);
    await settle(TICK_MS * 6);
    const reminders = pushService.requests.filter(
      (r) => r.path === '/push/alice-2' && decryptPush(r.body, aliceKeys).type === 'reminder',
    );
    assert.equal(reminders.length, 1);
    assert.equal(decryptPush(reminders[0].body, aliceKeys).url, `/m/${reminderCode}`);
  });

  it('uses configured VAPID keys, refuses http endpoints, and cannot deliver without the CA file', async () => {
    const vapid = createECDH('prime256v1');
    vapid.generateKeys();
    // The scalar as 32 bytes: getPrivateKey() drops leading zero bytes.
    const scalar = vapid.getPrivateKey();
    const privateKey = Buffer.concat([Buffer.alloc(32 - scalar.length), scalar]).toString('base64url');
    const configured = await startServer({
      env: {
        VAPID_PRIVATE_KEY: privateKey,
        VAPID_PUBLIC_KEY: vapid.getPublicKey().toString('base64url'),
      },
    });
    try {
      const key = await api(configured, 'GET', '/api/v1/push/key');
      assert.equal(key.json.publicKey, vapid.getPublicKey().toString('base64url'));
      await assert.rejects(stat(path.join(configured.dataDir, 'vapid.json')), { code: 'ENOENT' });
      const carol = await registerUser(configured, { username: 'carol' });
      const plain = `http://127.0.0.1:${new URL(pushService.origin).port}/push/carol`;
      const refused = await api(configured, 'POST', '/api/v1/push/subscriptions', {
        token: carol.accessToken,
        body: subscriptionBody(plain, makeBrowserKeys()),
      });
      assertError(refused, 400, { code: 'validation_failed', field: 'endpoint' });
      // The self-signed push service is not trusted without --push-ca-file: the handshake fails,
      // no request arrives, and the subscription is kept (a certificate problem is not "gone").
      const saved = await api(configured, 'POST', '/api/v1/push/subscriptions', {
        token: carol.accessToken,
        body: subscriptionBody(endpoint('carol'), makeBrowserKeys()),
      });
      assert.equal(saved.status, 201, saved.text);
      const tlsErrorsBefore = pushService.tlsErrors.length;
      const sent = await api(configured, 'POST', '/api/v1/push/test', { token: carol.accessToken });
      assert.equal(sent.json.queued, 1);
      for (let i = 0; i < 100 && !/push: delivery to \S+ failed/.test(configured.logs()); i += 1) await settle(50);
      assert.match(configured.logs(), new RegExp(`push: delivery to ${pushService.origin} failed`));
      assert.ok(pushService.tlsErrors.length > tlsErrorsBefore, 'the push service saw no refused handshake');
      assert.equal(pushesTo('carol').length, 0);
      assert.equal((await api(configured, 'POST', '/api/v1/push/test', { token: carol.accessToken })).json.queued, 1);
      assert.ok(!configured.logs().includes(privateKey), 'private key logged');
    } finally {
      await configured.stop();
    }
  });

  it('refuses a missing CA file at start-up', async () => {
    await assert.rejects(
      startServer({ args: ['--push-ca-file', path.join(dataDir, 'no-such-ca.pem')] }),
      /PUSH_CA_FILE/,
    );
  });
});
