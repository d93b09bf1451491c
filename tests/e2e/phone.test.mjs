// Flux Meet on a phone (issue 9): the meeting room held upright (the shared screen large, the
// others in a strip swiped sideways whose off-screen tiles the SFU stops sending, the controls at
// the bottom within thumb reach, chat as a full-screen sheet) and turned sideways; the app as an
// installable one (the manifest, a service worker that controls the page) that opens offline.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, PHONE, TEST_TIMEOUT_MS, launchBrowser, newContext, screenshot } from './lib/browser.mjs';
import { assertNoHorizontalScroll, newUser, registerViaApi } from './lib/flows.mjs';
import { createMeeting, installMediaProbes, joinFromLobby, rtpStreams } from './lib/room.mjs';
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
const FLOW_TIMEOUT_MS = 20_000;

/**
 * Samples the page's RTP streams twice, SAMPLE_GAP_MS apart, until `problem(before, after)`
 * returns nothing, or fails with its last answer at the deadline.
 */
async function expectStreams(page, problem) {
  const deadline = Date.now() + FLOW_TIMEOUT_MS;
  let before = await rtpStreams(page);
  for (;;) {
    await sleep(SAMPLE_GAP_MS);
    const after = await rtpStreams(page);
    const found = problem(before, after);
    if (!found) return;
    if (Date.now() > deadline) assert.fail(`after ${FLOW_TIMEOUT_MS} ms: ${found}`);
    before = after;
  }
}

const inboundPackets = (streams, trackId) => streams.find((s) => s.direction === 'in' && s.trackId === trackId)?.packets ?? 0;
const outboundAudioPackets = (streams) =>
  streams.filter((s) => s.direction === 'out' && s.kind === 'audio').reduce((sum, s) => sum + s.packets, 0);

/** How much of each strip tile is inside the strip's scrolled view (0..1), by data-tile-key. */
function stripView(page) {
  return page.getByTestId('swipe-strip').evaluate((strip) => {
    const view = strip.getBoundingClientRect();
    return [...strip.querySelectorAll('[data-tile-key]')].map((tile) => {
      const box = tile.getBoundingClientRect();
      const seen = Math.max(0, Math.min(box.right, view.right) - Math.max(box.left, view.left));
      return {
        key: tile.dataset.tileKey,
        name: tile.dataset.peerName,
        seen: seen / box.width,
        trackId: tile.querySelector('video')?.dataset.trackId ?? null,
      };
    });
  });
}

/** A finger swiping `distance` px to the left across `locator` (real touch events, which the
 * browser turns into a scroll with its snapping; not a scrollTo). */
async function swipeLeft(page, locator, distance) {
  const box = await locator.boundingBox();
  const y = Math.round(box.y + box.height / 2);
  const steps = 10;
  let x = Math.round(box.x + box.width - 10);
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('Input.dispatchTouchEvent', {
      type: 'touchStart',
      touchPoints: [{ x, y }],
    });
    for (let i = 0; i < steps; i++) {
      x -= Math.round(distance / steps);
      await cdp.send('Input.dispatchTouchEvent', {
        type: 'touchMove',
        touchPoints: [{ x, y }],
      });
      await sleep(16);
    }
    await cdp.send('Input.dispatchTouchEvent', {
      type: 'touchEnd',
      touchPoints: [],
    });
  } finally {
    await cdp.detach();
  }
}

async function waitForVideo(page, label) {
  await page.waitForFunction(
    (name) => [...document.querySelectorAll(`video[aria-label="${name}"]`)].some((v) => v.videoWidth > 0 && v.currentTime > 0.3),
    label,
    { timeout: 30_000 },
  );
}

describe('the meeting room on a phone', { timeout: TEST_TIMEOUT_MS * 5 }, () => {
  const hostUser = newUser('host');
  const host = { name: hostUser.username, device: DESKTOP };
  const gina = { name: 'Gina Guest', device: DESKTOP };
  const pat = { name: 'Pat Phone', device: PHONE };
  const everyone = [host, gina, pat];
  const screenLabel = `${gina.name}'s screen`;
  let code;

  before(async () => {
    for (const person of everyone) person.context = await newContext(browser, server, person.device);
    await installMediaProbes(pat.context);
    code = await createMeeting(host.context, hostUser, { guestsAllowed: true, waitingRoom: false }, 'Phone meeting');
    for (const person of everyone) person.page = await person.context.newPage();
    await joinFromLobby(host.page, code, host.name);
    await joinFromLobby(gina.page, code, gina.name);
    await joinFromLobby(pat.page, code, pat.name);
    // A shared screen goes on the large stage; the three cameras are more than a phone's width.
    await gina.page.getByRole('button', { name: 'Share screen' }).click();
  });

  after(async () => {
    for (const person of everyone) await person.context?.close();
    for (const person of everyone) assert.deepEqual(person.context?.pageErrors ?? [], [], `uncaught errors in ${person.name}'s page`);
  });

  test(
    'the shared screen is large, the others are in a strip, and only what is in view is received',
    { timeout: TEST_TIMEOUT_MS * 2 },
    async () => {
      const page = pat.page;
      const width = page.viewportSize().width;
      await page.waitForFunction(() => document.querySelector('[data-testid="stage"]')?.dataset.layout === 'phone');
      const large = page.locator('.screen-stage figure');
      await large.locator(`video[aria-label="${screenLabel}"]`).waitFor({ state: 'attached', timeout: 30_000 });
      await waitForVideo(page, screenLabel);
      const stageBox = await large.boundingBox();
      assert.ok(stageBox.width >= 0.9 * width, `the large tile is ${stageBox.width} px of ${width}`);

      const strip = page.getByTestId('swipe-strip');
      const tiles = await stripView(page);
      assert.deepEqual(tiles.map((t) => t.name).sort(), [gina.name, host.name, pat.name].sort(), 'the strip holds the three cameras');
      const { scrollWidth, clientWidth } = await strip.evaluate((el) => ({
        scrollWidth: el.scrollWidth,
        clientWidth: el.clientWidth,
      }));
      assert.ok(scrollWidth > clientWidth, `the strip scrolls (${scrollWidth} > ${clientWidth})`);
      await assertNoHorizontalScroll(page, 'meeting room on a phone');
      await screenshot(page, 'phone-room-portrait');

      // The remote camera out of view gets no packets; the one in view does.
      const remote = tiles.filter((t) => t.name !== pat.name && t.trackId);
      const hidden = remote.find((t) => t.seen < 0.25);
      const shown = remote.find((t) => t.seen === 1);
      assert.ok(hidden && shown, `one remote camera in view and one out of it: ${JSON.stringify(tiles)}`);
      await expectStreams(page, (before, after) => {
        if (inboundPackets(after, hidden.trackId) !== inboundPackets(before, hidden.trackId))
          return `${hidden.name}'s camera, out of view, still arrives`;
        if (inboundPackets(after, shown.trackId) <= inboundPackets(before, shown.trackId))
          return `${shown.name}'s camera, in view, does not arrive`;
        return null;
      });

      // A swipe brings it into view, and its video comes back.
      await swipeLeft(page, strip, Math.min(clientWidth - 40, scrollWidth - clientWidth + 60));
      await page.waitForFunction(
        (key) => {
          const strip = document.querySelector('[data-testid="swipe-strip"]');
          const tile = strip?.querySelector(`[data-tile-key="${key}"]`);
          if (!strip || !tile || strip.scrollLeft <= 0) return false;
          const view = strip.getBoundingClientRect();
          const box = tile.getBoundingClientRect();
          return box.left >= view.left - 1 && box.right <= view.right + 1;
        },
        hidden.key,
        { timeout: 10_000 },
      );
      await expectStreams(page, (before, after) =>
        inboundPackets(after, hidden.trackId) > inboundPackets(before, hidden.trackId)
          ? null
          : `${hidden.name}'s camera does not come back after the swipe`,
      );
      await waitForVideo(page, hidden.name);
      await screenshot(page, 'phone-room-swiped');
    },
  );

  test('the controls sit at the bottom within the screen, and a tap mutes the microphone', { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = pat.page;
    const { width, height } = page.viewportSize();
    const bar = page.getByRole('navigation', { name: 'Meeting controls' });
    const box = await bar.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= width + 0.5, `the control bar fits the width: ${JSON.stringify(box)}`);
    assert.ok(Math.abs(box.y + box.height - height) <= 1, `the control bar ends at the bottom (${box.y + box.height} of ${height})`);
    assert.ok(box.y >= height * 0.6, `the control bar is in the lower part of the screen, within thumb reach: ${JSON.stringify(box)}`);
    for (const button of await bar.getByRole('button').all()) {
      const b = await button.boundingBox();
      assert.ok(
        b && b.x >= 0 && b.x + b.width <= width + 0.5 && b.y + b.height <= height + 0.5,
        `${await button.getAttribute('aria-label')} is on screen`,
      );
      assert.ok(
        b.width >= 40 && b.height >= 40,
        `${await button.getAttribute('aria-label')} is big enough for a finger: ${b.width}x${b.height}`,
      );
    }

    await page.getByRole('button', { name: 'Turn off microphone' }).tap();
    await page.getByRole('button', { name: 'Turn on microphone' }).waitFor();
    await expectStreams(page, (before, after) =>
      outboundAudioPackets(after) === outboundAudioPackets(before)
        ? null
        : `the muted microphone still sends (${outboundAudioPackets(before)} -> ${outboundAudioPackets(after)})`,
    );
    await page.getByRole('button', { name: 'Turn on microphone' }).tap();
    await expectStreams(page, (before, after) =>
      outboundAudioPackets(after) > outboundAudioPackets(before) ? null : 'the microphone sends nothing after unmuting',
    );
  });

  test('chat opens as a full-screen sheet and closes again', { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = pat.page;
    const { width, height } = page.viewportSize();
    await page.getByRole('button', { name: 'Chat' }).tap();
    const input = page.getByPlaceholder('Send a message to everyone');
    await input.waitFor();
    const sheet = page.locator('aside.side');
    const box = await sheet.boundingBox();
    assert.deepEqual(
      [box.x, box.y, box.width, box.height].map(Math.round),
      [0, 0, width, height],
      `the chat covers the screen: ${JSON.stringify(box)}`,
    );
    await input.fill('Hello from the phone');
    await input.press('Enter');
    await page.getByTestId('chat-messages').getByText('Hello from the phone').waitFor();
    await gina.page.getByRole('button', { name: 'Chat' }).click();
    await gina.page.getByTestId('chat-messages').getByText('Hello from the phone').waitFor();
    await screenshot(page, 'phone-room-chat-sheet');
    await sheet.getByRole('button', { name: 'Close', exact: true }).tap();
    await sheet.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Turn off camera' }).waitFor();
  });

  test('turned sideways the room takes the normal layout, and the video goes on', { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = pat.page;
    await page.setViewportSize({ width: 844, height: 390 });
    await page.waitForFunction(() => document.querySelector('[data-testid="stage"]')?.dataset.layout === 'grid');
    assert.equal(await page.getByTestId('swipe-strip').count(), 0, 'no swipe strip sideways');
    await page.locator('.screen-stage').locator(`video[aria-label="${screenLabel}"]`).waitFor({ state: 'attached' });
    for (const label of [screenLabel, host.name, gina.name]) await waitForVideo(page, label);
    const bar = await page.getByRole('navigation', { name: 'Meeting controls' }).boundingBox();
    assert.ok(bar.y + bar.height <= 390 + 1, `the controls stay on screen sideways: ${JSON.stringify(bar)}`);
    await assertNoHorizontalScroll(page, 'meeting room sideways');
    await screenshot(page, 'phone-room-landscape');

    await page.setViewportSize(PHONE.viewport);
    await page.waitForFunction(() => document.querySelector('[data-testid="stage"]')?.dataset.layout === 'phone');
    await waitForVideo(page, screenLabel);
  });
});

describe('the installable app', { timeout: TEST_TIMEOUT_MS * 2 }, () => {
  let context;
  let page;

  before(async () => {
    context = await newContext(browser, server, PHONE);
    page = await context.newPage();
  });

  after(async () => {
    await context?.close();
    assert.deepEqual(context?.pageErrors ?? [], [], 'uncaught errors in the page');
  });

  test('the manifest describes an installable app', { timeout: TEST_TIMEOUT_MS }, async () => {
    await page.goto('/');
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    const response = await context.request.get(href);
    assert.equal(response.status(), 200);
    assert.match(response.headers()['content-type'], /application\/manifest\+json/);
    const manifest = JSON.parse(await response.text());
    assert.equal(manifest.name, 'Flux Meet');
    assert.equal(manifest.display, 'standalone');
    assert.equal(manifest.start_url, '/');
    const png = (size, purpose) =>
      manifest.icons.find((i) => i.sizes === `${size}x${size}` && i.type === 'image/png' && (i.purpose ?? 'any').includes(purpose));
    for (const icon of [png(192, 'any'), png(512, 'any'), png(512, 'maskable')]) {
      assert.ok(icon, `icons: ${JSON.stringify(manifest.icons)}`);
      const image = await context.request.get(icon.src);
      assert.equal(image.status(), 200, icon.src);
      assert.equal(image.headers()['content-type'], 'image/png', icon.src);
    }
    assert.ok(manifest.shortcuts.length >= 2, 'shortcuts');
    for (const shortcut of manifest.shortcuts) assert.ok(shortcut.name && shortcut.url.startsWith('/'), JSON.stringify(shortcut));
  });

  test('the service worker takes control of the page', { timeout: TEST_TIMEOUT_MS }, async () => {
    await page.goto('/');
    const state = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      const worker = registration.active;
      if (worker.state !== 'activated')
        await new Promise((resolve) => worker.addEventListener('statechange', () => worker.state === 'activated' && resolve()));
      return {
        state: worker.state,
        scope: registration.scope,
        script: worker.scriptURL,
      };
    });
    assert.equal(state.state, 'activated');
    assert.equal(new URL(state.scope).pathname, '/');
    assert.equal(new URL(state.script).pathname, '/sw.js');
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated');
    // Chromium's own verdict, the one behind its install prompt and Lighthouse's installability audit.
    const devtools = await context.newCDPSession(page);
    const { installabilityErrors } = await devtools.send('Page.getInstallabilityErrors');
    await devtools.detach();
    // Test contexts are off the record, where Chromium never offers to install anything; that is the
    // one objection allowed (a missing icon, manifest field or service worker would add their own).
    assert.deepEqual(
      installabilityErrors.filter((error) => error.errorId !== 'in-incognito'),
      [],
    );
  });

  test('offline, the app shell still opens, deep links too, and says it is offline', { timeout: TEST_TIMEOUT_MS }, async () => {
    await registerViaApi(context, newUser('offline'));
    await page.goto('/');
    await page
      .getByRole('heading', {
        level: 1,
        name: 'Premium video meetings, hosted by you',
      })
      .waitFor();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await context.setOffline(true);
    try {
      await page.reload();
      await page.locator('.app-navbar').waitFor();
      await page.getByTestId('offline-banner').waitFor();
      await screenshot(page, 'phone-offline-home');

      await page.goto('/meetings');
      await page.locator('.app-navbar').waitFor();
      await page.getByTestId('offline-banner').waitFor();
      // Routed by the app: the page itself, or sign-in when the session cannot be restored offline.
      assert.match(new URL(page.url()).pathname, /^\/(meetings|login)$/);
      await screenshot(page, 'phone-offline-meetings');

      // A path the app does not know is still the app (its own "not found"), never the browser's error page.
      await page.goto('/no/such/page');
      await page.locator('.app-navbar').waitFor();
      await page.getByTestId('offline-banner').waitFor();

      // A server path cannot come from the shell: the offline page says so.
      await page.goto('/healthz');
      await page.waitForFunction(() => document.title === 'Offline · Flux Meet');
    } finally {
      await context.setOffline(false);
    }
  });
});
