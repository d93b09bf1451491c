// HTTP helpers for the integration tests: one request function with full control over headers
// and body (node:http/https, so nothing is added behind our back), plus account helpers.
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';

const REQUEST_TIMEOUT_MS = 10_000;

/**
 * Sends one request. server is a startServer() result or a base URL string.
 * options: token (Bearer), body (object -> JSON with Content-Type application/json; Buffer/string
 * sent as is with no Content-Type unless headers give one), headers, cookie (string or CookieJar),
 * ca (PEM to trust for https; defaults to server.ca).
 * Resolves {status, headers (lower-case names), setCookies[], text, json (or undefined), body}.
 */
export function api(server, method, path, { token, body, headers = {}, cookie, ca } = {}) {
  const base = typeof server === 'string' ? server : server.url;
  if (ca === undefined && typeof server !== 'string') ca = server.ca;
  const url = new URL(path, base);
  const sendHeaders = { ...headers };
  let payload;
  if (body !== undefined) {
    if (Buffer.isBuffer(body) || typeof body === 'string') {
      payload = Buffer.from(body);
    } else {
      payload = Buffer.from(JSON.stringify(body));
      if (!Object.keys(sendHeaders).some((h) => h.toLowerCase() === 'content-type')) {
        sendHeaders['Content-Type'] = 'application/json';
      }
    }
    sendHeaders['Content-Length'] = String(payload.length);
  }
  if (token) sendHeaders.Authorization = `Bearer ${token}`;
  const cookieHeader = cookie instanceof CookieJar ? cookie.header() : cookie;
  if (cookieHeader) sendHeaders.Cookie = cookieHeader;

  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.request(
      url,
      { method, headers: sendHeaders, agent: false, ca, timeout: REQUEST_TIMEOUT_MS },
      (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const raw = Buffer.concat(chunks);
          const text = raw.toString('utf8');
          let json;
          if ((response.headers['content-type'] ?? '').startsWith('application/json') && text) {
            json = JSON.parse(text);
          }
          resolve({
            status: response.statusCode,
            headers: response.headers,
            setCookies: response.headers['set-cookie'] ?? [],
            text,
            json,
            body: raw,
          });
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error(`${method} ${path} timed out`)));
    request.on('error', reject);
    request.end(payload);
  });
}

/** Asserts an error response: status, {error:{code,message}} and optionally code and field. */
export function assertError(response, status, { code, field } = {}) {
  assert.equal(response.status, status, `expected ${status}, got ${response.status}: ${response.text}`);
  assert.ok(response.json?.error, `error body expected, got: ${response.text}`);
  assert.equal(typeof response.json.error.code, 'string');
  assert.equal(typeof response.json.error.message, 'string');
  assert.ok(response.json.error.message.length > 0);
  if (code !== undefined) assert.equal(response.json.error.code, code);
  if (field !== undefined) assert.equal(response.json.error.field, field, response.text);
}

/** Parses one Set-Cookie header value into {name, value, attributes (lower-case keys)}. */
export function parseSetCookie(header) {
  const [pair, ...rest] = header.split(';');
  const eq = pair.indexOf('=');
  const attributes = {};
  for (const part of rest) {
    const [key, ...value] = part.trim().split('=');
    attributes[key.toLowerCase()] = value.length ? value.join('=') : true;
  }
  return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attributes };
}

/** Keeps cookies across requests the way a browser would (by name; Max-Age=0 deletes). */
export class CookieJar {
  constructor() {
    this.cookies = new Map();
  }

  update(response) {
    for (const header of response.setCookies ?? []) {
      const cookie = parseSetCookie(header);
      if (cookie.attributes['max-age'] === '0' || cookie.value === '') this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    return response;
  }

  get(name) {
    return this.cookies.get(name);
  }

  header() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/** "fm_refresh=<value>" from a response, or undefined. */
export function refreshCookieFrom(response) {
  for (const header of response.setCookies ?? []) {
    const cookie = parseSetCookie(header);
    if (cookie.name === 'fm_refresh' && cookie.value) return `fm_refresh=${cookie.value}`;
  }
  return undefined;
}

let userCounter = 0;

export function uniqueEmail(prefix = 'user') {
  userCounter += 1;
  return `${prefix}${userCounter}.${randomBytes(4).toString('hex')}@example.com`;
}

export const GOOD_PASSWORD = 'correct horse battery staple';

/** Registers a fresh account: {user, accessToken, cookie ("fm_refresh=..."), password, email, response}. */
export async function registerUser(server, overrides = {}) {
  const body = {
    username: overrides.username ?? `user${userCounter + 1}`,
    email: overrides.email ?? uniqueEmail(),
    password: overrides.password ?? GOOD_PASSWORD,
  };
  const response = await api(server, 'POST', '/api/v1/auth/register', { body });
  assert.equal(response.status, 201, `register failed: ${response.text}`);
  return {
    user: response.json.user,
    accessToken: response.json.accessToken,
    cookie: refreshCookieFrom(response),
    password: body.password,
    email: body.email,
    response,
  };
}

/** Logs in: {status, accessToken, cookie, response}. */
export async function login(server, email, password) {
  const response = await api(server, 'POST', '/api/v1/auth/login', { body: { email, password } });
  return { status: response.status, accessToken: response.json?.accessToken, cookie: refreshCookieFrom(response), response };
}

/** An ISO time `minutes` from now (whole seconds, UTC). */
export function isoIn(minutes) {
  return new Date(Math.floor(Date.now() / 60_000) * 60_000 + minutes * 60_000).toISOString().replace('.000Z', 'Z');
}

function base64url(input) {
  return Buffer.from(input).toString('base64url');
}

export function decodeJwtPayload(token) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

/** Signs an HS256 JWT with the given secret (to forge tokens the server must reject or accept). */
export function signJwt(payload, secret, header = { alg: 'HS256', typ: 'JWT' }) {
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const signature = createHmac('sha256', secret).update(input).digest('base64url');
  return `${input}.${signature}`;
}
