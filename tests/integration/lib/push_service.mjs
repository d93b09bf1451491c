// A Web Push service and browser for the integration tests (docs/api.md "Push notifications").
// The push service is an HTTPS server on 127.0.0.1 with a self-signed certificate made here with
// the openssl CLI (SAN IP:127.0.0.1); the server under test trusts it through --push-ca-file, the
// way an operator points it at a private push service. It records every request and answers 201
// unless told otherwise for a path. The browser side holds a subscription's P-256 key pair and
// auth secret and decrypts what arrives (RFC 8291, node:crypto) and verifies the VAPID JWT
// (RFC 8292) as a real push service would.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, verify } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import https from 'node:https';
import path from 'node:path';
import { promisify } from 'node:util';

import { Recorder } from './recorder.mjs';
import { makeTempDir, removeDir } from './server.mjs';

/** A self-signed P-256 certificate for 127.0.0.1 in a temp dir: {dir, certFile, key, cert}. */
export async function makeLoopbackCertificate() {
  const dir = await makeTempDir('fluxmeet-push-tls-');
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  await promisify(execFile)('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1',
  ]);
  return { dir, certFile, key: await readFile(keyFile), cert: await readFile(certFile) };
}

/**
 * Starts the push service: {origin, certFile, requests, statusByPath, tlsErrors, waitFor, close}.
 * statusByPath maps a request path to the status to answer (default 201).
 */
export async function startPushService() {
  const tls = await makeLoopbackCertificate();
  const received = new Recorder('push request');
  const statusByPath = new Map();
  const tlsErrors = [];
  const server = https.createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      res.statusCode = statusByPath.get(req.url) ?? 201;
      res.end();
      received.add({ method: req.method, path: req.url, headers: req.headers, body: Buffer.concat(chunks) });
    });
  });
  // A client that does not trust the certificate gives up in the handshake.
  server.on('tlsClientError', (error) => tlsErrors.push(error));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `https://127.0.0.1:${server.address().port}`,
    certFile: tls.certFile,
    requests: received.items,
    statusByPath,
    tlsErrors,
    // The first request (already received or to come) that `match` accepts.
    waitFor: (match, timeoutMs) => received.waitFor(match, timeoutMs),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await removeDir(tls.dir);
    },
  };
}

/** A browser's side of a subscription: its P-256 key pair and auth secret. */
export function makeBrowserKeys() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { ecdh, publicKey: ecdh.getPublicKey(), auth: randomBytes(16) };
}

/** PushSubscription.toJSON() as a browser posts it. */
export function subscriptionBody(endpoint, keys, extra = {}) {
  return {
    endpoint,
    expirationTime: null,
    keys: { p256dh: keys.publicKey.toString('base64url'), auth: keys.auth.toString('base64url') },
    ...extra,
  };
}

/** RFC 8291 section 3.3/3.4 and RFC 8188 section 2, from the receiving side: the JSON payload. */
export function decryptPush(body, keys) {
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const idLength = body[20];
  assert.equal(idLength, 65);
  assert.equal(recordSize, 4096);
  const senderPublic = body.subarray(21, 21 + idLength);
  const ciphertext = body.subarray(21 + idLength);
  const ecdhSecret = keys.ecdh.computeSecret(senderPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), keys.publicKey, senderPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', ecdhSecret, keys.auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  let end = padded.length;
  while (end > 0 && padded[end - 1] === 0) end -= 1;
  assert.equal(padded[end - 1], 2, 'last record delimiter');
  return JSON.parse(padded.subarray(0, end - 1).toString('utf8'));
}

/** RFC 8292: "vapid t=<ES256 JWT>, k=<public key>"; the JWT verified with that key. */
export function checkVapid(header, expectedKey, audience) {
  const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(header ?? '');
  assert.ok(match, `Authorization: ${header}`);
  const [, token, key] = match;
  assert.equal(key, expectedKey);
  const [headerPart, payloadPart, signaturePart] = token.split('.');
  assert.deepEqual(JSON.parse(Buffer.from(headerPart, 'base64url')), { typ: 'JWT', alg: 'ES256' });
  const point = Buffer.from(key, 'base64url');
  const publicKey = createPublicKey({
    key: { kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') },
    format: 'jwk',
  });
  const signature = Buffer.from(signaturePart, 'base64url');
  assert.equal(signature.length, 64);
  assert.ok(
    verify('sha256', Buffer.from(`${headerPart}.${payloadPart}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature),
    'VAPID JWT signature',
  );
  const claims = JSON.parse(Buffer.from(payloadPart, 'base64url'));
  assert.equal(claims.aud, audience);
  assert.equal(claims.sub, 'mailto:admin@localhost');
  const now = Date.now() / 1000;
  assert.ok(claims.exp > now && claims.exp <= now + 24 * 3600 + 60, `exp ${claims.exp}`);
}
