// A minimal TURN client over UDP for the integration tests (RFC 8656 on STUN, RFC 8489): Allocate
// with the long-term credential mechanism, CreatePermission, Send and Data indications, Refresh.
// Just enough to prove that a client holding the SFU's TURN credentials really relays through a
// TURN server (coturn) and that wrong or expired credentials are refused. One socket is one
// allocation (RFC 8656 section 7.2: a second Allocate on the same 5-tuple is 437), so open a
// client per allocation and close() it when done.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import dgram from 'node:dgram';

import { stunAttribute, stunHeader } from './media_fixtures.mjs';

const MAGIC_COOKIE = 0x2112a442;

// RFC 8656 section 17 (methods) and RFC 8489 section 5 (class bits: 0x0010 indication,
// 0x0100 success, 0x0110 error).
export const TURN = {
  bindingRequest: 0x0001,
  bindingSuccess: 0x0101,
  allocateRequest: 0x0003,
  allocateSuccess: 0x0103,
  allocateError: 0x0113,
  refreshRequest: 0x0004,
  createPermissionRequest: 0x0008,
  createPermissionSuccess: 0x0108,
  sendIndication: 0x0016,
  dataIndication: 0x0017,
};

// RFC 8489 section 18.3 and RFC 8656 section 18.
const ATTR = {
  username: 0x0006,
  messageIntegrity: 0x0008,
  errorCode: 0x0009,
  lifetime: 0x000d,
  xorPeerAddress: 0x0012,
  data: 0x0013,
  realm: 0x0014,
  nonce: 0x0015,
  xorRelayedAddress: 0x0016,
  requestedTransport: 0x0019,
  xorMappedAddress: 0x0020,
};

const UDP_PROTOCOL = 17; // REQUESTED-TRANSPORT (RFC 8656 section 18.7): IANA protocol number

export class TurnError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

/**
 * A STUN message; with `key`, MESSAGE-INTEGRITY (RFC 8489 section 14.5: HMAC-SHA1 over the
 * message up to the attribute, with a header length that already counts its 24 bytes).
 */
export function encodeStun(type, attributes, { key, transactionId = randomBytes(12) } = {}) {
  let body = Buffer.concat(attributes.map(([attrType, value]) => stunAttribute(attrType, value)));
  if (key) {
    const hmac = createHmac('sha1', key)
      .update(Buffer.concat([stunHeader(type, body.length + 24, transactionId), body]))
      .digest();
    body = Buffer.concat([body, stunAttribute(ATTR.messageIntegrity, hmac)]);
  }
  return { transactionId, message: Buffer.concat([stunHeader(type, body.length, transactionId), body]) };
}

/** {type, transactionId, attributes: Map(type -> Buffer), errorCode?} or null for non-STUN. */
export function decodeStun(buffer) {
  if (buffer.length < 20 || buffer.readUInt32BE(4) !== MAGIC_COOKIE || (buffer[0] & 0xc0) !== 0) return null;
  const end = Math.min(buffer.length, 20 + buffer.readUInt16BE(2));
  const attributes = new Map();
  for (let offset = 20; offset + 4 <= end; ) {
    const type = buffer.readUInt16BE(offset);
    const length = buffer.readUInt16BE(offset + 2);
    if (!attributes.has(type)) attributes.set(type, buffer.subarray(offset + 4, offset + 4 + length));
    offset += 4 + Math.ceil(length / 4) * 4;
  }
  const result = { type: buffer.readUInt16BE(0), transactionId: buffer.subarray(8, 20), attributes };
  const error = attributes.get(ATTR.errorCode);
  if (error) {
    result.errorCode = (error[2] & 0x07) * 100 + error[3];
    result.reason = error.subarray(4).toString('utf8');
  }
  return result;
}

// XOR-MAPPED-ADDRESS and friends, IPv4 only (RFC 8489 section 14.2).
export function encodeXorAddress({ address, port }) {
  const value = Buffer.alloc(8);
  value[1] = 0x01;
  value.writeUInt16BE(port ^ (MAGIC_COOKIE >>> 16), 2);
  const ip = address.split('.').reduce((acc, octet) => ((acc << 8) | Number(octet)) >>> 0, 0);
  value.writeUInt32BE((ip ^ MAGIC_COOKIE) >>> 0, 4);
  return value;
}

export function decodeXorAddress(value) {
  if (!value || value.length < 8 || value[1] !== 0x01) return null;
  const ip = (value.readUInt32BE(4) ^ MAGIC_COOKIE) >>> 0;
  return {
    address: [24, 16, 8, 0].map((shift) => (ip >>> shift) & 0xff).join('.'),
    port: value.readUInt16BE(2) ^ (MAGIC_COOKIE >>> 16),
  };
}

/** The long-term credential key (RFC 8489 section 9.2.2): MD5(username ":" realm ":" password). */
export function longTermKey(username, realm, password) {
  return createHash('md5').update(`${username}:${realm}:${password}`).digest();
}

/** The TURN REST API password for a username (what the SFU and coturn's use-auth-secret compute). */
export function turnRestPassword(secret, username) {
  return createHmac('sha1', secret).update(username).digest('base64');
}

export class TurnClient {
  /** A client socket on 127.0.0.1 talking to the TURN server at server = {address, port}. */
  static async open(server) {
    const socket = dgram.createSocket('udp4');
    await new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', resolve);
    });
    return new TurnClient(socket, server);
  }

  constructor(socket, server) {
    this.socket = socket;
    this.server = server;
    this.received = [];
    this.waiters = [];
    this.realm = null;
    this.nonce = null;
    this.credentials = null;
    socket.on('message', (data) => {
      const parsed = decodeStun(data);
      if (!parsed) return;
      this.received.push(parsed);
      this.waiters = this.waiters.filter((waiter) => !waiter());
    });
  }

  /** Resolves (and removes) the first message, received or future, for which predicate holds. */
  next(predicate, { timeoutMs = 3000, what = 'TURN message' } = {}) {
    return new Promise((resolve, reject) => {
      const check = () => {
        const index = this.received.findIndex(predicate);
        if (index < 0) return false;
        clearTimeout(timer);
        resolve(this.received.splice(index, 1)[0]);
        return true;
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter !== check);
        reject(new Error(`no ${what} from the TURN server within ${timeoutMs} ms`));
      }, timeoutMs);
      if (!check()) this.waiters.push(check);
    });
  }

  send(message) {
    this.socket.send(message, this.server.port, this.server.address);
  }

  // One request/response exchange; UDP, so the request is sent again a few times (RFC 8489
  // section 6.2.1 retransmits; on loopback one loss is already unusual).
  async transaction(type, attributes, key) {
    const { transactionId, message } = encodeStun(type, attributes, { key });
    for (let attempt = 0; ; attempt += 1) {
      this.send(message);
      try {
        return await this.next((parsed) => parsed.transactionId.equals(transactionId), {
          timeoutMs: 1000,
          what: `response to 0x${type.toString(16).padStart(4, '0')}`,
        });
      } catch (error) {
        if (attempt >= 2) throw error;
      }
    }
  }

  authAttributes() {
    const { username } = this.credentials;
    return [
      [ATTR.username, Buffer.from(username)],
      [ATTR.realm, Buffer.from(this.realm)],
      [ATTR.nonce, Buffer.from(this.nonce)],
    ];
  }

  // An authenticated request (RFC 8489 section 9.2.3): on 401 or 438 take the server's realm and
  // nonce and try once more; any other error, or a second 401, is a TurnError with its code.
  async authenticated(type, attributes) {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const withAuth = this.nonce ? [...attributes, ...this.authAttributes()] : attributes;
      const key = this.nonce ? longTermKey(this.credentials.username, this.realm, this.credentials.password) : undefined;
      const response = await this.transaction(type, withAuth, key);
      if (response.errorCode === undefined) return response;
      const realm = response.attributes.get(ATTR.realm);
      const nonce = response.attributes.get(ATTR.nonce);
      const challengeable = (response.errorCode === 401 && !this.nonce) || response.errorCode === 438;
      if (challengeable && realm && nonce) {
        this.realm = realm.toString('utf8');
        this.nonce = nonce.toString('utf8');
        continue;
      }
      throw new TurnError(`TURN error ${response.errorCode} ${response.reason ?? ''}`.trim(), response.errorCode);
    }
    throw new TurnError('TURN server kept asking for a new nonce', 438);
  }

  /**
   * Allocate a UDP relay (RFC 8656 section 7.1) with long-term credentials {username, password}.
   * Resolves {relayed, mapped, lifetime}; rejects with a TurnError (code 401 for bad credentials).
   */
  async allocate(credentials) {
    this.credentials = credentials;
    const transport = Buffer.from([UDP_PROTOCOL, 0, 0, 0]);
    const response = await this.authenticated(TURN.allocateRequest, [[ATTR.requestedTransport, transport]]);
    if (response.type !== TURN.allocateSuccess) throw new Error(`unexpected Allocate response type 0x${response.type.toString(16)}`);
    const lifetime = response.attributes.get(ATTR.lifetime);
    return {
      relayed: decodeXorAddress(response.attributes.get(ATTR.xorRelayedAddress)),
      mapped: decodeXorAddress(response.attributes.get(ATTR.xorMappedAddress)),
      lifetime: lifetime ? lifetime.readUInt32BE(0) : null,
    };
  }

  /** Lets `peer` ({address, port}; only the address counts) send to the relayed address (section 9). */
  async createPermission(peer) {
    const response = await this.authenticated(TURN.createPermissionRequest, [[ATTR.xorPeerAddress, encodeXorAddress(peer)]]);
    if (response.type !== TURN.createPermissionSuccess) throw new Error(`CreatePermission failed: 0x${response.type.toString(16)}`);
  }

  /** A Send indication (section 11.3): the server relays `data` to `peer` from the relayed address. */
  sendTo(peer, data) {
    const { message } = encodeStun(TURN.sendIndication, [
      [ATTR.xorPeerAddress, encodeXorAddress(peer)],
      [ATTR.data, data],
    ]);
    this.send(message);
  }

  /** The next Data indication (section 11.4) whose payload satisfies predicate: {peer, data}. */
  async receiveFrom(predicate = () => true, options = {}) {
    const indication = await this.next(
      (parsed) => parsed.type === TURN.dataIndication && predicate(parsed.attributes.get(ATTR.data) ?? Buffer.alloc(0)),
      { what: 'Data indication', ...options },
    );
    return {
      peer: decodeXorAddress(indication.attributes.get(ATTR.xorPeerAddress)),
      data: indication.attributes.get(ATTR.data),
    };
  }

  /** Releases the allocation (Refresh with LIFETIME 0, section 7.2); errors are ignored. */
  async release() {
    if (!this.nonce) return;
    const zero = Buffer.alloc(4);
    await this.authenticated(TURN.refreshRequest, [[ATTR.lifetime, zero]]).catch(() => {});
  }

  close() {
    this.socket.close();
  }
}

/**
 * Sends an unauthenticated Binding request to a STUN/TURN server (RFC 8489 section 6) and
 * resolves true when it answers within timeoutMs: how the test knows coturn is up.
 */
export function stunPing({ address, port }, { timeoutMs = 300 } = {}) {
  const socket = dgram.createSocket('udp4');
  const { transactionId, message } = encodeStun(TURN.bindingRequest, []);
  return new Promise((resolve) => {
    const finish = (value) => {
      clearTimeout(timer);
      socket.close();
      resolve(value);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('message', (data) => {
      const parsed = decodeStun(data);
      if (parsed?.transactionId.equals(transactionId)) finish(parsed.type === TURN.bindingSuccess);
    });
    socket.on('error', () => finish(false));
    socket.bind(0, '127.0.0.1', () => socket.send(message, port, address));
  });
}
