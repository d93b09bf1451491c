// A server recording from the browser to meeting history (issue 6): two people in Chromium with
// fake cameras and microphones, the host records 10 s from the More menu, the server composes
// the meeting into one file, ffprobe finds video and audio of that length that decode, and the
// host finds it in the meeting's history and plays it in the page.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, TEST_TIMEOUT_MS, launchBrowser, newContext, screenshot } from './lib/browser.mjs';
import { newUser } from './lib/flows.mjs';
import { createMeeting, joinFromLobby } from './lib/room.mjs';
import { startServer } from './lib/server.mjs';

const run = promisify(execFile);
const RECORD_MS = 10_000;
// The composition job polls in; generous for a loaded machine (it composes 10 s in a few).
const READY_TIMEOUT_MS = 90_000;

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

describe('server recording to meeting history', { timeout: TEST_TIMEOUT_MS * 4 }, () => {
  const hostUser = newUser('rechost');
  const host = { name: hostUser.username };
  const gina = { name: 'Gina Guest' };
  let code;

  before(async () => {
    for (const person of [host, gina]) {
      person.context = await newContext(browser, server, DESKTOP);
      person.page = await person.context.newPage();
    }
    code = await createMeeting(host.context, hostUser, { guestsAllowed: true, waitingRoom: false }, 'Recorded sync');
  });

  after(async () => {
    for (const person of [host, gina]) await person.context?.close();
    for (const person of [host, gina]) assert.deepEqual(person.context?.pageErrors ?? [], [], `uncaught errors in ${person.name}'s page`);
  });

  test('10 s recorded in the meeting become one composed file that decodes', { timeout: TEST_TIMEOUT_MS * 2 }, async () => {
    await joinFromLobby(host.page, code, host.name);
    await joinFromLobby(gina.page, code, gina.name);
    // Both see the other's video before recording starts, so both cameras are in it.
    for (const [person, other] of [[host, gina], [gina, host]]) {
      await person.page.locator(`figure[data-peer-name="${other.name}"] video`).waitFor();
    }
    await host.page.getByTestId('more-menu').click();
    await host.page.getByTestId('server-record-start').click();
    await gina.page.getByTestId('server-recording').waitFor();
    const startedAt = Date.now();
    // Someone about to join is told on the pre-join screen, before entering.
    const joiner = await gina.context.newPage();
    await joiner.goto(`/m/${code}`);
    await joiner.getByTestId('prejoin-recording').waitFor();
    await screenshot(joiner, 'recordings-prejoin-notice');
    await joiner.close();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, startedAt + RECORD_MS - Date.now())));
    await host.page.getByTestId('more-menu').click();
    await host.page.getByTestId('server-record-stop').click();
    await host.page.getByTestId('server-recording').waitFor({ state: 'detached' });

    // The composed file, where the server keeps it.
    const root = join(server.dir, 'recordings', code);
    const deadline = Date.now() + READY_TIMEOUT_MS;
    let composed;
    for (;;) {
      const starts = await readdir(root).catch(() => []);
      for (const start of starts) {
        if ((await readdir(join(root, start))).includes('composed.webm')) composed = join(root, start, 'composed.webm');
      }
      if (composed || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    assert.ok(composed, `no composed.webm under ${root}`);
    const { stdout } = await run('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', composed]);
    const probed = JSON.parse(stdout);
    assert.deepEqual(probed.streams.map((stream) => stream.codec_name).sort(), ['opus', 'vp8']);
    const duration = Number(probed.format.duration);
    assert.ok(duration > RECORD_MS / 1000 - 1 && duration < RECORD_MS / 1000 + 3, `composed ${duration} s`);
    const { stderr } = await run('ffmpeg', ['-nostdin', '-v', 'error', '-i', composed, '-f', 'null', '-']);
    assert.equal(stderr, '', 'the composed file decodes without errors');
  });

  test('the host finds it in the meeting history and plays it in the page', { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await host.context.newPage();
    await page.goto(`/meetings/${code}/history`);
    const item = page.getByTestId('recording').first();
    await item.waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="recording"]')?.dataset.status === 'ready', null, {
      timeout: READY_TIMEOUT_MS,
    });
    await screenshot(page, 'recordings-history');
    await item.getByRole('button', { name: /^Play the recording of/ }).click();
    const video = page.getByTestId('recording-video');
    await video.waitFor();
    // It loads over the fm_media cookie and plays: time moves and a picture is there.
    await page.waitForFunction(
      () => {
        const element = document.querySelector('[data-testid="recording-video"]');
        return element && element.readyState >= 2 && element.currentTime > 0.5 && element.videoWidth === 1280;
      },
      null,
      { timeout: 20_000 },
    );
    const duration = await video.evaluate((element) => element.duration);
    assert.ok(duration > RECORD_MS / 1000 - 1 && duration < RECORD_MS / 1000 + 3, `the player says ${duration} s`);
    await screenshot(page, 'recordings-player', { moving: true });
    await page.keyboard.press('Escape');
    await video.waitFor({ state: 'detached' });
    await page.close();
  });
});
