// WebSocket signaling client for the integration tests (docs/protocol.md): requests with ids,
// responses matched by id, notifications buffered until a test waits for them.
import assert from 'node:assert/strict';

import WebSocket from 'ws';

const DEFAULT_TIMEOUT_MS = 5_000;

export function wsUrl(server) {
  return `${server.url.replace(/^http/, 'ws')}/ws`;
}

export class SignalClient {
  constructor(socket) {
    this.socket = socket;
    this.nextId = 1;
    this.pending = new Map();
    this.notifications = [];
    this.waiters = [];
    this.raw = [];
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        for (const { reject } of this.pending.values()) reject(new Error(`socket closed (${code})`));
        this.pending.clear();
        resolve({ code, reason: reason.toString() });
      });
    });
    socket.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    socket.on('error', () => {});
  }

  onMessage(data, isBinary) {
    assert.equal(isBinary, false, 'server sent a binary frame');
    const message = JSON.parse(data.toString('utf8'));
    this.raw.push(message);
    if ('id' in message) {
      const pending = this.pending.get(message.id);
      if (pending) {
        this.pending.delete(message.id);
        pending.resolve(message);
      }
      return;
    }
    this.notifications.push(message);
    this.waiters = this.waiters.filter((waiter) => !waiter.check());
  }

  // Sends a request and resolves the whole response ({id, ok, data} or {id, ok:false, error}).
  request(method, data, { timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
    const id = this.nextId++;
    const message = data === undefined ? { id, method } : { id, method, data };
    return this.requestRaw(id, JSON.stringify(message), timeoutMs);
  }

  requestRaw(id, text, timeoutMs = DEFAULT_TIMEOUT_MS) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`no response to request ${id} within ${timeoutMs} ms: ${text.slice(0, 200)}`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.socket.send(text);
    });
  }

  // Like request, but asserts success and returns data.
  async call(method, data) {
    const response = await this.request(method, data);
    assert.equal(response.ok, true, `${method} failed: ${JSON.stringify(response.error)}`);
    return response.data;
  }

  // Asserts an error response with the given code; returns the error.
  async expectError(method, data, code) {
    const response = await this.request(method, data);
    assert.equal(response.ok, false, `${method} should fail with ${code}, got ${JSON.stringify(response.data)}`);
    assert.equal(response.error.code, code, `${method}: ${JSON.stringify(response.error)}`);
    assert.equal(typeof response.error.message, 'string');
    return response.error;
  }

  // Resolves (and removes) the first buffered or future notification of `method` matching predicate.
  waitFor(method, predicate = () => true, { timeoutMs = DEFAULT_TIMEOUT_MS } = {}) {
    return new Promise((resolve, reject) => {
      const waiter = {
        check: () => {
          const index = this.notifications.findIndex((n) => n.method === method && predicate(n.data));
          if (index < 0) return false;
          const [found] = this.notifications.splice(index, 1);
          clearTimeout(waiter.timer);
          resolve(found.data);
          return true;
        },
      };
      if (waiter.check()) return;
      waiter.timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        const seen = this.notifications.map((n) => n.method).join(', ');
        reject(new Error(`no ${method} notification within ${timeoutMs} ms (buffered: ${seen})`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  // True when a notification of `method` (matching predicate) is buffered, without consuming it.
  has(method, predicate = () => true) {
    return this.notifications.some((n) => n.method === method && predicate(n.data));
  }

  async hello(token, resumeToken) {
    const data = await this.call('hello', resumeToken ? { token, resumeToken } : { token });
    this.peerId = data.peerId;
    this.resumeToken = data.resumeToken;
    return data;
  }

  close() {
    this.socket.close(1000);
    return this.closed;
  }

  // Drops the TCP connection without a close handshake (a network failure).
  terminate() {
    this.socket.terminate();
    return this.closed;
  }
}

/** Opens a WebSocket to server's /ws: resolves a SignalClient once open. */
export function connect(server, { maxPayload } = {}) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl(server), { maxPayload, handshakeTimeout: DEFAULT_TIMEOUT_MS });
    socket.once('open', () => resolve(new SignalClient(socket)));
    socket.once('error', reject);
  });
}

/** connect + hello with token. */
export async function connectAs(server, token) {
  const client = await connect(server);
  await client.hello(token);
  return client;
}

/** Brief pause to let notifications that must NOT arrive have a chance to (negative checks). */
export function settle(ms = 200) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
