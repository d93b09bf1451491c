// Hostile and malformed input: every error is a JSON {error:{code,message}} with the right status,
// nothing changes data, and the server keeps serving (including during a slowloris connection).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { api, assertError, login, registerUser } from './lib/http.mjs';
import { httpRequest, openSocket, rawExchange } from './lib/raw.mjs';
import { startServer } from './lib/server.mjs';

function rawJson(exchange) {
  const body = exchange.text.slice(exchange.text.indexOf('\r\n\r\n') + 4);
  return JSON.parse(body);
}

function assertRawError(exchange, status, code) {
  assert.equal(exchange.status, status, exchange.text || `no response (${exchange.error})`);
  const json = rawJson(exchange);
  assert.equal(typeof json.error?.message, 'string');
  if (code) assert.equal(json.error.code, code);
}

describe('malformed requests', () => {
  let server;
  let account;
  let meetingsBefore;
  const json = { 'Content-Type': 'application/json' };
  const post = (path, body, headers = json) => api(server, 'POST', path, { body, headers });
  const healthy = async () => assert.equal((await api(server, 'GET', '/healthz')).status, 200);

  before(async () => {
    server = await startServer();
    account = await registerUser(server);
    const created = await api(server, 'POST', '/api/v1/meetings', {
      token: account.accessToken,
      body: { kind: 'instant', title: 'Keep me' },
    });
    assert.equal(created.status, 201);
    meetingsBefore = (await api(server, 'GET', '/api/v1/meetings', { token: account.accessToken })).json.items;
  });
  after(async () => {
    await server?.stop();
  });

  it('malformed JSON is 400 invalid_request', async () => {
    assertError(await post('/api/v1/auth/login', '{"email":'), 400, { code: 'invalid_request' });
    assertError(await post('/api/v1/auth/login', ''), 400, { code: 'invalid_request' });
    assertError(await post('/api/v1/auth/login', '{"email":"a@b.c",}'), 400, { code: 'invalid_request' });
  });

  it('a JSON array or scalar body is 400', async () => {
    assertError(await post('/api/v1/auth/login', '[{"email":"a@b.c","password":"x"}]'), 400, {
      code: 'invalid_request',
    });
    assertError(await post('/api/v1/auth/login', '"hello"'), 400, { code: 'invalid_request' });
  });

  it('missing or wrong Content-Type is 415', async () => {
    const body = JSON.stringify({ email: account.email, password: account.password });
    assertError(await post('/api/v1/auth/login', Buffer.from(body), {}), 415, { code: 'unsupported_media_type' });
    assertError(await post('/api/v1/auth/login', body, { 'Content-Type': 'text/plain' }), 415);
    assertError(await post('/api/v1/auth/login', body, { 'Content-Type': 'application/x-www-form-urlencoded' }), 415);
    // Parameters after the media type are fine.
    const ok = await post('/api/v1/auth/login', body, { 'Content-Type': 'application/json; charset=utf-8' });
    assert.equal(ok.status, 200, ok.text);
  });

  it('a 70 KB body is 413 (Content-Length and chunked)', async () => {
    const big = JSON.stringify({ email: 'a@b.co', password: 'x'.repeat(70 * 1024) });
    const withLength = await rawExchange(
      server.port,
      httpRequest('POST', '/api/v1/auth/login', { headers: json, body: big }),
    );
    assertRawError(withLength, 413, 'payload_too_large');
    const chunk = Buffer.from(big);
    const chunked = await rawExchange(server.port, [
      httpRequest('POST', '/api/v1/auth/login', { headers: { ...json, 'Transfer-Encoding': 'chunked' } }),
      `${chunk.length.toString(16)}\r\n`,
      chunk,
      '\r\n0\r\n\r\n',
    ]);
    assertRawError(chunked, 413, 'payload_too_large');
    await healthy();
  });

  it('invalid UTF-8 inside a JSON string is 400', async () => {
    const body = Buffer.concat([
      Buffer.from('{"username":"bad'),
      Buffer.from([0xff, 0xfe, 0xc3]),
      Buffer.from('","email":"utf8@example.com","password":"correct horse battery staple"}'),
    ]);
    assertError(await post('/api/v1/auth/register', body), 400);
    assert.equal((await login(server, 'utf8@example.com', 'correct horse battery staple')).status, 401);
  });

  it('deeply nested JSON (100 levels) is 400', async () => {
    const nested = `{"email":${'['.repeat(100)}1${']'.repeat(100)},"password":"x"}`;
    assertError(await post('/api/v1/auth/login', nested), 400);
    const objects = `${'{"a":'.repeat(100)}1${'}'.repeat(100)}`;
    assertError(await post('/api/v1/auth/login', objects), 400);
  });

  it('unknown API path is a JSON 404', async () => {
    const response = await api(server, 'GET', '/api/v1/nope');
    assertError(response, 404, { code: 'not_found' });
    assert.match(response.headers['content-type'], /^application\/json/);
    assertError(await api(server, 'GET', '/api/v2/meetings'), 404);
    assertError(await api(server, 'POST', '/api/v1/nope'), 404);
  });

  it('wrong method is 405 with Allow', async () => {
    const response = await api(server, 'PUT', '/api/v1/meetings', { token: account.accessToken });
    assertError(response, 405);
    const allowed = response.headers.allow.split(',').map((m) => m.trim()).sort();
    assert.deepEqual(allowed, ['GET', 'POST']);
    const login405 = await api(server, 'GET', '/api/v1/auth/login');
    assertError(login405, 405);
    assert.equal(login405.headers.allow, 'POST');
  });

  // Unmatched routes get a body limit of 0 (server.cpp:146-153), so any request body turns the
  // 404/405 into "413 request body exceeds 0 bytes".
  it('unknown API path with a JSON body is still 404', async () => {
    assertError(await api(server, 'POST', '/api/v1/nope', { body: {} }), 404);
  });

  it('wrong method with a JSON body is still 405 with Allow', async () => {
    const response = await api(server, 'PUT', '/api/v1/meetings', { token: account.accessToken, body: { kind: 'instant' } });
    assertError(response, 405);
    assert.ok(response.headers.allow);
  });

  it('a 20 KB header is 431', async () => {
    const exchange = await rawExchange(server.port, httpRequest('GET', '/healthz', { headers: { 'X-Big': 'a'.repeat(20 * 1024) } }));
    assertRawError(exchange, 431);
    await healthy();
  });

  it('garbage bytes instead of HTTP do not hurt the server', async () => {
    const garbage = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 37 + 11) % 256));
    const exchange = await rawExchange(server.port, garbage, { halfClose: true });
    assert.ok(exchange.closed, 'the server closes the connection');
    assert.ok(exchange.status === null || exchange.status === 400, exchange.text);
    await rawExchange(server.port, '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03', { halfClose: true }); // a TLS hello
    await healthy();
  });

  it('a request line without headers, then close', async () => {
    await rawExchange(server.port, 'GET /healthz HTTP/1.1\r\n', { halfClose: true });
    await rawExchange(server.port, 'POST /api/v1/auth/login HTTP/1.1\r\nContent-Length: 100\r\n\r\n{"em', {
      halfClose: true,
    });
    await healthy();
  });

  it('a slowloris connection does not block other clients', async () => {
    const slow = await openSocket(server.port);
    try {
      slow.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
      for (let i = 0; i < 3; i += 1) {
        slow.socket.write('a');
        const started = Date.now();
        await healthy();
        const me = await api(server, 'GET', '/api/v1/users/me', { token: account.accessToken });
        assert.equal(me.status, 200);
        assert.ok(Date.now() - started < 2_000, 'other requests are served promptly');
      }
    } finally {
      slow.socket.destroy();
    }
  });

  it('a bogus percent-encoding or NUL in the path is handled', async () => {
    assert.ok([400, 404].includes((await api(server, 'GET', '/api/v1/meetings/%zz')).status));
    assert.ok([400, 404].includes((await api(server, 'GET', '/api/v1/meetings/abc%00')).status));
    await healthy();
  });

  it('none of this changed any data', async () => {
    const after = await api(server, 'GET', '/api/v1/meetings', { token: account.accessToken });
    assert.deepEqual(after.json.items, meetingsBefore);
    const again = await login(server, account.email, account.password);
    assert.equal(again.status, 200);
    await healthy();
  });
});
