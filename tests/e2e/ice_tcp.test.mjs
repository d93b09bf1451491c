// A network that lets no UDP through, as real Chromium sees it: each person's browser has the
// WebRTC setting "disable non-proxied UDP" (chrome://settings, or an administrator's
// WebRtcIPHandling policy), so it gathers no UDP candidates and has no proxy to relay them; two people
// still meet, because the SFU offers passive ICE-TCP candidates (RFC 6544) next to its UDP ones.
// Each decodes the other's camera, every peer connection's selected pair is TCP at both ends, and
// the server counts the TCP connections in /metrics.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { TEST_TIMEOUT_MS, newBrowserWithPreferences, screenshot } from './lib/browser.mjs';
import { newUser } from './lib/flows.mjs';
import { createMeeting, installMediaProbes, joinFromLobby, rtpStreams, videoTrackId } from './lib/room.mjs';
import { startServer } from './lib/server.mjs';

let server;

before(async () => {
  server = await startServer();
});

after(async () => {
  const status = await server?.stop();
  if (status) assert.equal(status.code, 0, `server exit ${status.code ?? status.signal}:\n${status.output.slice(-4000)}`);
});

/** For each open peer connection of the page: the protocols of its selected candidate pair. */
function selectedPairs(page) {
  return page.evaluate(async () => {
    const pairs = [];
    for (const pc of window.__fluxPcs ?? []) {
      if (pc.signalingState === 'closed') continue;
      const report = await pc.getStats();
      const transport = [...report.values()].find((s) => s.type === 'transport');
      const pair = transport?.selectedCandidatePairId ? report.get(transport.selectedCandidatePairId) : undefined;
      const local = pair ? report.get(pair.localCandidateId) : undefined;
      const remote = pair ? report.get(pair.remoteCandidateId) : undefined;
      pairs.push({
        state: pair?.state ?? null,
        local: local ? `${local.protocol} ${local.tcpType ?? ''}`.trim() : null,
        remote: remote ? `${remote.protocol} ${remote.candidateType}` : null,
        bytesReceived: pair?.bytesReceived ?? 0,
      });
    }
    return pairs;
  });
}

async function decodedFrames(page, trackId) {
  const stream = (await rtpStreams(page)).find((s) => s.direction === 'in' && s.trackId === trackId);
  return stream?.framesDecoded ?? 0;
}

describe('ICE-TCP when UDP is blocked', { timeout: TEST_TIMEOUT_MS * 2 }, () => {
  const hostUser = newUser('tcphost');
  const host = { name: hostUser.username };
  const guest = { name: 'Tess Tcp' };
  const people = [host, guest];

  before(async () => {
    for (const person of people) {
      person.context = await newBrowserWithPreferences(server, { webrtc: { ip_handling_policy: 'disable_non_proxied_udp' } });
      await installMediaProbes(person.context);
    }
    const code = await createMeeting(host.context, hostUser, { guestsAllowed: true, waitingRoom: false }, 'TCP only');
    for (const person of people) {
      person.page = await person.context.newPage();
      await joinFromLobby(person.page, code, person.name);
    }
  });

  after(async () => {
    for (const person of people) await person.context?.close();
    for (const person of people) assert.deepEqual(person.context?.pageErrors ?? [], [], `uncaught errors in ${person.name}'s page`);
  });

  test('both people decode each other over TCP candidates only', { timeout: TEST_TIMEOUT_MS }, async () => {
    const [first, second] = people;
    const remoteVideo = [
      [first, await videoTrackId(first.page, second.name)],
      [second, await videoTrackId(second.page, first.name)],
    ];
    const deadline = Date.now() + 30_000;
    for (;;) {
      const before = await Promise.all(remoteVideo.map(([p, id]) => decodedFrames(p.page, id)));
      await sleep(2000);
      const after = await Promise.all(remoteVideo.map(([p, id]) => decodedFrames(p.page, id)));
      if (after.every((frames, i) => frames > before[i])) break;
      if (Date.now() > deadline) assert.fail(`frames decoded did not rise over TCP: ${before} -> ${after}`);
    }

    for (const person of people) {
      const pairs = await selectedPairs(person.page);
      assert.ok(pairs.length >= 2, `${person.name} has a send and a receive connection: ${JSON.stringify(pairs)}`);
      for (const pair of pairs) {
        assert.equal(pair.state, 'succeeded', `${person.name}: ${JSON.stringify(pair)}`);
        // The browser's side is an active TCP candidate, the SFU's a passive host candidate.
        assert.equal(pair.local, 'tcp active', `${person.name}'s local candidate: ${JSON.stringify(pair)}`);
        assert.equal(pair.remote, 'tcp host', `${person.name}'s remote candidate: ${JSON.stringify(pair)}`);
        assert.ok(pair.bytesReceived > 0, `${person.name} receives on the pair: ${JSON.stringify(pair)}`);
      }
    }

    // The media plane's view (published once a second): one TCP connection per peer connection.
    const pcs = (await Promise.all(people.map((p) => selectedPairs(p.page)))).flat().length;
    const metricDeadline = Date.now() + 5_000;
    let connections = NaN;
    while (Date.now() < metricDeadline) {
      const metrics = await (await host.context.request.get('/metrics')).text();
      connections = Number(metrics.match(/^fluxmeet_media_tcp_connections (\d+)/m)?.[1] ?? NaN);
      if (connections >= pcs) break;
      await sleep(500);
    }
    assert.ok(connections >= pcs, `/metrics counts ${connections} TCP connections for ${pcs} peer connections`);
    await screenshot(first.page, 'ice-tcp-two-people');
  });
});
