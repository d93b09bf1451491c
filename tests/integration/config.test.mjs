// Configuration: --help, refused configurations (exit 2, one line on stderr), --dev secret
// generation, precedence .env < environment < flags, port conflicts and TLS.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import https from 'node:https';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';

import { api, parseSetCookie, registerUser } from './lib/http.mjs';
import { makeTempDir, randomSecret, removeDir, runBinary, startServer, WEB_ROOT } from './lib/server.mjs';

// Exactly one line on stderr, mentioning `mention`, and exit code 2.
function assertConfigError(result, mention) {
  assert.equal(result.timedOut, false, 'the binary must exit on a bad configuration');
  assert.equal(result.code, 2, `exit code 2 expected, got ${result.code}; stderr: ${result.stderr}`);
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line on stderr expected:\n${result.stderr}`);
  assert.ok(lines[0].length > 10);
  if (mention) assert.match(lines[0], mention);
}

describe('configuration', () => {
  let dir;
  let dbArgs;
  const secret = randomSecret();
  before(async () => {
    dir = await makeTempDir();
    dbArgs = ['--port', '0', '--database-url', `sqlite://${path.join(dir, 'db.sqlite')}`, '--web-root', WEB_ROOT];
  });
  after(async () => {
    await removeDir(dir);
  });

  it('--help exits 0 and documents the settings', async () => {
    const result = await runBinary(['--help'], {}, dir);
    assert.equal(result.code, 0, result.stderr);
    for (const name of ['PORT', 'DATABASE_URL', 'JWT_SECRET', 'PUBLIC_URL', 'MEDIA_ANNOUNCED_IP', 'MEDIA_UDP_PORT', 'TLS_CERT', 'LOG_LEVEL']) {
      assert.ok(result.stdout.includes(name), `--help mentions ${name}`);
    }
    assert.equal(result.stderr, '');
  });

  it('no JWT secret and no --dev: exit 2 naming JWT_SECRET', async () => {
    assertConfigError(await runBinary(dbArgs, {}, dir), /JWT_SECRET/);
  });

  it('a weak JWT secret: exit 2', async () => {
    assertConfigError(await runBinary(dbArgs, { JWT_SECRET: 'short' }, dir), /JWT_SECRET/);
    assertConfigError(await runBinary([...dbArgs, '--jwt-secret', 'x'.repeat(31)], {}, dir), /JWT_SECRET/);
  });

  it('out-of-range port, bad log level, unsupported database, bad PUBLIC_URL: exit 2', async () => {
    const env = { JWT_SECRET: secret };
    assertConfigError(await runBinary([...dbArgs, '--port', '70000'], env, dir), /port/i);
    // No --port flag here: a flag would (rightly) override the bad environment value.
    assertConfigError(await runBinary(dbArgs.slice(2), { ...env, PORT: '-1' }, dir), /port/i);
    assertConfigError(await runBinary([...dbArgs, '--log-level', 'chatty'], env, dir), /log-level|chatty/i);
    assertConfigError(await runBinary(dbArgs, { ...env, LOG_LEVEL: 'loud' }, dir), /log-level|loud/i);
    assertConfigError(await runBinary([...dbArgs, '--database-url', 'postgres://x'], env, dir), /DATABASE_URL/);
    assertConfigError(await runBinary(['--port', '0'], { ...env, DATABASE_URL: 'postgres://x' }, dir), /DATABASE_URL/);
    assertConfigError(await runBinary([...dbArgs, '--public-url', 'meet.example.com'], env, dir), /PUBLIC_URL/);
    assertConfigError(await runBinary([...dbArgs, '--no-such-flag'], env, dir));
  });

  it('a malformed .env file: exit 2 naming the file', async () => {
    const envDir = await makeTempDir();
    try {
      await writeFile(path.join(envDir, '.env'), 'JWT_SECRET\n');
      assertConfigError(await runBinary(dbArgs, { JWT_SECRET: secret }, envDir), /\.env/);
    } finally {
      await removeDir(envDir);
    }
  });

  it('--dev creates .env with a JWT secret and reuses it on the next start', async () => {
    const devDir = await makeTempDir();
    let server;
    try {
      server = await startServer({ dataDir: devDir, args: ['--dev'], env: { JWT_SECRET: null } });
      const envText = readFileSync(path.join(devDir, '.env'), 'utf8');
      const match = /^JWT_SECRET=(\S+)$/m.exec(envText);
      assert.ok(match, `.env holds JWT_SECRET=:\n${envText}`);
      assert.ok(match[1].length >= 32);
      assert.ok(!server.logs().includes(match[1]), 'the secret itself is never logged');
      const account = await registerUser(server);
      await server.stop({ removeData: false });

      server = await startServer({ dataDir: devDir, args: ['--dev'], env: { JWT_SECRET: null } });
      assert.equal(readFileSync(path.join(devDir, '.env'), 'utf8'), envText, '.env unchanged on the second run');
      const me = await api(server, 'GET', '/api/v1/users/me', { token: account.accessToken });
      assert.equal(me.status, 200, 'tokens from the first run are valid on the second');
    } finally {
      await server?.stop({ removeData: false });
      await removeDir(devDir);
    }
  });

  it('precedence: .env < environment < flags', async () => {
    const envDir = await makeTempDir();
    const servers = [];
    const allows = async (server, origin) =>
      (await api(server, 'GET', '/healthz', { headers: { Origin: origin } })).headers['access-control-allow-origin'] === origin;
    try {
      await writeFile(
        path.join(envDir, '.env'),
        `# test\nPORT=1\nJWT_SECRET=short\nexport CORS_ORIGINS="http://dotenv.example"\n`,
      );
      // The environment overrides .env (a port and a secret that would fail from .env alone);
      // CORS_ORIGINS, set only in .env, applies.
      servers.push(await startServer({ dataDir: envDir, port: null, env: { PORT: '0', JWT_SECRET: secret } }));
      // Flags override both .env and the environment.
      servers.push(
        await startServer({
          dataDir: envDir,
          port: 0,
          env: { PORT: '1', JWT_SECRET: secret, CORS_ORIGINS: 'http://env.example' },
          args: ['--cors-origins', 'http://flag.example'],
        }),
      );
      for (const server of servers) {
        assert.notEqual(server.port, 1);
        assert.equal((await api(server, 'GET', '/healthz')).status, 200);
      }
      assert.equal(await allows(servers[0], 'http://dotenv.example'), true, 'value from .env');
      assert.equal(await allows(servers[1], 'http://flag.example'), true, 'value from the flag');
      assert.equal(await allows(servers[1], 'http://env.example'), false, 'the flag replaced the environment');
      assert.equal(await allows(servers[1], 'http://dotenv.example'), false, 'the flag replaced .env');
    } finally {
      for (const server of servers) await server.stop({ removeData: false });
      await removeDir(envDir);
    }
  });

  it('a flag overrides an invalid value from .env or the environment', async () => {
    const envDir = await makeTempDir();
    let server;
    try {
      await writeFile(path.join(envDir, '.env'), 'LOG_LEVEL=bogus\n');
      server = await startServer({ dataDir: envDir, env: { JWT_SECRET: secret }, args: ['--log-level', 'info'] });
      assert.equal((await api(server, 'GET', '/healthz')).status, 200);
    } finally {
      await server?.stop({ removeData: false });
      await removeDir(envDir);
    }
  });

  it('a port already in use: non-zero exit with a clear message', async () => {
    const server = await startServer();
    try {
      const result = await runBinary(['--port', String(server.port), '--database-url', `sqlite://${path.join(dir, 'other.sqlite')}`], {
        JWT_SECRET: secret,
      }, dir);
      assert.equal(result.timedOut, false);
      assert.notEqual(result.code, 0);
      assert.match(result.stderr, new RegExp(`cannot listen on .*:${server.port}`));
      assert.match(result.stderr, /in use/i);
      assert.equal((await api(server, 'GET', '/healthz')).status, 200, 'the first server is unaffected');
    } finally {
      await server.stop();
    }
  });
});

describe('TLS', () => {
  let dir;
  let server;
  let ca;
  before(async () => {
    dir = await makeTempDir('fluxmeet-tls-');
    await promisify(execFile)('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
    ]);
    ca = readFileSync(path.join(dir, 'cert.pem'));
    server = await startServer({
      env: { TLS_CERT: path.join(dir, 'cert.pem'), TLS_KEY: path.join(dir, 'key.pem') },
    });
    server.ca = ca; // lib/http.mjs api() trusts it
  });
  after(async () => {
    await server?.stop();
    await removeDir(dir);
  });

  it('serves HTTPS on https://localhost with HSTS', async () => {
    assert.match(server.url, /^https:/);
    const response = await new Promise((resolve, reject) => {
      const request = https.get(
        { host: 'localhost', family: 4, port: server.port, path: '/healthz', agent: new https.Agent({ ca }) },
        (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (c) => (text += c)).on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
        },
      );
      request.setTimeout(10_000, () => request.destroy(new Error('timeout')));
      request.on('error', reject);
    });
    assert.equal(response.status, 200);
    assert.equal(JSON.parse(response.text).status, 'ok');
    assert.match(response.headers['strict-transport-security'] ?? '', /max-age=\d+/);
  });

  it('an untrusted client refuses the self-signed certificate (sanity check)', async () => {
    await assert.rejects(api(server.url, 'GET', '/healthz'), /self.signed|certificate/i);
  });

  it('the refresh cookie is Secure over HTTPS', async () => {
    const account = await registerUser(server);
    const header = account.response.setCookies.find((c) => c.startsWith('fm_refresh='));
    const cookie = parseSetCookie(header);
    assert.equal(cookie.attributes.secure, true, header);
    assert.equal(cookie.attributes.httponly, true);
    const me = await api(server, 'GET', '/api/v1/users/me', { token: account.accessToken });
    assert.equal(me.status, 200);
    assert.ok(me.headers['strict-transport-security']);
    const logout = await api(server, 'POST', '/api/v1/auth/logout', { cookie: account.cookie });
    assert.match(logout.setCookies.join('\n'), /Max-Age=0.*Secure|Secure.*Max-Age=0/);
  });

  it('missing certificate file or half a TLS config: exit 2', async () => {
    const base = ['--port', '0', '--database-url', `sqlite://${path.join(dir, 'x.sqlite')}`];
    const env = { JWT_SECRET: randomSecret() };
    assertConfigError(
      await runBinary([...base, '--tls-cert', path.join(dir, 'missing.pem'), '--tls-key', path.join(dir, 'key.pem')], env, dir),
      /TLS_CERT/,
    );
    assertConfigError(await runBinary([...base, '--tls-cert', path.join(dir, 'cert.pem')], env, dir), /TLS_KEY/);
  });
});
