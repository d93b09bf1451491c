// The media methods of the signaling protocol (docs/protocol.md "Media") against the real binary
// over real WebSockets: router capabilities, transports (with a real ICE check on the announced
// UDP port), producers and consumers in mediasoup-client's shapes as Chrome sends them, the
// notifications, muting, and that a peer can never touch another peer's media.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { api, registerUser } from './lib/http.mjs';
import {
  DTLS_CONTENT_HANDSHAKE,
  STUN_BINDING_ERROR,
  STUN_BINDING_SUCCESS,
  URI,
  UdpPeer,
  chromeDeviceCapabilities,
  chromeDtlsParameters,
  chromeOpusParameters,
  chromeVp8Parameters,
  dtlsFatalAlert,
  newSsrc,
  stunCheck,
} from './lib/media_fixtures.mjs';
import { findSanitizerReport, startServer } from './lib/server.mjs';
import { connectAs, settle } from './lib/ws.mjs';

async function createMeeting(server, token, body = {}) {
  const response = await api(server, 'POST', '/api/v1/meetings', { token, body: { kind: 'instant', ...body } });
  assert.equal(response.status, 201, response.text);
  return response.json.code;
}

const clone = (value) => structuredClone(value);

describe('media signaling', () => {
  let server;
  let host;
  let alice;
  let bob;
  let carol;
  const clients = [];
  const open = async (user) => {
    const client = await connectAs(server, user.accessToken);
    clients.push(client);
    return client;
  };

  // A fresh meeting joined by `users` in order (the host first when given): their clients.
  const room = async (users, settings) => {
    const code = await createMeeting(server, host.accessToken, settings ? { settings } : {});
    const joined = [];
    for (const user of users) {
      const client = await open(user);
      const view = await client.call('join', { code });
      assert.equal(view.state, 'joined');
      client.snapshot = view;
      joined.push(client);
    }
    return { code, clients: joined };
  };

  const capabilitiesOf = async (client) => (await client.call('getRouterRtpCapabilities', {})).rtpCapabilities;

  // createTransport + connectTransport, as mediasoup-client does on the transport's "connect".
  const transport = async (client, direction = 'send') => {
    const created = await client.call('createTransport', { direction });
    assert.deepEqual(await client.call('connectTransport', { transportId: created.id, dtlsParameters: chromeDtlsParameters() }), {});
    return created;
  };

  const produceMic = (client, transportId, extra = {}) =>
    client.call('produce', {
      transportId,
      kind: 'audio',
      rtpParameters: chromeOpusParameters({ mid: extra.mid ?? '0' }),
      appData: { source: 'mic' },
      ...(extra.paused === undefined ? {} : { paused: extra.paused }),
    });

  const produceCamera = (client, transportId, { mid = '1', source = 'camera', simulcast = true } = {}) =>
    client.call('produce', {
      transportId,
      kind: 'video',
      rtpParameters: chromeVp8Parameters({ mid, simulcast }),
      appData: { source },
    });

  before(async () => {
    server = await startServer();
    host = await registerUser(server, { username: 'hostess' });
    alice = await registerUser(server, { username: 'alice' });
    bob = await registerUser(server, { username: 'bob' });
    carol = await registerUser(server, { username: 'carol' });
  });
  after(async () => {
    for (const client of clients) client.terminate();
    // stop() fails on any sanitizer report (ASan/LSan/UBSan) in the server's output.
    await server?.stop();
  });

  it('getRouterRtpCapabilities: opus, VP8 with RTX, header extensions with ids', async () => {
    const { clients: [h] } = await room([host]);
    const response = await h.call('getRouterRtpCapabilities', {});
    assert.deepEqual(Object.keys(response), ['rtpCapabilities']);
    const { codecs, headerExtensions } = response.rtpCapabilities;

    const payloadTypes = codecs.map((codec) => codec.preferredPayloadType);
    assert.equal(new Set(payloadTypes).size, payloadTypes.length, 'payload types are unique');
    for (const codec of codecs) {
      assert.ok(['audio', 'video'].includes(codec.kind), JSON.stringify(codec));
      assert.equal(codec.mimeType.split('/')[0], codec.kind);
      assert.ok(Number.isInteger(codec.preferredPayloadType) && codec.preferredPayloadType >= 0 && codec.preferredPayloadType <= 127);
      assert.ok(Number.isInteger(codec.clockRate));
      assert.equal(typeof codec.parameters, 'object');
      assert.ok(Array.isArray(codec.rtcpFeedback));
      for (const feedback of codec.rtcpFeedback) {
        assert.equal(typeof feedback.type, 'string');
        assert.equal(typeof feedback.parameter, 'string');
      }
    }

    const opus = codecs.find((codec) => codec.mimeType.toLowerCase() === 'audio/opus');
    assert.ok(opus, 'opus is offered');
    assert.equal(opus.clockRate, 48000);
    assert.equal(opus.channels, 2);
    const vp8 = codecs.find((codec) => codec.mimeType.toLowerCase() === 'video/vp8');
    assert.ok(vp8, 'VP8 is offered');
    assert.equal(vp8.clockRate, 90000);
    assert.equal(vp8.channels, undefined);
    for (const expected of [{ type: 'nack', parameter: '' }, { type: 'nack', parameter: 'pli' }, { type: 'ccm', parameter: 'fir' }]) {
      assert.ok(vp8.rtcpFeedback.some((fb) => fb.type === expected.type && fb.parameter === expected.parameter), JSON.stringify(expected));
    }
    // RFC 4588: every video codec has an RTX codec naming it in apt.
    for (const media of codecs.filter((codec) => codec.kind === 'video' && !codec.mimeType.endsWith('/rtx'))) {
      const rtx = codecs.filter((codec) => codec.mimeType === 'video/rtx' && codec.parameters.apt === media.preferredPayloadType);
      assert.equal(rtx.length, 1, `one RTX codec for ${media.mimeType} ${media.preferredPayloadType}`);
      assert.equal(rtx[0].clockRate, media.clockRate);
    }

    const directions = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];
    for (const ext of headerExtensions) {
      assert.ok(['audio', 'video'].includes(ext.kind), JSON.stringify(ext));
      assert.ok(Number.isInteger(ext.preferredId) && ext.preferredId >= 1 && ext.preferredId <= 14, JSON.stringify(ext));
      assert.equal(ext.preferredEncrypt, false);
      assert.ok(directions.includes(ext.direction));
    }
    for (const kind of ['audio', 'video']) {
      const ids = headerExtensions.filter((ext) => ext.kind === kind).map((ext) => ext.preferredId);
      assert.equal(new Set(ids).size, ids.length, `${kind} extension ids are unique`);
    }
    const find = (kind, uri) => headerExtensions.find((ext) => ext.kind === kind && ext.uri === uri);
    assert.ok(find('audio', URI.mid) && find('video', URI.mid), 'MID for both kinds');
    assert.equal(find('audio', URI.mid).preferredId, find('video', URI.mid).preferredId, 'one MID id (BUNDLE)');
    assert.ok(find('video', URI.rid), 'rid for simulcast');
    assert.ok(find('video', URI.transportCc));
    assert.ok(find('audio', URI.audioLevel));
  });

  it('createTransport: ICE-lite, a host candidate on 127.0.0.1 whose UDP port answers ICE checks', async () => {
    const { clients: [h] } = await room([host]);
    const send = await h.call('createTransport', { direction: 'send' });
    const recv = await h.call('createTransport', {});
    assert.deepEqual(Object.keys(send).sort(), ['dtlsParameters', 'iceCandidates', 'iceParameters', 'iceServers', 'id']);
    assert.equal(typeof send.id, 'string');
    assert.notEqual(send.id, recv.id);
    assert.equal(send.iceParameters.iceLite, true);
    assert.match(send.iceParameters.usernameFragment, /^[A-Za-z0-9+/]{4,256}$/);
    assert.ok(send.iceParameters.password.length >= 22, 'RFC 8445 section 5.3: at least 128 bits');
    assert.notEqual(send.iceParameters.usernameFragment, recv.iceParameters.usernameFragment);
    assert.notEqual(send.iceParameters.password, recv.iceParameters.password);
    assert.deepEqual(send.iceServers, []);
    assert.equal(send.dtlsParameters.role, 'auto');
    assert.equal(send.dtlsParameters.fingerprints.length, 1);
    assert.equal(send.dtlsParameters.fingerprints[0].algorithm, 'sha-256');
    assert.match(send.dtlsParameters.fingerprints[0].value, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);

    const loopback = send.iceCandidates.find((candidate) => candidate.address === '127.0.0.1');
    assert.ok(loopback, JSON.stringify(send.iceCandidates));
    assert.equal(loopback.ip, loopback.address);
    assert.equal(loopback.protocol, 'udp');
    assert.equal(loopback.type, 'host');
    assert.equal(typeof loopback.foundation, 'string');
    assert.ok(Number.isInteger(loopback.priority) && loopback.priority > 0);
    assert.ok(Number.isInteger(loopback.port) && loopback.port > 0 && loopback.port < 65536);

    // The port is served: a connectivity check with this transport's credentials is answered
    // with our own address (RFC 8489 section 14.2), one with a wrong password with 401.
    const answer = await stunCheck(loopback.address, loopback.port, {
      serverUfrag: send.iceParameters.usernameFragment,
      serverPassword: send.iceParameters.password,
    });
    assert.equal(answer.type, STUN_BINDING_SUCCESS);
    assert.deepEqual(answer.xorMappedAddress, { address: '127.0.0.1', port: answer.localPort });
    const refused = await stunCheck(loopback.address, loopback.port, {
      serverUfrag: send.iceParameters.usernameFragment,
      serverPassword: recv.iceParameters.password,
    });
    assert.equal(refused.type, STUN_BINDING_ERROR);
    assert.equal(refused.errorCode, 401);
    await h.expectError('createTransport', { direction: 'sideways' }, 'validation_failed');
  });

  it('restartIce: new credentials, DTLS kept; the old credentials are refused on the wire', async () => {
    const { clients: [h] } = await room([host]);
    const created = await transport(h);
    const candidate = created.iceCandidates.find((c) => c.address === '127.0.0.1');
    const restarted = await h.call('restartIce', { transportId: created.id });
    assert.deepEqual(Object.keys(restarted), ['iceParameters']);
    assert.equal(restarted.iceParameters.iceLite, true);
    assert.notEqual(restarted.iceParameters.usernameFragment, created.iceParameters.usernameFragment);
    assert.notEqual(restarted.iceParameters.password, created.iceParameters.password);

    const fresh = await stunCheck(candidate.address, candidate.port, {
      serverUfrag: restarted.iceParameters.usernameFragment,
      serverPassword: restarted.iceParameters.password,
    });
    assert.equal(fresh.type, STUN_BINDING_SUCCESS);
    const stale = await stunCheck(candidate.address, candidate.port, {
      serverUfrag: created.iceParameters.usernameFragment,
      serverPassword: created.iceParameters.password,
    }).catch(() => null);
    // A retired ufrag is either answered 401 or not at all; never accepted.
    assert.ok(stale === null || (stale.type === STUN_BINDING_ERROR && stale.errorCode === 401), JSON.stringify(stale));
    // DTLS is kept: the transport is still connected once, a second connect is a conflict.
    await h.expectError('connectTransport', { transportId: created.id, dtlsParameters: chromeDtlsParameters() }, 'conflict');
    await h.expectError('restartIce', { transportId: 'no-such-transport' }, 'not_found');
  });

  it('connectTransport: a sha-256 fingerprint and a known role are required; a second call is conflict', async () => {
    const { clients: [h] } = await room([host]);
    const { id: transportId } = await h.call('createTransport', { direction: 'send' });
    const good = chromeDtlsParameters();
    const refuse = async (data, field) => {
      const error = await h.expectError('connectTransport', data, 'validation_failed');
      if (field) assert.equal(error.field, field, JSON.stringify(error));
    };
    await refuse({ transportId }, 'dtlsParameters');
    await refuse({ transportId, dtlsParameters: 'client' }, 'dtlsParameters');
    await refuse({ transportId, dtlsParameters: { role: 'client' } }, 'dtlsParameters.fingerprints');
    await refuse({ transportId, dtlsParameters: { role: 'client', fingerprints: [] } }, 'dtlsParameters.fingerprints');
    await refuse(
      { transportId, dtlsParameters: { role: 'client', fingerprints: [{ algorithm: 'sha-1', value: 'AB:CD' }] } },
      'dtlsParameters.fingerprints',
    );
    await refuse(
      { transportId, dtlsParameters: { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'not hex' }] } },
      'dtlsParameters.fingerprints',
    );
    await refuse({ transportId, dtlsParameters: { ...good, role: 'master' } }, 'dtlsParameters.role');
    await refuse({ transportId, dtlsParameters: good, extra: 1 });
    await h.expectError('connectTransport', { transportId: 'nope', dtlsParameters: good }, 'not_found');

    // None of the refusals connected it: the first valid call does, the second is a conflict.
    assert.deepEqual(await h.call('connectTransport', { transportId, dtlsParameters: good }), {});
    await h.expectError('connectTransport', { transportId, dtlsParameters: chromeDtlsParameters('server') }, 'conflict');
    const stats = await h.call('getTransportStats', {});
    assert.equal(stats.transports.find((t) => t.transportId === transportId).state, 'connecting');
  });

  it('produce: the others get newProducer with the source, the producer itself does not', async () => {
    const { clients: [h, a, b] } = await room([host, alice, bob]);
    const send = await transport(a);
    const mic = await produceMic(a, send.id);
    assert.deepEqual(Object.keys(mic).sort(), ['id', 'paused']);
    assert.equal(typeof mic.id, 'string');
    assert.equal(mic.paused, false);
    for (const other of [h, b]) {
      assert.deepEqual(await other.waitFor('producer.new', (p) => p.producerId === mic.id), {
        producerId: mic.id,
        peerId: a.peerId,
        kind: 'audio',
        source: 'mic',
        paused: false,
      });
    }
    const camera = await produceCamera(a, send.id);
    const seen = await b.waitFor('producer.new', (p) => p.producerId === camera.id);
    assert.equal(seen.kind, 'video');
    assert.equal(seen.source, 'camera');
    // Without appData the source follows the kind (mediasoup-client apps may omit it).
    const bSend = await transport(b);
    const plain = await b.call('produce', { transportId: bSend.id, kind: 'audio', rtpParameters: chromeOpusParameters() });
    assert.equal((await h.waitFor('producer.new', (p) => p.producerId === plain.id)).source, 'mic');
    await settle(100);
    assert.equal(a.has('producer.new', (p) => p.peerId === a.peerId), false);
    assert.equal(b.has('producer.new', (p) => p.peerId === b.peerId), false);
  });

  it('produce: malformed rtpParameters are validation_failed, and the server keeps serving', async () => {
    const { code, clients: [h, a] } = await room([host, alice]);
    const send = await transport(a);
    const nested = (depth) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);
    const audio = [
      ['no codecs', (p) => delete p.codecs, 'codecs'],
      ['codecs not an array', (p) => (p.codecs = 'opus'), 'codecs'],
      ['too many codecs', (p) => (p.codecs = Array(17).fill(p.codecs[0])), 'codecs'],
      ['nested arrays for a codec', (p) => (p.codecs = nested(10)), 'codecs[0]'],
      ['mimeType without type', (p) => (p.codecs[0].mimeType = 'opus'), 'codecs[0].mimeType'],
      ['mimeType with CRLF', (p) => (p.codecs[0].mimeType = 'audio/opus\r\na=x'), 'codecs[0].mimeType'],
      ['payloadType 128', (p) => (p.codecs[0].payloadType = 128), 'codecs[0].payloadType'],
      ['payloadType as a string', (p) => (p.codecs[0].payloadType = '111'), 'codecs[0].payloadType'],
      ['negative clockRate', (p) => (p.codecs[0].clockRate = -1), 'codecs[0].clockRate'],
      ['fractional clockRate', (p) => (p.codecs[0].clockRate = 48000.5), 'codecs[0].clockRate'],
      ['parameter name with ;', (p) => (p.codecs[0].parameters['a;b'] = 1), 'codecs[0].parameters.a;b'],
      ['parameter value object', (p) => (p.codecs[0].parameters.x = { y: 1 }), 'codecs[0].parameters.x'],
      ['rtcpFeedback not an array', (p) => (p.codecs[0].rtcpFeedback = {}), 'codecs[0].rtcpFeedback'],
      ['video codec for audio', (p) => (p.codecs[0].mimeType = 'video/VP8'), 'codecs[0].mimeType'],
      ['no encodings', (p) => (p.encodings = []), 'encodings'],
      ['encoding without ssrc or rid', (p) => (p.encodings = [{}]), 'encodings[0]'],
      ['ssrc beyond 32 bits', (p) => (p.encodings[0].ssrc = 2 ** 32), 'encodings[0].ssrc'],
      ['header extension id 15', (p) => (p.headerExtensions[0].id = 15), 'headerExtensions[0].id'],
      ['header extension without uri', (p) => delete p.headerExtensions[0].uri, 'headerExtensions[0].uri'],
      ['mid too long', (p) => (p.mid = 'm'.repeat(33)), 'mid'],
      ['cname with CRLF (SDP injection)', (p) => (p.rtcp.cname = 'x\r\na=candidate:evil'), 'rtcp.cname'],
      ['msid with CRLF', (p) => (p.msid = 'a b\r\na=x'), 'msid'],
      ['rtcp not an object', (p) => (p.rtcp = 'reduced'), 'rtcp'],
    ];
    const video = [
      ['duplicate rid', (p) => (p.encodings[1].rid = 'r0'), 'encodings[1].rid'],
      ['rid with CRLF', (p) => (p.encodings[0].rid = 'r0\r\na=x'), 'encodings[0].rid'],
      ['rid longer than 16', (p) => (p.encodings[0].rid = 'r'.repeat(17)), 'encodings[0].rid'],
      ['rids mixed with SSRCs', (p) => (p.encodings[1] = { ssrc: newSsrc() }), 'encodings[1].rid'],
      ['five encodings', (p) => p.encodings.push({ rid: 'r3' }, { rid: 'r4' }), 'encodings'],
      ['RTX apt names nothing', (p) => (p.codecs[1].parameters.apt = 55), 'codecs[1].parameters.apt'],
      ['RTX apt as text', (p) => (p.codecs[1].parameters.apt = 'ninety-six'), 'codecs[1].parameters.apt'],
      ['only an RTX codec', (p) => p.codecs.shift(), 'codecs'],
      ['payload type twice', (p) => (p.codecs[1].payloadType = 96), 'codecs[1].payloadType'],
      ['scaleResolutionDownBy below 1', (p) => (p.encodings[0].scaleResolutionDownBy = 0.5), 'encodings[0].scaleResolutionDownBy'],
      ['spatial layers with simulcast', (p) => (p.encodings[0].scalabilityMode = 'L3T3'), 'encodings[0].scalabilityMode'],
      ['codecPayloadType of no codec', (p) => (p.encodings[0].codecPayloadType = 50), 'encodings[0].codecPayloadType'],
    ];
    // A socket is closed after 10 invalid messages, so each batch of 9 comes from a fresh peer.
    const cases = [...audio.map((c) => ['audio', ...c]), ...video.map((c) => ['video', ...c])];
    let peer;
    for (let i = 0; i < cases.length; i += 1) {
      if (i % 9 === 0) {
        const client = await open(alice);
        await client.call('join', { code });
        peer = { client, transportId: (await transport(client)).id };
      }
      const [kind, name, mutate, field] = cases[i];
      const rtpParameters = kind === 'audio' ? chromeOpusParameters() : chromeVp8Parameters();
      mutate(rtpParameters);
      const source = kind === 'audio' ? 'mic' : 'camera';
      const response = await peer.client.request('produce', { transportId: peer.transportId, kind, rtpParameters, appData: { source } });
      assert.equal(response.ok, false, `${name}: accepted`);
      assert.equal(response.error.code, 'validation_failed', `${name}: ${JSON.stringify(response.error)}`);
      // The field is the whole path in the request, so the client can point at it.
      assert.equal(response.error.field, `rtpParameters.${field}`, name);
    }
    await a.expectError('produce', { transportId: send.id, kind: 'audio', rtpParameters: 'opus' }, 'validation_failed');
    await a.expectError('produce', { transportId: send.id, kind: 'data', rtpParameters: chromeOpusParameters() }, 'validation_failed');
    // Deeper than the envelope allows (16 levels): refused before parsing, so with "id": null.
    const deep = await open(alice);
    deep.socket.send(JSON.stringify({ id: 1000, method: 'produce', data: { rtpParameters: { codecs: nested(3000) } } }));
    await deep.request('chat.history', {}); // responses come in order: the refusal is in by now
    assert.equal(deep.raw.find((message) => message.id === null)?.error?.code, 'invalid_request');
    await settle(100);
    assert.equal(h.has('producer.new'), false, 'nothing refused was announced');

    // Still alive and still serving this peer: a well-formed camera goes through.
    const camera = await produceCamera(a, send.id, { mid: '7' });
    assert.equal((await h.waitFor('producer.new', (p) => p.producerId === camera.id)).source, 'camera');
    assert.equal(findSanitizerReport(server.logs()), null, server.logs());
    assert.equal(server.exitStatus(), null);
  });

  it('produce: codecs the router lacks are unprocessable; kind/source mismatches are validation_failed', async () => {
    const { clients: [a] } = await room([alice]);
    const send = await transport(a);
    const isac = chromeOpusParameters();
    Object.assign(isac.codecs[0], { mimeType: 'audio/ISAC', clockRate: 16000, channels: 1, parameters: {} });
    await a.expectError('produce', { transportId: send.id, kind: 'audio', rtpParameters: isac, appData: { source: 'mic' } }, 'unprocessable');
    const h264 = chromeVp8Parameters();
    Object.assign(h264.codecs[0], {
      mimeType: 'video/H264',
      parameters: { 'packetization-mode': 0, 'profile-level-id': '42001f', 'level-asymmetry-allowed': 1 },
    });
    await a.expectError('produce', { transportId: send.id, kind: 'video', rtpParameters: h264, appData: { source: 'camera' } }, 'unprocessable');
    const mismatch = await a.expectError(
      'produce',
      { transportId: send.id, kind: 'video', rtpParameters: chromeVp8Parameters(), appData: { source: 'mic' } },
      'validation_failed',
    );
    assert.equal(mismatch.field, 'appData.source');
    const unknown = await a.expectError(
      'produce',
      { transportId: send.id, kind: 'audio', rtpParameters: chromeOpusParameters(), appData: { source: 'speaker' } },
      'validation_failed',
    );
    assert.equal(unknown.field, 'appData.source');
    // Two producers of one transport cannot share an SSRC or a MID (packets could not be routed).
    const first = chromeOpusParameters({ mid: '0' });
    await a.call('produce', { transportId: send.id, kind: 'audio', rtpParameters: first, appData: { source: 'mic' } });
    const sameSsrc = chromeOpusParameters({ mid: '3', ssrc: first.encodings[0].ssrc });
    await a.expectError('produce', { transportId: send.id, kind: 'audio', rtpParameters: sameSsrc, appData: { source: 'screen-audio' } }, 'conflict');
    await a.expectError(
      'produce',
      { transportId: send.id, kind: 'video', rtpParameters: chromeVp8Parameters({ mid: '0' }), appData: { source: 'camera' } },
      'conflict',
    );
  });

  it('consume: one encoding with SSRC and RTX, the router payload types, created paused', async () => {
    const { clients: [h, a, b] } = await room([host, alice, bob]);
    const send = await transport(a);
    const micParameters = chromeOpusParameters();
    const mic = await a.call('produce', { transportId: send.id, kind: 'audio', rtpParameters: micParameters, appData: { source: 'mic' } });
    const cameraParameters = chromeVp8Parameters();
    const camera = await a.call('produce', { transportId: send.id, kind: 'video', rtpParameters: cameraParameters, appData: { source: 'camera' } });
    await b.waitFor('producer.new', (p) => p.producerId === camera.id);

    const routerCapabilities = await capabilitiesOf(b);
    const device = chromeDeviceCapabilities(routerCapabilities);
    const recv = await b.call('createTransport', { direction: 'recv' });
    const video = await b.call('consume', { transportId: recv.id, producerId: camera.id, rtpCapabilities: device });
    assert.deepEqual(Object.keys(video).sort(), ['appData', 'id', 'kind', 'producerId', 'producerPaused', 'rtpParameters']);
    assert.equal(video.producerId, camera.id);
    assert.equal(video.kind, 'video');
    assert.equal(video.producerPaused, false);
    assert.deepEqual(video.appData, { peerId: a.peerId, source: 'camera' });

    const routerVp8 = routerCapabilities.codecs.find((c) => c.mimeType === 'video/VP8');
    const routerRtx = routerCapabilities.codecs.find((c) => c.mimeType === 'video/rtx' && c.parameters.apt === routerVp8.preferredPayloadType);
    const { rtpParameters } = video;
    assert.equal(typeof rtpParameters.mid, 'string');
    assert.deepEqual(rtpParameters.codecs.map((c) => [c.mimeType, c.payloadType]), [
      ['video/VP8', routerVp8.preferredPayloadType],
      ['video/rtx', routerRtx.preferredPayloadType],
    ]);
    assert.equal(rtpParameters.codecs[1].parameters.apt, routerVp8.preferredPayloadType);
    for (const fb of [['nack', ''], ['nack', 'pli'], ['ccm', 'fir']]) {
      assert.ok(rtpParameters.codecs[0].rtcpFeedback.some((x) => x.type === fb[0] && x.parameter === fb[1]), fb.join(' '));
    }
    // Simulcast reaches the consumer as one stream: one SSRC (plus RTX), three spatial layers.
    assert.equal(rtpParameters.encodings.length, 1);
    const [encoding] = rtpParameters.encodings;
    assert.ok(Number.isInteger(encoding.ssrc) && encoding.ssrc > 0 && encoding.ssrc < 2 ** 32);
    assert.ok(Number.isInteger(encoding.rtx?.ssrc) && encoding.rtx.ssrc !== encoding.ssrc);
    assert.equal(encoding.scalabilityMode, 'L3T3');
    assert.equal(encoding.rid, undefined);
    // The extensions are the router's ids, only ones the device has, none for the publisher's transport.
    for (const ext of rtpParameters.headerExtensions) {
      const offered = device.headerExtensions.find((d) => d.kind === 'video' && d.uri === ext.uri);
      assert.ok(offered, `the device has ${ext.uri}`);
      assert.equal(ext.id, offered.preferredId);
      assert.notEqual(ext.uri, URI.rid);
    }
    assert.equal(rtpParameters.rtcp.cname, cameraParameters.rtcp.cname, 'one CNAME per source (lip sync)');
    assert.equal(rtpParameters.rtcp.reducedSize, true);

    const audio = await b.call('consume', { transportId: recv.id, producerId: mic.id, rtpCapabilities: device });
    assert.equal(audio.kind, 'audio');
    assert.deepEqual(audio.appData, { peerId: a.peerId, source: 'mic' });
    assert.equal(audio.rtpParameters.codecs.length, 1);
    assert.equal(audio.rtpParameters.codecs[0].mimeType.toLowerCase(), 'audio/opus');
    assert.equal(audio.rtpParameters.codecs[0].channels, 2);
    assert.equal(audio.rtpParameters.encodings.length, 1);
    assert.ok(Number.isInteger(audio.rtpParameters.encodings[0].ssrc));
    assert.equal(audio.rtpParameters.encodings[0].rtx, undefined);
    assert.notEqual(audio.rtpParameters.encodings[0].ssrc, encoding.ssrc);
    assert.notEqual(audio.rtpParameters.mid, rtpParameters.mid, 'one m-section per consumer');
    assert.equal(audio.rtpParameters.rtcp.cname, micParameters.rtcp.cname);
    assert.notEqual(audio.id, video.id);

    // The host, too, may consume, and its consumer is its own.
    const hostRecv = await h.call('createTransport', { direction: 'recv' });
    const hostConsumer = await h.call('consume', { transportId: hostRecv.id, producerId: camera.id, rtpCapabilities: device });
    assert.notEqual(hostConsumer.rtpParameters.encodings[0].ssrc, encoding.ssrc);
  });

  it('consume: a paused producer is reported; unknown producers and undecodable codecs are refused', async () => {
    const { clients: [h, a, b] } = await room([host, alice, bob]);
    const send = await transport(a);
    const mic = await produceMic(a, send.id, { paused: true });
    assert.equal(mic.paused, true);
    assert.equal((await b.waitFor('producer.new', (p) => p.producerId === mic.id)).paused, true);
    // Starting paused is starting muted: everyone's view of Alice says so.
    const update = await h.waitFor('peer.updated', (p) => p.peerId === a.peerId);
    assert.equal(update.muted.audio, true);

    const routerCapabilities = await capabilitiesOf(b);
    const recv = await b.call('createTransport', { direction: 'recv' });
    const consumer = await b.call('consume', {
      transportId: recv.id,
      producerId: mic.id,
      rtpCapabilities: chromeDeviceCapabilities(routerCapabilities),
    });
    assert.equal(consumer.producerPaused, true);

    const camera = await produceCamera(a, send.id);
    const audioOnly = chromeDeviceCapabilities(routerCapabilities, { only: ['audio/opus'] });
    const refused = await b.expectError('consume', { transportId: recv.id, producerId: camera.id, rtpCapabilities: audioOnly }, 'unprocessable');
    assert.match(refused.field ?? 'rtpCapabilities', /^rtpCapabilities/);
    await b.expectError(
      'consume',
      { transportId: recv.id, producerId: camera.id, rtpCapabilities: { codecs: [], headerExtensions: [] } },
      'unprocessable',
    );
    await b.expectError(
      'consume',
      { transportId: recv.id, producerId: 'no-such-producer', rtpCapabilities: audioOnly },
      'not_found',
    );
    const malformed = clone(audioOnly);
    malformed.codecs[0].preferredPayloadType = 'one hundred';
    await b.expectError('consume', { transportId: recv.id, producerId: mic.id, rtpCapabilities: malformed }, 'validation_failed');
    await b.expectError('consume', { transportId: recv.id, producerId: mic.id, rtpCapabilities: { codecs: 'all' } }, 'validation_failed');
    await b.expectError('consume', { transportId: recv.id, producerId: mic.id }, 'validation_failed');
  });

  it('consumers: resume, pause, preferred layers and keyframe requests', async () => {
    const { clients: [a, b] } = await room([alice, bob]);
    const send = await transport(a);
    const camera = await produceCamera(a, send.id);
    const recv = await transport(b, 'recv');
    const device = chromeDeviceCapabilities(await capabilitiesOf(b));
    const { id: consumerId } = await b.call('consume', { transportId: recv.id, producerId: camera.id, rtpCapabilities: device });
    assert.deepEqual(await b.call('resumeConsumer', { consumerId }), {});
    assert.deepEqual(await b.call('setConsumerVisible', { consumerId, visible: false }), {});
    assert.deepEqual(await b.call('resumeConsumer', { consumerId }), {});
    assert.deepEqual(await b.call('setConsumerLayers', { consumerId, spatialLayer: 0 }), {});
    assert.deepEqual(await b.call('setConsumerLayers', { consumerId, spatialLayer: 2, temporalLayer: 1 }), {});
    assert.deepEqual(await b.call('requestKeyframe', { consumerId }), {});
    const badLayer = await b.expectError('setConsumerLayers', { consumerId, spatialLayer: 4 }, 'validation_failed');
    assert.equal(badLayer.field, 'spatialLayer');
    await b.expectError('setConsumerLayers', { consumerId, spatialLayer: 0, temporalLayer: -1 }, 'validation_failed');
    await b.expectError('setConsumerLayers', { consumerId }, 'validation_failed');
    await b.expectError('resumeConsumer', { consumerId: 'no-such-consumer' }, 'not_found');
    await b.expectError('requestKeyframe', { consumerId: 'no-such-consumer' }, 'not_found');
    await b.expectError('resumeConsumer', {}, 'validation_failed');
    // Pausing a consumer is the viewer's business: the producer's peer hears nothing of it.
    await settle(100);
    assert.equal(a.has('producer.paused'), false);
  });

  it('one producer per source; closeProducer frees it and closes the consumers of it', async () => {
    const { clients: [a, b] } = await room([alice, bob]);
    const send = await transport(a);
    const mic = await produceMic(a, send.id);
    const again = await a.expectError(
      'produce',
      { transportId: send.id, kind: 'audio', rtpParameters: chromeOpusParameters({ mid: '5' }), appData: { source: 'mic' } },
      'conflict',
    );
    assert.equal(again.field, 'appData.source');
    // Another transport does not make a second mic possible either.
    const other = await transport(a);
    await a.expectError(
      'produce',
      { transportId: other.id, kind: 'audio', rtpParameters: chromeOpusParameters(), appData: { source: 'mic' } },
      'conflict',
    );
    // A different source of the same kind is fine.
    const screenAudio = await a.call('produce', {
      transportId: send.id,
      kind: 'audio',
      rtpParameters: chromeOpusParameters({ mid: '2' }),
      appData: { source: 'screen-audio' },
    });
    assert.equal((await b.waitFor('producer.new', (p) => p.producerId === screenAudio.id)).source, 'screen-audio');

    const recv = await b.call('createTransport', { direction: 'recv' });
    const device = chromeDeviceCapabilities(await capabilitiesOf(b));
    const consumer = await b.call('consume', { transportId: recv.id, producerId: mic.id, rtpCapabilities: device });

    assert.deepEqual(await a.call('closeProducer', { producerId: mic.id }), {});
    assert.deepEqual(await b.waitFor('producer.closed', (p) => p.producerId === mic.id), { producerId: mic.id, peerId: a.peerId });
    assert.deepEqual(await b.waitFor('consumer.closed'), { consumerId: consumer.id });
    await b.expectError('resumeConsumer', { consumerId: consumer.id }, 'not_found');
    await b.expectError('consume', { transportId: recv.id, producerId: mic.id, rtpCapabilities: device }, 'not_found');
    await a.expectError('closeProducer', { producerId: mic.id }, 'not_found');
    const replacement = await produceMic(a, send.id, { mid: '6' });
    assert.notEqual(replacement.id, mic.id);
    await settle(100);
    assert.equal(a.has('producer.closed'), false, 'the producer\'s own peer is not told');
  });

  it('screen sharing is for hosts and co-hosts when screenShare is "hosts"', async () => {
    const { clients: [h, a] } = await room([host, alice], { screenShare: 'hosts' });
    const aSend = await transport(a);
    const screen = { transportId: aSend.id, kind: 'video', rtpParameters: chromeVp8Parameters({ mid: '2' }), appData: { source: 'screen' } };
    await a.expectError('produce', screen, 'forbidden');
    await a.expectError(
      'produce',
      { ...screen, kind: 'audio', rtpParameters: chromeOpusParameters({ mid: '3' }), appData: { source: 'screen-audio' } },
      'forbidden',
    );
    assert.ok((await produceCamera(a, aSend.id)).id, 'the camera is not affected');
    const hSend = await transport(h);
    const hostScreen = await produceCamera(h, hSend.id, { mid: '2', source: 'screen' });
    assert.equal((await a.waitFor('producer.new', (p) => p.producerId === hostScreen.id)).source, 'screen');
    // Promoted to co-host, Alice may share; with the policy back to everyone, anyone may.
    await h.call('peer.setRole', { peerId: a.peerId, role: 'cohost' });
    await a.waitFor('peer.updated', (p) => p.peerId === a.peerId && p.role === 'cohost');
    const shared = await a.call('produce', screen);
    await h.waitFor('producer.new', (p) => p.producerId === shared.id);

    const { clients: [h2, b] } = await room([host, bob], { screenShare: 'hosts' });
    await h2.call('meeting.updateSettings', { screenShare: 'everyone' });
    await b.waitFor('meeting.settings');
    const bSend = await transport(b);
    assert.ok((await produceCamera(b, bSend.id, { mid: '2', source: 'screen' })).id);
  });

  it('authorization: another peer\'s transport, producer and consumer ids are not_found, and nothing changes', async () => {
    const { clients: [h, a, b] } = await room([host, alice, bob]);
    const routerCapabilities = await capabilitiesOf(a);
    const device = chromeDeviceCapabilities(routerCapabilities);
    const aSend = await transport(a);
    const aRecv = await a.call('createTransport', { direction: 'recv' }); // not connected yet
    const aMic = await produceMic(a, aSend.id);
    const hSend = await transport(h);
    const hCamera = await produceCamera(h, hSend.id);
    const aConsumer = await a.call('consume', { transportId: aRecv.id, producerId: hCamera.id, rtpCapabilities: device });
    const bRecv = await b.call('createTransport', { direction: 'recv' });

    const attempts = [
      ['connectTransport', { transportId: aRecv.id, dtlsParameters: chromeDtlsParameters() }],
      ['connectTransport', { transportId: aSend.id, dtlsParameters: chromeDtlsParameters() }],
      ['restartIce', { transportId: aRecv.id }],
      ['produce', { transportId: aSend.id, kind: 'video', rtpParameters: chromeVp8Parameters({ mid: '9' }), appData: { source: 'camera' } }],
      ['consume', { transportId: aRecv.id, producerId: hCamera.id, rtpCapabilities: device }],
      ['closeProducer', { producerId: aMic.id }],
      ['pauseProducer', { producerId: aMic.id }],
      ['resumeProducer', { producerId: aMic.id }],
      ['setConsumerVisible', { consumerId: aConsumer.id, visible: false }],
      ['resumeConsumer', { consumerId: aConsumer.id }],
      ['setConsumerLayers', { consumerId: aConsumer.id, spatialLayer: 0 }],
      ['requestKeyframe', { consumerId: aConsumer.id }],
    ];
    for (const [method, data] of attempts) {
      const response = await b.request(method, data);
      assert.equal(response.ok, false, `${method} with Alice's ids succeeded for Bob`);
      assert.equal(response.error.code, 'not_found', `${method}: ${JSON.stringify(response.error)}`);
    }
    // Bob may consume Alice's producer on his own transport: that is what producers are for.
    const bConsumer = await b.call('consume', { transportId: bRecv.id, producerId: aMic.id, rtpCapabilities: device });
    assert.equal(bConsumer.appData.peerId, a.peerId);

    // Alice's media is untouched: her producer is live, her recv transport unconnected with its
    // original ICE credentials, her consumer hers.
    await settle(100);
    for (const client of [h, b]) {
      assert.equal(client.has('producer.closed'), false);
      assert.equal(client.has('producer.paused'), false);
      assert.equal(client.has('peer.updated', (p) => p.peerId === a.peerId), false);
    }
    const stats = await a.call('getTransportStats', {});
    assert.deepEqual(stats.transports.map((t) => t.transportId).sort(), [aSend.id, aRecv.id].sort());
    assert.equal(stats.transports.find((t) => t.transportId === aRecv.id).state, 'new');
    const candidate = aRecv.iceCandidates.find((c) => c.address === '127.0.0.1');
    const check = await stunCheck(candidate.address, candidate.port, {
      serverUfrag: aRecv.iceParameters.usernameFragment,
      serverPassword: aRecv.iceParameters.password,
    });
    assert.equal(check.type, STUN_BINDING_SUCCESS, 'Bob\'s restartIce did not rotate Alice\'s credentials');
    assert.deepEqual(await a.call('connectTransport', { transportId: aRecv.id, dtlsParameters: chromeDtlsParameters() }), {});
    assert.deepEqual(await a.call('resumeConsumer', { consumerId: aConsumer.id }), {});
    const late = await (await open(carol)).call('join', { code: h.snapshot.meeting.code });
    const aliceMic = late.producers.find((p) => p.producerId === aMic.id);
    assert.deepEqual(aliceMic, { producerId: aMic.id, peerId: a.peerId, kind: 'audio', source: 'mic', paused: false });
    // From another meeting, even on its own transport, the host's camera does not exist.
    const { clients: [outsider] } = await room([carol]);
    const outsiderRecv = await outsider.call('createTransport', { direction: 'recv' });
    await outsider.expectError('consume', { transportId: outsiderRecv.id, producerId: hCamera.id, rtpCapabilities: device }, 'not_found');
    await outsider.expectError('pauseProducer', { producerId: hCamera.id }, 'not_found');
    // And Alice can still close her own producer.
    assert.deepEqual(await a.call('closeProducer', { producerId: aMic.id }), {});
    await b.waitFor('consumer.closed', (x) => x.consumerId === bConsumer.id);
  });

  it('a host muting a peer pauses its producer: producerPaused and peer.updated; unmute resumes', async () => {
    const { clients: [h, a, b] } = await room([host, alice, bob]);
    const bSend = await transport(b);
    const mic = await produceMic(b, bSend.id);
    const camera = await produceCamera(b, bSend.id);
    const recv = await a.call('createTransport', { direction: 'recv' });
    const device = chromeDeviceCapabilities(await capabilitiesOf(a));
    await a.call('consume', { transportId: recv.id, producerId: mic.id, rtpCapabilities: device });

    await h.call('peer.mute', { peerId: b.peerId, kind: 'audio' });
    assert.deepEqual(await b.waitFor('you.muted'), { kind: 'audio', by: h.peerId });
    for (const other of [h, a]) {
      assert.deepEqual(await other.waitFor('producer.paused', (p) => p.producerId === mic.id), { producerId: mic.id, peerId: b.peerId });
      assert.equal((await other.waitFor('peer.updated', (p) => p.peerId === b.peerId)).muted.audio, true);
    }
    assert.equal((await b.waitFor('peer.updated', (p) => p.peerId === b.peerId)).muted.audio, true);
    // Only the mic: the camera was not touched, and a new consumer sees the mic paused.
    await settle(100);
    assert.equal(a.has('producer.paused', (p) => p.producerId === camera.id), false);
    const late = await a.call('consume', { transportId: recv.id, producerId: mic.id, rtpCapabilities: device });
    assert.equal(late.producerPaused, true);
    const { producers } = await (await open(carol)).call('join', { code: h.snapshot.meeting.code });
    assert.equal(producers.find((p) => p.producerId === mic.id).paused, true);
    assert.equal(producers.find((p) => p.producerId === camera.id).paused, false);

    await b.call('peer.unmute', { kind: 'audio' });
    for (const other of [h, a]) {
      assert.deepEqual(await other.waitFor('producer.resumed', (p) => p.producerId === mic.id), { producerId: mic.id, peerId: b.peerId });
      assert.equal((await other.waitFor('peer.updated', (p) => p.peerId === b.peerId && !p.muted.audio)).muted.audio, false);
    }
  });

  it('producerPaused / producerResumed go to everyone but the producer\'s peer', async () => {
    const { clients: [h, a] } = await room([host, alice]);
    const send = await transport(a);
    const mic = await produceMic(a, send.id);
    const camera = await produceCamera(a, send.id);
    await h.call('peer.mute', { peerId: a.peerId, kind: 'audio' });
    await h.waitFor('producer.paused', (p) => p.producerId === mic.id);
    await a.call('peer.unmute', { kind: 'audio' });
    await h.waitFor('producer.resumed', (p) => p.producerId === mic.id);
    await a.call('pauseProducer', { producerId: camera.id });
    await h.waitFor('producer.paused', (p) => p.producerId === camera.id);
    await settle(100);
    const aboutItself = a.notifications.filter((n) => n.method === 'producer.paused' || n.method === 'producer.resumed');
    assert.deepEqual(aboutItself, [], 'docs/protocol.md: "everyone but its peer"');
  });

  it('pauseProducer / resumeProducer by its owner is muting', async () => {
    const { clients: [h, a] } = await room([host, alice]);
    const send = await transport(a);
    const camera = await produceCamera(a, send.id);
    assert.deepEqual(await a.call('pauseProducer', { producerId: camera.id }), {});
    assert.deepEqual(await h.waitFor('producer.paused'), { producerId: camera.id, peerId: a.peerId });
    assert.equal((await h.waitFor('peer.updated', (p) => p.peerId === a.peerId)).muted.video, true);
    assert.deepEqual(await a.call('resumeProducer', { producerId: camera.id }), {});
    assert.deepEqual(await h.waitFor('producer.resumed'), { producerId: camera.id, peerId: a.peerId });
    assert.equal((await h.waitFor('peer.updated', (p) => p.peerId === a.peerId)).muted.video, false);
    // Pausing is muting oneself: the host's producer is not Alice's to pause, even by id.
    const hSend = await transport(h);
    const hostMic = await produceMic(h, hSend.id);
    await a.expectError('pauseProducer', { producerId: hostMic.id }, 'not_found');
    await a.expectError('pauseProducer', { producerId: 'no-such-producer' }, 'not_found');
  });

  it('muteOnEntry: a participant\'s mic starts paused, the host\'s does not', async () => {
    const { clients: [h, a] } = await room([host, alice], { muteOnEntry: true });
    const aSend = await transport(a);
    const mic = await produceMic(a, aSend.id);
    assert.equal(mic.paused, true);
    assert.equal((await h.waitFor('producer.new', (p) => p.producerId === mic.id)).paused, true);
    const hSend = await transport(h);
    assert.equal((await produceMic(h, hSend.id)).paused, false);
    await a.call('peer.unmute', { kind: 'audio' });
    await h.waitFor('producer.resumed', (p) => p.producerId === mic.id);
  });

  it('leaving or being removed closes a peer\'s media: producerClosed and consumerClosed to the others', async () => {
    const { clients: [h, a, b] } = await room([host, alice, bob]);
    const send = await transport(a);
    const mic = await produceMic(a, send.id);
    const camera = await produceCamera(a, send.id);
    const recv = await transport(b, 'recv');
    const device = chromeDeviceCapabilities(await capabilitiesOf(b));
    const micConsumer = await b.call('consume', { transportId: recv.id, producerId: mic.id, rtpCapabilities: device });
    const cameraConsumer = await b.call('consume', { transportId: recv.id, producerId: camera.id, rtpCapabilities: device });

    await a.call('leave');
    for (const producer of [mic, camera]) {
      assert.deepEqual(await h.waitFor('producer.closed', (p) => p.producerId === producer.id), { producerId: producer.id, peerId: a.peerId });
      await b.waitFor('producer.closed', (p) => p.producerId === producer.id);
    }
    const closed = [await b.waitFor('consumer.closed'), await b.waitFor('consumer.closed')].map((c) => c.consumerId).sort();
    assert.deepEqual(closed, [micConsumer.id, cameraConsumer.id].sort());
    await h.waitFor('peer.left', (p) => p.peerId === a.peerId);
    await a.expectError('createTransport', {}, 'unprocessable');
    // Rejoining starts from nothing: the old transport is gone.
    await a.call('join', { code: h.snapshot.meeting.code });
    await a.expectError('produce', { transportId: send.id, kind: 'audio', rtpParameters: chromeOpusParameters(), appData: { source: 'mic' } }, 'not_found');
    assert.deepEqual((await a.call('getTransportStats', {})).transports, []);

    const bSend = await transport(b);
    const bMic = await produceMic(b, bSend.id);
    await h.waitFor('producer.new', (p) => p.producerId === bMic.id);
    await h.call('peer.remove', { peerId: b.peerId });
    assert.deepEqual(await h.waitFor('producer.closed', (p) => p.producerId === bMic.id), { producerId: bMic.id, peerId: b.peerId });
    await a.waitFor('producer.closed', (p) => p.producerId === bMic.id);
  });

  it('a transport whose DTLS fails is closed: transportClosed to its peer, producerClosed and consumerClosed to the others', async () => {
    const { clients: [h, a] } = await room([host, alice]);
    const send = await a.call('createTransport', { direction: 'send' });
    // The browser takes the DTLS server role, so the SFU is the client and speaks first.
    await a.call('connectTransport', { transportId: send.id, dtlsParameters: chromeDtlsParameters('server') });
    const mic = await produceMic(a, send.id);
    const recv = await h.call('createTransport', { direction: 'recv' });
    const consumer = await h.call('consume', {
      transportId: recv.id,
      producerId: mic.id,
      rtpCapabilities: chromeDeviceCapabilities(await capabilitiesOf(h)),
    });

    const browser = await UdpPeer.open();
    try {
      const candidate = send.iceCandidates.find((c) => c.address === '127.0.0.1');
      const nominated = await browser.check(candidate, {
        serverUfrag: send.iceParameters.usernameFragment,
        serverPassword: send.iceParameters.password,
        useCandidate: true,
      });
      assert.equal(nominated.type, STUN_BINDING_SUCCESS);
      // ICE completed on this tuple: the DTLS ClientHello comes to it (RFC 6347 section 4.2).
      const hello = await browser.next((datagram) => datagram[0] === DTLS_CONTENT_HANDSHAKE, { what: 'DTLS ClientHello' });
      assert.equal(hello[13], 1, 'handshake type client_hello');
      // The browser refuses the handshake with a fatal alert.
      browser.send(dtlsFatalAlert(), candidate);
      const closed = await a.waitFor('transport.closed');
      assert.equal(closed.transportId, send.id);
      assert.equal(typeof closed.reason, 'string');
      assert.ok(closed.reason.length > 0);
    } finally {
      browser.close();
    }
    assert.deepEqual(await h.waitFor('producer.closed'), { producerId: mic.id, peerId: a.peerId });
    assert.deepEqual(await h.waitFor('consumer.closed'), { consumerId: consumer.id });
    assert.equal(h.has('transport.closed'), false, 'only the transport\'s peer is told');
    assert.deepEqual((await a.call('getTransportStats', {})).transports, []);
    await a.expectError('produce', { transportId: send.id, kind: 'audio', rtpParameters: chromeOpusParameters(), appData: { source: 'mic' } }, 'not_found');
    // The mic is free again on a new transport.
    const again = await transport(a);
    assert.ok((await produceMic(a, again.id)).id);
  });

  it('media methods need a joined peer: before join and in the lobby it is unprocessable', async () => {
    const fresh = await open(alice);
    for (const method of ['getRouterRtpCapabilities', 'createTransport', 'getTransportStats']) {
      await fresh.expectError(method, {}, 'unprocessable');
    }
    await fresh.expectError('closeProducer', { producerId: 'x' }, 'unprocessable');

    const code = await createMeeting(server, host.accessToken, { settings: { waitingRoom: true } });
    const h = await open(host);
    await h.call('join', { code });
    const hSend = await transport(h);
    const hMic = await produceMic(h, hSend.id);
    const waiter = await open(bob);
    assert.deepEqual(await waiter.call('join', { code }), { state: 'waiting' });
    await waiter.expectError('getRouterRtpCapabilities', {}, 'unprocessable');
    await waiter.expectError('createTransport', { direction: 'recv' }, 'unprocessable');
    await waiter.expectError('getTransportStats', {}, 'unprocessable');
    await waiter.expectError('consume', { transportId: hSend.id, producerId: hMic.id, rtpCapabilities: { codecs: [] } }, 'unprocessable');
    await waiter.expectError('pauseProducer', { producerId: hMic.id }, 'unprocessable');
    // Once admitted, the snapshot has the host's mic and the methods work.
    await h.call('lobby.admit', { peerId: waiter.peerId });
    const admitted = await waiter.waitFor('lobby.admitted');
    assert.deepEqual(admitted.producers, [{ producerId: hMic.id, peerId: h.peerId, kind: 'audio', source: 'mic', paused: false }]);
    assert.ok((await waiter.call('createTransport', { direction: 'recv' })).id);
  });

  it('the join snapshot lists the producers already in the room', async () => {
    const { code, clients: [h, a] } = await room([host, alice]);
    assert.deepEqual(h.snapshot.producers, []);
    const send = await transport(a);
    const mic = await produceMic(a, send.id);
    const camera = await produceCamera(a, send.id);
    await a.call('pauseProducer', { producerId: camera.id });
    const b = await open(bob);
    const view = await b.call('join', { code });
    const byId = Object.fromEntries(view.producers.map((p) => [p.producerId, p]));
    assert.equal(view.producers.length, 2);
    assert.deepEqual(byId[mic.id], { producerId: mic.id, peerId: a.peerId, kind: 'audio', source: 'mic', paused: false });
    assert.deepEqual(byId[camera.id], { producerId: camera.id, peerId: a.peerId, kind: 'video', source: 'camera', paused: true });
    await settle(50);
    assert.equal(h.has('producer.new'), true, 'the host saw them arrive');
  });

  it('getTransportStats lists only your own transports', async () => {
    const { clients: [a, b] } = await room([alice, bob]);
    const empty = await a.call('getTransportStats', {});
    assert.deepEqual(empty, { transports: [], producers: [], consumers: [] });
    const send = await transport(a);
    const recv = await a.call('createTransport', { direction: 'recv' });
    const bOwn = await b.call('createTransport', {});
    const mine = await a.call('getTransportStats', {});
    assert.deepEqual(mine.transports.map((t) => t.transportId).sort(), [send.id, recv.id].sort());
    for (const stats of mine.transports) {
      assert.deepEqual(Object.keys(stats).sort(), [
        'availableOutgoingBitrate', 'bytesReceived', 'bytesSent', 'iceState', 'maxIncomingBitrate', 'protocol', 'rtcpReceived',
        'rtcpSent', 'rtpReceived', 'rtpSent', 'srtpFailures', 'state', 'transportId',
      ]);
      // Nothing has checked in yet: no selected tuple.
      assert.deepEqual([stats.iceState, stats.protocol], ['new', null]);
      for (const counter of ['rtpReceived', 'rtpSent', 'rtcpReceived', 'rtcpSent', 'srtpFailures']) {
        assert.equal(stats[counter], 0, counter);
      }
      assert.ok(Number.isInteger(stats.bytesReceived) && Number.isInteger(stats.bytesSent));
    }
    assert.equal(mine.transports.find((t) => t.transportId === send.id).state, 'connecting');
    assert.equal(mine.transports.find((t) => t.transportId === recv.id).state, 'new');
    const theirs = await b.call('getTransportStats', {});
    assert.deepEqual(theirs.transports.map((t) => t.transportId), [bOwn.id]);
    await a.expectError('getTransportStats', { transportId: bOwn.id }, 'validation_failed');
  });

  it('at most 4 transports per peer: the fifth is rate_limited, others are not affected', async () => {
    const { clients: [a, b] } = await room([alice, bob]);
    const ids = [];
    for (let i = 0; i < 4; i += 1) ids.push((await a.call('createTransport', {})).id);
    assert.equal(new Set(ids).size, 4);
    await a.expectError('createTransport', {}, 'rate_limited');
    await a.expectError('createTransport', { direction: 'recv' }, 'rate_limited');
    assert.equal((await a.call('getTransportStats', {})).transports.length, 4);
    assert.ok((await b.call('createTransport', {})).id, 'the cap is per peer');
    // Leaving frees them.
    await a.call('leave');
    await a.call('join', { code: b.snapshot.meeting.code });
    assert.ok((await a.call('createTransport', {})).id);
  });

  it('video consumers negotiate the congestion feedback the router reads (REMB)', async () => {
    const { clients: [a, b] } = await room([alice, bob]);
    const send = await transport(a);
    const camera = await produceCamera(a, send.id);
    const recv = await b.call('createTransport', { direction: 'recv' });
    const device = chromeDeviceCapabilities(await capabilitiesOf(b));
    const { rtpParameters } = await b.call('consume', { transportId: recv.id, producerId: camera.id, rtpCapabilities: device });
    // The Router sets availableOutgoingBitrate (and picks simulcast layers) from REMB only; a
    // browser sends REMB only for codecs that negotiated goog-remb.
    const feedback = rtpParameters.codecs[0].rtcpFeedback.map((fb) => fb.type);
    assert.ok(feedback.includes('goog-remb'), JSON.stringify(rtpParameters.codecs[0]));
    // REMB is computed from abs-send-time, which each consumer rewrites with its own send time;
    // transport-cc is not offered since the SFU does not number its packets per transport yet.
    const uris = rtpParameters.headerExtensions.map((e) => e.uri);
    assert.ok(uris.includes('http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time'), uris.join(' '));
    assert.ok(!feedback.includes('transport-cc'));
  });
});
