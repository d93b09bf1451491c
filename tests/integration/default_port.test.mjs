// "make run serves on 6001": without --port the server listens on the default port 6001 and serves
// both the API and the web client there. Skipped (not failed) when 6001 is already taken here.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { it } from 'node:test';

import { api } from './lib/http.mjs';
import { startServer, WEB_ROOT } from './lib/server.mjs';

const DEFAULT_PORT = 6001;

// True when nothing listens on the port (probed the way the server binds: 0.0.0.0).
function portIsFree(port) {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host: '0.0.0.0', exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

it('serves the API and the web client on port 6001 by default', async (t) => {
  if (!(await portIsFree(DEFAULT_PORT))) {
    t.skip(`port ${DEFAULT_PORT} is already in use on this machine (another fluxmeet or make run?)`);
    return;
  }
  let server;
  try {
    server = await startServer({ port: null, args: ['--dev'] });
  } catch (error) {
    // Lost a race for the port against another process between the probe and the start.
    if (/in use/i.test(String(error)) && !(await portIsFree(DEFAULT_PORT))) {
      t.skip(`port ${DEFAULT_PORT} was taken while starting: ${error.message.split('\n')[0]}`);
      return;
    }
    throw error;
  }
  try {
    assert.equal(server.port, DEFAULT_PORT);
    const health = await api(`http://127.0.0.1:${DEFAULT_PORT}`, 'GET', '/healthz');
    assert.equal(health.status, 200);
    const home = await api(`http://127.0.0.1:${DEFAULT_PORT}`, 'GET', '/');
    assert.equal(home.status, 200);
    assert.match(home.headers['content-type'], /^text\/html/);
    if (existsSync(path.join(WEB_ROOT, 'index.html'))) {
      assert.equal(home.text, readFileSync(path.join(WEB_ROOT, 'index.html'), 'utf8'));
    }
  } finally {
    await server.stop();
  }
});
