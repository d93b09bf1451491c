// ICE-TCP (RFC 6544, issue 3 item 1): the media workers also take WebRTC over TCP for networks
// that block UDP. Three users join one meeting over real WebSockets; their media probes (the
// media plane's own WebRTC client, see lib/media_probe.mjs) connect to the transports' passive
// tcp candidate or to the udp one: A publishes real VP8 and Opus made by the ffmpeg program over
// TCP, B receives them over UDP and C over TCP (so the server both reads and writes RFC 4571
// frames). Then a raw TCP client sends a frame length the server refuses and is disconnected,
// and a user who leaves has the server close her transport and with it her TCP connection (both
// seen in /metrics and by the probe). Every wait is bounded; nothing asserts on speed.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { api, registerUser } from './lib/http.mjs';
import { makeTestMedia, MediaProbe } from './lib/media_probe.mjs';
import { startServer } from './lib/server.mjs';
import { connectAs, settle } from './lib/ws.mjs';

const STEP_TIMEOUT_MS = 45_000;
const CONNECT_TIMEOUT_MS = 10_000;
const WAIT_MS = 12_000;

async function waitUntil(read, done, { timeoutMs = WAIT_MS, what }) {
  const deadline = Date.now() + timeoutMs;
  let value;
  for (;;) {
    value = await read();
    if (done(value)) return value;
    if (Date.now() >= deadline) assert.fail(`${what}: not reached within ${timeoutMs} ms; last: ${JSON.stringify(value)}`);
    await settle(100);
  }
}

// One gauge or counter of /metrics (summed over workers by the server).
async function metric(server, name) {
  const response = await api(server, 'GET', '/metrics');
  assert.equal(response.status, 200);
  const line = response.text.split('\n').find((l) => l.startsWith(`${name} `));
  assert.ok(line, `${name} in /metrics`);
  return Number(line.split(' ')[1]);
}

const counts = (stats, ssrc) => stats.bySsrc[String(ssrc)] ?? { packets: 0, bytes: 0, keyframes: 0 };

// createTransport -> probe connect over `protocol` -> connectTransport -> the probe's "connected".
async function connectTransport(client, probe, direction, protocol) {
  const transport = await client.call('createTransport', { direction });
  const { dtlsParameters } = await probe.command({ cmd: 'connect', transport, protocol });
  assert.deepEqual(await client.call('connectTransport', { transportId: transport.id, dtlsParameters }), {});
  await probe.waitEvent('connected', { timeoutMs: CONNECT_TIMEOUT_MS });
  return transport;
}

describe('ICE-TCP: media over the passive tcp candidate', () => {
  let server;
  let mediaDir;
  let media;
  const users = {}; // a, b, c: signaling clients
  const probes = {};
  let tcpPort;

  before(async () => {
    mediaDir = await mkdtemp(path.join(os.tmpdir(), 'fluxmeet-ice-tcp-'));
    media = await makeTestMedia(mediaDir, { seconds: 2, width: 320, height: 240 });
    // MEDIA_TCP_PORT is not set: it follows MEDIA_UDP_PORT, 0 = any free port.
    server = await startServer({ env: { MEDIA_UDP_PORT: '0', MEDIA_ANNOUNCED_IP: '127.0.0.1' } });
    const owner = await registerUser(server, { username: 'alice' });
    const created = await api(server, 'POST', '/api/v1/meetings', { token: owner.accessToken, body: { kind: 'instant' } });
    assert.equal(created.status, 201, created.text);
    const tokens = { a: owner.accessToken };
    for (const name of ['b', 'c']) tokens[name] = (await registerUser(server, { username: `user-${name}` })).accessToken;
    for (const name of ['a', 'b', 'c']) {
      users[name] = await connectAs(server, tokens[name]);
      users[name].snapshot = await users[name].call('join', { code: created.json.code });
      assert.equal(users[name].snapshot.state, 'joined');
      probes[name] = await MediaProbe.start(name.toUpperCase());
    }
  });

  after(async () => {
    for (const user of Object.values(users)) user.terminate();
    for (const probe of Object.values(probes)) await probe.kill();
    await server?.stop();
    if (mediaDir) await rm(mediaDir, { recursive: true, force: true });
  });

  it('transport parameters carry a passive tcp candidate ranked below every udp one', async () => {
    const transport = await users.a.call('createTransport', { direction: 'send' });
    const udp = transport.iceCandidates.filter((c) => c.protocol === 'udp');
    const tcp = transport.iceCandidates.filter((c) => c.protocol === 'tcp');
    assert.equal(udp.length, 1, JSON.stringify(transport.iceCandidates));
    assert.equal(tcp.length, 1, JSON.stringify(transport.iceCandidates));
    assert.deepEqual(
      { ...tcp[0], priority: 0, port: 0, foundation: '' },
      { foundation: '', priority: 0, address: '127.0.0.1', ip: '127.0.0.1', protocol: 'tcp', port: 0, type: 'host', tcpType: 'passive' },
    );
    assert.ok(tcp[0].port > 0 && tcp[0].port <= 65535);
    assert.ok(tcp[0].priority < udp[0].priority, `${tcp[0].priority} < ${udp[0].priority}`);
    assert.notEqual(tcp[0].foundation, udp[0].foundation);
    assert.equal(udp[0].tcpType, undefined);
    tcpPort = tcp[0].port;
  });

  it('A publishes real VP8 and Opus over TCP; B receives them over UDP and C over TCP', { timeout: STEP_TIMEOUT_MS }, async () => {
    const routerCapabilities = users.b.snapshot.routerRtpCapabilities;
    const sendTransport = await connectTransport(users.a, probes.a, 'send', 'tcp');
    const produced = {};
    for (const [kind, source] of [['video', 'camera'], ['audio', 'mic']]) {
      const sent = await probes.a.produce(kind, { rtpCapabilities: routerCapabilities, file: media[kind] });
      const producer = await users.a.call('produce', {
        transportId: sendTransport.id,
        kind,
        rtpParameters: sent.rtpParameters,
        appData: { source },
      });
      for (const name of ['b', 'c']) await users[name].waitFor('producer.new', (p) => p.producerId === producer.id);
      produced[kind] = producer;
    }

    const ssrcs = { b: {}, c: {} };
    for (const [name, protocol] of [['b', 'udp'], ['c', 'tcp']]) {
      const recvTransport = await connectTransport(users[name], probes[name], 'recv', protocol);
      for (const kind of ['video', 'audio']) {
        const consumer = await users[name].call('consume', {
          transportId: recvTransport.id,
          producerId: produced[kind].id,
          rtpCapabilities: routerCapabilities,
        });
        ({ ssrc: ssrcs[name][kind] } = await probes[name].command({ cmd: 'expect', consumer }));
        assert.deepEqual(await users[name].call('resumeConsumer', { consumerId: consumer.id }), {});
      }
    }

    for (const name of ['b', 'c']) {
      // Keyframes of the file's VP8 (parsed from the payload descriptor) and its Opus packets.
      const received = await waitUntil(
        () => probes[name].stats(),
        (stats) =>
          counts(stats, ssrcs[name].video).keyframes >= 2 &&
          counts(stats, ssrcs[name].video).packets >= 60 &&
          counts(stats, ssrcs[name].audio).packets >= 50,
        { what: `${name.toUpperCase()} receiving A's VP8 keyframes and Opus` },
      );
      assert.equal(received.unexpectedRtp, 0, JSON.stringify(received));
      assert.equal(received.srtpFailures, 0);
      assert.equal(received.state, 'connected');
    }

    const serverA = (await users.a.call('getTransportStats', {})).transports.find((t) => t.transportId === sendTransport.id);
    assert.equal(serverA.state, 'connected');
    assert.equal(serverA.iceState, 'completed');
    assert.equal(serverA.protocol, 'tcp', 'the SFU sends on the nominated ICE-TCP connection');
    assert.ok(serverA.rtpReceived > 0, JSON.stringify(serverA));
    assert.equal(serverA.srtpFailures, 0);
    const sender = await probes.a.stats();
    assert.equal(sender.srtpFailures, 0);
    assert.ok(sender.rtpSent >= serverA.rtpReceived, `A sent ${sender.rtpSent}, server got ${serverA.rtpReceived}`);
    // A over TCP and C over TCP.
    assert.equal(await waitUntil(() => metric(server, 'fluxmeet_media_tcp_connections'), (n) => n === 2, { what: 'two ICE-TCP connections' }), 2);
  });

  it('a frame length over the limit closes that TCP connection and is counted; media goes on', { timeout: STEP_TIMEOUT_MS }, async () => {
    const before = await metric(server, 'fluxmeet_media_tcp_framing_errors_total');
    const socket = net.connect({ host: '127.0.0.1', port: tcpPort });
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.on('error', () => {}); // a reset is a close too
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    socket.write(Buffer.from([0xff, 0xff, 1, 2, 3, 4]));
    let timer;
    const outcome = await Promise.race([closed.then(() => 'closed'), new Promise((r) => (timer = setTimeout(() => r('open'), 5_000)))]);
    clearTimeout(timer);
    socket.destroy();
    assert.equal(outcome, 'closed', 'the server closed the connection');
    await waitUntil(() => metric(server, 'fluxmeet_media_tcp_framing_errors_total'), (n) => n === before + 1, { what: 'framing error counted' });
    const stats = await probes.c.stats();
    await waitUntil(() => probes.c.stats(), (now) => now.rtpReceived > stats.rtpReceived + 20, { what: 'C still receiving' });
  });

  it('a transport the server closes takes its TCP connection with it', { timeout: STEP_TIMEOUT_MS }, async () => {
    // Leaving closes C's transports on the server.
    assert.deepEqual(await users.c.call('leave', {}), {});
    // The server's DTLS close_notify, then the end of the connection, reach C's probe.
    const failed = await waitUntil(
      async () => probes.c.events.find((event) => event.event === 'failed'),
      (event) => event !== undefined,
      { what: "C's probe seeing its connection end" },
    );
    assert.match(failed.reason, /closed/);
    assert.equal(await waitUntil(() => metric(server, 'fluxmeet_media_tcp_connections'), (n) => n === 1, { what: 'one ICE-TCP connection left' }), 1);
    assert.deepEqual(await probes.c.stop(), { code: 0, signal: null });
    assert.deepEqual(await probes.a.stop(), { code: 0, signal: null });
    assert.deepEqual(await probes.b.stop(), { code: 0, signal: null });
  });
});
