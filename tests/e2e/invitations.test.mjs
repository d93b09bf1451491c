// Invitations through the UI against the real server: a host schedules a meeting and invites two
// addresses from Home, sees them (one with an account) when editing it and removes one; the invited
// person finds the meeting in their own Upcoming list marked Invited, with no host actions.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TEST_TIMEOUT_MS, launchBrowser, newContext, screenshot } from './lib/browser.mjs';
import { newUser, openNav, registerViaApi, tomorrowAt } from './lib/flows.mjs';
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

async function openUpcoming(page) {
  await openNav(page);
  await page.getByRole('link', { name: 'Meetings' }).click();
  await page.getByRole('heading', { level: 1, name: 'Meetings' }).waitFor();
}

describe('invitations', { timeout: TEST_TIMEOUT_MS * 4 }, () => {
  const host = newUser('inviting-host');
  const guest = newUser('invited-guest');
  const stranger = 'no-account@example.com';
  const title = 'Quarterly planning with guests';
  let hostContext;
  let guestContext;
  let hostPage;

  before(async () => {
    hostContext = await newContext(browser, server);
    guestContext = await newContext(browser, server);
    await registerViaApi(hostContext, host);
    await registerViaApi(guestContext, guest);
    hostPage = await hostContext.newPage();
  });

  after(async () => {
    await hostContext?.close();
    await guestContext?.close();
    assert.deepEqual(hostContext?.pageErrors ?? [], [], 'uncaught errors in the host page');
    assert.deepEqual(guestContext?.pageErrors ?? [], [], 'uncaught errors in the guest page');
  });

  test('the host invites two addresses while scheduling', { timeout: TEST_TIMEOUT_MS }, async () => {
    await hostPage.goto('/');
    const form = hostPage.getByRole('form', { name: 'Schedule a meeting' });
    await form.getByLabel('Title').fill(title);
    await form.getByLabel('Starts at').fill(tomorrowAt('09:15'));
    // Upper case on purpose: addresses are matched to accounts without regard to case.
    await form.getByLabel('Email addresses').fill(`${guest.email.toUpperCase()}, ${stranger}`);
    await form.getByRole('button', { name: 'Add', exact: true }).click();
    const chips = form.getByTestId('invite-chips');
    await chips.getByText(stranger).waitFor();
    assert.equal(await chips.getByRole('listitem').count(), 2);
    await form.getByRole('button', { name: 'Schedule meeting' }).click();
    await hostPage.getByRole('status').filter({ hasText: 'Meeting scheduled' }).getByRole('heading', { name: title }).waitFor();
  });

  test('editing shows who is invited and removes one', { timeout: TEST_TIMEOUT_MS }, async () => {
    await openUpcoming(hostPage);
    await hostPage.getByRole('link', { name: `Edit: ${title}` }).click();
    const list = hostPage.getByTestId('invitation-list');
    const guestRow = list.getByRole('listitem').filter({ hasText: guest.email.toLowerCase() });
    const strangerRow = list.getByRole('listitem').filter({ hasText: stranger });
    await guestRow.getByText('Has an account').waitFor();
    await strangerRow.waitFor();
    assert.equal(await strangerRow.getByText('Has an account').count(), 0);
    await screenshot(hostPage, 'invitations-edit');
    await strangerRow.getByRole('button', { name: `Remove ${stranger}` }).click();
    await strangerRow.waitFor({ state: 'detached' });
    await guestRow.waitFor();
  });

  test('the invited person sees the meeting marked Invited, without host actions', { timeout: TEST_TIMEOUT_MS }, async () => {
    const page = await guestContext.newPage();
    await page.goto('/');
    await openUpcoming(page);
    const card = page.getByRole('listitem').filter({ hasText: title });
    await card.getByTestId('invited-badge').waitFor();
    assert.equal(await page.getByRole('link', { name: `Edit: ${title}` }).count(), 0);
    await screenshot(page, 'invitations-invitee-upcoming');
  });
});
