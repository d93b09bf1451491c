// What WebRTC itself counts, for three people in real Chromium (fake camera and microphone)
// meeting through the real server and its SFU: each decodes the other two cameras and receives
// their voices (RTP statistics of the page's own peer connections, read through a test-only init
// script), a muted microphone stops its packets at both ends, a host removes someone, and a
// person whose signaling connection drops comes back as the same peer with media still flowing.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { TEST_TIMEOUT_MS, launchBrowser, newContext, screenshot } from './lib/browser.mjs';
import { newUser } from './lib/flows.mjs';
import { audioTrackIds, createMeeting, installMediaProbes, joinFromLobby, rtpStreams, videoTrackId } from './lib/room.mjs';
import { startServer } from './lib/server.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  const status = await server?.stop();
  if (status) assert.equal(status.code, 0, `server exit ${status.code ?? status.signal}:\n${status.output.slice(-4000)}`);
});

const SAMPLE_GAP_MS = 2000;

/**
 * Samples every person's RTP streams twice, SAMPLE_GAP_MS apart, until `problems(before, after)`
 * (arrays of samples by person) finds nothing wrong, or fails with what it found at the deadline.
 */
async function expectFlow(people, problems, { timeoutMs = 20_000, settleMs = 0 } = {}) {
  if (settleMs) await sleep(settleMs);
  const deadline = Date.now() + timeoutMs;
  let before = await Promise.all(people.map((p) => rtpStreams(p.page)));
  for (;;) {
    await sleep(SAMPLE_GAP_MS);
    const after = await Promise.all(people.map((p) => rtpStreams(p.page)));
    const found = problems(before, after);
    if (found.length === 0) return after;
    if (Date.now() > deadline) assert.fail(`after ${timeoutMs} ms:\n${found.join('\n')}`);
    before = after;
  }
}

const inbound = (streams, trackId) => streams.find((s) => s.direction === 'in' && s.trackId === trackId);
const outboundAudio = (streams) => streams.find((s) => s.direction === 'out' && s.kind === 'audio');
const packetsOf = (stream) => stream?.packets ?? 0;

describe('meeting media', { timeout: TEST_TIMEOUT_MS * 4 }, () => {
  const hostUser = newUser('host');
  const host = { name: hostUser.username };
  const gina = { name: 'Gina Guest' };
  const milo = { name: 'Milo Guest' };
  const everyone = [host, gina, milo];
  let code;

  before(async () => {
    for (const person of everyone) {
      person.context = await newContext(browser, server);
      await installMediaProbes(person.context);
    }
    code = await createMeeting(host.context, hostUser, { guestsAllowed: true, waitingRoom: false }, 'Media counters');
    for (const person of everyone) person.page = await person.context.newPage();
  });

  after(async () => {
    for (const person of everyone) await person.context?.close();
    for (const person of everyone) assert.deepEqual(person.context?.pageErrors ?? [], [], `uncaught errors in ${person.name}'s page`);
  });

  /** For each person, the track ids of the others' cameras and of the voices they receive. */
  async function remoteTracks(people) {
    for (const person of people) {
      person.videoOf = {};
      for (const other of people) if (other !== person) person.videoOf[other.name] = await videoTrackId(person.page, other.name);
      await person.page.waitForFunction((n) => document.querySelectorAll('audio[data-track-id]').length === n, people.length - 1);
      person.audio = await audioTrackIds(person.page);
    }
  }

  test('each person decodes the two other cameras and receives both voices', { timeout: TEST_TIMEOUT_MS }, async () => {
    for (const person of everyone) await joinFromLobby(person.page, code, person.name);
    await remoteTracks(everyone);

    await expectFlow(everyone, (before, after) => {
      const found = [];
      everyone.forEach((person, i) => {
        for (const [other, trackId] of Object.entries(person.videoOf)) {
          const [a, b] = [inbound(before[i], trackId), inbound(after[i], trackId)];
          if (!a || !b || b.framesDecoded <= a.framesDecoded || b.frameWidth === 0) {
            found.push(`${person.name} does not decode ${other}'s camera: ${JSON.stringify(a)} -> ${JSON.stringify(b)}`);
          }
        }
        for (const trackId of person.audio) {
          if (packetsOf(inbound(after[i], trackId)) <= packetsOf(inbound(before[i], trackId))) {
            found.push(`${person.name} receives no packets of audio track ${trackId}`);
          }
        }
      });
      return found;
    });
    // What the person sees: each other camera at a real size in its tile.
    for (const person of everyone) {
      for (const other of Object.keys(person.videoOf)) {
        const size = await person.page.locator(`video[aria-label="${other}"]`).evaluate((v) => v.videoWidth * v.videoHeight);
        assert.ok(size > 0, `${person.name} sees ${other}'s video at ${size} pixels`);
      }
    }
    await screenshot(host.page, 'meeting-media-three-people');
  });

  test(
    'a muted microphone sends no packets and the others receive none; unmuting restores both',
    { timeout: TEST_TIMEOUT_MS },
    async () => {
      const listeners = [host, milo];
      await gina.page.getByRole('button', { name: 'Turn off microphone' }).click();
      await gina.page.getByRole('button', { name: 'Turn on microphone' }).waitFor();
      await host.page.locator(`figure[data-peer-name="${gina.name}"] [aria-label="microphone off"]`).waitFor();

      // Which of each listener's two voices is Gina's: the one that stops while the other goes on.
      const ginaVoice = new Map();
      const people = [gina, ...listeners];
      await expectFlow(
        people,
        (before, after) => {
          const found = [];
          const sent = [packetsOf(outboundAudio(before[0])), packetsOf(outboundAudio(after[0]))];
          if (sent[1] !== sent[0]) found.push(`Gina's muted microphone still sends: packetsSent ${sent[0]} -> ${sent[1]}`);
          listeners.forEach((listener, j) => {
            const i = j + 1;
            const moving = listener.audio.filter((id) => packetsOf(inbound(after[i], id)) > packetsOf(inbound(before[i], id)));
            const still = listener.audio.filter((id) => !moving.includes(id));
            if (still.length !== 1) found.push(`${listener.name}: ${still.length} of 2 voices stopped, not only Gina's`);
            else ginaVoice.set(listener, still[0]);
          });
          return found;
        },
        { settleMs: 1000 },
      );

      await gina.page.getByRole('button', { name: 'Turn on microphone' }).click();
      await gina.page.getByRole('button', { name: 'Turn off microphone' }).waitFor();
      await host.page.locator(`figure[data-peer-name="${gina.name}"] [aria-label="microphone off"]`).waitFor({ state: 'detached' });
      await expectFlow(people, (before, after) => {
        const found = [];
        if (packetsOf(outboundAudio(after[0])) <= packetsOf(outboundAudio(before[0]))) found.push('Gina sends no audio after unmuting');
        listeners.forEach((listener, j) => {
          const id = ginaVoice.get(listener);
          if (packetsOf(inbound(after[j + 1], id)) <= packetsOf(inbound(before[j + 1], id))) {
            found.push(`${listener.name} receives none of Gina's audio after she unmuted`);
          }
        });
        return found;
      });
    },
  );

  test('a dropped signaling connection comes back as the same peer, media flowing', { timeout: TEST_TIMEOUT_MS }, async () => {
    const watchers = [host, gina];
    // The others must never lose Milo's tile: a MutationObserver notes it if it goes, even briefly.
    const tileKeys = [];
    for (const watcher of watchers) {
      const tile = watcher.page.locator(`figure[data-peer-name="${milo.name}"]`);
      tileKeys.push(await tile.getAttribute('data-tile-key'));
      await watcher.page.evaluate((name) => {
        window.__tileLost = false;
        const selector = `figure[data-peer-name="${name}"]`;
        new MutationObserver(() => {
          if (!document.querySelector(selector)) window.__tileLost = true;
        }).observe(document.body, { childList: true, subtree: true });
      }, milo.name);
    }

    // The network goes away (new connections fail) and the open signaling socket drops with it.
    const droppedAt = Date.now();
    await milo.context.setOffline(true);
    try {
      const closed = await milo.page.evaluate(() => {
        const open = window.__fluxSockets.filter((s) => s.readyState === WebSocket.OPEN);
        for (const socket of open) socket.close();
        return open.length;
      });
      assert.equal(closed, 1, 'Milo had one open signaling socket');
      await milo.page.getByText('Connection lost. Reconnecting…').waitFor({ timeout: 5_000 });
      for (const watcher of watchers) {
        await watcher.page.locator(`figure[data-peer-name="${milo.name}"] figcaption`, { hasText: '(reconnecting)' }).waitFor();
      }
      await screenshot(milo.page, 'meeting-media-reconnecting');
      await screenshot(host.page, 'meeting-media-peer-reconnecting');
      await sleep(3000);
      // Failed attempts while offline keep the person informed (they do not end in a silent "closed").
      assert.ok(await milo.page.getByText('Connection lost. Reconnecting…').isVisible(), 'still "reconnecting" while offline');
    } finally {
      // Back online whatever happened, so that a failure here does not spill into the next test.
      await milo.context.setOffline(false);
    }

    await milo.page.getByText('Connection lost. Reconnecting…').waitFor({ state: 'detached', timeout: 20_000 });
    const socketsMade = await milo.page.evaluate(() => window.__fluxSockets.length);
    for (const [i, watcher] of watchers.entries()) {
      const tile = watcher.page.locator(`figure[data-peer-name="${milo.name}"]`);
      await tile.locator('figcaption', { hasText: '(reconnecting)' }).waitFor({ state: 'detached', timeout: 20_000 });
      assert.equal(await tile.getAttribute('data-tile-key'), tileKeys[i], `${watcher.name} sees Milo as the same peer`);
      assert.equal(await watcher.page.evaluate(() => window.__tileLost), false, `${watcher.name} never lost Milo's tile`);
      assert.equal(await videoTrackId(watcher.page, milo.name), watcher.videoOf[milo.name], 'the same consumer goes on');
    }

    // Media kept going both ways, and the signaling works again (a raised hand reaches the others).
    const people = [host, gina, milo];
    await expectFlow(people, (before, after) => {
      const found = [];
      watchers.forEach((watcher, i) => {
        const id = watcher.videoOf[milo.name];
        const [a, b] = [inbound(before[i], id), inbound(after[i], id)];
        if (!a || !b || b.framesDecoded <= a.framesDecoded || b.frameWidth === 0)
          found.push(`${watcher.name} does not decode Milo's camera`);
      });
      for (const other of watchers) {
        const id = milo.videoOf[other.name];
        if ((inbound(after[2], id)?.framesDecoded ?? 0) <= (inbound(before[2], id)?.framesDecoded ?? 0)) {
          found.push(`Milo does not decode ${other.name}'s camera`);
        }
      }
      return found;
    });
    await milo.page.getByRole('button', { name: 'Raise hand' }).click();
    await host.page.locator(`figure[data-peer-name="${milo.name}"] [aria-label="hand raised"]`).waitFor();
    await milo.page.getByRole('button', { name: 'Lower hand' }).click();
    await host.page.locator(`figure[data-peer-name="${milo.name}"] [aria-label="hand raised"]`).waitFor({ state: 'detached' });
    // One connection, and no reconnect attempt left pending that would replace it later (the
    // client's back-off reaches 8 s between tries, so look again 12 s after the drop).
    await sleep(Math.max(0, droppedAt + 12_000 - Date.now()));
    const sockets = await milo.page.evaluate(() => ({
      made: window.__fluxSockets.length,
      open: window.__fluxSockets.filter((s) => s.readyState !== WebSocket.CLOSED).length,
    }));
    assert.deepEqual(sockets, { made: socketsMade, open: 1 }, 'Milo keeps the one signaling socket he reconnected with');
  });

  test('the host removes a participant: they see why, the others lose the tile', { timeout: TEST_TIMEOUT_MS }, async () => {
    await host.page.getByRole('button', { name: 'People' }).click();
    await host.page.getByRole('listitem').filter({ hasText: gina.name }).getByRole('button', { name: 'Remove' }).click();
    await gina.page.getByRole('heading', { name: 'A host removed you from the meeting' }).waitFor();
    assert.equal(await gina.page.getByRole('button', { name: 'Rejoin' }).count(), 0, 'a removed person is not offered to rejoin');
    await screenshot(gina.page, 'meeting-media-removed');
    for (const other of [host, milo]) {
      await other.page.locator(`figure[data-peer-name="${gina.name}"]`).waitFor({ state: 'detached' });
      await other.page.locator(`video[aria-label="${gina.name}"]`).waitFor({ state: 'detached' });
    }
    // The removed person's streams are gone at the others: one voice left each.
    await milo.page.waitForFunction(() => document.querySelectorAll('audio[data-track-id]').length === 1);
    await host.page.getByRole('listitem').filter({ hasText: gina.name }).waitFor({ state: 'detached' });
  });
});
