// Shared by the Node load generators of bench/*/bench.mjs: the server's CPU time from /proc,
// percentiles, bounded waits and concurrency, and REST calls that ride out a busy password pool.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';

// The integration tests already install 'ws' (tests/integration/package.json); reuse it.
const require = createRequire(new URL('../../tests/integration/package.json', import.meta.url));
export const WebSocket = require('ws');

export const CLK_TCK = 100; // Linux USER_HZ; the run.sh scripts check getconf CLK_TCK
export const REQUEST_TIMEOUT_MS = 15_000;

export const log = (...args) => console.error(`[${new Date().toISOString().slice(11, 19)}]`, ...args);

export function rssKiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)[1]);
}

/** User and system (kernel) CPU time of the process so far, in clock ticks (CLK_TCK a second). */
export function cpuTimes(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]), system: Number(fields[12]) }; // utime, stime (fields 14, 15)
}

/** User + system CPU time of the process so far, in clock ticks (CLK_TCK a second). */
export function cpuTicks(pid) {
  const { user, system } = cpuTimes(pid);
  return user + system;
}

/** Nearest-rank percentile of an ascending array; NaN when it is empty. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms);
    }),
  ]);
}

// Runs fn(i) for i in [0, n) with at most `inFlight` at once; collects failures instead of
// stopping at the first so the report can say how many failed and why.
export async function pool(n, inFlight, fn) {
  let next = 0;
  const errors = [];
  async function worker() {
    while (next < n) {
      const i = next++;
      try {
        await fn(i);
      } catch (error) {
        errors.push(error);
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(n, inFlight) }, worker));
  return errors;
}

/** The first few distinct error messages with their counts, for a report line. */
export function firstErrors(errors) {
  const counts = new Map();
  for (const error of errors) counts.set(error.message, (counts.get(error.message) ?? 0) + 1);
  return [...counts].slice(0, 3).map(([message, count]) => `${count} x ${message}`).join('; ');
}

export async function post(baseUrl, path, body, token) {
  for (let attempt = 0; attempt < 20; attempt++) {
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    // 503 = the password-hashing pool is full (bounded work queue): wait and retry.
    if (response.status === 503) {
      await sleep(50);
      continue;
    }
    if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
    return response.json();
  }
  throw new Error(`POST ${path}: still 503 after 20 attempts`);
}

/** Registers `count` users (bench0, bench1, …) and returns their access tokens. */
export async function registerUsers(baseUrl, count) {
  const tokens = new Array(count);
  const errors = await pool(count, 8, async (i) => {
    const name = `bench${i}`;
    const registered = await post(baseUrl, '/api/v1/auth/register', {
      username: name, email: `${name}@example.com`, password: 'bench-password-0123456789',
    });
    tokens[i] = registered.accessToken;
  });
  if (errors.length) throw new Error(`registration: ${errors.length} failed: ${firstErrors(errors)}`);
  return tokens;
}

/**
 * One signaling connection (docs/protocol.md): requests matched by id; notifications go to
 * onNotification(message, receivedAt, frameBytes), which a bench overrides to time them.
 */
export class SignalConnection {
  constructor(wsUrl, index) {
    this.wsUrl = wsUrl;
    this.index = index;
    this.nextId = 1;
    this.pending = new Map();
  }

  open() {
    return new Promise((resolve, reject) => {
      this.socket = new WebSocket(this.wsUrl, { perMessageDeflate: false, handshakeTimeout: REQUEST_TIMEOUT_MS });
      this.socket.once('open', resolve);
      this.socket.once('error', reject);
      this.socket.on('message', (data) => this.onMessage(data));
      this.socket.on('close', () => {
        for (const { reject: fail } of this.pending.values()) fail(new Error('socket closed'));
        this.pending.clear();
      });
    });
  }

  onMessage(data) {
    const now = performance.now();
    const message = JSON.parse(data.toString('utf8'));
    if (message.id !== undefined) {
      const pending = this.pending.get(message.id);
      if (pending) {
        this.pending.delete(message.id);
        pending.resolve(message);
      }
    } else {
      this.onNotification(message, now, data.length);
    }
  }

  onNotification() {}

  /** Sends a request; resolves its data, rejects on an error response. `sent(bytes)` sees the frame size. */
  async call(method, data, sent) {
    const id = this.nextId++;
    const text = JSON.stringify({ id, method, data });
    sent?.(Buffer.byteLength(text));
    const response = await withTimeout(
      new Promise((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        this.socket.send(text);
      }),
      REQUEST_TIMEOUT_MS,
      method,
    );
    if (!response.ok) throw new Error(`${method}: ${JSON.stringify(response.error)}`);
    return response.data;
  }

  close() {
    this.socket?.terminate();
  }
}
