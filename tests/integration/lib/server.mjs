// Starts and stops the real fluxmeet binary for integration tests.
// Every process started here is tracked by PID and only ever signalled by that PID.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const BINARY = process.env.FLUXMEET_BIN || path.join(repoRoot, 'build/test/server/app/fluxmeet');
export const WEB_ROOT = process.env.FLUXMEET_WEB_ROOT || path.join(repoRoot, 'web/dist');

const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 10_000;
const SANITIZER_MARKERS = ['AddressSanitizer', 'LeakSanitizer', 'runtime error:'];

// Configuration keys the server reads from its environment; inherited values would make tests
// depend on whoever runs them, so they are stripped before the caller's env is applied.
const CONFIG_KEYS = [
  'FLUXMEET_DEV', 'ENV_FILE', 'LISTEN_ADDRESS', 'PORT', 'DATABASE_URL', 'JWT_SECRET', 'PUBLIC_URL',
  'MEDIA_ANNOUNCED_IP', 'MEDIA_UDP_PORT', 'TLS_CERT', 'TLS_KEY', 'LOG_LEVEL', 'WEB_ROOT', 'CORS_ORIGINS',
  'SMTP_URL', 'SMTP_FROM', 'LOGIN_ATTEMPTS_PER_MINUTE', 'PASSWORD_HASH_COST', 'SIGNAL_RECONNECT_GRACE_MS',
  'MEDIA_LISTEN_IP', 'MEDIA_WORKERS', 'MEDIA_TCP_PORT', 'TURN_URLS', 'TURN_SECRET', 'TURN_CREDENTIAL_TTL',
  'VAPID_PUBLIC_KEY', 'VAPID_PRIVATE_KEY', 'VAPID_SUBJECT', 'PUSH_ALLOW_HTTP', 'PUSH_SCHEDULER_INTERVAL_MS',
  'PUSH_CA_FILE',
];

export function randomSecret(length = 48) {
  return randomBytes(length).toString('base64url').slice(0, length);
}

export async function makeTempDir(prefix = 'fluxmeet-it-') {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

export async function removeDir(dir) {
  if (dir) await rm(dir, { recursive: true, force: true });
}

// env values of null remove the variable (e.g. { JWT_SECRET: null } for --dev tests).
function buildEnv(overrides) {
  const env = { ...process.env };
  for (const key of CONFIG_KEYS) delete env[key];
  for (const [key, value] of Object.entries(overrides)) {
    if (value === null || value === undefined) delete env[key];
    else env[key] = String(value);
  }
  return env;
}

export function findSanitizerReport(text) {
  return SANITIZER_MARKERS.find((marker) => text.includes(marker)) ?? null;
}

// Resolves like promise, or after ms with onTimeout()'s value (or rejects if onTimeout throws).
function withTimeout(promise, ms, onTimeout) {
  let timer;
  const timeout = new Promise((resolve, reject) => {
    timer = setTimeout(() => {
      try {
        resolve(onTimeout());
      } catch (error) {
        reject(error);
      }
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Spawns fluxmeet with --port 0 in a temp dir and waits for its "listening on" line.
 * Options: env (merged over the defaults; a null value removes the variable, e.g. JWT_SECRET: null),
 * args (extra flags, which win over the defaults), dataDir (reuse a dir, e.g. after a restart),
 * webRoot, port (instead of 0; null passes no --port at all so the default applies).
 * The JWT secret is random unless env.JWT_SECRET is given; it is exposed as server.secret.
 */
export async function startServer({ env = {}, args = [], dataDir, webRoot = WEB_ROOT, port = 0 } = {}) {
  const ownsDir = !dataDir;
  const dir = dataDir ?? (await makeTempDir());
  const secret = 'JWT_SECRET' in env ? env.JWT_SECRET : randomSecret();
  const fullEnv = buildEnv({
    LOGIN_ATTEMPTS_PER_MINUTE: '1000',
    // Test servers run side by side: any free media port, loopback candidates, one worker.
    MEDIA_UDP_PORT: '0',
    MEDIA_ANNOUNCED_IP: '127.0.0.1',
    MEDIA_WORKERS: '1',
    ...env,
    JWT_SECRET: secret,
  });
  const fullArgs = [
    ...(port === null ? [] : ['--port', String(port)]),
    '--database-url', `sqlite://${path.join(dir, 'db.sqlite')}`,
    '--web-root', webRoot,
    '--password-hash-cost', 'test',
    // The threaded connection path (the default from three cores) stays tested on two-core CI
    // machines, whose default is none; the e2e tests run that default.
    '--http-threads', '1',
    ...args,
  ];
  const child = spawn(BINARY, fullArgs, { cwd: dir, env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
    child.on('error', (error) => resolve({ code: null, signal: null, error }));
  });
  let exitStatus = null;
  exited.then((status) => {
    exitStatus = status;
  });

  const listening = new Promise((resolve, reject) => {
    const onData = () => {
      const match = /listening on (https?):\/\/[^:\s]+:(\d+)/.exec(stdout);
      if (match) resolve({ scheme: match[1], port: Number(match[2]) });
    };
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      onData();
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    exited.then((status) =>
      reject(new Error(`fluxmeet exited before listening (${JSON.stringify(status)}):\n${stderr}\n${stdout}`)),
    );
  });

  let started;
  try {
    started = await withTimeout(listening, START_TIMEOUT_MS, () => {
      throw new Error(`fluxmeet did not report listening within ${START_TIMEOUT_MS} ms:\n${stderr}\n${stdout}`);
    });
  } catch (error) {
    if (exitStatus === null && child.pid) child.kill('SIGKILL');
    await withTimeout(exited, STOP_TIMEOUT_MS, () => null);
    if (ownsDir) await removeDir(dir);
    throw error;
  }

  // 127.0.0.1 rather than localhost: the server listens on IPv4 only, and localhost may be ::1.
  const server = {
    url: `${started.scheme}://127.0.0.1:${started.port}`,
    port: started.port,
    dataDir: dir,
    secret,
    pid: child.pid,
    logs: () => stdout + stderr,
    stdout: () => stdout,
    stderr: () => stderr,
    exitStatus: () => exitStatus,
    exited,
    // SIGTERM, wait for a clean exit, and fail on any sanitizer report. Returns the exit status.
    async stop({ removeData = ownsDir } = {}) {
      if (exitStatus === null) {
        child.kill('SIGTERM');
        const status = await withTimeout(exited, STOP_TIMEOUT_MS, () => null);
        if (status === null) {
          child.kill('SIGKILL');
          await exited;
          throw new Error(`fluxmeet (pid ${child.pid}) did not exit within ${STOP_TIMEOUT_MS} ms of SIGTERM`);
        }
      }
      const report = findSanitizerReport(stdout + stderr);
      if (removeData) await removeDir(dir);
      if (report) throw new Error(`sanitizer report (${report}) in fluxmeet output:\n${stderr}\n${stdout}`);
      return exitStatus;
    },
    // Crash simulation: SIGKILL, no graceful shutdown.
    async kill() {
      if (exitStatus === null) child.kill('SIGKILL');
      return exited;
    },
  };
  return server;
}

/**
 * Runs the binary to completion (for configuration tests that expect it to exit).
 * Resolves {code, signal, stdout, stderr, timedOut}; kills it (by PID) after timeoutMs.
 */
export function runBinary(args = [], env = {}, cwd = os.tmpdir(), { timeoutMs = 10_000 } = {}) {
  return new Promise((resolve) => {
    const child = spawn(BINARY, args, { cwd, env: buildEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, signal: null, stdout, stderr: stderr + String(error), timedOut });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}
