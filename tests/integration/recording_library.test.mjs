// Server recordings after the meeting (issue 6, "Composition" and "Storage and access"): real VP8
// and Opus (made by ffmpeg, sent by fluxmeet_media_probe from files) are recorded for ~10 s over
// signaling; the recording is composed by the background job into one WebM that ffprobe reads
// with a video and an audio stream of the recording's length; the REST routes list it, stream
// it with byte ranges (bearer or the fm_media cookie), refuse non-members (IDOR) and let only
// the host delete it. A server killed mid-recording leaves playable track files that the next
// start composes. Low disk refuses recording.start; a meeting set to auto-record records its
// first producer without anyone asking.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';

import { api, login, parseSetCookie, registerUser } from './lib/http.mjs';
import { makeTestMedia, MediaProbe } from './lib/media_probe.mjs';
import { startServer } from './lib/server.mjs';
import { connect, connectAs, settle } from './lib/ws.mjs';

const run = promisify(execFile);
// startServer's defaults already give any free media port and loopback candidates.
const MEDIA_ENV = {};
const RECORD_MS = 10_000;
const CONNECT_TIMEOUT_MS = 10_000;
// Composition of 10 s runs niced beside the test; generous for a loaded 2-core machine under ASan.
const COMPOSE_TIMEOUT_MS = 120_000;
const STEP_TIMEOUT_MS = 200_000;
const EBML_MAGIC = Buffer.from([0x1a, 0x45, 0xdf, 0xa3]);

async function ffprobe(file) {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-count_packets', '-show_streams', '-show_format', '-of', 'json', file], {
    timeout: 20_000,
  });
  return JSON.parse(stdout);
}

async function decodeErrors(file) {
  const { stderr } = await run('ffmpeg', ['-nostdin', '-v', 'error', '-i', file, '-f', 'null', '-'], { timeout: 60_000 });
  return stderr;
}

// A meeting of `host` with `guest` in it and a probe publishing the files through guest's send
// transport. Resolves {hostWs, guestWs, code, probe}.
async function meetingWithMedia(server, host, guest, media, settings) {
  const body = { kind: 'instant', ...(settings ? { settings } : {}) };
  const created = await api(server, 'POST', '/api/v1/meetings', { token: host.accessToken, body });
  assert.equal(created.status, 201, created.text);
  const code = created.json.code;
  const hostWs = await connectAs(server, host.accessToken);
  const guestWs = await connectAs(server, guest.accessToken);
  for (const client of [hostWs, guestWs]) assert.equal((await client.call('join', { code })).state, 'joined');
  const probe = await MediaProbe.start('rec-lib');
  return { hostWs, guestWs, code, probe };
}

async function publish(guestWs, probe, media) {
  const capabilities = (await guestWs.call('getRouterRtpCapabilities', {})).rtpCapabilities;
  const transport = await guestWs.call('createTransport', { direction: 'send' });
  const { dtlsParameters } = await probe.command({ cmd: 'connect', transport });
  await guestWs.call('connectTransport', { transportId: transport.id, dtlsParameters });
  await probe.waitEvent('connected', { timeoutMs: CONNECT_TIMEOUT_MS });
  for (const [kind, source, file] of [['video', 'camera', media.video], ['audio', 'mic', media.audio]]) {
    const produced = await probe.produce(kind, { rtpCapabilities: capabilities, file });
    await guestWs.call('produce', { transportId: transport.id, kind, rtpParameters: produced.rtpParameters, appData: { source } });
  }
}

async function waitForStatus(server, token, id, statuses, timeoutMs = COMPOSE_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    const response = await api(server, 'GET', `/api/v1/recordings/${id}`, { token });
    assert.equal(response.status, 200, response.text);
    last = response.json;
    if (statuses.includes(last.status)) return last;
    if (Date.now() >= deadline) assert.fail(`recording ${id} stayed ${JSON.stringify(last)}`);
    await settle(500);
  }
}

describe('recordings: composition, REST access and recovery', () => {
  let mediaDir;
  let media;

  before(async () => {
    mediaDir = await mkdtemp(path.join(os.tmpdir(), 'fluxmeet-rec-media-'));
    media = await makeTestMedia(mediaDir, { seconds: 4 });
  });

  after(async () => {
    if (mediaDir) await rm(mediaDir, { recursive: true, force: true });
  });

  describe('a recorded meeting', () => {
    let server;
    let alice; // host
    let bob; // attended
    let eve; // never in the meeting
    let meeting;
    let recording;

    before(async () => {
      server = await startServer({ env: MEDIA_ENV });
      alice = await registerUser(server, { username: 'lib_alice' });
      bob = await registerUser(server, { username: 'lib_bob' });
      eve = await registerUser(server, { username: 'lib_eve' });
      meeting = await meetingWithMedia(server, alice, bob, media);
    });

    after(async () => {
      meeting?.hostWs.terminate();
      meeting?.guestWs.terminate();
      await meeting?.probe.kill();
      await server?.stop();
    });

    it('records 10 s, composes one file of that length with video and audio', { timeout: STEP_TIMEOUT_MS }, async () => {
      await publish(meeting.guestWs, meeting.probe, media);
      const publicView = await api(server, 'GET', `/api/v1/meetings/${meeting.code}`, {});
      assert.equal(publicView.json.recording, false);
      await meeting.hostWs.call('recording.start', {});
      const during = await api(server, 'GET', `/api/v1/meetings/${meeting.code}`, {});
      assert.equal(during.json.recording, true, 'the pre-join screen can tell joiners');
      await settle(RECORD_MS);
      const stopped = await meeting.hostWs.call('recording.stop', {});
      assert.equal(stopped.files, 2);

      recording = await waitForStatus(server, alice.accessToken, stopped.recordingId, ['ready', 'failed']);
      assert.equal(recording.status, 'ready', JSON.stringify(recording));
      assert.equal(recording.progress, 100);
      assert.equal(recording.tracks, 2);
      assert.equal(recording.meetingCode, meeting.code);
      assert.equal(recording.startedBy, 'lib_alice');
      assert.equal(recording.canDelete, true);
      assert.ok(Math.abs(recording.durationSeconds - RECORD_MS / 1000) < 1.5, `duration ${recording.durationSeconds}`);

      const dir = path.join(server.dataDir, 'recordings', meeting.code);
      const [start] = await readdir(dir);
      const composed = path.join(dir, start, 'composed.webm');
      assert.equal((await stat(composed)).size, recording.sizeBytes);
      const probed = await ffprobe(composed);
      const codecs = probed.streams.map((stream) => stream.codec_name).sort();
      assert.deepEqual(codecs, ['opus', 'vp8']);
      const duration = Number(probed.format.duration);
      assert.ok(Math.abs(duration - recording.durationSeconds) <= recording.durationSeconds * 0.05,
        `composed ${duration} s vs recorded ${recording.durationSeconds} s`);
      assert.equal(await decodeErrors(composed), '', 'the composed file decodes cleanly');
    });

    it('lists it for the host and an attendee, never for someone else', async () => {
      const mine = await api(server, 'GET', `/api/v1/meetings/${meeting.code}/recordings`, { token: alice.accessToken });
      assert.equal(mine.status, 200, mine.text);
      assert.deepEqual(mine.json.items.map((item) => item.id), [recording.id]);
      const attendee = await api(server, 'GET', `/api/v1/meetings/${meeting.code}/recordings`, { token: bob.accessToken });
      assert.equal(attendee.status, 200);
      assert.equal(attendee.json.items[0].canDelete, false);
      for (const [method, url] of [
        ['GET', `/api/v1/meetings/${meeting.code}/recordings`],
        ['GET', `/api/v1/recordings/${recording.id}`],
        ['GET', `/api/v1/recordings/${recording.id}/file`],
        ['DELETE', `/api/v1/recordings/${recording.id}`],
      ]) {
        const refused = await api(server, method, url, { token: eve.accessToken });
        assert.equal(refused.status, 403, `${method} ${url}: ${refused.text}`);
        const anonymous = await api(server, method, url, {});
        assert.equal(anonymous.status, 401, `${method} ${url} without a token`);
      }
      assert.equal((await api(server, 'GET', '/api/v1/recordings/999999', { token: alice.accessToken })).status, 404);
      assert.equal((await api(server, 'GET', '/api/v1/recordings/abc', { token: alice.accessToken })).status, 404);
    });

    it('serves the file with byte ranges for seeking', async () => {
      const url = `/api/v1/recordings/${recording.id}/file`;
      const whole = await api(server, 'GET', url, { token: bob.accessToken });
      assert.equal(whole.status, 200);
      assert.equal(whole.headers['accept-ranges'], 'bytes');
      assert.equal(whole.headers['content-type'], 'video/webm');
      assert.equal(whole.body.length, recording.sizeBytes);
      assert.ok(whole.body.subarray(0, 4).equals(EBML_MAGIC));

      const first = await api(server, 'GET', url, { token: bob.accessToken, headers: { Range: 'bytes=0-99' } });
      assert.equal(first.status, 206);
      assert.equal(first.headers['content-range'], `bytes 0-99/${recording.sizeBytes}`);
      assert.equal(first.body.length, 100);
      assert.ok(first.body.equals(whole.body.subarray(0, 100)));

      const middle = 1000;
      const open = await api(server, 'GET', url, { token: bob.accessToken, headers: { Range: `bytes=${middle}-` } });
      assert.equal(open.status, 206);
      assert.ok(open.body.equals(whole.body.subarray(middle)));
      const tail = await api(server, 'GET', url, { token: bob.accessToken, headers: { Range: 'bytes=-10' } });
      assert.ok(tail.body.equals(whole.body.subarray(whole.body.length - 10)));
      const past = await api(server, 'GET', url, { token: bob.accessToken, headers: { Range: `bytes=${recording.sizeBytes}-` } });
      assert.equal(past.status, 416);
      assert.equal(past.headers['content-range'], `bytes */${recording.sizeBytes}`);

      const download = await api(server, 'GET', `${url}?download=1`, { token: bob.accessToken, headers: { Range: 'bytes=0-0' } });
      assert.match(download.headers['content-disposition'], /^attachment; filename="fluxmeet-[a-z-]+-[0-9TZ-]+\.webm"$/);
    });

    it('a <video> gets in with the fm_media cookie, which opens that route only', async () => {
      const url = `/api/v1/recordings/${recording.id}/file`;
      const granted = await api(server, 'POST', '/api/v1/recordings/access', { token: bob.accessToken });
      assert.equal(granted.status, 204, granted.text);
      const cookie = parseSetCookie(granted.setCookies.find((line) => line.startsWith('fm_media=')));
      assert.equal(cookie.attributes.path, '/api/v1/recordings');
      assert.ok('httponly' in cookie.attributes);
      assert.equal(cookie.attributes.samesite, 'Strict');
      const header = `fm_media=${cookie.value}`;
      const played = await api(server, 'GET', url, { cookie: header, headers: { Range: 'bytes=0-3' } });
      assert.equal(played.status, 206, played.text);
      assert.ok(played.body.equals(EBML_MAGIC));
      // Not a credential for anything else.
      assert.equal((await api(server, 'GET', `/api/v1/recordings/${recording.id}`, { cookie: header })).status, 401);
      assert.equal((await api(server, 'DELETE', `/api/v1/recordings/${recording.id}`, { cookie: header })).status, 401);
      assert.equal((await api(server, 'GET', `/api/v1/recordings/${recording.id}`, { token: cookie.value })).status, 401);
      const socket = await connect(server);
      await socket.expectError('hello', { token: cookie.value }, 'unauthorized');
      socket.terminate();
      // Someone else's cookie opens nothing of this meeting.
      const eveGrant = await api(server, 'POST', '/api/v1/recordings/access', { token: eve.accessToken });
      const eveCookie = parseSetCookie(eveGrant.setCookies.find((line) => line.startsWith('fm_media=')));
      assert.equal((await api(server, 'GET', url, { cookie: `fm_media=${eveCookie.value}` })).status, 403);
      // It ends with the session that asked for it, and sign-out clears it.
      const session = await login(server, bob.email, bob.password);
      const grant = await api(server, 'POST', '/api/v1/recordings/access', { token: session.accessToken });
      const sessionCookie = `fm_media=${parseSetCookie(grant.setCookies.find((line) => line.startsWith('fm_media='))).value}`;
      assert.equal((await api(server, 'GET', url, { cookie: sessionCookie, headers: { Range: 'bytes=0-3' } })).status, 206);
      const out = await api(server, 'POST', '/api/v1/auth/logout', { token: session.accessToken });
      assert.equal(out.status, 204);
      assert.match(out.setCookies.find((line) => line.startsWith('fm_media=')) ?? '', /Max-Age=0/);
      assert.equal((await api(server, 'GET', url, { cookie: sessionCookie })).status, 401);
    });

    it('only the host deletes it, and its files go with it', async () => {
      const url = `/api/v1/recordings/${recording.id}`;
      const refused = await api(server, 'DELETE', url, { token: bob.accessToken });
      assert.equal(refused.status, 403);
      const deleted = await api(server, 'DELETE', url, { token: alice.accessToken });
      assert.equal(deleted.status, 204, deleted.text);
      assert.equal((await api(server, 'GET', url, { token: alice.accessToken })).status, 404);
      const listed = await api(server, 'GET', `/api/v1/meetings/${meeting.code}/recordings`, { token: alice.accessToken });
      assert.deepEqual(listed.json.items, []);
      await assert.rejects(stat(path.join(server.dataDir, 'recordings', meeting.code)), /ENOENT/);
    });
  });

  it('a server killed mid-recording leaves playable files, composed at the next start', { timeout: STEP_TIMEOUT_MS }, async () => {
    let server = await startServer({ env: MEDIA_ENV });
    const dataDir = server.dataDir;
    const alice = await registerUser(server, { username: 'crash_alice' });
    const bob = await registerUser(server, { username: 'crash_bob' });
    const meeting = await meetingWithMedia(server, alice, bob, media);
    try {
      await publish(meeting.guestWs, meeting.probe, media);
      await meeting.hostWs.call('recording.start', {});
      await settle(5_000);
      await server.kill();
      await meeting.probe.kill();

      const root = path.join(dataDir, 'recordings', meeting.code);
      const [start] = await readdir(root);
      const dir = path.join(root, start);
      const tracks = (await readdir(dir)).filter((name) => name.endsWith('.webm'));
      assert.equal(tracks.length, 2, `${tracks}`);
      for (const name of tracks) {
        // Clusters were flushed as they filled: what reached the disk plays.
        const probed = await ffprobe(path.join(dir, name));
        assert.equal(probed.streams.length, 1, name);
        assert.ok(Number(probed.streams[0].nb_read_packets) >= 50, `${name}: ${probed.streams[0].nb_read_packets} packets`);
      }

      server = await startServer({ env: MEDIA_ENV, dataDir });
      const { accessToken } = await login(server, alice.email, alice.password);  // a new process, a new JWT secret
      const listed = await api(server, 'GET', `/api/v1/meetings/${meeting.code}/recordings`, { token: accessToken });
      assert.equal(listed.status, 200, listed.text);
      assert.equal(listed.json.items.length, 1);
      const recovered = await waitForStatus(server, accessToken, listed.json.items[0].id, ['ready', 'failed']);
      assert.equal(recovered.status, 'ready', JSON.stringify(recovered));
      assert.ok(recovered.durationSeconds >= 2 && recovered.durationSeconds <= 8, `duration ${recovered.durationSeconds}`);
      const probed = await ffprobe(path.join(dir, 'composed.webm'));
      assert.deepEqual(probed.streams.map((stream) => stream.codec_name).sort(), ['opus', 'vp8']);
    } finally {
      meeting.hostWs.terminate();
      meeting.guestWs.terminate();
      await meeting.probe.kill();
      await server.stop({ removeData: true });
    }
  });

  it('refuses to start recording when the disk is below the threshold', { timeout: STEP_TIMEOUT_MS }, async () => {
    const server = await startServer({ env: { ...MEDIA_ENV, RECORDINGS_MIN_FREE_MB: '100000000' } });
    const alice = await registerUser(server, { username: 'disk_alice' });
    const bob = await registerUser(server, { username: 'disk_bob' });
    const meeting = await meetingWithMedia(server, alice, bob, media);
    try {
      const refused = await meeting.hostWs.expectError('recording.start', {}, 'unavailable');
      assert.match(refused.message, /not enough disk space to record: \d+ MB free, 100000000 MB needed/);
      const listed = await api(server, 'GET', `/api/v1/meetings/${meeting.code}/recordings`, { token: alice.accessToken });
      assert.deepEqual(listed.json.items, [], 'nothing was stored');
    } finally {
      meeting.hostWs.terminate();
      meeting.guestWs.terminate();
      await meeting.probe.kill();
      await server.stop();
    }
  });

  it('a meeting set to auto-record records from its first producer', { timeout: STEP_TIMEOUT_MS }, async () => {
    const server = await startServer({ env: MEDIA_ENV });
    const alice = await registerUser(server, { username: 'auto_alice' });
    const bob = await registerUser(server, { username: 'auto_bob' });
    const meeting = await meetingWithMedia(server, alice, bob, media, { autoRecord: true });
    try {
      const fetched = await api(server, 'GET', `/api/v1/meetings/${meeting.code}`, { token: alice.accessToken });
      assert.equal(fetched.json.settings.autoRecord, true);
      await publish(meeting.guestWs, meeting.probe, media);
      const started = await meeting.hostWs.waitFor('recording.started');
      assert.equal(started.by, null, 'nobody asked: the meeting setting did');
      await settle(2_000);
      const stopped = await meeting.hostWs.call('recording.stop', {});
      assert.equal(stopped.files, 2);
      const recorded = await api(server, 'GET', `/api/v1/recordings/${stopped.recordingId}`, { token: alice.accessToken });
      assert.equal(recorded.json.startedBy, 'Automatic');
    } finally {
      meeting.hostWs.terminate();
      meeting.guestWs.terminate();
      await meeting.probe.kill();
      await server.stop();
    }
  });
});
