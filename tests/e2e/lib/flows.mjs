// Steps several tests share: accounts, signing in and out through the UI, and layout checks.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';

let counter = 0;

/** Tomorrow at `time` ("14:30") as a datetime-local value, in the browser context's zone. */
export function tomorrowAt(time) {
  const d = new Date(Date.now() + 24 * 3600 * 1000);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${time}`;
}

/** A user nobody has registered yet; the username uses what the server allows beyond ASCII. */
export function newUser(prefix = 'user') {
  const tag = `${Date.now().toString(36)}${(counter++).toString(36)}${randomBytes(2).toString('hex')}`;
  return {
    username: `${prefix} Zoë ${tag}`.slice(0, 32),
    email: `${prefix}.${tag}@example.test`,
    password: `pw-${randomBytes(6).toString('hex')}`,
  };
}

/**
 * Registers through the API with the context's own request client, so the HttpOnly refresh
 * cookie lands in the browser profile and the next page load signs in silently.
 */
export async function registerViaApi(context, user) {
  const response = await context.request.post('/api/v1/auth/register', { data: user });
  assert.equal(response.status(), 201, await response.text());
  return (await response.json()).accessToken;
}

/** Opens the collapsed navigation menu on small screens; no-op where the links are visible. */
export async function openNav(page) {
  const toggle = page.getByRole('button', { name: 'Toggle navigation' });
  if ((await toggle.isVisible()) && (await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
}

export async function registerViaUi(page, user) {
  await page.goto('/register');
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Create account' }).click();
}

export async function loginViaUi(page, user, password = user.password) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/** Home for a signed-in user: the greeting names them and the navigation links to their profile. */
export async function expectSignedInHome(page, user) {
  await page.waitForURL((url) => url.pathname === '/');
  await page.getByText(`Hello, ${user.username}`).waitFor();
  await page.getByRole('heading', { level: 1, name: 'Premium video meetings, hosted by you' }).waitFor();
  await openNav(page);
  await page.getByRole('link', { name: user.username }).waitFor();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

export async function signOut(page) {
  await openNav(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByText('You have been signed out.').waitFor();
  await page.waitForFunction(() => location.pathname === '/', null, { timeout: 5_000 }).catch((e) => {
    throw new Error(`after sign-out the page is at ${page.url()}, not /: ${e.message}`);
  });
  await page.getByRole('heading', { level: 1, name: /Video meetings for everyone/ }).waitFor();
}

/** The message shown under a form field, found the way assistive technology finds it. */
export async function fieldError(page, label) {
  const input = page.getByLabel(label, { exact: true });
  await page.waitForFunction((el) => el.getAttribute('aria-invalid') === 'true', await input.elementHandle(), {
    timeout: 10_000,
  });
  const ids = (await input.getAttribute('aria-describedby')) ?? '';
  const texts = [];
  for (const id of ids.split(/\s+/).filter(Boolean)) texts.push(await page.locator(`[id="${id}"]`).innerText());
  return texts.join('\n');
}

/** Nothing sticks out sideways: the page is no wider than the window. */
export async function assertNoHorizontalScroll(page, what) {
  // A phone browser (isMobile) widens its layout viewport to fit content that sticks out, so
  // window.innerWidth alone would hide the overflow: compare with the configured screen width too.
  const screenWidth = page.viewportSize().width;
  const { scrollWidth, innerWidth, offenders } = await page.evaluate((width) => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    // Named in the failure message to make a regression quick to find.
    offenders: [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 0.5)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`),
  }), screenWidth);
  const width = Math.min(innerWidth, screenWidth);
  assert.ok(scrollWidth <= width, `${what}: scrollWidth ${scrollWidth} > window width ${width} (innerWidth ${innerWidth}); wide: ${offenders.join(', ')}`);
}

/** Asserts the element is visible and inside the window horizontally (not clipped off-screen). */
export async function assertOnScreen(page, locator, what) {
  await locator.waitFor({ state: 'visible' });
  const box = await locator.boundingBox();
  const width = page.viewportSize().width;
  assert.ok(box && box.x >= 0 && box.x + box.width <= width + 0.5, `${what} is off-screen: ${JSON.stringify(box)}`);
}
