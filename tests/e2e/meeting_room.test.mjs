// The meeting room end to end: three people in real Chromium (fake camera and microphone) meet
// through the real server and its SFU. Asserts what a person sees and hears: the other's video
// is decoded and moving, audio tracks arrive, chat reaches the other side, a host mute shows,
// and leaving removes the tile.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PHONE, TEST_TIMEOUT_MS, launchBrowser, newContext, screenshot } from './lib/browser.mjs';
import { assertNoHorizontalScroll, newUser, registerViaApi } from './lib/flows.mjs';
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

/** Resolves once the named tile's <video> has decoded frames and its playback time moves. */
async function waitForMovingVideo(page, label) {
  const video = page.locator(`video[aria-label="${label}"]`);
  await video.waitFor({ state: 'attached', timeout: 30_000 });
  await page.waitForFunction(
    (name) => {
      const element = document.querySelector(`video[aria-label="${name}"]`);
      return element && element.videoWidth > 0 && element.currentTime > 0.5;
    },
    label,
    { timeout: 30_000 },
  );
  const first = await video.evaluate((v) => v.currentTime);
  await page.waitForTimeout(1000);
  const second = await video.evaluate((v) => v.currentTime);
  assert.ok(second > first, `${label}: video is not moving (${first} -> ${second})`);
  return video.evaluate((v) => ({ width: v.videoWidth, height: v.videoHeight }));
}

async function joinFromLobby(page, code, name) {
  await page.goto(`/m/${code}`);
  // As a person would: wait for the camera preview before joining.
  await page.waitForFunction(() => [...document.querySelectorAll('video')].some((v) => v.videoWidth > 0), null, {
    timeout: 15_000,
  });
  const field = page.getByLabel('Your name');
  await field.fill(name);
  await page.getByRole('button', { name: 'Join', exact: true }).click();
  await page.getByTestId('meeting-room').waitFor({ timeout: 30_000 });
}

describe('meeting room', { timeout: TEST_TIMEOUT_MS * 4 }, () => {
  const host = newUser('host');
  const guestName = 'Guest Grace';
  const member = newUser('pat');
  let hostContext;
  let guestContext;
  let memberContext;
  let hostPage;
  let guestPage;
  let memberPage;
  let code;

  before(async () => {
    hostContext = await newContext(browser, server);
    guestContext = await newContext(browser, server);
    const token = await registerViaApi(hostContext, host);
    const created = await hostContext.request.post('/api/v1/meetings', {
      data: { kind: 'instant', title: 'Media check', settings: { guestsAllowed: true, waitingRoom: false } },
      headers: { Authorization: `Bearer ${token}` },
    });
    assert.equal(created.status(), 201, await created.text());
    code = (await created.json()).code;
    memberContext = await newContext(browser, server);
    await registerViaApi(memberContext, member);
    hostPage = await hostContext.newPage();
    guestPage = await guestContext.newPage();
    memberPage = await memberContext.newPage();
  });

  after(async () => {
    await hostContext?.close();
    await guestContext?.close();
    await memberContext?.close();
    assert.deepEqual(hostContext?.pageErrors ?? [], [], 'uncaught errors in the host page');
    assert.deepEqual(memberContext?.pageErrors ?? [], [], 'uncaught errors in the member page');
    assert.deepEqual(guestContext?.pageErrors ?? [], [], 'uncaught errors in the guest page');
  });

  test('three people see and hear each other through the SFU', { timeout: TEST_TIMEOUT_MS * 2 }, async () => {
    await joinFromLobby(hostPage, code, host.username);
    await joinFromLobby(guestPage, code, guestName);
    await joinFromLobby(memberPage, code, member.username);

    const people = [
      [hostPage, host.username],
      [guestPage, guestName],
      [memberPage, member.username],
    ];
    for (const [page, self] of people) {
      for (const [, other] of people) {
        if (other === self) continue;
        const seen = await waitForMovingVideo(page, other);
        assert.ok(seen.width > 0 && seen.height > 0, `${self} sees ${other}`);
      }
      // Remote audio arrives as live tracks on <audio> elements, one per other person.
      await page.waitForFunction(() => {
        const audio = [...document.querySelectorAll('audio')];
        return audio.filter((a) => a.srcObject && a.srcObject.getAudioTracks().some((t) => t.readyState === 'live')).length >= 2;
      });
    }
    await screenshot(hostPage, 'meeting-room-host');

    // The media plane's counters in /metrics see the meeting (published once a second).
    await hostPage.waitForTimeout(1200);
    const metrics = await (await hostContext.request.get('/metrics')).text();
    const value = (name) => Number(metrics.match(new RegExp(`^${name} (\\d+)`, 'm'))?.[1] ?? NaN);
    assert.equal(value('fluxmeet_media_routers'), 1);
    assert.equal(value('fluxmeet_media_producers'), 6, 'three microphones and three cameras');
    assert.equal(value('fluxmeet_media_consumers'), 12, 'each person receives the other two');
    assert.ok(value('fluxmeet_media_datagrams_received_total') > 100);
  });

  test('chat reaches the other person', { timeout: TEST_TIMEOUT_MS }, async () => {
    await guestPage.getByRole('button', { name: 'Chat' }).click();
    await guestPage.getByPlaceholder('Send a message to everyone').fill('Hello from the guest');
    await guestPage.getByRole('button', { name: 'Send' }).click();
    await hostPage.getByRole('button', { name: 'Chat' }).click();
    await hostPage.getByTestId('chat-messages').getByText('Hello from the guest').waitFor();
  });

  test('a host mute turns the guest microphone off on both sides', { timeout: TEST_TIMEOUT_MS }, async () => {
    await hostPage.getByRole('button', { name: 'People' }).click();
    await hostPage.getByRole('listitem').filter({ hasText: guestName }).getByRole('button', { name: 'Mute' }).click();
    await guestPage.getByRole('button', { name: 'Turn on microphone' }).waitFor();
    await hostPage.locator(`figure[data-peer-name="${guestName}"] [aria-label="microphone off"]`).waitFor();
  });

  test('turning the camera off shows the avatar instead of video', { timeout: TEST_TIMEOUT_MS }, async () => {
    await guestPage.getByRole('button', { name: 'Turn off camera' }).click();
    await hostPage.locator(`video[aria-label="${guestName}"]`).waitFor({ state: 'detached' });
    await guestPage.getByRole('button', { name: 'Turn on camera' }).click();
    await waitForMovingVideo(hostPage, guestName);
  });

  test('a shared screen appears as a new tile for the others', { timeout: TEST_TIMEOUT_MS }, async () => {
    await memberPage.getByRole('button', { name: 'Share screen' }).click();
    await waitForMovingVideo(hostPage, `${member.username}'s screen`);
    await waitForMovingVideo(guestPage, `${member.username}'s screen`);
    await screenshot(hostPage, 'meeting-room-screen-share');
    await memberPage.getByRole('button', { name: 'Stop sharing' }).click();
    await hostPage.locator(`video[aria-label="${member.username}'s screen"]`).waitFor({ state: 'detached' });
  });

  test('chat is kept: a reload and re-join shows it again', { timeout: TEST_TIMEOUT_MS }, async () => {
    await memberPage.reload();
    await joinFromLobby(memberPage, code, member.username);
    await memberPage.getByRole('button', { name: 'Chat' }).click();
    await memberPage.getByTestId('chat-messages').getByText('Hello from the guest').waitFor();
    await waitForMovingVideo(memberPage, host.username);
  });

  test('the host makes a co-host and locks the meeting', { timeout: TEST_TIMEOUT_MS }, async () => {
    const memberRow = hostPage.getByRole('listitem').filter({ hasText: member.username });
    await memberRow.getByRole('button', { name: 'Make co-host' }).click();
    await memberRow.getByText('cohost').waitFor();
    // The new co-host sees host controls for the guest.
    await memberPage.getByRole('button', { name: 'People' }).click();
    await memberPage.getByRole('listitem').filter({ hasText: guestName }).getByRole('button', { name: 'Remove' }).waitFor();
    const lock = hostPage.getByRole('switch', { name: /Lock meeting/ });
    await lock.click();
    // The co-host's switch follows through meeting.locked.
    await memberPage.waitForFunction(() => document.querySelector('#lock-meeting')?.checked === true);
    await lock.click();
    await memberPage.waitForFunction(() => document.querySelector('#lock-meeting')?.checked === false);
  });

  test('leaving removes the tile for the others', { timeout: TEST_TIMEOUT_MS }, async () => {
    await guestPage.getByRole('button', { name: 'Leave' }).click();
    await guestPage.getByText('You left the meeting').waitFor();
    await hostPage.locator(`figure[data-peer-name="${guestName}"]`).waitFor({ state: 'detached' });
    await memberPage.locator(`figure[data-peer-name="${guestName}"]`).waitFor({ state: 'detached' });
  });
});

describe('waiting room', { timeout: TEST_TIMEOUT_MS * 3 }, () => {
  const host = newUser('lobbyhost');
  let contexts = [];
  let code;

  before(async () => {
    const hostContext = await newContext(browser, server);
    contexts.push(hostContext);
    const token = await registerViaApi(hostContext, host);
    const created = await hostContext.request.post('/api/v1/meetings', {
      data: { kind: 'instant', title: 'Lobby check', settings: { guestsAllowed: true, waitingRoom: true } },
      headers: { Authorization: `Bearer ${token}` },
    });
    assert.equal(created.status(), 201, await created.text());
    code = (await created.json()).code;
  });

  after(async () => {
    for (const context of contexts) await context.close();
    for (const context of contexts) assert.deepEqual(context.pageErrors, [], 'uncaught errors in a page');
    contexts = [];
  });

  async function waiter(name) {
    const context = await newContext(browser, server);
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`/m/${code}`);
    await page.waitForFunction(() => [...document.querySelectorAll('video')].some((v) => v.videoWidth > 0), null, {
      timeout: 15_000,
    });
    await page.getByLabel('Your name').fill(name);
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await page.getByText('Waiting for the host to let you in').waitFor({ timeout: 20_000 });
    return page;
  }

  test('the host admits one waiter and denies another', { timeout: TEST_TIMEOUT_MS * 2 }, async () => {
    const hostPage = await contexts[0].newPage();
    await joinFromLobby(hostPage, code, host.username);

    const admitted = await waiter('Wendy Waiting');
    await hostPage.getByText('Wendy Waiting wants to join').waitFor();
    await screenshot(hostPage, 'meeting-room-lobby-request');
    await hostPage.getByRole('alert').getByRole('button', { name: 'Admit' }).click();
    await admitted.getByTestId('meeting-room').waitFor({ timeout: 20_000 });
    await waitForMovingVideo(admitted, host.username);
    await waitForMovingVideo(hostPage, 'Wendy Waiting');

    const denied = await waiter('Dan Denied');
    await hostPage.getByText('Dan Denied wants to join').waitFor();
    await hostPage.getByRole('alert').getByRole('button', { name: 'Deny' }).click();
    await denied.getByText('A host did not let you in').waitFor();
  });
});

describe('meeting room on a phone', { timeout: TEST_TIMEOUT_MS * 2 }, () => {
  test('fits the screen with the controls reachable', { timeout: TEST_TIMEOUT_MS }, async () => {
    const context = await newContext(browser, server, PHONE);
    try {
      const user = newUser('phone');
      const token = await registerViaApi(context, user);
      const created = await context.request.post('/api/v1/meetings', {
        data: { kind: 'instant', title: 'On the go' },
        headers: { Authorization: `Bearer ${token}` },
      });
      const { code } = await created.json();
      const page = await context.newPage();
      await joinFromLobby(page, code, user.username);
      await page.getByRole('button', { name: 'Leave' }).waitFor();
      await assertNoHorizontalScroll(page, 'meeting room on a phone');
      await page.getByRole('button', { name: 'Chat' }).click();
      await page.getByPlaceholder('Send a message to everyone').waitFor();
      await assertNoHorizontalScroll(page, 'chat sheet on a phone');
      await screenshot(page, 'meeting-room-phone');
      assert.deepEqual(context.pageErrors, []);
    } finally {
      await context.close();
    }
  });
});
