// The meeting whiteboard (issue 7, docs/protocol.md "Whiteboard", docs/api.md "Whiteboard")
// against the real binary: concurrent edits converge, late joiners page through the scene,
// invalid updates change nothing, read-only, cursor throttling, images with their IDOR cases,
// a crash and restart on the same data directory, and the saved board after the meeting.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';

import { api, assertError, registerUser } from './lib/http.mjs';
import { makeTempDir, removeDir, startServer } from './lib/server.mjs';
import { connectAs, settle } from './lib/ws.mjs';

// A 1x1 PNG and the first bytes of a JPEG: the server checks signatures, not whole images.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);

let counter = 0;
const uid = (prefix = 'el') => `${prefix}-${++counter}-${randomBytes(3).toString('hex')}`;
const nonce = () => randomBytes(4).readUInt32BE(0) >>> 1;

function rectangle(id, version = 1, extra = {}) {
  return {
    id,
    type: 'rectangle',
    version,
    versionNonce: nonce(),
    isDeleted: false,
    x: 0,
    y: 0,
    width: 40,
    height: 30,
    ...extra,
  };
}

// The reconciliation rule of docs/protocol.md, as every client applies it.
function supersedes(candidate, current) {
  if (candidate.version !== current.version) return candidate.version > current.version;
  if (candidate.isDeleted !== current.isDeleted) return candidate.isDeleted;
  return candidate.versionNonce < current.versionNonce;
}

// A client's local scene: its own edits, the others' (board.elements) and what the server says
// beat its own (superseded), all merged by the same rule.
class Scene {
  constructor() {
    this.elements = new Map();
  }

  merge(elements) {
    for (const element of elements) {
      const current = this.elements.get(element.id);
      if (!current || supersedes(element, current)) this.elements.set(element.id, element);
    }
  }

  live() {
    return [...this.elements.values()].filter((element) => !element.isDeleted);
  }
}

const byId = (elements) => [...elements].sort((a, b) => (a.id < b.id ? -1 : 1));

async function createMeeting(server, token, settings = {}) {
  const response = await api(server, 'POST', '/api/v1/meetings', {
    token,
    body: { kind: 'instant', settings: { guestsAllowed: true, waitingRoom: false, ...settings } },
  });
  assert.equal(response.status, 201, response.text);
  return response.json.code;
}

async function guestToken(server, code, displayName = 'Gus') {
  const response = await api(server, 'POST', `/api/v1/meetings/${code}/guest`, { body: { displayName } });
  assert.equal(response.status, 201, response.text);
  return response.json.guestToken;
}

// The whole scene as a late joiner gets it: board.sync pages until complete, the first a reset,
// the others merged into it. `elements`: the live ones.
async function syncAll(client) {
  const pages = [];
  const scene = new Scene();
  let page = await client.call('board.sync', {});
  assert.equal(page.reset, true, 'a first sync is a reset');
  for (;;) {
    pages.push(page);
    scene.merge(page.elements);
    if (page.complete) break;
    page = await client.call('board.sync', { epoch: page.epoch, sinceSeq: page.seq });
    assert.equal(page.reset, false, 'the next page continues the reset');
  }
  return { elements: scene.live(), pages, epoch: page.epoch, seq: page.seq };
}

function putFile(server, code, fileId, { token, body = PNG, type = 'image/png' } = {}) {
  return api(server, 'PUT', `/api/v1/meetings/${code}/board/files/${fileId}`, {
    token,
    body,
    headers: type ? { 'Content-Type': type } : {},
  });
}

const getFile = (server, code, fileId, token) =>
  api(server, 'GET', `/api/v1/meetings/${code}/board/files/${fileId}`, { token });

describe('whiteboard', () => {
  let server;
  let dataDir;
  const users = {};
  const sockets = [];

  const join = async (token, code) => {
    const client = await connectAs(server, token);
    sockets.push(client);
    client.view = await client.call('join', { code });
    assert.equal(client.view.state, 'joined', JSON.stringify(client.view));
    return client;
  };

  // A meeting with its host and a participant joined, and a guest (guest tokens are limited to
  // 10 a minute per address) or else a second participant.
  const meeting = async ({ guest: withGuest = false } = {}) => {
    const code = await createMeeting(server, users.host.accessToken);
    const host = await join(users.host.accessToken, code);
    const alice = await join(users.alice.accessToken, code);
    const guest = await join(withGuest ? await guestToken(server, code) : users.carol.accessToken, code);
    return { code, host, alice, guest };
  };

  before(async () => {
    dataDir = await makeTempDir('fluxmeet-board-');
    server = await startServer({ dataDir });
    for (const name of ['host', 'alice', 'bob', 'carol', 'outsider']) {
      users[name] = await registerUser(server, { username: `board_${name}` });
    }
  });
  after(async () => {
    for (const client of sockets) client.terminate();
    await server?.stop({ removeData: false });
    await removeDir(dataDir);
  });

  it('the join snapshot carries the board state; hosts open and close it for everyone', async () => {
    const { host, alice, guest } = await meeting({ guest: true });
    const board = alice.view.board;
    assert.deepEqual(Object.keys(board).sort(), ['epoch', 'open', 'readOnly', 'seq']);
    assert.equal(board.open, false);
    assert.equal(board.readOnly, false);
    assert.equal(typeof board.epoch, 'string');
    assert.equal(board.seq, 0);
    await host.call('board.open');
    assert.deepEqual(await alice.waitFor('board.opened'), { by: host.peerId });
    assert.deepEqual(await guest.waitFor('board.opened'), { by: host.peerId });
    const late = await join(users.bob.accessToken, alice.view.meeting.code);
    assert.equal(late.view.board.open, true);
    await alice.expectError('board.close', undefined, 'forbidden');
    await host.call('board.close');
    assert.deepEqual(await guest.waitFor('board.closed'), { by: host.peerId });
  });

  it('concurrent edits from two peers converge, a late joiner pages through the same scene', async () => {
    const { code, host, alice } = await meeting();
    const peers = [host, alice];
    const scenes = peers.map(() => new Scene());
    peers.forEach((peer, i) => {
      peer.socket.on('message', (data) => {
        const message = JSON.parse(data.toString('utf8'));
        if (message.method === 'board.elements') {
          assert.notEqual(message.data.peerId, peer.peerId, 'a peer never gets its own update back');
          scenes[i].merge(message.data.elements);
        }
      });
    });
    const shared = Array.from({ length: 8 }, () => uid('shared'));
    const own = peers.map(() => Array.from({ length: 12 }, () => uid('own')));
    const pending = [];
    const seqs = [0, 0];
    // 150 interleaved rounds: each peer edits a shared or its own element, sometimes deletes.
    for (let round = 0; round < 150; round += 1) {
      peers.forEach((peer, i) => {
        const pool = round % 3 === 0 ? own[i] : shared;
        const id = pool[Math.floor(Math.random() * pool.length)];
        const current = scenes[i].elements.get(id);
        const element = rectangle(id, (current?.version ?? 0) + 1, {
          x: round,
          y: i * 100,
          isDeleted: Math.random() < 0.08,
          strokeColor: i === 0 ? '#1e1e1e' : '#e03131',
        });
        scenes[i].merge([element]);
        pending.push(
          peer.call('board.update', { elements: [element] }).then((answer) => {
            scenes[i].merge(answer.superseded);
            seqs[i] = Math.max(seqs[i], answer.seq);
          }),
        );
      });
      if (round % 10 === 0) await settle(5);
    }
    await Promise.all(pending);
    await settle(300);
    const late = await join(users.bob.accessToken, code);
    assert.equal(late.view.board.seq, Math.max(...seqs), 'the snapshot has the last seq');
    const synced = await syncAll(late);
    assert.equal(synced.pages[0].reset, true);
    assert.equal(synced.seq, Math.max(...seqs));
    const expected = byId(synced.elements);
    assert.ok(expected.length > 0);
    assert.deepEqual(byId(scenes[0].live()), expected, 'the host converged to the server scene');
    assert.deepEqual(byId(scenes[1].live()), expected, 'the participant converged to the server scene');
    assert.ok(
      expected.every((element) => !element.isDeleted),
      'a reset carries no tombstones',
    );
  });

  it('deletions stick: a concurrent edit at the same version cannot bring an element back', async () => {
    const { host, alice, guest } = await meeting();
    const id = uid('del');
    await host.call('board.update', { elements: [rectangle(id, 1)] });
    await alice.waitFor('board.elements', (d) => d.elements.some((e) => e.id === id));
    await host.call('board.update', { elements: [rectangle(id, 2, { isDeleted: true })] });
    // alice has not seen the deletion yet (same version, an edit): she gets the tombstone back.
    const answer = await alice.call('board.update', { elements: [rectangle(id, 2, { x: 500 })] });
    assert.equal(answer.superseded.length, 1);
    assert.equal(answer.superseded[0].isDeleted, true);
    const { elements } = await syncAll(guest);
    assert.ok(!elements.some((e) => e.id === id), 'the element stays deleted');
    // A later version may bring it back (undo).
    await alice.call('board.update', { elements: [rectangle(id, 3, { x: 7 })] });
    const restored = await syncAll(guest);
    assert.equal(restored.elements.find((e) => e.id === id)?.x, 7);
  });

  it('a big scene comes in pages under the message limit, and deltas continue from a seq', async () => {
    const { host, guest } = await meeting();
    const ids = [];
    for (let batch = 0; batch < 8; batch += 1) {
      const elements = Array.from({ length: 40 }, () => {
        const id = uid('big');
        ids.push(id);
        return rectangle(id, 1, { customData: { note: 'x'.repeat(1900) } });
      });
      await host.call('board.update', { elements });
    }
    const synced = await syncAll(guest);
    assert.ok(synced.pages.length >= 4, `${synced.pages.length} pages`);
    for (const page of synced.pages) assert.ok(JSON.stringify(page).length < 192 * 1024);
    const got = new Set(synced.elements.map((e) => e.id));
    assert.ok(ids.every((id) => got.has(id)));
    assert.equal(got.size, synced.elements.length, 'no element twice');
    // Nothing changed: an empty delta. Then one change: a delta of one.
    const none = await guest.call('board.sync', { epoch: synced.epoch, sinceSeq: synced.seq });
    assert.deepEqual([none.reset, none.elements, none.complete], [false, [], true]);
    await host.call('board.update', { elements: [rectangle(ids[0], 2, { isDeleted: true })] });
    const delta = await guest.call('board.sync', { epoch: synced.epoch, sinceSeq: synced.seq });
    assert.equal(delta.reset, false);
    assert.deepEqual(
      delta.elements.map((e) => [e.id, e.isDeleted]),
      [[ids[0], true]],
      'tombstones travel in deltas',
    );
    const other = await guest.call('board.sync', { epoch: 'not-this-one', sinceSeq: synced.seq });
    assert.equal(other.reset, true);
  });

  it('a long freehand stroke (over the old 64 KiB message limit) is kept and relayed', async () => {
    const { host, guest } = await meeting();
    const id = uid('stroke');
    const round = (value) => Math.round(value * 1000) / 1000;
    const points = Array.from({ length: 4000 }, (_, i) => [round(i * 0.7071 + 1000), round(Math.sin(i / 50) * 80.6543)]);
    const stroke = rectangle(id, 1, { type: 'freedraw', points, pressures: [], simulatePressure: true });
    const bytes = JSON.stringify(stroke).length;
    assert.ok(bytes > 64 * 1024 && bytes < 128 * 1024, `${bytes} bytes`);
    await host.call('board.update', { elements: [stroke] });
    const relayed = await guest.waitFor('board.elements', (d) => d.elements.some((e) => e.id === id));
    assert.equal(relayed.elements.find((e) => e.id === id).points.length, 4000);
    const synced = await syncAll(guest);
    assert.deepEqual(synced.elements.find((e) => e.id === id).points, points);
  });

  it('invalid updates are refused whole and change nothing', async () => {
    const { host, alice } = await meeting();
    const before = await syncAll(alice);
    const good = rectangle(uid('good'));
    const cases = [
      [[good, { ...rectangle(uid()), version: undefined }], 'validation_failed', 'elements[1].version'],
      [[good, rectangle(uid(), 1, { type: 'iframe' })], 'validation_failed', 'elements[1].type'],
      [[rectangle('bad id!')], 'validation_failed', 'elements[0].id'],
      [[good, rectangle(uid(), 1, { isDeleted: 'yes' })], 'validation_failed', 'elements[1].isDeleted'],
      [[rectangle(uid(), 1, { type: 'text', text: 'a'.repeat(40_000) })], 'payload_too_large', 'elements[0].text'],
    ];
    for (const [elements, code, field] of cases) {
      const error = await host.expectError('board.update', { elements }, code);
      assert.equal(error.field, field, JSON.stringify(error));
    }
    await host.expectError('board.update', { elements: [good], extra: 1 }, 'validation_failed');
    await host.expectError('board.update', {}, 'validation_failed');
    await host.expectError('board.cursor', { x: 1 }, 'validation_failed');
    await host.expectError('board.cursor', { x: 1, y: 2, selected: ['ok', 'not ok'] }, 'validation_failed');
    await settle(100);
    assert.ok(!alice.has('board.elements'), 'nothing was broadcast');
    const afterward = await alice.call('board.sync', { epoch: before.epoch, sinceSeq: before.seq });
    assert.deepEqual([afterward.reset, afterward.elements, afterward.seq], [false, [], before.seq]);
  });

  it('read-only: participants and guests may not draw or upload, hosts may', async () => {
    const { code, host, alice, guest } = await meeting({ guest: true });
    await host.call('board.setReadOnly', { readOnly: true });
    assert.deepEqual(await alice.waitFor('board.readOnly'), { readOnly: true, by: host.peerId });
    await alice.expectError('board.update', { elements: [rectangle(uid())] }, 'forbidden');
    await guest.expectError('board.update', { elements: [rectangle(uid())] }, 'forbidden');
    assertError(await putFile(server, code, uid('img'), { token: users.alice.accessToken }), 403);
    await host.call('board.update', { elements: [rectangle(uid())] });
    assert.equal((await putFile(server, code, uid('img'), { token: users.host.accessToken })).status, 201);
    await alice.call('board.cursor', { x: 1, y: 1 }); // pointing stays allowed
    await host.call('board.setReadOnly', { readOnly: false });
    await alice.call('board.update', { elements: [rectangle(uid())] });
  });

  it('cursors reach the others at most 20 times a second and the last position always arrives', async () => {
    const { host, alice, guest } = await meeting();
    const arrivals = [];
    guest.socket.on('message', (data) => {
      const message = JSON.parse(data.toString('utf8'));
      if (message.method === 'board.cursor' && message.data.peerId === alice.peerId) {
        arrivals.push({ at: performance.now(), data: message.data });
      }
    });
    const started = performance.now();
    const sent = [];
    for (let i = 0; i < 100; i += 1) {
      sent.push(alice.call('board.cursor', { x: i, y: -i, pointer: i % 2 ? 'down' : 'up', selected: ['a', 'b'] }));
      if (i % 10 === 9) await settle(40);
    }
    await Promise.all(sent);
    const sending = performance.now() - started;
    await settle(250);
    assert.ok(arrivals.length >= 2, `${arrivals.length} cursors arrived`);
    assert.ok(arrivals.length <= Math.ceil(sending / 50) + 2, `${arrivals.length} cursors in ${sending} ms`);
    for (let i = 1; i < arrivals.length; i += 1) {
      assert.ok(arrivals[i].at - arrivals[i - 1].at >= 35, `cursors ${arrivals[i].at - arrivals[i - 1].at} ms apart`);
    }
    assert.deepEqual(arrivals.at(-1).data, {
      peerId: alice.peerId,
      x: 99,
      y: -99,
      pointer: 'down',
      selected: ['a', 'b'],
    });
    assert.ok(!alice.has('board.cursor'), 'not echoed to the sender');
    // The presenter's viewport goes out the same way; participants may not set it.
    await host.call('board.viewport', { scrollX: 10, scrollY: 20, zoom: 2 });
    assert.deepEqual(await guest.waitFor('board.viewport'), { peerId: host.peerId, scrollX: 10, scrollY: 20, zoom: 2 });
    await alice.expectError('board.viewport', { scrollX: 0, scrollY: 0, zoom: 1 }, 'forbidden');
  });

  it('images: joined peers upload, members and joined guests download, nobody else', async () => {
    const { code, host, alice } = await meeting();
    const guestOfThis = await guestToken(server, code, 'Gina');
    const guestClient = await join(guestOfThis, code);
    // Another meeting with its own user and guest, both joined there.
    const otherCode = await createMeeting(server, users.outsider.accessToken);
    await join(users.outsider.accessToken, otherCode);
    const otherGuest = await guestToken(server, otherCode, 'Olga');
    await join(otherGuest, otherCode);

    const fileId = uid('file');
    const uploaded = await putFile(server, code, fileId, { token: guestOfThis });
    assert.equal(uploaded.status, 201, uploaded.text);
    assert.deepEqual(uploaded.json, { fileId, mimeType: 'image/png', size: PNG.length });
    assert.deepEqual(await host.waitFor('board.file'), { fileId, mimeType: 'image/png' });
    assert.deepEqual(await alice.waitFor('board.file'), { fileId, mimeType: 'image/png' });
    assert.ok(!guestClient.has('board.file'), 'not told to the uploader');

    for (const token of [users.host.accessToken, users.alice.accessToken, guestOfThis]) {
      const fetched = await getFile(server, code, fileId, token);
      assert.equal(fetched.status, 200, fetched.text);
      assert.equal(fetched.headers['content-type'], 'image/png');
      assert.deepEqual(fetched.body, PNG);
    }
    // IDOR: no token, a user of another meeting, a guest of another meeting.
    assertError(await getFile(server, code, fileId, undefined), 401);
    assertError(await putFile(server, code, uid('x'), {}), 401);
    assertError(await getFile(server, code, fileId, users.outsider.accessToken), 403);
    assertError(await putFile(server, code, uid('x'), { token: users.outsider.accessToken }), 403);
    assertError(await getFile(server, code, fileId, otherGuest), 403);
    assertError(await putFile(server, code, uid('x'), { token: otherGuest }), 403);
    // ... nor through their own meeting's path.
    assertError(await getFile(server, otherCode, fileId, users.outsider.accessToken), 404);
    // A signed-in user not in the meeting cannot upload even when they know the code.
    assertError(await putFile(server, code, uid('x'), { token: users.bob.accessToken }), 403);

    // What the body must be.
    assertError(await putFile(server, code, uid('x'), { token: users.alice.accessToken, type: 'image/svg+xml' }), 415);
    assertError(await putFile(server, code, uid('x'), { token: users.alice.accessToken, type: 'image/jpeg' }), 400, {
      field: 'mimeType',
    });
    assertError(await putFile(server, code, 'no/slash', { token: users.alice.accessToken }), 404);
    assertError(await putFile(server, code, 'bad%20id', { token: users.alice.accessToken }), 400, { field: 'fileId' });
    const big = Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024)]);
    assertError(await putFile(server, code, uid('x'), { token: users.alice.accessToken, body: big }), 413);
    assertError(
      await putFile(server, code, fileId, { token: users.alice.accessToken, body: JPEG, type: 'image/jpeg' }),
      409,
    );
    const again = await putFile(server, code, fileId, { token: users.alice.accessToken });
    assert.equal(again.status, 201, 'the same image again is fine');
    assertError(await getFile(server, code, uid('missing'), users.host.accessToken), 404);
    const jpeg = await putFile(server, code, uid('jpeg'), {
      token: users.alice.accessToken,
      body: JPEG,
      type: 'image/jpeg; charset=binary',
    });
    assert.equal(jpeg.status, 201, jpeg.text);
  });

  it('after the meeting its members read the board, nobody else', async () => {
    const { code, host, alice } = await meeting();
    const kept = rectangle(uid('kept'));
    const gone = rectangle(uid('gone'));
    await alice.call('board.update', { elements: [kept, gone] });
    await host.call('board.update', { elements: [{ ...gone, version: 2, isDeleted: true, versionNonce: 1 }] });
    const fileId = uid('file');
    assert.equal((await putFile(server, code, fileId, { token: users.alice.accessToken })).status, 201);
    // Ended right after the last change: saved at meeting end, not only by the debounce.
    await host.call('meeting.end');
    const lateGuest = await guestToken(server, code, 'Late');

    for (const token of [users.host.accessToken, users.alice.accessToken]) {
      const board = await api(server, 'GET', `/api/v1/meetings/${code}/board`, { token });
      assert.equal(board.status, 200, board.text);
      assert.deepEqual(board.json.elements, [kept]);
      assert.deepEqual(board.json.files, [{ id: fileId, mimeType: 'image/png', size: PNG.length }]);
      assert.match(board.json.updatedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.deepEqual((await getFile(server, code, fileId, token)).body, PNG);
    }
    assertError(await api(server, 'GET', `/api/v1/meetings/${code}/board`, {}), 401);
    assertError(await api(server, 'GET', `/api/v1/meetings/${code}/board`, { token: users.outsider.accessToken }), 403);
    assertError(await api(server, 'GET', `/api/v1/meetings/${code}/board`, { token: lateGuest }), 403);
    assertError(await getFile(server, code, fileId, lateGuest), 403, {});
    assertError(
      await api(server, 'GET', '/api/v1/meetings/zzz-zzzz-zzz/board', { token: users.host.accessToken }),
      404,
    );
    const empty = await createMeeting(server, users.host.accessToken);
    assertError(await api(server, 'GET', `/api/v1/meetings/${empty}/board`, { token: users.host.accessToken }), 404);
  });

  it('a server killed after the save delay restarts with the scene and the images', async () => {
    const { code, host, alice } = await meeting();
    await host.call('board.update', { elements: Array.from({ length: 30 }, () => rectangle(uid('r'))) });
    await alice.call('board.update', { elements: [rectangle(uid('a'), 1, { type: 'ellipse' })] });
    const fileId = uid('file');
    assert.equal((await putFile(server, code, fileId, { token: users.alice.accessToken })).status, 201);
    const before = await syncAll(alice);
    await settle(2_500); // the debounced save: 1 s after the last change
    await server.kill();
    server = await startServer({ dataDir, env: { JWT_SECRET: server.secret } });

    const back = await join(users.host.accessToken, code);
    assert.notEqual(back.view.board.epoch, before.epoch, 'a restored board has a new epoch');
    const after = await syncAll(back);
    assert.equal(after.pages[0].reset, true);
    assert.deepEqual(byId(after.elements), byId(before.elements));
    const fetched = await getFile(server, code, fileId, users.host.accessToken);
    assert.equal(fetched.status, 200);
    assert.deepEqual(fetched.body, PNG);
    // An old epoch is a reset, not a delta of the wrong board.
    const stale = await back.call('board.sync', { epoch: before.epoch, sinceSeq: before.seq });
    assert.equal(stale.reset, true);
  });
});
