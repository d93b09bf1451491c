// HTTP/1.1 wire behaviour: keep-alive, pipelining, HTTP/1.0, HEAD, ambiguous framing (request
// smuggling), Host requirements and Authorization scheme case.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { api, registerUser } from './lib/http.mjs';
import { rawExchange } from './lib/raw.mjs';
import { startServer } from './lib/server.mjs';

const statusLines = (text) => text.match(/HTTP\/1\.[01] \d{3}/g) ?? [];

describe('HTTP protocol', () => {
  let server;
  let account;
  before(async () => {
    server = await startServer();
    account = await registerUser(server);
  });
  after(async () => {
    await server?.stop();
  });

  it('pipelined requests on one connection get responses in order', async () => {
    const exchange = await rawExchange(
      server.port,
      'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /api/v1/nope HTTP/1.1\r\nHost: x\r\n\r\n' +
        'GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    assert.deepEqual(statusLines(exchange.text), ['HTTP/1.1 200', 'HTTP/1.1 404', 'HTTP/1.1 200']);
    assert.ok(exchange.closed, 'Connection: close is honoured');
  });

  it('HTTP/1.0 gets one response and the connection closes', async () => {
    const exchange = await rawExchange(server.port, 'GET /healthz HTTP/1.0\r\n\r\n');
    assert.equal(exchange.status, 200);
    assert.ok(exchange.closed);
  });

  it('HEAD has headers but no body', async () => {
    const response = await api(server, 'HEAD', '/healthz');
    assert.equal(response.status, 200);
    assert.equal(response.body.length, 0);
    assert.equal(response.headers['content-length'], '15');
  });

  it('Content-Length together with Transfer-Encoding never lets a second request through', async () => {
    const exchange = await rawExchange(
      server.port,
      'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
        'Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /api/v1/smuggled HTTP/1.1\r\nHost: x\r\n\r\n',
    );
    const lines = statusLines(exchange.text);
    assert.ok(lines.length <= 1, `at most one response, got ${lines.join(', ')}`);
    if (lines.length === 1) assert.equal(lines[0], 'HTTP/1.1 400');
    assert.ok(exchange.closed, 'the connection is closed');
  });

  it('conflicting Content-Length headers are refused', async () => {
    const exchange = await rawExchange(
      server.port,
      'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
        'Content-Length: 7\r\nContent-Length: 50\r\n\r\n{"a":1}',
    );
    const lines = statusLines(exchange.text);
    assert.ok(lines.length === 0 || lines[0] === 'HTTP/1.1 400', exchange.text);
    assert.ok(exchange.closed);
  });

  it('an HTTP/1.1 request without Host is 400 (RFC 9112 section 3.2)', async () => {
    const exchange = await rawExchange(server.port, 'GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n');
    assert.equal(exchange.status, 400);
  });

  it('the Bearer scheme is case-insensitive (RFC 9110 section 11.1)', async () => {
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const response = await api(server, 'GET', '/api/v1/users/me', {
        headers: { Authorization: `${scheme} ${account.accessToken}` },
      });
      assert.equal(response.status, 200, scheme);
    }
  });

  it('an access token in the query string is not accepted', async () => {
    const response = await api(server, 'GET', `/api/v1/users/me?access_token=${account.accessToken}`);
    assert.equal(response.status, 401);
  });

  it('a keep-alive connection survives an error response', async () => {
    const exchange = await rawExchange(
      server.port,
      'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 3\r\n\r\n{x}' +
        'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    assert.deepEqual(statusLines(exchange.text), ['HTTP/1.1 400', 'HTTP/1.1 200']);
  });
});
