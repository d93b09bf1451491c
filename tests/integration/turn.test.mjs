// TURN (issue 3, "TURN and firewalls"): with TURN_URLS and TURN_SECRET set, createTransport hands
// out iceServers with TURN REST credentials (docs/protocol.md "Media"), and a real coturn accepts
// them. A client that may only use the relay (as a browser with iceTransportPolicy "relay", or
// behind a firewall that blocks the SFU's UDP port) allocates on coturn with those credentials,
// sends its ICE check to the SFU's candidate through the relay, and gets the SFU's answer back
// through it: the SFU saw the relayed address. Wrong and expired credentials are refused.
// Needs coturn's turnserver (scripts/apt-packages.txt); without it the suite fails, it never skips.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { api, registerUser } from './lib/http.mjs';
import { findTurnserver, startCoturn } from './lib/coturn.mjs';
import { STUN_BINDING_SUCCESS, chromeDtlsParameters, parseStun, stunBindingRequest } from './lib/media_fixtures.mjs';
import { makeTempDir, randomSecret, removeDir, runBinary, startServer } from './lib/server.mjs';
import { TurnClient, turnRestPassword } from './lib/turn_client.mjs';
import { connectAs } from './lib/ws.mjs';

const CREDENTIAL_TTL_SECONDS = 600;

// Counted as a failure of its own (not only as cancelled tests) when coturn is missing.
it('turnserver (Debian package coturn) is installed', () => {
  assert.ok(findTurnserver(), 'turnserver not found: install the Debian package coturn (`make setup` or `apt-get install coturn`)');
});

describe('TURN relay with coturn', () => {
  let coturn;
  let server;
  let host;
  let turnUrl;
  const clients = [];
  const turnClients = [];

  const openTurn = async () => {
    const client = await TurnClient.open(coturn);
    turnClients.push(client);
    return client;
  };

  // A fresh meeting joined by the host: the signaling client and its peer id.
  const joinMeeting = async () => {
    const created = await api(server, 'POST', '/api/v1/meetings', { token: host.accessToken, body: { kind: 'instant' } });
    assert.equal(created.status, 201, created.text);
    const client = await connectAs(server, host.accessToken);
    clients.push(client);
    const view = await client.call('join', { code: created.json.code });
    assert.equal(view.state, 'joined');
    return { client, peerId: view.you.peerId };
  };

  const createTransport = async (client) => {
    const transport = await client.call('createTransport', { direction: 'send' });
    assert.deepEqual(await client.call('connectTransport', { transportId: transport.id, dtlsParameters: chromeDtlsParameters() }), {});
    return transport;
  };

  before(async () => {
    // Fails (never skips) with an install hint when turnserver is missing.
    coturn = await startCoturn();
    turnUrl = `turn:127.0.0.1:${coturn.port}?transport=udp`;
    server = await startServer({
      env: { TURN_URLS: turnUrl, TURN_SECRET: coturn.secret, TURN_CREDENTIAL_TTL: String(CREDENTIAL_TTL_SECONDS), LOG_LEVEL: 'debug' },
    });
    host = await registerUser(server, { username: 'relayhost' });
  });

  after(async () => {
    for (const client of turnClients) client.close();
    for (const client of clients) client.terminate();
    await server?.stop();
    await coturn?.stop();
  });

  it('createTransport answers iceServers with TURN REST credentials for the peer', async () => {
    const { client, peerId } = await joinMeeting();
    const askedAt = Math.floor(Date.now() / 1000);
    const transport = await client.call('createTransport', { direction: 'recv' });
    const answeredAt = Math.ceil(Date.now() / 1000);
    assert.equal(transport.iceServers.length, 1, JSON.stringify(transport.iceServers));
    const [iceServer] = transport.iceServers;
    assert.deepEqual(Object.keys(iceServer).sort(), ['credential', 'urls', 'username']);
    assert.deepEqual(iceServer.urls, [turnUrl]);
    // draft-uberti-behave-turn-rest-00 section 2.2: "<expiry>:<id>", base64(HMAC-SHA1(secret, username)).
    const match = /^(\d+):(.+)$/.exec(iceServer.username);
    assert.ok(match, iceServer.username);
    assert.equal(match[2], peerId);
    const expiry = Number(match[1]);
    assert.ok(expiry >= askedAt + CREDENTIAL_TTL_SECONDS && expiry <= answeredAt + CREDENTIAL_TTL_SECONDS, `${expiry} vs ${askedAt}`);
    assert.equal(iceServer.credential, turnRestPassword(coturn.secret, iceServer.username));

    // The secret itself never reaches the client, the log or the URLs.
    assert.ok(!JSON.stringify(transport).includes(coturn.secret));
    assert.ok(!server.logs().includes(coturn.secret), 'TURN_SECRET logged');
    assert.match(server.logs(), /media: TURN turn:127\.0\.0\.1:\d+\?transport=udp with credentials valid 600 s/);
  });

  it('a relay-only client reaches the SFU through coturn with those credentials', async () => {
    const { client } = await joinMeeting();
    const transport = await createTransport(client);
    const [{ username, credential }] = transport.iceServers;
    const candidate = transport.iceCandidates.find((c) => c.address === '127.0.0.1' && c.protocol === 'udp');
    assert.ok(candidate, JSON.stringify(transport.iceCandidates));
    const sfu = { address: candidate.address, port: candidate.port };

    const turn = await openTurn();
    const allocation = await turn.allocate({ username, password: credential });
    assert.equal(allocation.relayed.address, '127.0.0.1');
    assert.notEqual(allocation.relayed.port, coturn.port);
    assert.equal(allocation.mapped.port, turn.socket.address().port);
    assert.ok(allocation.lifetime > 0);
    await turn.createPermission(sfu);

    // The ICE check a browser would send on its relayed candidate pair, wrapped in a Send indication.
    const check = stunBindingRequest({
      serverUfrag: transport.iceParameters.usernameFragment,
      serverPassword: transport.iceParameters.password,
      useCandidate: true,
    });
    turn.sendTo(sfu, check.message);
    const { peer, data } = await turn.receiveFrom((payload) => parseStun(payload)?.transactionId.equals(check.transactionId), {
      what: "the SFU's Binding response in a Data indication",
    });
    assert.deepEqual(peer, sfu, 'the Data indication comes from the SFU candidate');
    const answer = parseStun(data);
    assert.equal(answer.type, STUN_BINDING_SUCCESS);
    // The SFU answered the relayed address, not our socket: the path really went through coturn.
    assert.deepEqual(answer.xorMappedAddress, allocation.relayed);
    assert.notEqual(answer.xorMappedAddress.port, turn.socket.address().port);
    await turn.release();
  });

  it('coturn refuses wrong, foreign and expired credentials (401)', async () => {
    const { client, peerId } = await joinMeeting();
    const transport = await client.call('createTransport', { direction: 'send' });
    const [{ username, credential }] = transport.iceServers;
    const now = Math.floor(Date.now() / 1000);
    const expired = `${now - 60}:${peerId}`;
    const attempts = {
      'wrong password': { username, password: credential.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) },
      'signed with another secret': { username, password: turnRestPassword(randomSecret(), username) },
      'expired a minute ago': { username: expired, password: turnRestPassword(coturn.secret, expired) },
    };
    for (const [what, credentials] of Object.entries(attempts)) {
      const turn = await openTurn();
      await assert.rejects(turn.allocate(credentials), (error) => {
        assert.equal(error.code, 401, `${what}: ${error.message}`);
        return true;
      }, what);
    }
    // The genuine credential still works (so the refusals above are about the credential).
    const turn = await openTurn();
    const allocation = await turn.allocate({ username, password: credential });
    assert.equal(allocation.relayed.address, '127.0.0.1');
    await turn.release();
  });
});

describe('TURN configuration', () => {
  let dir;
  let args;
  before(async () => {
    dir = await makeTempDir();
    args = ['--port', '0', '--database-url', `sqlite://${dir}/db.sqlite`];
  });
  after(async () => {
    await removeDir(dir);
  });

  const assertExit2 = (result, pattern) => {
    assert.equal(result.code, 2, `exit 2 expected: ${result.stderr}`);
    const lines = result.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0], pattern);
  };

  it('TURN_URLS and TURN_SECRET only together, URLs and secret checked: exit 2', async () => {
    const env = { JWT_SECRET: randomSecret() };
    const turnSecret = randomSecret(40);
    assertExit2(await runBinary(args, { ...env, TURN_URLS: 'turn:127.0.0.1:3478' }, dir), /TURN_URLS and TURN_SECRET/);
    assertExit2(await runBinary(args, { ...env, TURN_SECRET: turnSecret }, dir), /TURN_URLS and TURN_SECRET/);
    assertExit2(await runBinary(args, { ...env, TURN_URLS: 'turn://x:3478', TURN_SECRET: turnSecret }, dir), /TURN_URLS/);
    const weak = await runBinary(args, { ...env, TURN_URLS: 'turn:x:3478', TURN_SECRET: 'weak-turn-secret' }, dir);
    assertExit2(weak, /TURN_SECRET is too weak/);
    assert.ok(!weak.stderr.includes('weak-turn-secret'), 'the secret is echoed');
    assertExit2(
      await runBinary([...args, '--turn-credential-ttl', '10'], { ...env, TURN_URLS: 'turn:x:3478', TURN_SECRET: turnSecret }, dir),
      /TURN_CREDENTIAL_TTL/,
    );
  });
});
