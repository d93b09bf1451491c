// Debian's Chromium driven by playwright-core (no browser download), with the two screen sizes
// the tests use and a helper that saves screenshots for people to look at.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const artifactsDir = join(repoRoot, 'test-artifacts/e2e');

/** Every wait in these tests is bounded by one of these. */
export const ACTION_TIMEOUT_MS = 10_000;
export const NAVIGATION_TIMEOUT_MS = 15_000;
export const TEST_TIMEOUT_MS = 90_000;

export const DESKTOP = { name: 'desktop', viewport: { width: 1280, height: 800 } };
export const PHONE = { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

const LAUNCH = { executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', timeout: 30_000 };

function chromiumArgs(extraArgs) {
  return [
    // The tests run as root, where Chromium's sandbox cannot start.
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    // The SFU and the browser are on one machine; CI machines may have no other interface.
    '--allow-loopback-in-peer-connection',
    // getDisplayMedia picks the (fake) screen without a picker.
    '--auto-select-desktop-capture-source=Entire screen',
    ...extraArgs,
  ];
}

/** `extraArgs`: more Chromium switches, e.g. a file for the fake camera. */
export function launchBrowser(extraArgs = []) {
  return chromium.launch({ ...LAUNCH, args: chromiumArgs(extraArgs) });
}

function contextOptions(server, device) {
  const { name: _name, ...options } = device;
  return { ...options, baseURL: server.url, acceptDownloads: true, locale: 'en-GB', timezoneId: 'Europe/Berlin' };
}

function prepareContext(context) {
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  context.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT_MS);
  context.pageErrors = [];
  context.on('page', (page) => page.on('pageerror', (error) => context.pageErrors.push(error.message)));
  return context;
}

/**
 * A fresh browser profile (cookies, storage) at one screen size, pointed at the server. Uncaught
 * page errors are collected in `context.pageErrors` so a test can assert there were none.
 */
export async function newContext(browser, server, device = DESKTOP) {
  return prepareContext(await browser.newContext(contextOptions(server, device)));
}

/**
 * A browser of its own whose profile starts with `preferences` (Chromium's user preferences, as
 * in a profile's Preferences file: what a person sets in chrome://settings, which no switch
 * reaches), otherwise as newContext(). Closing the context ends that browser.
 */
export async function newBrowserWithPreferences(server, preferences, device = DESKTOP) {
  const profile = mkdtempSync(join(tmpdir(), 'fluxmeet-e2e-profile-'));
  mkdirSync(join(profile, 'Default'));
  writeFileSync(join(profile, 'Default', 'Preferences'), JSON.stringify(preferences));
  const context = await chromium.launchPersistentContext(profile, { ...LAUNCH, args: chromiumArgs([]), ...contextOptions(server, device) });
  // The profile goes once the browser has exited (it writes there until then).
  const close = context.close.bind(context);
  context.close = async (...args) => {
    await close(...args);
    rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  };
  return prepareContext(context);
}

/**
 * Saves a full-page PNG as test-artifacts/e2e/<name>.png and returns its path. `moving: true`
 * takes it at once with animations running, for something that is only there while it moves
 * (a floating reaction: with animations disabled it would be shown at its faded-out end).
 */
export async function screenshot(page, name, { moving = false } = {}) {
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  // Let transitions (toasts, modals, tab fades) settle so the picture shows the resting state.
  if (!moving) await page.waitForTimeout(400);
  await page.screenshot({ path, fullPage: true, animations: moving ? 'allow' : 'disabled', timeout: ACTION_TIMEOUT_MS });
  return path;
}
