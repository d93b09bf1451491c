// Accounts through the UI: register, inline server errors, sign out and in, the silent refresh
// after a reload, and the forgot-password page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, PHONE, TEST_TIMEOUT_MS, launchBrowser, newContext, screenshot } from './lib/browser.mjs';
import { expectSignedInHome, fieldError, loginViaUi, newUser, openNav, registerViaUi, signOut } from './lib/flows.mjs';
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
  describe(`accounts (${device.name})`, { timeout: TEST_TIMEOUT_MS * 4 }, () => {
    const user = newUser(device.name);
    let context;
    let page;

    before(async () => {
      context = await newContext(browser, server, device);
      page = await context.newPage();
    });

    after(async () => {
      await context?.close();
      assert.deepEqual(context?.pageErrors ?? [], [], 'uncaught errors in the page');
    });

    test('registering through the form lands signed in on Home', { timeout: TEST_TIMEOUT_MS }, async () => {
      await page.goto('/');
      await screenshot(page, `landing-${device.name}`);
      await registerViaUi(page, user);
      await expectSignedInHome(page, user);
      await screenshot(page, `home-after-register-${device.name}`);
    });

    test('a client-side check shows under its field without a request', { timeout: TEST_TIMEOUT_MS }, async () => {
      const fresh = await newContext(browser, server, device);
      try {
        const other = await fresh.newPage();
        await other.goto('/register');
        await other.getByLabel('Username').fill(' x ');
        await other.getByLabel('Email').fill('not-an-email');
        let requests = 0;
        other.on('request', (r) => (requests += r.url().includes('/auth/register') ? 1 : 0));
        await other.getByRole('button', { name: 'Create account' }).click();
        assert.match(await fieldError(other, 'Username'), /2 to 32 characters/);
        assert.match(await fieldError(other, 'Email'), /valid email/);
        assert.match(await fieldError(other, 'Password'), /required/);
        assert.equal(requests, 0);
      } finally {
        await fresh.close();
      }
    });

    test('registering the same email again shows the server error under Email', { timeout: TEST_TIMEOUT_MS }, async () => {
      await signOut(page);
      await registerViaUi(page, { ...newUser(device.name), email: user.email });
      assert.match(await fieldError(page, 'Email'), /already exists/);
      // Only the field that the server named is marked; the form stays on the page.
      assert.equal(await page.getByLabel('Username').getAttribute('aria-invalid'), null);
      assert.equal(new URL(page.url()).pathname, '/register');
      await screenshot(page, `register-duplicate-email-${device.name}`);
    });

    test('a wrong password is refused; the right one signs in', { timeout: TEST_TIMEOUT_MS }, async () => {
      await loginViaUi(page, user, `${user.password}-wrong`);
      await page.getByRole('alert').first().waitFor();
      assert.equal(new URL(page.url()).pathname, '/login');
      await screenshot(page, `login-wrong-password-${device.name}`);

      await loginViaUi(page, user);
      await expectSignedInHome(page, user);
    });

    test('a reload keeps the user signed in through the refresh cookie', { timeout: TEST_TIMEOUT_MS }, async () => {
      const cookies = await context.cookies();
      const refresh = cookies.filter((c) => c.httpOnly);
      assert.ok(refresh.length > 0, `an HttpOnly refresh cookie is set: ${JSON.stringify(cookies)}`);
      // The access token lives in memory only: nothing about the session is in web storage.
      const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
      assert.doesNotMatch(stored, /eyJ/, 'no JWT in web storage');

      const refreshed = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/refresh'));
      await page.reload();
      assert.equal((await refreshed).status(), 200);
      await expectSignedInHome(page, user);

      // A signed-in user who opens a guest-only page is sent home.
      await page.goto('/login');
      await expectSignedInHome(page, user);
    });

    test('signing out clears the session for good', { timeout: TEST_TIMEOUT_MS }, async () => {
      await signOut(page);
      await page.reload();
      await page.getByRole('heading', { level: 1, name: /Video meetings for everyone/ }).waitFor();
      await openNav(page);
      await page.getByRole('link', { name: 'Sign in' }).first().waitFor();
      assert.equal(await page.getByRole('button', { name: 'Sign out' }).count(), 0);
      // Pages that need an account send the visitor to sign in.
      await page.goto('/meetings');
      await page.waitForURL((url) => url.pathname === '/login');
    });

    test('forgot password shows the neutral confirmation', { timeout: TEST_TIMEOUT_MS }, async () => {
      await page.goto('/login');
      await page.getByRole('link', { name: 'Forgot password?' }).click();
      await page.waitForURL((url) => url.pathname === '/forgot-password');
      await page.getByRole('heading', { name: 'Reset your password' }).waitFor();
      await page.getByLabel('Email').fill(user.email);
      await page.getByRole('button', { name: 'Send reset link' }).click();
      const confirmation = page.getByRole('status').filter({ hasText: 'If an account exists for that email' });
      await confirmation.waitFor();
      await screenshot(page, `forgot-password-sent-${device.name}`);

      // The same words for an address nobody uses: the page does not reveal who has an account.
      await page.goto('/forgot-password');
      await page.getByLabel('Email').fill(`nobody.${Date.now()}@example.test`);
      await page.getByRole('button', { name: 'Send reset link' }).click();
      await confirmation.waitFor();
    });
  });
}
