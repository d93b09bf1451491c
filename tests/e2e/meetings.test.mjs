// Meetings through the UI: schedule from Home, the Upcoming list, the calendar invite, edit,
// delete, an instant meeting, and joining with a pasted link.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, PHONE, TEST_TIMEOUT_MS, launchBrowser, newContext, screenshot } from './lib/browser.mjs';
import { newUser, openNav, registerViaApi, tomorrowAt } from './lib/flows.mjs';
import { startServer } from './lib/server.mjs';

const CODE = /^[a-z]{3}-[a-z]{4}-[a-z]{3}$/;

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

async function saveDownload(page, click) {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), text: await readFile(path, 'utf8') };
}

for (const device of [DESKTOP, PHONE]) {
  describe(`meetings (${device.name})`, { timeout: TEST_TIMEOUT_MS * 5 }, () => {
    const user = newUser(device.name);
    const title = `Planning ${device.name}`;
    const renamed = `Roadmap review ${device.name}`;
    let context;
    let page;
    let code;
    let instantCode;

    before(async () => {
      context = await newContext(browser, server, device);
      await registerViaApi(context, user);
      page = await context.newPage();
    });

    after(async () => {
      await context?.close();
      assert.deepEqual(context?.pageErrors ?? [], [], 'uncaught errors in the page');
    });

    test('scheduling from Home shows the link, passcode and invite', { timeout: TEST_TIMEOUT_MS }, async () => {
      await page.goto('/');
      const form = page.getByRole('form', { name: 'Schedule a meeting' });
      await form.getByLabel('Title').fill(title);
      await form.getByLabel('Starts at').fill(tomorrowAt('14:30'));
      await form.getByLabel('Duration (minutes)').fill('45');
      await form.getByLabel('Passcode (optional)').fill('s3cret');
      await form.getByRole('switch', { name: /Waiting room/ }).check();
      await form.getByRole('button', { name: 'Schedule meeting' }).click();

      const summary = page.getByRole('status').filter({ hasText: 'Meeting scheduled' });
      await summary.getByRole('heading', { name: title }).waitFor();
      const joinUrl = await summary.getByRole('textbox', { name: 'Copy link' }).inputValue();
      code = new URL(joinUrl).pathname.split('/').pop();
      assert.match(code, CODE);
      await summary.getByText('Passcode: s3cret').waitFor();
      await screenshot(page, `home-scheduled-${device.name}`);

      const invite = await saveDownload(page, () => summary.getByRole('button', { name: 'Add to calendar (.ics)' }).click());
      assert.match(invite.name, /\.ics$/);
      assert.match(invite.text, /^BEGIN:VCALENDAR\r?\n/);
      assert.match(invite.text, new RegExp(`SUMMARY:${title}`));
      assert.ok(invite.text.includes(code), 'the invite carries the meeting link');
    });

    test('the meeting is listed under Upcoming with its code and invite', { timeout: TEST_TIMEOUT_MS }, async () => {
      await openNav(page);
      await page.getByRole('link', { name: 'Meetings' }).click();
      await page.getByRole('heading', { level: 1, name: 'Meetings' }).waitFor();
      assert.equal(await page.getByRole('tab', { name: 'Upcoming' }).getAttribute('aria-selected'), 'true');
      const card = page.getByRole('listitem').filter({ hasText: title });
      await card.getByText(code, { exact: true }).waitFor();
      await card.getByLabel('Passcode protected').waitFor();
      await screenshot(page, `meetings-upcoming-${device.name}`);

      const invite = await saveDownload(page, () => card.getByRole('button', { name: `Add to calendar (.ics): ${title}` }).click());
      assert.match(invite.text, /BEGIN:VCALENDAR/);
      assert.match(invite.text, /END:VCALENDAR/);
    });

    test('editing renames it and clearing the passcode removes it', { timeout: TEST_TIMEOUT_MS }, async () => {
      await page.getByRole('link', { name: `Edit: ${title}` }).click();
      await page.getByRole('heading', { name: 'Edit meeting' }).waitFor();
      const titleField = page.getByLabel('Title');
      assert.equal(await titleField.inputValue(), title);
      assert.equal(await page.getByLabel('Passcode (optional)').inputValue(), 's3cret');
      assert.equal(await page.getByRole('switch', { name: /Waiting room/ }).isChecked(), true);
      await titleField.fill(renamed);
      await page.getByLabel('Passcode (optional)').fill('');
      await screenshot(page, `meeting-edit-${device.name}`);
      await page.getByRole('button', { name: 'Save changes' }).click();

      await page.waitForURL((url) => url.pathname === '/meetings');
      await page.getByText('Meeting updated').waitFor();
      const card = page.getByRole('listitem').filter({ hasText: renamed });
      await card.getByText(code, { exact: true }).waitFor();
      assert.equal(await page.getByRole('listitem').filter({ hasText: title }).count(), 0);
      assert.equal(await card.getByLabel('Passcode protected').count(), 0, 'the passcode was cleared');
    });

    test('deleting asks first, then removes it', { timeout: TEST_TIMEOUT_MS }, async () => {
      const card = page.getByRole('listitem').filter({ hasText: renamed });
      await card.getByRole('button', { name: `Delete: ${renamed}` }).click();
      const dialog = page.getByRole('dialog', { name: 'Delete meeting?' });
      await dialog.getByText(`“${renamed}” will be cancelled`).waitFor();
      await screenshot(page, `meeting-delete-confirm-${device.name}`);

      // Cancel keeps it.
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'hidden' });
      assert.equal(await card.count(), 1);

      await card.getByRole('button', { name: `Delete: ${renamed}` }).click();
      await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
      await dialog.waitFor({ state: 'hidden' });
      await page.getByText('Meeting deleted').waitFor();
      await card.waitFor({ state: 'detached' });
      await page.getByText('No upcoming meetings.').waitFor();

      // Gone on the server too: a reload does not bring it back, and its link says so.
      await page.reload();
      await page.getByText('No upcoming meetings.').waitFor();
      await page.goto(`/m/${code}`);
      await page.getByRole('heading', { name: 'This meeting does not exist or has been cancelled.' }).waitFor();
    });

    test('"New meeting" starts an instant meeting and opens it', { timeout: TEST_TIMEOUT_MS }, async () => {
      await page.goto('/');
      await page.getByRole('button', { name: 'New meeting' }).click();
      await page.waitForURL((url) => /^\/m\/[a-z]{3}-[a-z]{4}-[a-z]{3}$/.test(url.pathname));
      instantCode = new URL(page.url()).pathname.split('/').pop();
      await page.getByRole('heading', { level: 1, name: 'Instant meeting' }).waitFor();
      await page.getByText(instantCode, { exact: true }).waitFor();
      await page.getByText('You are the host of this meeting.').waitFor();
      await screenshot(page, `meeting-lobby-host-${device.name}`);
    });

    test('"Join" with a pasted link opens that meeting', { timeout: TEST_TIMEOUT_MS }, async () => {
      await page.goto('/');
      const join = page.getByRole('textbox', { name: 'Meeting code or link' });
      const joinButton = page.getByRole('button', { name: 'Join', exact: true });
      assert.equal(await joinButton.isDisabled(), true, 'Join waits for input');
      await join.fill('not a code');
      await joinButton.click();
      await page.getByText('That is not a meeting code.').waitFor();

      await join.fill(`  ${server.url}/m/${instantCode}?utm=mail  `);
      await joinButton.click();
      await page.waitForURL((url) => url.pathname === `/m/${instantCode}`);
      await page.getByRole('heading', { level: 1, name: 'Instant meeting' }).waitFor();
    });

    test('a signed-out visitor joins from the landing page with a typed code', { timeout: TEST_TIMEOUT_MS }, async () => {
      const guest = await newContext(browser, server, device);
      try {
        const guestPage = await guest.newPage();
        await guestPage.goto('/');
        await guestPage.getByRole('textbox', { name: 'Meeting code or link' }).fill(instantCode.toUpperCase().replaceAll('-', ' '));
        await guestPage.getByRole('button', { name: 'Join', exact: true }).click();
        await guestPage.waitForURL((url) => url.pathname === `/m/${instantCode}`);
        await guestPage.getByRole('heading', { level: 1 }).waitFor();
        await screenshot(guestPage, `meeting-lobby-guest-${device.name}`);
        assert.deepEqual(guest.pageErrors, []);
      } finally {
        await guest.close();
      }
    });

    test(
      'a signed-out visitor sees the meeting title and host',
      { timeout: TEST_TIMEOUT_MS },
      async () => {
        const guest = await newContext(browser, server, device);
        try {
          const guestPage = await guest.newPage();
          await guestPage.goto(`/m/${instantCode}`);
          await guestPage.getByRole('heading', { level: 1, name: 'Instant meeting' }).waitFor({ timeout: 5_000 });
          await guestPage.getByText(`Hosted by ${user.username}`).waitFor();
          assert.equal(await guestPage.getByText('You are the host of this meeting.').count(), 0);
        } finally {
          await guest.close();
        }
      },
    );
  });
}
