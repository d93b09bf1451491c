// Media fixtures for the integration tests: what mediasoup-client 3.18 running in Chrome sends
// (producer rtpParameters, device rtpCapabilities, DTLS parameters), and a minimal ICE
// connectivity check (STUN Binding request, RFC 8489 / RFC 8445) to prove a candidate's port is
// really served by the media plane.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import dgram from 'node:dgram';

export const URI = {
  mid: 'urn:ietf:params:rtp-hdrext:sdes:mid',
  rid: 'urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id',
  repairedRid: 'urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id',
  absSendTime: 'http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
  transportCc: 'http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01',
  audioLevel: 'urn:ietf:params:rtp-hdrext:ssrc-audio-level',
  videoOrientation: 'urn:3gpp:video-orientation',
  toffset: 'urn:ietf:params:rtp-hdrext:toffset',
};

// Chrome's own extmap ids (its offer). mediasoup-client sends with the *local* id of each
// extension the router also has (ortc.getSendingRtpParameters uses extendedExt.sendId, the
// browser's preferredId), and receives with the router's preferredId.
const CHROME_EXTENSION_IDS = {
  audio: { [URI.audioLevel]: 1, [URI.absSendTime]: 2, [URI.transportCc]: 3, [URI.mid]: 4 },
  video: {
    [URI.absSendTime]: 2,
    [URI.transportCc]: 3,
    [URI.mid]: 4,
    [URI.rid]: 10,
    [URI.repairedRid]: 11,
    [URI.videoOrientation]: 13,
    [URI.toffset]: 14,
  },
};

// The router's header extensions that a Chrome send transport uses, in the router's order
// (mediasoup-client keeps the remote order). A router extension that is "recvonly" is one the
// browser sends, so it is included; "sendonly" ones are not.
const ROUTER_SEND_ORDER = {
  audio: [URI.mid, URI.absSendTime, URI.transportCc, URI.audioLevel],
  video: [URI.mid, URI.rid, URI.repairedRid, URI.absSendTime, URI.transportCc, URI.videoOrientation, URI.toffset],
};

function sendingExtensions(kind) {
  return ROUTER_SEND_ORDER[kind].map((uri) => ({
    uri,
    id: CHROME_EXTENSION_IDS[kind][uri],
    encrypt: false,
    parameters: {},
  }));
}

let ssrcCounter = 0;
/** A fresh 32-bit SSRC (random base, never repeated within one test process). */
export function newSsrc() {
  ssrcCounter += 1;
  return ((randomBytes(4).readUInt32BE(0) & 0x7fff0000) | ssrcCounter) >>> 0;
}

function cname() {
  return randomBytes(12).toString('base64').replace(/[^A-Za-z0-9]/g, 'x').slice(0, 16);
}

/**
 * Producer rtpParameters for a Chrome mic track (opus), as `transport.on('produce')` hands them
 * to the app: mid from the transceiver, Chrome's payload type 111 and parameters, one encoding
 * with the SSRC from the offer, the CNAME from the SDP and msid "<stream id> <track id>".
 */
export function chromeOpusParameters({ mid = '0', ssrc = newSsrc(), cname: name = cname() } = {}) {
  return {
    mid,
    codecs: [
      {
        mimeType: 'audio/opus',
        payloadType: 111,
        clockRate: 48000,
        channels: 2,
        parameters: { minptime: 10, useinbandfec: 1 },
        rtcpFeedback: [{ type: 'transport-cc', parameter: '' }],
      },
    ],
    headerExtensions: sendingExtensions('audio'),
    encodings: [{ ssrc, dtx: false }],
    rtcp: { cname: name, reducedSize: true },
    msid: `${randomUUID()} ${randomUUID()}`,
  };
}

/**
 * Producer rtpParameters for a Chrome camera track with VP8 simulcast: three encodings with
 * rids r0..r2 (mediasoup-client's Chrome111 handler names them and forces L1T<max temporal>),
 * the app's maxBitrate/scaleResolutionDownBy, RTX codec 97 (apt 96), rtcpFeedback reduced to
 * what the router also has, in the router's order.
 * simulcast: false gives one encoding with ssrc + rtx.ssrc instead (what the SDP offer holds).
 */
export function chromeVp8Parameters({ mid = '1', simulcast = true, ssrc = newSsrc(), cname: name = cname() } = {}) {
  const encodings = simulcast
    ? [
        { rid: 'r0', active: true, maxBitrate: 100000, scaleResolutionDownBy: 4, scalabilityMode: 'L1T3' },
        { rid: 'r1', active: true, maxBitrate: 300000, scaleResolutionDownBy: 2, scalabilityMode: 'L1T3' },
        { rid: 'r2', active: true, maxBitrate: 900000, scaleResolutionDownBy: 1, scalabilityMode: 'L1T3' },
      ]
    : [{ ssrc, rtx: { ssrc: newSsrc() } }];
  return {
    mid,
    codecs: [
      {
        mimeType: 'video/VP8',
        payloadType: 96,
        clockRate: 90000,
        parameters: {},
        rtcpFeedback: [
          { type: 'nack', parameter: '' },
          { type: 'nack', parameter: 'pli' },
          { type: 'ccm', parameter: 'fir' },
          { type: 'goog-remb', parameter: '' },
          { type: 'transport-cc', parameter: '' },
        ],
      },
      { mimeType: 'video/rtx', payloadType: 97, clockRate: 90000, parameters: { apt: 96 }, rtcpFeedback: [] },
    ],
    headerExtensions: sendingExtensions('video'),
    encodings,
    rtcp: { cname: name, reducedSize: true },
    msid: `${randomUUID()} ${randomUUID()}`,
  };
}

// What Chrome's own codec capabilities add or change for a codec the router offers.
const CHROME_CODEC_PARAMETERS = { 'audio/opus': { minptime: 10, useinbandfec: 1 } };
const CHROME_MEDIA_CODECS = ['audio/opus', 'video/vp8', 'video/vp9', 'video/h264', 'video/av1'];

/**
 * A Chrome device's `device.rtpCapabilities` after `device.load({routerRtpCapabilities})`
 * (ortc.getRecvRtpCapabilities): the router's codecs Chrome also has, with the router's payload
 * types and Chrome's parameters, RTX for each, and the router's extensions that Chrome can
 * receive (the router's "recvonly" ones are for sending only and are left out), with the
 * router's ids. `only` keeps just the named mime types (to model a device lacking a codec).
 */
export function chromeDeviceCapabilities(routerCapabilities, { only } = {}) {
  const wanted = (only ?? CHROME_MEDIA_CODECS).map((mimeType) => mimeType.toLowerCase());
  const codecs = [];
  const kept = new Set();
  for (const codec of routerCapabilities.codecs) {
    const mimeType = codec.mimeType.toLowerCase();
    if (mimeType.endsWith('/rtx') || !wanted.includes(mimeType)) continue;
    kept.add(codec.preferredPayloadType);
    codecs.push({
      kind: codec.kind,
      mimeType: codec.mimeType,
      preferredPayloadType: codec.preferredPayloadType,
      clockRate: codec.clockRate,
      ...(codec.channels === undefined ? {} : { channels: codec.channels }),
      parameters: CHROME_CODEC_PARAMETERS[mimeType] ?? codec.parameters,
      rtcpFeedback: codec.rtcpFeedback.map(({ type, parameter }) => ({ type, parameter: parameter ?? '' })),
    });
    const rtx = routerCapabilities.codecs.find(
      (candidate) => candidate.mimeType.toLowerCase().endsWith('/rtx') && candidate.parameters.apt === codec.preferredPayloadType,
    );
    if (rtx) {
      codecs.push({
        kind: rtx.kind,
        mimeType: rtx.mimeType,
        preferredPayloadType: rtx.preferredPayloadType,
        clockRate: rtx.clockRate,
        parameters: { apt: codec.preferredPayloadType },
        rtcpFeedback: [],
      });
    }
  }
  const headerExtensions = routerCapabilities.headerExtensions
    .filter((ext) => ext.direction === 'sendrecv' || ext.direction === 'sendonly')
    .filter((ext) => CHROME_EXTENSION_IDS[ext.kind]?.[ext.uri] !== undefined)
    .map((ext) => ({
      kind: ext.kind,
      uri: ext.uri,
      preferredId: ext.preferredId,
      preferredEncrypt: false,
      direction: ext.direction === 'sendonly' ? 'recvonly' : 'sendrecv',
    }));
  return { codecs, headerExtensions };
}

/** The dtlsParameters a browser sends on the transport's "connect" event. */
export function chromeDtlsParameters(role = 'client') {
  const value = [...randomBytes(32)].map((byte) => byte.toString(16).toUpperCase().padStart(2, '0')).join(':');
  return { role, fingerprints: [{ algorithm: 'sha-256', value }] };
}

// --- STUN (RFC 8489) -------------------------------------------------------------------------

const MAGIC_COOKIE = 0x2112a442;
const ATTR = {
  username: 0x0006,
  messageIntegrity: 0x0008,
  errorCode: 0x0009,
  xorMappedAddress: 0x0020,
  priority: 0x0024,
  useCandidate: 0x0025,
  fingerprint: 0x8028,
  iceControlling: 0x802a,
};
export const STUN_BINDING_SUCCESS = 0x0101;
export const STUN_BINDING_ERROR = 0x0111;

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let crc = 0xffffffff;
  for (const byte of buffer) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** One STUN attribute, padded to 4 bytes (RFC 8489 section 14). */
export function stunAttribute(type, value) {
  const padded = Buffer.alloc(4 + Math.ceil(value.length / 4) * 4);
  padded.writeUInt16BE(type, 0);
  padded.writeUInt16BE(value.length, 2);
  value.copy(padded, 4);
  return padded;
}

/** A STUN header (RFC 8489 section 5) announcing `length` bytes of attributes. */
export function stunHeader(type, length, transactionId) {
  const header = Buffer.alloc(20);
  header.writeUInt16BE(type, 0);
  header.writeUInt16BE(length, 2);
  header.writeUInt32BE(MAGIC_COOKIE, 4);
  transactionId.copy(header, 8);
  return header;
}

function withHeader(type, transactionId, body) {
  return Buffer.concat([stunHeader(type, body.length, transactionId), body]);
}

/**
 * An ICE connectivity check as a controlling browser sends it (RFC 8445 section 7.1.1):
 * USERNAME "<server ufrag>:<our ufrag>", PRIORITY, ICE-CONTROLLING, optional USE-CANDIDATE,
 * MESSAGE-INTEGRITY keyed with the server's password (section 7.2.2, short-term credentials),
 * then FINGERPRINT (RFC 8489 section 14.7).
 */
export function stunBindingRequest({ serverUfrag, serverPassword, clientUfrag = 'clnt', useCandidate = false }) {
  const transactionId = randomBytes(12);
  const priority = Buffer.alloc(4);
  priority.writeUInt32BE(0x6e7f1eff, 0);
  let body = Buffer.concat([
    stunAttribute(ATTR.username, Buffer.from(`${serverUfrag}:${clientUfrag}`)),
    stunAttribute(ATTR.priority, priority),
    stunAttribute(ATTR.iceControlling, randomBytes(8)),
    ...(useCandidate ? [stunAttribute(ATTR.useCandidate, Buffer.alloc(0))] : []),
  ]);
  // The HMAC covers the header with a length that already counts MESSAGE-INTEGRITY (24 bytes).
  const forIntegrity = withHeader(0x0001, transactionId, body);
  forIntegrity.writeUInt16BE(body.length + 24, 2);
  const hmac = createHmac('sha1', serverPassword).update(forIntegrity).digest();
  body = Buffer.concat([body, stunAttribute(ATTR.messageIntegrity, hmac)]);
  const forFingerprint = withHeader(0x0001, transactionId, body);
  forFingerprint.writeUInt16BE(body.length + 8, 2);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE((crc32(forFingerprint) ^ 0x5354554e) >>> 0, 0);
  body = Buffer.concat([body, stunAttribute(ATTR.fingerprint, crc)]);
  return { transactionId, message: withHeader(0x0001, transactionId, body) };
}

/** Parses a STUN message: {type, transactionId, attributes: Map(type -> Buffer), xorMappedAddress?, errorCode?}. */
export function parseStun(buffer) {
  if (buffer.length < 20 || buffer.readUInt32BE(4) !== MAGIC_COOKIE) return null;
  const attributes = new Map();
  const end = 20 + buffer.readUInt16BE(2);
  for (let offset = 20; offset + 4 <= end; ) {
    const type = buffer.readUInt16BE(offset);
    const length = buffer.readUInt16BE(offset + 2);
    attributes.set(type, buffer.subarray(offset + 4, offset + 4 + length));
    offset += 4 + Math.ceil(length / 4) * 4;
  }
  const result = { type: buffer.readUInt16BE(0), transactionId: buffer.subarray(8, 20), attributes };
  const mapped = attributes.get(ATTR.xorMappedAddress);
  if (mapped && mapped[1] === 0x01) {
    const port = mapped.readUInt16BE(2) ^ (MAGIC_COOKIE >>> 16);
    const address = (mapped.readUInt32BE(4) ^ MAGIC_COOKIE) >>> 0;
    result.xorMappedAddress = { address: [24, 16, 8, 0].map((shift) => (address >>> shift) & 0xff).join('.'), port };
  }
  const error = attributes.get(ATTR.errorCode);
  if (error) result.errorCode = (error[2] & 0x07) * 100 + error[3];
  return result;
}

/**
 * A browser's end of a transport's UDP path: one socket that sends ICE checks and raw datagrams
 * (DTLS records) and keeps what the server sends back. close() when done.
 */
export class UdpPeer {
  static async open() {
    const socket = dgram.createSocket('udp4');
    await new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', resolve);
    });
    return new UdpPeer(socket);
  }

  constructor(socket) {
    this.socket = socket;
    this.received = [];
    this.waiters = [];
    socket.on('message', (data) => {
      this.received.push(data);
      this.waiters = this.waiters.filter((waiter) => !waiter());
    });
  }

  get port() {
    return this.socket.address().port;
  }

  send(datagram, candidate) {
    this.socket.send(datagram, candidate.port, candidate.address);
  }

  /** Resolves (and removes) the first datagram, received or future, for which predicate holds. */
  next(predicate, { timeoutMs = 3000, what = 'datagram' } = {}) {
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
        reject(new Error(`no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      if (!check()) this.waiters.push(check);
    });
  }

  /** An ICE check to the candidate; resolves the parsed STUN response. */
  async check(candidate, credentials) {
    const { transactionId, message } = stunBindingRequest(credentials);
    this.send(message, candidate);
    const answer = await this.next((data) => parseStun(data)?.transactionId.equals(transactionId), { what: 'STUN response' });
    return parseStun(answer);
  }

  close() {
    this.socket.close();
  }
}

// RFC 6347 section 4.1: a DTLS 1.2 record; content type 21 is an alert (RFC 5246 section 7.2).
export const DTLS_CONTENT_HANDSHAKE = 22;
export function dtlsFatalAlert(description = 40 /* handshake_failure */) {
  const record = Buffer.alloc(13 + 2);
  record[0] = 21;
  record.writeUInt16BE(0xfefd, 1);
  // epoch 0, sequence number 0 (bytes 3..10)
  record.writeUInt16BE(2, 11);
  record[13] = 2; // fatal
  record[14] = description;
  return record;
}

/**
 * Sends one Binding request from a fresh UDP socket to address:port and resolves the parsed
 * response plus the local port it was sent from; rejects after timeoutMs without an answer
 * (i.e. nothing serves that port, or it ignored the request).
 */
export function stunCheck(address, port, credentials, { timeoutMs = 2000 } = {}) {
  const socket = dgram.createSocket('udp4');
  const { transactionId, message } = stunBindingRequest(credentials);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`no STUN response from ${address}:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('message', (data) => {
      const parsed = parseStun(data);
      if (!parsed || !parsed.transactionId.equals(transactionId)) return;
      clearTimeout(timer);
      const localPort = socket.address().port;
      socket.close();
      resolve({ ...parsed, localPort });
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      socket.close();
      reject(error);
    });
    socket.bind(0, '127.0.0.1', () => socket.send(message, port, address));
  });
}
