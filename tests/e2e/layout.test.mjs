// Layout at phone and desktop size: no sideways scrolling, the main actions on screen, and no
// request to any host but our own server (the product promises nothing is sent elsewhere).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, PHONE, TEST_TIMEOUT_MS, launchBrowser, newContext, screenshot } from './lib/browser.mjs';
import { assertNoHorizontalScroll, assertOnScreen, newUser, openNav, registerViaApi } from './lib/flows.mjs';
import { startServer } from './lib/server.mjs';

let server;
let browser;
const foreign = [];

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  const status = await server?.stop();
  if (status) assert.equal(status.code, 0, `server exit ${status.code ?? status.signal}:\n${status.output.slice(-4000)}`);
});

/** Records every request a page makes to anything but the test server (data: and blob: are local). */
function watchRequests(context) {
  const origin = new URL(server.url).origin;
  let count = 0;
  context.on('request', (request) => {
    count++;
    const url = new URL(request.url());
    if (url.protocol === 'data:' || url.protocol === 'blob:') return;
    if (url.origin !== origin) foreign.push(`${request.method()} ${request.url()}`);
  });
  return () => count;
}

/** The pages to check, each with what must be on screen when it is ready. */
const pages = [
  {
    name: 'landing',
    path: '/',
    signedIn: false,
    ready: (p) => p.getByRole('heading', { level: 1, name: /Video meetings for everyone/ }),
    primary: (p) => [p.getByRole('link', { name: 'Get started' }), p.getByRole('button', { name: 'Join', exact: true })],
  },
  {
    name: 'login',
    path: '/login',
    signedIn: false,
    ready: (p) => p.getByRole('heading', { level: 1, name: 'Sign in' }),
    primary: (p) => [p.getByRole('button', { name: 'Sign in', exact: true }), p.getByLabel('Email')],
  },
  {
    name: 'register',
    path: '/register',
    signedIn: false,
    ready: (p) => p.getByRole('heading', { level: 1, name: 'Create your account' }),
    primary: (p) => [p.getByRole('button', { name: 'Create account' }).last()],
  },
  {
    name: 'home',
    path: '/',
    signedIn: true,
    ready: (p) => p.getByRole('heading', { level: 1, name: 'Premium video meetings, hosted by you' }),
    primary: (p) => [p.getByRole('button', { name: 'New meeting' }), p.getByRole('button', { name: 'Schedule meeting' })],
  },
  {
    name: 'meetings',
    path: '/meetings',
    signedIn: true,
    ready: (p) => p.getByRole('listitem').filter({ hasText: 'Quarterly planning with a rather long title to test wrapping' }),
    primary: (p) => [p.getByRole('link', { name: 'Open' }).first(), p.getByRole('tab', { name: 'Past' })],
  },
  {
    name: 'profile',
    path: '/profile',
    signedIn: true,
    ready: (p) => p.getByText('This device', { exact: true }),
    primary: (p) => [p.getByRole('button', { name: 'Save', exact: true }), p.getByRole('button', { name: 'Change password' })],
  },
];

for (const device of [PHONE, DESKTOP]) {
  describe(`layout (${device.name})`, { timeout: TEST_TIMEOUT_MS * 4 }, () => {
    let context;
    let page;
    let requests;

    before(async () => {
      context = await newContext(browser, server, device);
      requests = watchRequests(context);
      page = await context.newPage();
    });

    after(async () => {
      await context?.close();
      assert.deepEqual(context?.pageErrors ?? [], [], 'uncaught errors in the page');
    });

    for (const spec of pages) {
      test(`${spec.name} fits the screen`, { timeout: TEST_TIMEOUT_MS }, async () => {
        if (spec.signedIn && !(await context.cookies()).some((c) => c.httpOnly)) {
          const token = await registerViaApi(context, newUser(device.name));
          const created = await context.request.post('/api/v1/meetings', {
            headers: { Authorization: `Bearer ${token}` },
            data: {
              title: 'Quarterly planning with a rather long title to test wrapping',
              kind: 'scheduled',
              startsAt: new Date(Date.now() + 2 * 24 * 3600 * 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
              timeZone: 'Europe/Berlin',
              durationMinutes: 30,
              passcode: 'abcd1234',
            },
          });
          assert.equal(created.status(), 201, await created.text());
        }
        await page.goto(spec.path);
        await spec.ready(page).waitFor();
        await assertNoHorizontalScroll(page, spec.name);
        for (const locator of spec.primary(page)) await assertOnScreen(page, locator, `${spec.name}: ${locator}`);
        await screenshot(page, `${spec.name}-${device.name}`);
      });
    }

    test('the navigation menu opens and fits', { timeout: TEST_TIMEOUT_MS }, async () => {
      await page.goto('/');
      await openNav(page);
      const signOut = page.getByRole('button', { name: 'Sign out' });
      await assertOnScreen(page, signOut, 'Sign out');
      await assertOnScreen(page, page.getByRole('link', { name: 'Meetings' }), 'Meetings link');
      await assertNoHorizontalScroll(page, 'open navigation');
      await screenshot(page, `navigation-${device.name}`);
    });

    test('nothing was requested from another host', () => {
      assert.ok(requests() > 10, `the pages made requests (${requests()})`);
      assert.deepEqual(foreign, []);
    });
  });
}
