// The media path through signaling (issue 4): two users join one meeting over real WebSockets and
// real media crosses the real binary. Each has a fluxmeet_media_probe (the media plane's own
// WebRTC test client: ICE, DTLS, SRTP, synthetic VP8 and Opus; see lib/media_probe.mjs): A's
// probe produces through a send transport, B's probe consumes through a recv transport, set up
// with exactly the calls of docs/protocol.md "Media" that a mediasoup-client app makes. Then
// pausing, resuming, closing and leaving are checked on the packets B receives, and
// getTransportStats against what the probes counted. A second meeting does the same with real
// VP8 and Opus that the ffmpeg program made, sent from files (what recordings decode). Every wait
// is bounded.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { api, registerUser } from './lib/http.mjs';
import { makeTestMedia, MediaProbe } from './lib/media_probe.mjs';
import { startServer } from './lib/server.mjs';
import { connectAs, settle } from './lib/ws.mjs';

const STEP_TIMEOUT_MS = 30_000;
const CONNECT_TIMEOUT_MS = 10_000;
const FLOW_TIMEOUT_MS = 8_000;
// Long enough for packets already on their way to arrive before a count is taken as "stopped".
const DRAIN_MS = 300;
// How long a stopped count must stay unchanged (about 30 video frames / 50 audio packets).
const QUIET_MS = 1_000;

// Polls `read` until `done(value)` holds; fails with the last value after timeoutMs.
async function waitUntil(read, done, { timeoutMs = FLOW_TIMEOUT_MS, what }) {
  const deadline = Date.now() + timeoutMs;
  let value;
  for (;;) {
    value = await read();
    if (done(value)) return value;
    if (Date.now() >= deadline) assert.fail(`${what}: not reached within ${timeoutMs} ms; last: ${JSON.stringify(value)}`);
    await settle(50);
  }
}

// createTransport -> probe connect -> connectTransport (without waiting: the probe's DTLS
// handshake needs the server to know its fingerprint) -> the probe's "connected" event.
async function connectTransport(client, probe, direction) {
  const transport = await client.call('createTransport', { direction });
  const { dtlsParameters } = await probe.command({ cmd: 'connect', transport });
  assert.equal(dtlsParameters.role, 'client');
  assert.deepEqual(await client.call('connectTransport', { transportId: transport.id, dtlsParameters }), {});
  await probe.waitEvent('connected', { timeoutMs: CONNECT_TIMEOUT_MS });
  return transport;
}

// Two users of a new meeting on `server`, both joined: [a, b] signaling clients.
async function joinedPair(server) {
  const alice = await registerUser(server, { username: 'alice' });
  const bob = await registerUser(server, { username: 'bob' });
  const created = await api(server, 'POST', '/api/v1/meetings', { token: alice.accessToken, body: { kind: 'instant' } });
  assert.equal(created.status, 201, created.text);
  const pair = [await connectAs(server, alice.accessToken), await connectAs(server, bob.accessToken)];
  for (const client of pair) {
    client.snapshot = await client.call('join', { code: created.json.code });
    assert.equal(client.snapshot.state, 'joined');
  }
  return pair;
}

const counts = (stats, ssrc) => stats.bySsrc[String(ssrc)] ?? { packets: 0, bytes: 0, keyframes: 0 };

describe('media path through signaling', () => {
  let server;
  let a; // alice's signaling client: the producer
  let b; // bob's: the consumer
  let probeA;
  let probeB;
  let sendTransport;
  let recvTransport;
  let camera; // produce answers
  let mic;
  const consumers = {}; // kind -> {consumer (consume answer), ssrc}
  let routerCapabilities;

  const consumed = async (kind) => counts(await probeB.stats(), consumers[kind].ssrc);

  // The count of B's packets of `kind` neither grows nor is still catching up: it stays put for QUIET_MS.
  const expectStopped = async (kind) => {
    await settle(DRAIN_MS);
    const before = (await consumed(kind)).packets;
    await settle(QUIET_MS);
    assert.equal((await consumed(kind)).packets, before, `${kind} packets kept arriving`);
  };

  // More packets of `kind` than `from` reach B (at least `more`), and with them `keyframes` VP8 keyframes.
  const expectGrowing = (kind, from, { more = 20, keyframes = 0 } = {}) =>
    waitUntil(
      () => consumed(kind),
      (now) => now.packets >= from.packets + more && now.keyframes >= from.keyframes + keyframes,
      { what: `B receiving ${kind}` },
    );

  before(async () => {
    server = await startServer({ env: { MEDIA_UDP_PORT: '0', MEDIA_ANNOUNCED_IP: '127.0.0.1' } });
    [a, b] = await joinedPair(server);
    routerCapabilities = b.snapshot.routerRtpCapabilities;
    assert.ok(routerCapabilities?.codecs?.length > 0, 'the server runs with media');
    probeA = await MediaProbe.start('A');
    probeB = await MediaProbe.start('B');
  });

  after(async () => {
    a?.terminate();
    b?.terminate();
    await probeA?.kill();
    await probeB?.kill();
    // stop() fails on any sanitizer report (ASan/LSan/UBSan) in the server's output.
    await server?.stop();
  });

  it('A produces VP8 and Opus from its probe; B consumes both and receives packets and a keyframe', { timeout: STEP_TIMEOUT_MS }, async () => {
    sendTransport = await connectTransport(a, probeA, 'send');
    const video = await probeA.command({ cmd: 'produce', kind: 'video', rtpCapabilities: routerCapabilities });
    camera = await a.call('produce', {
      transportId: sendTransport.id,
      kind: 'video',
      rtpParameters: video.rtpParameters,
      appData: { source: 'camera' },
    });
    const audio = await probeA.command({ cmd: 'produce', kind: 'audio', rtpCapabilities: routerCapabilities });
    mic = await a.call('produce', {
      transportId: sendTransport.id,
      kind: 'audio',
      rtpParameters: audio.rtpParameters,
      appData: { source: 'mic' },
    });
    assert.equal(camera.paused, false);
    assert.equal(mic.paused, false);

    for (const producer of [camera, mic]) {
      const announced = await b.waitFor('producer.new', (p) => p.producerId === producer.id);
      assert.equal(announced.peerId, a.peerId);
    }
    recvTransport = await connectTransport(b, probeB, 'recv');
    for (const [kind, producer] of [['video', camera], ['audio', mic]]) {
      const consumer = await b.call('consume', {
        transportId: recvTransport.id,
        producerId: producer.id,
        rtpCapabilities: routerCapabilities,
      });
      assert.equal(consumer.kind, kind);
      assert.equal(consumer.producerId, producer.id);
      // Before resuming, so the probe knows the first (key)frame's SSRC when it arrives.
      const { ssrc } = await probeB.command({ cmd: 'expect', consumer });
      assert.equal(ssrc, consumer.rtpParameters.encodings[0].ssrc);
      consumers[kind] = { consumer, ssrc };
      assert.deepEqual(await b.call('resumeConsumer', { consumerId: consumer.id }), {});
    }

    // The SFU rewrites SSRCs: B sees the consumers' SSRCs, never A's.
    assert.notEqual(consumers.video.ssrc, video.ssrc);
    const first = {
      video: await expectGrowing('video', { packets: 0, keyframes: 0 }, { more: 30, keyframes: 1 }),
      audio: await expectGrowing('audio', { packets: 0, keyframes: 0 }, { more: 25 }),
    };
    // ... and keeps receiving: the counts grow again.
    await expectGrowing('video', first.video, { more: 15 });
    await expectGrowing('audio', first.audio, { more: 25 });

    const statsA = await probeA.stats();
    const statsB = await probeB.stats();
    assert.equal(statsB.unexpectedRtp, 0, JSON.stringify(statsB));
    assert.equal(statsB.srtpFailures, 0);
    assert.equal(counts(statsB, consumers.audio.ssrc).keyframes, 0);
    // A's first keyframe went out before its producer existed; B's came from the SFU's PLI.
    assert.ok(statsA.keyframeRequests >= 1, JSON.stringify(statsA));
    assert.ok(statsA.keyframesSent >= 2, JSON.stringify(statsA));
  });

  it('getTransportStats: the server counted the RTP it received from A and sent to B', { timeout: STEP_TIMEOUT_MS }, async () => {
    // Read in the order that makes each inequality hold whatever is still in flight.
    const serverA = (await a.call('getTransportStats', {})).transports.find((t) => t.transportId === sendTransport.id);
    const sentByA = (await probeA.stats()).rtpSent;
    const receivedByB = (await probeB.stats()).rtpReceived;
    const serverB = (await b.call('getTransportStats', {})).transports.find((t) => t.transportId === recvTransport.id);

    assert.equal(serverA.state, 'connected');
    assert.deepEqual([serverA.iceState, serverA.protocol, serverB.iceState, serverB.protocol], ['completed', 'udp', 'completed', 'udp']);
    assert.ok(serverA.rtpReceived > 0 && serverA.bytesReceived > 0, JSON.stringify(serverA));
    assert.ok(serverA.rtpReceived <= sentByA, `server received ${serverA.rtpReceived}, A sent ${sentByA}`);
    assert.equal(serverA.srtpFailures, 0);
    assert.equal(serverB.state, 'connected');
    assert.ok(serverB.rtpSent > 0 && serverB.bytesSent > 0, JSON.stringify(serverB));
    assert.ok(serverB.rtpSent >= receivedByB, `server sent ${serverB.rtpSent}, B received ${receivedByB}`);
    // The SFU caps what A may send by REMB (MEDIA_MAX_PRODUCER_BITRATE, default 3 Mbit/s per video track).
    assert.equal(serverA.maxIncomingBitrate, 3_000_000 + 128_000, JSON.stringify(serverA));

    // Per producer and consumer, each peer sees its own only.
    const { producers, consumers: ownConsumers } = await a.call('getTransportStats', {});
    assert.deepEqual(producers.map((p) => p.producerId).sort(), [camera.id, mic.id].sort());
    assert.deepEqual(ownConsumers, []);
    const cameraStats = producers.find((p) => p.producerId === camera.id);
    assert.equal(cameraStats.kind, 'video');
    assert.equal(cameraStats.transportId, sendTransport.id);
    assert.ok(cameraStats.streams[0].packets > 0 && cameraStats.streams[0].bytes > 0, JSON.stringify(cameraStats));
    assert.ok(cameraStats.streams[0].pliSent >= 1, 'B\'s first keyframe was asked for');
    assert.equal(cameraStats.streams[0].packetsUnrepaired, 0);
    const statsOfB = await b.call('getTransportStats', {});
    assert.deepEqual(statsOfB.producers, []);
    const videoConsumer = statsOfB.consumers.find((c) => c.consumerId === consumers.video.consumer.id);
    assert.equal(videoConsumer.producerId, camera.id);
    assert.equal(videoConsumer.spatialLayer, 0);
    assert.ok(videoConsumer.packetsSent > 0 && videoConsumer.bytesSent > 0, JSON.stringify(videoConsumer));

    // /metrics sums loss and repair over every meeting, one series each (published once a second).
    const metrics = async () => (await api(server, 'GET', '/metrics')).text;
    const text = await waitUntil(metrics, (t) => /^fluxmeet_media_pli_total [1-9]/m.test(t), { what: 'PLIs counted' });
    for (const name of ['nacks_sent_total', 'nacks_received_total', 'retransmitted_packets_total',
      'repaired_packets_total', 'packets_lost_total', 'gso_datagrams_total', 'gso_fallbacks_total']) {
      assert.match(text, new RegExp(`^fluxmeet_media_${name} \\d+`, 'm'), name);
    }
  });

  it('pauseProducer stops B\'s video (audio goes on); resumeProducer restarts it with a keyframe', { timeout: STEP_TIMEOUT_MS }, async () => {
    assert.deepEqual(await a.call('pauseProducer', { producerId: camera.id }), {});
    await b.waitFor('producer.paused', (p) => p.producerId === camera.id);
    const audioBefore = await consumed('audio');
    await expectStopped('video');
    assert.ok((await consumed('audio')).packets > audioBefore.packets, 'audio goes on while the camera is paused');

    const paused = await consumed('video');
    assert.deepEqual(await a.call('resumeProducer', { producerId: camera.id }), {});
    await b.waitFor('producer.resumed', (p) => p.producerId === camera.id);
    // The SFU holds the stream back until a keyframe (B's decoder missed the frames in between).
    await expectGrowing('video', paused, { more: 15, keyframes: 1 });
  });

  it('closeProducer: B gets consumer.closed and no more video; audio goes on', { timeout: STEP_TIMEOUT_MS }, async () => {
    assert.deepEqual(await a.call('closeProducer', { producerId: camera.id }), {});
    assert.deepEqual(await b.waitFor('consumer.closed', (c) => c.consumerId === consumers.video.consumer.id), {
      consumerId: consumers.video.consumer.id,
    });
    await b.waitFor('producer.closed', (p) => p.producerId === camera.id);
    await expectStopped('video');
    await expectGrowing('audio', await consumed('audio'), { more: 10 });
  });

  it('leave: B gets consumer.closed for the audio and it stops; the probes exit cleanly', { timeout: STEP_TIMEOUT_MS }, async () => {
    assert.deepEqual(await a.call('leave'), {});
    assert.deepEqual(await b.waitFor('consumer.closed', (c) => c.consumerId === consumers.audio.consumer.id), {
      consumerId: consumers.audio.consumer.id,
    });
    await b.waitFor('peer.left', (p) => p.peerId === a.peerId);
    await expectStopped('audio');
    assert.equal(b.has('consumer.closed'), false, 'no other consumer was closed');
    // A's transport went with it: the server ended the DTLS association (close_notify).
    const closed = await waitUntil(
      () => probeA.events.find((event) => event.event === 'failed'),
      (event) => event !== undefined,
      { what: "A's probe told that its transport closed" },
    );
    assert.match(closed.reason, /closed by the server/);
    assert.equal((await probeB.stats()).state, 'connected', "B's transport stays");

    assert.deepEqual(await probeA.stop(), { code: 0, signal: null });
    assert.deepEqual(await probeB.stop(), { code: 0, signal: null });
  });
});

// Real media: the ffmpeg program makes 2 s of VP8 (a keyframe every 30 frames) and Opus, A's probe
// publishes them from the files in a loop, and B receives them through the SFU. The probe cannot
// make a keyframe on the SFU's PLI: the file's next one must serve.
describe('media path with real VP8 and Opus from files made by ffmpeg', () => {
  let server;
  let a;
  let b;
  let probeA;
  let probeB;
  let mediaDir;
  let media; // {video: .ivf, audio: .ogg}

  before(async () => {
    mediaDir = await mkdtemp(path.join(os.tmpdir(), 'fluxmeet-media-path-'));
    media = await makeTestMedia(mediaDir, { seconds: 2, width: 320, height: 240 });
    server = await startServer({ env: { MEDIA_UDP_PORT: '0', MEDIA_ANNOUNCED_IP: '127.0.0.1' } });
    [a, b] = await joinedPair(server);
    probeA = await MediaProbe.start('A-files');
    probeB = await MediaProbe.start('B-files');
  });

  after(async () => {
    a?.terminate();
    b?.terminate();
    await probeA?.kill();
    await probeB?.kill();
    await server?.stop();
    if (mediaDir) await rm(mediaDir, { recursive: true, force: true });
  });

  it('A publishes the files; B consumes both and receives packets on both SSRCs and the file\'s keyframes', { timeout: STEP_TIMEOUT_MS }, async () => {
    const routerCapabilities = b.snapshot.routerRtpCapabilities;
    const sendTransport = await connectTransport(a, probeA, 'send');
    // A file that is not there, or not the kind's container, is refused and takes no mid.
    const missing = await probeA.request({ cmd: 'produce', kind: 'video', file: path.join(mediaDir, 'none.ivf') });
    assert.equal(missing.ok, false);
    assert.equal(missing.field, 'file');
    const wrongKind = await probeA.request({ cmd: 'produce', kind: 'video', file: media.audio });
    assert.deepEqual([wrongKind.ok, wrongKind.field], [false, 'file'], JSON.stringify(wrongKind));
    const relative = await probeA.request({ cmd: 'produce', kind: 'audio', file: 'audio.ogg' });
    assert.deepEqual([relative.ok, relative.field], [false, 'file'], JSON.stringify(relative));

    const produced = {};
    for (const [kind, source] of [['video', 'camera'], ['audio', 'mic']]) {
      const sent = await probeA.produce(kind, { rtpCapabilities: routerCapabilities, file: media[kind] });
      assert.equal(sent.rtpParameters.mid, kind === 'video' ? '0' : '1');
      const producer = await a.call('produce', {
        transportId: sendTransport.id,
        kind,
        rtpParameters: sent.rtpParameters,
        appData: { source },
      });
      await b.waitFor('producer.new', (p) => p.producerId === producer.id);
      produced[kind] = { producer, ssrc: sent.ssrc };
    }

    const recvTransport = await connectTransport(b, probeB, 'recv');
    const ssrcs = {};
    for (const kind of ['video', 'audio']) {
      const consumer = await b.call('consume', {
        transportId: recvTransport.id,
        producerId: produced[kind].producer.id,
        rtpCapabilities: routerCapabilities,
      });
      ({ ssrc: ssrcs[kind] } = await probeB.command({ cmd: 'expect', consumer }));
      assert.deepEqual(await b.call('resumeConsumer', { consumerId: consumer.id }), {});
    }

    // Three keyframes take at least 2 s of the 2 s file at 30 fps: it loops on without a break.
    const received = await waitUntil(
      () => probeB.stats(),
      (stats) =>
        counts(stats, ssrcs.video).keyframes >= 3 &&
        counts(stats, ssrcs.video).packets >= 90 &&
        counts(stats, ssrcs.audio).packets >= 100,
      { timeoutMs: 12_000, what: 'B receiving the files\' VP8 keyframes and Opus' },
    );
    assert.equal(received.unexpectedRtp, 0, JSON.stringify(received));
    assert.equal(received.srtpFailures, 0);
    assert.equal(counts(received, ssrcs.audio).keyframes, 0);
    assert.ok(counts(received, ssrcs.audio).bytes > 0);

    const sender = await probeA.stats();
    // The SFU asked for a keyframe for B (counted; the file answered with its next one) and the
    // file's own keyframes went out: the first one, then one every 30 frames.
    assert.ok(sender.keyframeRequests >= 1, JSON.stringify(sender));
    assert.ok(sender.keyframesSent >= counts(received, ssrcs.video).keyframes, JSON.stringify(sender));
    assert.equal(sender.srtpFailures, 0);

    assert.deepEqual(await probeA.stop(), { code: 0, signal: null });
    assert.deepEqual(await probeB.stop(), { code: 0, signal: null });
  });
});
