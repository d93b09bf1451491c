// Operator endpoints, security headers, static files, CORS, persistence and shutdown.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import zlib from 'node:zlib';

import { api, assertError, isoIn, login, registerUser } from './lib/http.mjs';
import { httpRequest, rawExchange } from './lib/raw.mjs';
import { makeTempDir, randomSecret, removeDir, startServer, WEB_ROOT } from './lib/server.mjs';

const hasWebClient = existsSync(path.join(WEB_ROOT, 'index.html'));
const noWebClient = hasWebClient ? false : `web client not built in ${WEB_ROOT}`;

function assertSecurityHeaders(response) {
  const csp = response.headers['content-security-policy'];
  assert.ok(csp, 'Content-Security-Policy present');
  const scriptSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src'));
  assert.ok(scriptSrc, 'CSP has script-src');
  assert.ok(!scriptSrc.includes("'unsafe-inline'"), `script-src must not allow inline scripts: ${scriptSrc}`);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.equal(response.headers['x-content-type-options'], 'nosniff');
  assert.ok(response.headers['referrer-policy']);
  assert.equal(response.headers['strict-transport-security'], undefined, 'no HSTS over plain HTTP');
}

describe('server', () => {
  let server;
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server?.stop();
  });

  it('/healthz and /readyz are 200', async () => {
    const health = await api(server, 'GET', '/healthz');
    assert.equal(health.status, 200);
    assert.equal(health.json.status, 'ok');
    const ready = await api(server, 'GET', '/readyz');
    assert.equal(ready.status, 200);
    assert.equal(ready.json.status, 'ready');
  });

  it('/metrics counts requests by route pattern and has the latency histogram', async () => {
    const account = await registerUser(server);
    const created = await api(server, 'POST', '/api/v1/meetings', { token: account.accessToken, body: { kind: 'instant' } });
    await api(server, 'GET', `/api/v1/meetings/${created.json.code}`, { token: account.accessToken });
    const metrics = await api(server, 'GET', '/metrics');
    assert.equal(metrics.status, 200);
    assert.match(metrics.headers['content-type'], /^text\/plain/);
    assert.match(metrics.text, /# TYPE fluxmeet_http_requests_total counter/);
    assert.match(
      metrics.text,
      /fluxmeet_http_requests_total\{route="\/api\/v1\/meetings\/\{code\}",method="GET",status="200"\} 1/,
    );
    assert.ok(!metrics.text.includes(created.json.code), 'no unbounded label values (meeting codes)');
    assert.match(metrics.text, /# TYPE fluxmeet_http_request_duration_seconds histogram/);
    assert.match(metrics.text, /fluxmeet_http_request_duration_seconds_bucket\{route="\/api\/v1\/meetings",le="\+Inf"\} \d+/);
    assert.match(metrics.text, /fluxmeet_http_request_duration_seconds_count\{route="\/healthz"\} \d+/);
  });

  it('security headers on API responses', async () => {
    assertSecurityHeaders(await api(server, 'GET', '/healthz'));
    assertSecurityHeaders(await api(server, 'GET', '/api/v1/nope'));
  });

  it('API responses are not cacheable', async () => {
    const account = await registerUser(server);
    const me = await api(server, 'GET', '/api/v1/users/me', { token: account.accessToken });
    assert.equal(me.headers['cache-control'], 'no-store');
  });

  describe('static files', { skip: noWebClient }, () => {
    const assets = hasWebClient ? readdirSync(path.join(WEB_ROOT, 'assets')) : [];
    const jsAsset = assets.find((f) => f.endsWith('.js'));
    const cssAsset = assets.find((f) => f.endsWith('.css'));
    const indexHtml = hasWebClient ? readFileSync(path.join(WEB_ROOT, 'index.html'), 'utf8') : '';

    it('/ serves index.html with security headers', async () => {
      const response = await api(server, 'GET', '/');
      assert.equal(response.status, 200);
      assert.match(response.headers['content-type'], /^text\/html/);
      assert.equal(response.text, indexHtml);
      assert.equal(response.headers['cache-control'], 'no-cache');
      assertSecurityHeaders(response);
    });

    it('client routes serve index.html', async () => {
      for (const route of ['/meetings', '/m/abc-defg-hij', '/login']) {
        const response = await api(server, 'GET', route);
        assert.equal(response.status, 200, route);
        assert.match(response.headers['content-type'], /^text\/html/);
        assert.equal(response.text, indexHtml);
      }
    });

    it('hashed assets are immutable with the right MIME type', async () => {
      const js = await api(server, 'GET', `/assets/${jsAsset}`);
      assert.equal(js.status, 200);
      assert.match(js.headers['content-type'], /^text\/javascript/);
      assert.match(js.headers['cache-control'], /immutable/);
      assert.equal(js.body.length, readFileSync(path.join(WEB_ROOT, 'assets', jsAsset)).length);
      assertSecurityHeaders(js);
      if (cssAsset) {
        const css = await api(server, 'GET', `/assets/${cssAsset}`);
        assert.match(css.headers['content-type'], /^text\/css/);
        assert.match(css.headers['cache-control'], /immutable/);
      }
      const head = await api(server, 'HEAD', `/assets/${jsAsset}`);
      assert.equal(head.status, 200);
      assert.equal(head.body.length, 0);
    });

    it('missing assets are 404, not the app', async () => {
      const response = await api(server, 'GET', '/assets/nope.js');
      assert.equal(response.status, 404);
      assert.ok(!response.text.includes('<html'));
      assert.equal((await api(server, 'GET', '/nope.png')).status, 404);
    });

    it('path traversal never returns files outside the web root', async () => {
      const targets = [
        '/../../etc/passwd',
        '/%2e%2e/%2e%2e/etc/passwd',
        '/assets/..%2f..%2f..%2f..%2fetc%2fpasswd',
        '/assets/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
        '/..%5c..%5cetc%5cpasswd',
        '/.env',
        '//etc/passwd',
      ];
      for (const target of targets) {
        const exchange = await rawExchange(server.port, httpRequest('GET', target));
        assert.ok(exchange.status !== null, `${target}: no response`);
        assert.ok(!exchange.text.includes('root:'), `${target} leaked /etc/passwd`);
        assert.ok(!exchange.text.includes('JWT_SECRET'), `${target} leaked .env`);
      }
    });

    it('ETag + If-None-Match gives 304', async () => {
      const first = await api(server, 'GET', `/assets/${jsAsset}`);
      const etag = first.headers.etag;
      assert.ok(etag);
      const second = await api(server, 'GET', `/assets/${jsAsset}`, { headers: { 'If-None-Match': etag } });
      assert.equal(second.status, 304);
      assert.equal(second.body.length, 0);
      const stale = await api(server, 'GET', `/assets/${jsAsset}`, { headers: { 'If-None-Match': '"stale"' } });
      assert.equal(stale.status, 200);
    });
  });

  it('graceful shutdown exits with code 0', async () => {
    const other = await startServer();
    await api(other, 'GET', '/healthz');
    const status = await other.stop();
    assert.deepEqual(status, { code: 0, signal: null });
    assert.match(other.logs(), /shutting down/);
  });
});

describe('precompressed static files', () => {
  let server;
  let webRoot;
  const html = `<!doctype html><html><body>${'hello gzip '.repeat(50)}</body></html>`;
  before(async () => {
    webRoot = await makeTempDir('fluxmeet-web-');
    await writeFile(path.join(webRoot, 'index.html'), html);
    await writeFile(path.join(webRoot, 'index.html.gz'), zlib.gzipSync(html));
    server = await startServer({ webRoot });
  });
  after(async () => {
    await server?.stop();
    await removeDir(webRoot);
  });

  it('Accept-Encoding: gzip gets the .gz variant', async () => {
    const response = await api(server, 'GET', '/', { headers: { 'Accept-Encoding': 'gzip' } });
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-encoding'], 'gzip');
    assert.match(response.headers['content-type'], /^text\/html/);
    assert.match(response.headers.vary ?? '', /Accept-Encoding/);
    assert.equal(zlib.gunzipSync(response.body).toString('utf8'), html);
  });

  it('without Accept-Encoding the plain file is served', async () => {
    const response = await api(server, 'GET', '/');
    assert.equal(response.headers['content-encoding'], undefined);
    assert.equal(response.text, html);
  });
});

describe('CORS', () => {
  let server;
  before(async () => {
    server = await startServer({ env: { CORS_ORIGINS: 'http://allowed.example' } });
  });
  after(async () => {
    await server?.stop();
  });

  it('an allowed origin gets Access-Control-Allow-Origin', async () => {
    const response = await api(server, 'GET', '/healthz', { headers: { Origin: 'http://allowed.example' } });
    assert.equal(response.status, 200);
    assert.equal(response.headers['access-control-allow-origin'], 'http://allowed.example');
    assert.equal(response.headers['access-control-allow-credentials'], 'true');
    const preflight = await api(server, 'OPTIONS', '/api/v1/auth/login', {
      headers: { Origin: 'http://allowed.example', 'Access-Control-Request-Method': 'POST' },
    });
    assert.ok(preflight.status < 300, `preflight ${preflight.status}`);
    assert.equal(preflight.headers['access-control-allow-origin'], 'http://allowed.example');
    const post = await api(server, 'POST', '/api/v1/auth/login', {
      headers: { Origin: 'http://allowed.example' },
      body: { email: 'nobody@example.com', password: 'whatever pass' },
    });
    assert.equal(post.status, 401);
  });

  it('a POST from another origin is 403 and has no effect', async () => {
    const email = 'evil-victim@example.com';
    const response = await api(server, 'POST', '/api/v1/auth/register', {
      headers: { Origin: 'http://evil.example' },
      body: { username: 'evil', email, password: 'correct horse battery staple' },
    });
    assertError(response, 403, { code: 'forbidden' });
    assert.equal(response.headers['access-control-allow-origin'], undefined);
    assert.equal((await login(server, email, 'correct horse battery staple')).status, 401);
  });

  it('a GET from another origin gets no CORS headers', async () => {
    const response = await api(server, 'GET', '/healthz', { headers: { Origin: 'http://evil.example' } });
    assert.equal(response.status, 200);
    assert.equal(response.headers['access-control-allow-origin'], undefined);
  });

  it('a same-origin POST (Origin = own host) is allowed', async () => {
    const response = await api(server, 'POST', '/api/v1/auth/login', {
      headers: { Origin: server.url },
      body: { email: 'nobody@example.com', password: 'whatever pass' },
    });
    assert.equal(response.status, 401);
  });
});

describe('persistence across restarts', () => {
  let dataDir;
  let server;
  const secret = randomSecret();
  before(async () => {
    dataDir = await makeTempDir();
  });
  after(async () => {
    if (server && server.exitStatus() === null) await server.stop({ removeData: false });
    await removeDir(dataDir);
  });

  it('accounts, sessions and meetings survive SIGTERM and SIGKILL restarts', async () => {
    server = await startServer({ dataDir, env: { JWT_SECRET: secret } });
    const account = await registerUser(server);
    const created = await api(server, 'POST', '/api/v1/meetings', {
      token: account.accessToken,
      body: { kind: 'scheduled', title: 'Persisted', startsAt: isoIn(60) },
    });
    assert.equal(created.status, 201);
    assert.deepEqual(await server.stop({ removeData: false }), { code: 0, signal: null });

    server = await startServer({ dataDir, env: { JWT_SECRET: secret } });
    const signedIn = await login(server, account.email, account.password);
    assert.equal(signedIn.status, 200);
    const list = await api(server, 'GET', '/api/v1/meetings', { token: signedIn.accessToken });
    assert.ok(list.json.items.some((m) => m.code === created.json.code && m.title === 'Persisted'));
    // Same secret, same database: the access token from before the restart still works.
    assert.equal((await api(server, 'GET', '/api/v1/users/me', { token: account.accessToken })).status, 200);
    const second = await api(server, 'POST', '/api/v1/meetings', {
      token: signedIn.accessToken,
      body: { kind: 'instant', title: 'Before crash' },
    });
    assert.equal(second.status, 201);

    await server.kill(); // crash: no graceful shutdown
    server = await startServer({ dataDir, env: { JWT_SECRET: secret } });
    const afterCrash = await api(server, 'GET', '/api/v1/meetings', { token: signedIn.accessToken });
    assert.equal(afterCrash.status, 200);
    assert.ok(afterCrash.json.items.some((m) => m.code === second.json.code), 'committed data survives a crash');
    assert.equal((await api(server, 'GET', '/readyz')).status, 200);
  });
});
