// Web Push end to end (issue 9, docs/api.md "Push notifications"): the real server sends to a
// push service played by a Node HTTP server on 127.0.0.1 (PUSH_ALLOW_HTTP=1, a test-only
// setting). The test checks what a real push service would: the VAPID ES256 JWT against the key
// GET /push/key hands out, TTL/Urgency/Content-Encoding, and decrypts the aes128gcm body with the
// subscription's private key (RFC 8291, node:crypto), as the browser would. Then: 410 removes a
// subscription, a reminder arrives once and not again after a restart, an absent host hears of
// someone waiting, one user cannot delete another's subscription, the VAPID key survives restarts.
import assert from 'node:assert/strict';
import { createECDH, createDecipheriv, createPublicKey, hkdfSync, randomBytes, verify } from 'node:crypto';
import { stat, readFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { api, assertError, isoIn, registerUser } from './lib/http.mjs';
import { makeTempDir, removeDir, startServer } from './lib/server.mjs';
import { connectAs, settle } from './lib/ws.mjs';

const TICK_MS = 200;

// A push service: records every request, answers 201 unless told otherwise for a path.
async function startPushService() {
  const requests = [];
  const statusByPath = new Map();
  const waiters = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const entry = { method: req.method, path: req.url, headers: req.headers, body: Buffer.concat(chunks) };
      requests.push(entry);
      res.statusCode = statusByPath.get(req.url) ?? 201;
      res.end();
      for (const waiter of [...waiters]) {
        if (waiter.match(entry)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(entry);
        }
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    requests,
    statusByPath,
    // The first request (already received or to come) that `match` accepts.
    waitFor(match, timeoutMs = 10_000) {
      const seen = requests.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const waiter = { match, resolve };
        waiters.push(waiter);
        setTimeout(() => {
          const index = waiters.indexOf(waiter);
          if (index >= 0) {
            waiters.splice(index, 1);
            reject(new Error(`no matching push request within ${timeoutMs} ms`));
          }
        }, timeoutMs).unref();
      });
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

// A browser's side of a subscription: its P-256 key pair and auth secret.
function makeBrowserKeys() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { ecdh, publicKey: ecdh.getPublicKey(), auth: randomBytes(16) };
}

function subscriptionBody(endpoint, keys, extra = {}) {
  return {
    endpoint,
    expirationTime: null,
    keys: { p256dh: keys.publicKey.toString('base64url'), auth: keys.auth.toString('base64url') },
    ...extra,
  };
}

// RFC 8291 section 3.3/3.4 and RFC 8188 section 2, from the receiving side.
function decryptPush(body, keys) {
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const idLength = body[20];
  assert.equal(idLength, 65);
  assert.equal(recordSize, 4096);
  const senderPublic = body.subarray(21, 21 + idLength);
  const ciphertext = body.subarray(21 + idLength);
  const ecdhSecret = keys.ecdh.computeSecret(senderPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), keys.publicKey, senderPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', ecdhSecret, keys.auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  let end = padded.length;
  while (end > 0 && padded[end - 1] === 0) end -= 1;
  assert.equal(padded[end - 1], 2, 'last record delimiter');
  return JSON.parse(padded.subarray(0, end - 1).toString('utf8'));
}

// RFC 8292: "vapid t=<ES256 JWT>, k=<public key>"; the JWT verified with that key.
function checkVapid(header, expectedKey, audience) {
  const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(header ?? '');
  assert.ok(match, `Authorization: ${header}`);
  const [, token, key] = match;
  assert.equal(key, expectedKey);
  const [headerPart, payloadPart, signaturePart] = token.split('.');
  assert.deepEqual(JSON.parse(Buffer.from(headerPart, 'base64url')), { typ: 'JWT', alg: 'ES256' });
  const point = Buffer.from(key, 'base64url');
  const publicKey = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') },
    format: 'jwk',
  });
  const signature = Buffer.from(signaturePart, 'base64url');
  assert.equal(signature.length, 64);
  assert.ok(
    verify('sha256', Buffer.from(`${headerPart}.${payloadPart}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature),
    'VAPID JWT signature',
  );
  const claims = JSON.parse(Buffer.from(payloadPart, 'base64url'));
  assert.equal(claims.aud, audience);
  assert.equal(claims.sub, 'mailto:admin@localhost');
  const now = Date.now() / 1000;
  assert.ok(claims.exp > now && claims.exp <= now + 24 * 3600 + 60, `exp ${claims.exp}`);
}

describe('web push', () => {
  let pushService;
  let dataDir;
  let server;
  let alice;
  let bob;
  let publicKey;
  const aliceKeys = makeBrowserKeys();
  const clients = [];
  const env = { PUSH_ALLOW_HTTP: '1', PUSH_SCHEDULER_INTERVAL_MS: String(TICK_MS) };
  const endpoint = (name) => `${pushService.origin}/push/${name}`;
  const pushesTo = (name) => pushService.requests.filter((r) => r.path === `/push/${name}`);

  before(async () => {
    pushService = await startPushService();
    dataDir = await makeTempDir('fluxmeet-push-');
    server = await startServer({ env, dataDir });
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
    server = await startServer({ env, dataDir });
    const key = await api(server, 'GET', '/api/v1/push/key');
    assert.equal(key.json.publicKey, publicKey);
    await settle(TICK_MS * 6);
    const reminders = pushService.requests.filter(
      (r) => r.path === '/push/alice-2' && decryptPush(r.body, aliceKeys).type === 'reminder',
    );
    assert.equal(reminders.length, 1);
    assert.equal(decryptPush(reminders[0].body, aliceKeys).url, `/m/${reminderCode}`);
  });

  it('uses configured VAPID keys and refuses http endpoints without the test setting', async () => {
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
      const refused = await api(configured, 'POST', '/api/v1/push/subscriptions', {
        token: carol.accessToken,
        body: subscriptionBody(endpoint('carol'), makeBrowserKeys()),
      });
      assertError(refused, 400, { code: 'validation_failed', field: 'endpoint' });
      assert.ok(!configured.logs().includes(privateKey), 'private key logged');
    } finally {
      await configured.stop();
    }
  });
});
