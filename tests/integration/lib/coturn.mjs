// Runs a private coturn (`turnserver`, Debian package coturn) on 127.0.0.1 for the TURN tests:
// a free UDP port, a temp config with the TURN REST secret (use-auth-secret, as docs/deploy.md
// sets it up for production, plus allow-loopback-peers so that it relays to the SFU on
// 127.0.0.1), its log and pid file in a temp dir. Stopped by its PID only.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { accessSync, constants, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

import { makeTempDir, removeDir } from './server.mjs';
import { stunPing } from './turn_client.mjs';

const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

/** Absolute path of turnserver, or null when coturn is not installed. */
export function findTurnserver() {
  const candidates = process.env.TURNSERVER_BIN
    ? [process.env.TURNSERVER_BIN]
    : [...(process.env.PATH ?? '').split(':').filter(Boolean), '/usr/bin', '/usr/sbin'].map((dir) => path.join(dir, 'turnserver'));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // next
    }
  }
  return null;
}

async function freeUdpPort() {
  const socket = dgram.createSocket('udp4');
  await new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', resolve);
  });
  const { port } = socket.address();
  await new Promise((resolve) => socket.close(resolve));
  return port;
}

function readLog(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Starts turnserver and waits until it answers a STUN Binding request. Resolves
 * {address, port, realm, secret, pid, logs(), stop()}. Throws when turnserver is missing.
 */
export async function startCoturn({ secret = randomBytes(32).toString('hex'), realm = 'fluxmeet.test' } = {}) {
  const binary = findTurnserver();
  if (!binary) {
    throw new Error('turnserver not found: install the Debian package coturn (`make setup` or `apt-get install coturn`)');
  }
  const dir = await makeTempDir('fluxmeet-coturn-');
  const port = await freeUdpPort();
  const logFile = path.join(dir, 'turnserver.log');
  const config = [
    'listening-ip=127.0.0.1',
    'relay-ip=127.0.0.1',
    `listening-port=${port}`,
    // The TURN REST API (draft-uberti-behave-turn-rest-00), the same lines as docs/deploy.md.
    'use-auth-secret',
    `static-auth-secret=${secret}`,
    `realm=${realm}`,
    'fingerprint',
    // Test-only: the SFU under test listens on 127.0.0.1, which coturn refuses to relay to otherwise.
    'allow-loopback-peers',
    'no-tls',
    'no-dtls',
    'no-tcp',
    'no-cli',
    'no-rfc5780',
    'no-software-attribute',
    'no-multicast-peers',
    'simple-log',
    `log-file=${logFile}`,
    `pidfile=${path.join(dir, 'turnserver.pid')}`,
    // Not the system's /var/lib/turn/turndb: a test leaves nothing behind.
    `userdb=${path.join(dir, 'turndb')}`,
  ];
  const configFile = path.join(dir, 'turnserver.conf');
  await writeFile(configFile, `${config.join('\n')}\n`, { mode: 0o600 });

  const child = spawn(binary, ['-c', configFile], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk));
  let exitStatus = null;
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve((exitStatus = { code, signal })));
    child.on('error', (error) => resolve((exitStatus = { code: null, signal: null, error: String(error) })));
  });
  const logs = () => `${readLog(logFile)}${output}`;

  const stop = async () => {
    if (exitStatus === null && child.pid) {
      child.kill('SIGTERM');
      const stopped = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve(null), STOP_TIMEOUT_MS))]);
      if (stopped === null) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    await removeDir(dir);
  };

  const server = { address: '127.0.0.1', port };
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await stunPing(server))) {
    if (exitStatus !== null || Date.now() > deadline) {
      const why = exitStatus !== null ? `exited (${JSON.stringify(exitStatus)})` : `did not answer within ${START_TIMEOUT_MS} ms`;
      const text = logs();
      await stop();
      throw new Error(`turnserver on 127.0.0.1:${port} ${why}:\n${text}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { ...server, realm, secret, pid: child.pid, logs, stop, exitStatus: () => exitStatus };
}
