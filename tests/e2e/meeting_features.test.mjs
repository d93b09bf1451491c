// The meeting room's features as the people in it see them, two on desktops and one on a phone
// (real Chromium, fake camera and microphone, the real server): join and leave toasts, reactions,
// pinning and speaker view, chat edits and deletions, the device settings dialog from the More
// menu, the network quality bars, a local recording that downloads a real WebM file, and a server
// recording that everyone sees.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, PHONE, TEST_TIMEOUT_MS, launchBrowser, newContext, screenshot } from './lib/browser.mjs';
import { newUser } from './lib/flows.mjs';
import { createMeeting, joinFromLobby } from './lib/room.mjs';
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

/** The join/leave toast that names `text`, on one person's screen. */
const toast = (page, text) => page.getByTestId('presence-toasts').getByTestId('presence-toast').filter({ hasText: text });
const tile = (page, name) => page.locator(`figure[data-peer-name="${name}"]`);
const area = (box) => (box ? box.width * box.height : 0);

describe('meeting room features', { timeout: TEST_TIMEOUT_MS * 4 }, () => {
  const hostUser = newUser('host');
  const host = { name: hostUser.username, device: DESKTOP };
  const gina = { name: 'Gina Guest', device: DESKTOP };
  const pia = { name: 'Pia Phone', device: PHONE };
  const everyone = [host, gina, pia];
  let code;

  before(async () => {
    for (const person of everyone) person.context = await newContext(browser, server, person.device);
    code = await createMeeting(host.context, hostUser, { guestsAllowed: true, waitingRoom: false }, 'Feature tour');
    for (const person of everyone) person.page = await person.context.newPage();
  });

  after(async () => {
    for (const person of everyone) await person.context?.close();
    for (const person of everyone) assert.deepEqual(person.context?.pageErrors ?? [], [], `uncaught errors in ${person.name}'s page`);
  });

  test('join toasts tell who came; the network bars leave "unknown"', { timeout: TEST_TIMEOUT_MS }, async () => {
    await joinFromLobby(host.page, code, host.name);
    await joinFromLobby(gina.page, code, gina.name);
    await toast(host.page, `${gina.name} joined`).waitFor();
    await joinFromLobby(pia.page, code, pia.name);
    const joinedAt = Date.now();
    await toast(host.page, `${pia.name} joined`).waitFor();
    await toast(gina.page, `${pia.name} joined`).waitFor();
    await screenshot(host.page, 'meeting-features-join-toast');

    // Each person's own connection is measured within seconds of joining (polled every 2 s).
    for (const person of everyone) {
      const budget = Math.max(1000, joinedAt + 10_000 - Date.now());
      await person.page.waitForFunction(
        () => ['good', 'fair', 'poor'].includes(document.querySelector('[data-testid="network-quality"]')?.dataset.level),
        null,
        { timeout: budget },
      );
      const label = await person.page.getByTestId('network-quality').getAttribute('aria-label');
      assert.match(label, /^Your connection: (good|fair|poor)/, `${person.name}'s indicator says ${label}`);
    }
  });

  test("a reaction appears on the sender's tile for the others", { timeout: TEST_TIMEOUT_MS }, async () => {
    // A reaction floats for 3 s: note every one that shows, so a slow look cannot miss it.
    for (const person of everyone) {
      await person.page.evaluate(() => {
        window.__reactionsShown = new Set();
        const note = () => {
          for (const el of document.querySelectorAll('[data-testid="reaction"], .offstage-reaction [role="img"]')) {
            const where = el.closest('figure')?.dataset.peerName ?? 'corner';
            window.__reactionsShown.add(`${el.getAttribute('aria-label')} @ ${where}`);
          }
        };
        new MutationObserver(note).observe(document.body, { childList: true, subtree: true });
      });
    }
    await gina.page.getByTestId('reactions-button').click();
    await gina.page.locator('[data-testid="reaction-choice"][data-emoji="🎉"]').click();
    await gina.page.keyboard.press('Escape');
    await gina.page.locator('[data-testid="reaction-choice"]').first().waitFor({ state: 'detached' });
    // Over Gina's tile at the others (the phone too: its grid has room for all three), and her own.
    const expected = `${gina.name} reacted 🎉 @ ${gina.name}`;
    await Promise.all([
      host.page
        .getByRole('img', { name: `${gina.name} reacted 🎉` })
        .waitFor()
        .then(() => screenshot(host.page, 'meeting-features-reaction', { moving: true })),
      pia.page
        .getByRole('img', { name: `${gina.name} reacted 🎉` })
        .waitFor()
        .then(() => screenshot(pia.page, 'meeting-features-reaction-phone', { moving: true })),
    ]).catch(() => undefined); // the pictures are best effort; what was shown is checked below
    for (const person of everyone) {
      await person.page
        .waitForFunction((text) => window.__reactionsShown.has(text), expected, { timeout: 5_000 })
        .catch(async () => {
          const shown = await person.page.evaluate(() => [...window.__reactionsShown]);
          assert.fail(`${person.name} did not see "${expected}"; shown: ${JSON.stringify(shown)}`);
        });
    }
  });

  test('a pinned tile is the large one, in grid and in speaker view', { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = host.page;
    const stage = page.getByTestId('stage');
    assert.equal(await stage.getAttribute('data-layout'), 'grid');
    await page.getByRole('button', { name: `Pin ${gina.name}`, exact: true }).click();
    await page.locator('.screen-stage').locator(`figure[data-peer-name="${gina.name}"]`).waitFor();

    async function assertGinaLargest(what) {
      const boxes = {};
      for (const name of [host.name, gina.name, pia.name]) boxes[name] = area(await tile(page, name).boundingBox());
      for (const name of [host.name, pia.name]) {
        assert.ok(
          boxes[gina.name] > 2 * boxes[name],
          `${what}: the pinned tile (${boxes[gina.name]} px²) is not larger than ${name}'s (${boxes[name]} px²)`,
        );
      }
    }
    await assertGinaLargest('grid with a pin');

    await page.getByTestId('layout-speaker').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="stage"]')?.dataset.layout === 'speaker');
    assert.equal(await page.getByTestId('layout-speaker').getAttribute('aria-pressed'), 'true');
    await page.locator('.screen-stage').locator(`figure[data-peer-name="${gina.name}"]`).waitFor();
    await assertGinaLargest('speaker view with a pin');
    await screenshot(page, 'meeting-features-speaker-view');

    // Unpinned, the speaker view still shows one person large; the grid shows everyone alike.
    await page.getByRole('button', { name: `Unpin ${gina.name}`, exact: true }).click();
    await page.locator('.screen-stage [data-testid="video-tile"]').waitFor();
    await page.getByTestId('layout-grid').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="stage"]')?.dataset.layout === 'grid');
    await page.locator('.screen-stage').waitFor({ state: 'detached' });
    assert.equal(await page.locator('[data-testid="video-tile"]').count(), 3);
  });

  test('chat edits and deletions reach the other side', { timeout: TEST_TIMEOUT_MS }, async () => {
    await gina.page.getByRole('button', { name: 'Chat' }).click();
    await gina.page.getByPlaceholder('Send a message to everyone').fill('Helo everyone');
    await gina.page.getByRole('button', { name: 'Send' }).click();
    await host.page.getByRole('button', { name: 'Chat' }).click();
    const seen = host.page.getByTestId('chat-message').filter({ hasText: 'Helo everyone' });
    await seen.waitFor();
    const id = await seen.getAttribute('data-message-id');
    const atHost = host.page.locator(`[data-testid="chat-message"][data-message-id="${id}"]`);
    const mine = gina.page.locator(`[data-testid="chat-message"][data-message-id="${id}"]`);

    await mine.getByTestId('chat-edit').click();
    const editor = mine.getByTestId('chat-edit-input');
    await editor.fill('Hello everyone');
    await editor.press('Enter');
    await atHost.getByText('Hello everyone', { exact: true }).waitFor();
    await atHost.getByText('(edited)').waitFor();
    await screenshot(host.page, 'meeting-features-chat-edited');

    await mine.getByTestId('chat-delete').click();
    await atHost.getByText('message deleted').waitFor();
    assert.equal(await atHost.getByText('Hello everyone').count(), 0, 'the deleted text is gone at the host');
    assert.equal((await atHost.getByTestId('chat-edit').count()) + (await atHost.getByTestId('chat-delete').count()), 0);
    await gina.page.getByRole('button', { name: 'Chat' }).click();
    await host.page.getByRole('button', { name: 'Chat' }).click();
  });

  test('the More menu opens device settings by keyboard, with focus kept inside', { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = host.page;
    const dialog = page.getByTestId('device-settings');
    await page.getByTestId('more-menu').focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('device-settings-open').waitFor();
    // Arrow keys move in the menu; Enter picks "Settings".
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction(() => document.activeElement?.dataset.testid === 'device-settings-open');
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    // The modal's own element (role=dialog) holds the dialog box that carries the test id.
    const inDialog = () => Boolean(document.activeElement?.closest('[role="dialog"]')?.querySelector('[data-testid="device-settings"]'));
    await page.waitForFunction(inDialog);
    // Tab goes round the dialog's controls and never stays in the room behind it. Past the last
    // control focus leaves the page for the browser's own UI (here: <body>), as in any modal,
    // and the next Tab comes back into the dialog: the modal's focus trap moves focus back when
    // it lands behind (a focus event later), so each step waits briefly for where focus settles.
    const visited = [];
    try {
      for (let i = 0; i < 12; i++) {
        await page.keyboard.press('Tab');
        const settled = await page
          .waitForFunction(
            () => {
              const active = document.activeElement;
              if (!active || active === document.body) return 'browser';
              if (!active.closest('[role="dialog"]')?.querySelector('[data-testid="device-settings"]')) return false;
              return active.getAttribute('aria-label') ?? active.tagName.toLowerCase();
            },
            null,
            { timeout: 2_000 },
          )
          .then((handle) => handle.jsonValue())
          .catch(() => 'outside');
        assert.notEqual(settled, 'outside', `focus stayed in the room behind the dialog after ${i + 1} Tab presses: ${visited.join(', ')}`);
        visited.push(settled);
      }
      assert.ok(visited.filter((w) => w === 'Close').length >= 2, `Tab did not go round the dialog: ${visited.join(', ')}`);
    } finally {
      // Never leave the dialog open for the tests that follow on this page.
      if (await dialog.isVisible()) {
        await page.keyboard.press('Escape');
        await dialog.waitFor({ state: 'hidden' });
      }
    }
    await page.getByTestId('more-menu').click();
    await page.getByTestId('device-settings-open').click();
    await dialog.waitFor();
    await dialog.getByLabel('Camera').waitFor();
    await dialog.getByLabel('Microphone', { exact: true }).waitFor();
    await screenshot(page, 'meeting-features-device-settings');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    // On the phone: the same dialog fits, and "Done" closes it.
    await pia.page.getByTestId('more-menu').click();
    await pia.page.getByTestId('device-settings-open').click();
    await pia.page.getByTestId('device-settings').waitFor();
    await screenshot(pia.page, 'meeting-features-device-settings-phone');
    await pia.page.getByTestId('device-settings-done').click();
    await pia.page.getByTestId('device-settings').waitFor({ state: 'hidden' });
  });

  test('a local recording shows a badge and downloads a WebM file', { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = host.page;
    await page.getByTestId('more-menu').click();
    await page.getByTestId('record-start').click();
    const badge = page.getByTestId('recording-badge');
    await badge.waitFor();
    // The elapsed time runs: wait for 00:03 (a few seconds of all three tiles and voices).
    await page.waitForFunction(() => (document.querySelector('[data-testid="recording-elapsed"]')?.textContent ?? '') >= '00:03', null, {
      timeout: 15_000,
    });
    await screenshot(page, 'meeting-features-recording');
    // While it records, the menu offers to stop it.
    await page.getByTestId('more-menu').click();
    await page.getByTestId('record-stop').waitFor();
    await page.keyboard.press('Escape');

    const download = page.waitForEvent('download', { timeout: 20_000 });
    await page.getByTestId('recording-badge-stop').click();
    const file = await download;
    assert.match(file.suggestedFilename(), /\.webm$/);
    const bytes = await readFile(await file.path());
    assert.ok(bytes.length > 10 * 1024, `the recording has ${bytes.length} bytes`);
    assert.equal(bytes.subarray(0, 4).toString('hex'), '1a45dfa3', 'the file starts with the EBML (WebM) magic');
    await badge.waitFor({ state: 'detached' });
  });

  test('a server recording started from the More menu shows REC to everyone until stopped', { timeout: TEST_TIMEOUT_MS }, async () => {
    const others = [gina, pia];
    await host.page.getByTestId('more-menu').click();
    await host.page.getByTestId('server-record-start').click();
    for (const person of [host, ...others]) await person.page.getByTestId('server-recording').waitFor();
    // The others are told who started it; only hosts and co-hosts get the menu entry.
    await gina.page.getByTestId('server-recording-notice').getByText(`${host.name} started recording this meeting`).waitFor();
    await gina.page.getByTestId('more-menu').click();
    await gina.page.getByTestId('device-settings-open').waitFor();
    assert.equal(await gina.page.getByTestId('server-record-start').count(), 0, 'a participant can start a server recording');
    await gina.page.keyboard.press('Escape');
    await screenshot(gina.page, 'meeting-features-server-recording');

    await host.page.getByTestId('more-menu').click();
    await host.page.getByTestId('server-record-stop').click();
    for (const person of [host, ...others]) await person.page.getByTestId('server-recording').waitFor({ state: 'detached' });
    await gina.page.getByTestId('server-recording-notice').getByText(`${host.name} stopped recording this meeting`).waitFor();
  });

  test('a leave toast tells the others who left', { timeout: TEST_TIMEOUT_MS }, async () => {
    await pia.page.getByRole('button', { name: 'Leave' }).click();
    await pia.page.getByText('You left the meeting').waitFor();
    for (const other of [host, gina]) {
      await toast(other.page, `${pia.name} left`).waitFor();
      await tile(other.page, pia.name).waitFor({ state: 'detached' });
    }
  });
});
