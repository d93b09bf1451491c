// A minimal SMTP server on 127.0.0.1 for the integration tests (RFC 5321: EHLO, MAIL, RCPT, DATA,
// RSET, NOOP, QUIT; no STARTTLS offered, so the server under test sends in the clear on loopback).
// Every message is kept as {from, to[], data (dot-unstuffed, CRLF lines)} and can be read as MIME
// with parseMime.
import net from 'node:net';

import { Recorder } from './recorder.mjs';

export async function startSmtpServer() {
  const received = new Recorder('mail');
  const sockets = new Set();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.setEncoding('utf8');
    let buffer = '';
    let inData = false;
    let envelope = { from: '', to: [] };
    const reply = (line) => socket.write(`${line}\r\n`);
    reply('220 fake-smtp ready');
    socket.on('data', (chunk) => {
      buffer += chunk;
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          const data = buffer.slice(0, end + 2).replace(/^\.\./gm, '.');
          buffer = buffer.slice(end + 5);
          inData = false;
          received.add({ ...envelope, data });
          envelope = { from: '', to: [] };
          reply('250 queued');
          continue;
        }
        const newline = buffer.indexOf('\r\n');
        if (newline < 0) return;
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') reply('250 fake-smtp');
        else if (verb === 'MAIL') {
          envelope.from = /<([^>]*)>/.exec(line)?.[1] ?? '';
          reply('250 ok');
        } else if (verb === 'RCPT') {
          envelope.to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
          reply('250 ok');
        } else if (verb === 'DATA') {
          inData = true;
          reply('354 end with <CRLF>.<CRLF>');
        } else if (verb === 'QUIT') {
          reply('221 bye');
          socket.end();
          return;
        } else if (verb === 'RSET' || verb === 'NOOP') reply('250 ok');
        else reply('502 not implemented');
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${server.address().port}`,
    messages: received.items,
    // The first message (already received or to come) that `match` accepts.
    waitFor: (match, timeoutMs) => received.waitFor(match, timeoutMs),
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function parseHeaders(text) {
  const headers = {};
  for (const line of text.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/**
 * A message as {headers (lower-case names), body, parts: [{headers, body, content (decoded)}]};
 * parts only for multipart bodies, base64 parts decoded.
 */
export function parseMime(data) {
  const split = data.indexOf('\r\n\r\n');
  const headers = parseHeaders(data.slice(0, split));
  const body = data.slice(split + 4);
  const boundary = /boundary="([^"]+)"/.exec(headers['content-type'] ?? '')?.[1];
  const parts = [];
  if (boundary) {
    for (const chunk of body.split(`--${boundary}`).slice(1)) {
      if (chunk.startsWith('--')) break;
      const part = chunk.replace(/^\r\n/, '');
      const end = part.indexOf('\r\n\r\n');
      const partHeaders = parseHeaders(part.slice(0, end));
      const partBody = part.slice(end + 4);
      const content =
        (partHeaders['content-transfer-encoding'] ?? '').toLowerCase() === 'base64'
          ? Buffer.from(partBody.replace(/\s+/g, ''), 'base64').toString('utf8')
          : partBody;
      parts.push({ headers: partHeaders, body: partBody, content });
    }
  }
  return { headers, body, parts };
}

/** An RFC 2047 header ("=?UTF-8?B?...?=" words) as text. */
export function decodeHeader(value) {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?B\?([^?]*)\?=/gi, (_, encoded) => Buffer.from(encoded, 'base64').toString('utf8'));
}
