// Server-side recording through signaling (issue 6, "Control and consent"): the host starts a
// recording, a participant's fluxmeet_media_probe produces VP8 and Opus (lib/media_probe.mjs),
// the host stops it, and the files under <data dir>/recordings/<code>/<start>/ must be WebM that
// ffprobe reads as one vp8 and one opus stream. The probe's VP8 is synthetic, so only the
// container is checked, never decoded pictures. Everyone must have seen the indicator change.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';

import { api, registerUser } from './lib/http.mjs';
import { MediaProbe } from './lib/media_probe.mjs';
import { startServer } from './lib/server.mjs';
import { connectAs, settle } from './lib/ws.mjs';

const run = promisify(execFile);
const STEP_TIMEOUT_MS = 40_000;
const CONNECT_TIMEOUT_MS = 10_000;
const RECORD_MS = 2_000;
const FILES_TIMEOUT_MS = 8_000;

async function ffprobeStreams(file) {
  // -count_packets: frames were written, not only the track headers.
  const args = ['-v', 'error', '-count_packets', '-show_streams', '-of', 'json', file];
  const { stdout } = await run('ffprobe', args, { timeout: 10_000 });
  return JSON.parse(stdout).streams ?? [];
}

describe('recording through signaling', () => {
  let server;
  let host;
  let guest; // a participant: the one who produces
  let probe;
  let code;
  let routerCapabilities;

  before(async () => {
    server = await startServer({ env: { MEDIA_UDP_PORT: '0', MEDIA_ANNOUNCED_IP: '127.0.0.1' } });
    const alice = await registerUser(server, { username: 'rec_alice' });
    const bob = await registerUser(server, { username: 'rec_bob' });
    const created = await api(server, 'POST', '/api/v1/meetings', { token: alice.accessToken, body: { kind: 'instant' } });
    assert.equal(created.status, 201, created.text);
    code = created.json.code;
    host = await connectAs(server, alice.accessToken);
    guest = await connectAs(server, bob.accessToken);
    for (const client of [host, guest]) {
      client.snapshot = await client.call('join', { code });
      assert.equal(client.snapshot.state, 'joined');
      assert.equal(client.snapshot.recording, null, 'not recording yet');
    }
    routerCapabilities = guest.snapshot.routerRtpCapabilities;
    probe = await MediaProbe.start('rec');
  });

  after(async () => {
    host?.terminate();
    guest?.terminate();
    await probe?.kill();
    await server?.stop();
  });

  it('a participant may not start or stop a recording', async () => {
    await guest.expectError('recording.start', {}, 'forbidden');
    await guest.expectError('recording.stop', {}, 'forbidden');
  });

  it('the host records a producer to WebM files ffprobe reads as vp8 and opus', { timeout: STEP_TIMEOUT_MS }, async () => {
    const started = await host.call('recording.start', {});
    assert.equal(started.by, host.peerId);
    for (const client of [host, guest]) {
      const notice = await client.waitFor('recording.started');
      assert.equal(notice.by, host.peerId);
      assert.match(notice.startedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    await host.expectError('recording.start', {}, 'conflict');

    // A joiner sees the indicator in its snapshot.
    const late = await connectAs(server, (await registerUser(server, { username: 'rec_late' })).accessToken);
    const view = await late.call('join', { code });
    assert.equal(view.recording?.by, host.peerId);

    const transport = await guest.call('createTransport', { direction: 'send' });
    const { dtlsParameters } = await probe.command({ cmd: 'connect', transport });
    await guest.call('connectTransport', { transportId: transport.id, dtlsParameters });
    await probe.waitEvent('connected', { timeoutMs: CONNECT_TIMEOUT_MS });
    const producers = {};
    for (const [kind, source] of [['video', 'camera'], ['audio', 'mic']]) {
      const produced = await probe.command({ cmd: 'produce', kind, rtpCapabilities: routerCapabilities });
      producers[kind] = await guest.call('produce', {
        transportId: transport.id,
        kind,
        rtpParameters: produced.rtpParameters,
        appData: { source },
      });
    }
    await settle(RECORD_MS);

    const stopped = await host.call('recording.stop', {});
    assert.equal(stopped.files, 2);
    assert.ok(Number.isInteger(stopped.recordingId), JSON.stringify(stopped));
    for (const client of [host, guest, late]) {
      const notice = await client.waitFor('recording.stopped');
      assert.deepEqual(notice, { by: host.peerId, files: 2, recordingId: stopped.recordingId });
    }
    late.terminate();

    const root = path.join(server.dataDir, 'recordings', code);
    const starts = await readdir(root);
    assert.equal(starts.length, 1, `one recording directory: ${starts}`);
    const dir = path.join(root, starts[0]);
    const expected = {
      [`${guest.peerId}-camera-${producers.video.id}.webm`]: 'vp8',
      [`${guest.peerId}-mic-${producers.audio.id}.webm`]: 'opus',
    };
    // Beside the track files: the manifest composition reads (and, soon, what it writes).
    const trackFiles = (await readdir(dir)).filter((name) => name.endsWith('.webm') && !name.startsWith('composed'));
    assert.deepEqual(trackFiles.sort(), Object.keys(expected).sort());
    assert.ok((await readdir(dir)).includes('tracks.json'));
    // The writer thread finalizes the files shortly after the stop: poll until ffprobe agrees.
    for (const [name, codec] of Object.entries(expected)) {
      const file = path.join(dir, name);
      const deadline = Date.now() + FILES_TIMEOUT_MS;
      let last;
      for (;;) {
        try {
          const streams = await ffprobeStreams(file);
          last = streams;
          if (streams.length === 1 && streams[0].codec_name === codec && Number(streams[0].nb_read_packets) > 0) break;
        } catch (error) {
          last = error.stderr ?? String(error);
        }
        if (Date.now() >= deadline) assert.fail(`${name}: ffprobe did not read one ${codec} stream: ${JSON.stringify(last)}`);
        await settle(200);
      }
      assert.ok((await stat(file)).size > 0, `${name} is empty`);
      assert.equal(last[0].codec_type, codec === 'vp8' ? 'video' : 'audio');
      // About 2 s of 50 Opus packets a second, or of the probe's video frames.
      assert.ok(Number(last[0].nb_read_packets) >= 20, `${name}: ${last[0].nb_read_packets} frames`);
    }
  });
});
