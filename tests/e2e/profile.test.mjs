// The profile page: change the username and the password, and the list of signed-in devices.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { request as apiRequest } from 'playwright-core';
import { DESKTOP, PHONE, TEST_TIMEOUT_MS, launchBrowser, newContext, screenshot } from './lib/browser.mjs';
import { expectSignedInHome, fieldError, loginViaUi, newUser, openNav, registerViaApi, signOut } from './lib/flows.mjs';
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

for (const device of [DESKTOP, PHONE]) {
  describe(`profile (${device.name})`, { timeout: TEST_TIMEOUT_MS * 4 }, () => {
    const user = newUser(device.name);
    let context;
    let page;

    before(async () => {
      context = await newContext(browser, server, device);
      await registerViaApi(context, user);
      page = await context.newPage();
    });

    after(async () => {
      await context?.close();
      assert.deepEqual(context?.pageErrors ?? [], [], 'uncaught errors in the page');
    });

    test('the profile shows the account and this device', { timeout: TEST_TIMEOUT_MS }, async () => {
      await openProfile(page);
      assert.equal(await page.getByLabel('Username').inputValue(), user.username);
      assert.equal(await page.getByLabel('Email').inputValue(), user.email);

      const devices = page.getByRole('region', { name: 'Signed-in devices' });
      const current = devices.getByRole('listitem').filter({ hasText: 'This device' });
      await current.waitFor();
      assert.equal(await current.count(), 1);
      await current.getByText('Chrome on Linux').waitFor();
      await devices.getByText('No other devices are signed in.').waitFor();
      await screenshot(page, `profile-${device.name}`);
    });

    test('another sign-in appears as a device and can be signed out', { timeout: TEST_TIMEOUT_MS }, async () => {
      // A second client that is not this browser: its user agent names another platform.
      const other = await apiRequest.newContext({
        baseURL: server.url,
        userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15',
      });
      try {
        const login = await other.post('/api/v1/auth/login', { data: { email: user.email, password: user.password } });
        assert.equal(login.status(), 200, await login.text());
      } finally {
        await other.dispose();
      }
      await page.reload();
      const devices = page.getByRole('region', { name: 'Signed-in devices' });
      const safari = devices.getByRole('listitem').filter({ hasText: 'Safari on macOS' });
      await safari.waitFor();
      assert.equal(await devices.getByRole('listitem').count(), 2);
      await screenshot(page, `profile-two-devices-${device.name}`);

      await safari.getByRole('button', { name: 'Sign out Safari on macOS' }).click();
      await page.getByText('Device signed out').waitFor();
      await safari.waitFor({ state: 'detached' });
      await devices.getByText('No other devices are signed in.').waitFor();
    });

    test('changing the username updates the navigation and survives a reload', { timeout: TEST_TIMEOUT_MS }, async () => {
      const renamed = `${user.username.slice(0, 24)} ✓ new`;
      const account = page.getByRole('region', { name: 'Account', exact: true });
      await account.getByLabel('Username').fill(renamed);
      await account.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Profile updated').waitFor();
      user.username = renamed;

      await openNav(page);
      await page.getByRole('link', { name: renamed }).waitFor();
      await page.reload();
      await openNav(page);
      await page.getByRole('link', { name: renamed }).waitFor();
      assert.equal(await page.getByLabel('Username').inputValue(), renamed);
    });

    test('a too-short username is explained under the field', { timeout: TEST_TIMEOUT_MS }, async () => {
      const account = page.getByRole('region', { name: 'Account', exact: true });
      await account.getByLabel('Username').fill('x');
      await account.getByRole('button', { name: 'Save' }).click();
      assert.match(await fieldError(page, 'Username'), /2 to 32 characters/);
      await account.getByLabel('Username').fill(user.username);
    });

    test('changing the password: the old one stops working, the new one signs in', { timeout: TEST_TIMEOUT_MS }, async () => {
      const newPassword = `${user.password}-changed`;
      const section = page.getByRole('region', { name: 'Password' });
      await section.getByLabel('Current password').fill(`${user.password}-typo`);
      await section.getByLabel('New password').fill(newPassword);
      await section.getByRole('button', { name: 'Change password' }).click();
      assert.ok((await fieldError(page, 'Current password')).length > 0, 'a wrong current password is refused inline');

      await section.getByLabel('Current password').fill(user.password);
      await section.getByRole('button', { name: 'Change password' }).click();
      await page.getByText('Password changed').waitFor();
      assert.equal(await section.getByLabel('Current password').inputValue(), '', 'the form is cleared');

      await signOut(page);
      await loginViaUi(page, user);
      await page.getByRole('alert').first().waitFor();
      assert.equal(new URL(page.url()).pathname, '/login');

      await loginViaUi(page, user, newPassword);
      await expectSignedInHome(page, user);
    });
  });
}

async function openProfile(page) {
  await page.goto('/');
  await openNav(page);
  const link = page.getByRole('link', { name: /Zoë/ });
  await link.click();
  await page.waitForURL((url) => url.pathname === '/profile');
  await page.getByRole('heading', { level: 1, name: 'Your profile' }).waitFor();
}
