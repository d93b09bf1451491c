// Starts the real fluxmeet binary on a free port with a throw-away SQLite database, serving the
// built web client, for the browser tests of this directory.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const serverBinary = process.env.FLUXMEET_BIN || join(repoRoot, 'build/test/server/app/fluxmeet');
export const webRoot = process.env.FLUXMEET_WEB_ROOT || join(repoRoot, 'web/dist');

const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 15_000;

/**
 * Resolves once the server logs its address. `stop()` sends SIGTERM and resolves with the exit
 * status and the collected output, so a test can assert a clean (sanitizer-quiet) shutdown.
 */
export async function startServer() {
  for (const [what, path] of [
    ['server binary (FLUXMEET_BIN)', serverBinary],
    ['web client (FLUXMEET_WEB_ROOT)', join(webRoot, 'index.html')],
  ]) {
    if (!existsSync(path)) throw new Error(`${what} not found at ${path}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'fluxmeet-e2e-'));
  // 48 URL-safe characters: the server wants at least 32.
  const secret = randomBytes(36).toString('base64url');
  const child = spawn(
    serverBinary,
    [
      '--port', '0',
      '--database-url', `sqlite://${join(dir, 'db.sqlite')}`,
      '--web-root', webRoot,
      '--password-hash-cost', 'test',
      '--login-attempts-per-minute', '1000',
      // Side by side with other test servers: any free media port, loopback candidates.
      '--media-udp-port', '0',
      '--media-announced-ip', '127.0.0.1',
      '--media-workers', '1',
    ],
    { cwd: dir, env: { ...process.env, JWT_SECRET: secret }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const exited = new Promise((resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal })));

  const url = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => fail(new Error(`server did not start within ${START_TIMEOUT_MS} ms:\n${output}`)), START_TIMEOUT_MS);
    function fail(error) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    }
    const onData = (chunk) => {
      output += chunk.toString();
      const match = /listening on (https?:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1].replace(/\/$/, ''));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('error', fail);
    void exited.then(({ code, signal }) => fail(new Error(`server exited early (${code ?? signal}):\n${output}`)));
  });

  let stopped = null;
  return {
    url,
    dir,
    output: () => output,
    stop() {
      stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        const timeout = new Promise((r) => setTimeout(() => r(null), STOP_TIMEOUT_MS));
        let status = await Promise.race([exited, timeout]);
        if (!status) {
          child.kill('SIGKILL');
          status = { ...(await exited), timedOut: true };
        }
        rmSync(dir, { recursive: true, force: true });
        return { ...status, output };
      })();
      return stopped;
    },
  };
}
