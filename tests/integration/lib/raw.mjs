// Raw TCP exchanges for requests no HTTP client would send (garbage, truncated, oversized).
import net from 'node:net';

/**
 * Connects, writes data (string or Buffer, or an array of them written in order), optionally
 * half-closes, and collects everything the server sends until it closes, resets or timeoutMs
 * passes. A reset after a response still yields that response (servers that refuse a body close
 * with unread bytes, which the kernel turns into RST).
 * Resolves {text, status (number or null), closed (server closed/reset), error}.
 */
export function rawExchange(port, data, { timeoutMs = 5_000, halfClose = false, host = '127.0.0.1' } = {}) {
  return new Promise((resolve) => {
    const chunks = [];
    let settled = false;
    const socket = net.connect({ port, host });
    const finish = (closed, error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ text, status: match ? Number(match[1]) : null, closed, error: error?.code ?? null });
    };
    const timer = setTimeout(() => finish(false, null), timeoutMs);
    socket.on('connect', () => {
      for (const part of Array.isArray(data) ? data : [data]) socket.write(part);
      if (halfClose) socket.end();
    });
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => finish(true, null));
    socket.on('close', () => finish(true, null));
    socket.on('error', (error) => finish(true, error));
  });
}

/** Opens a connection and keeps it open (for slowloris-style tests). Returns {socket, closed}. */
export function openSocket(port, host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host });
    const closed = new Promise((done) => socket.on('close', done));
    socket.on('error', () => {});
    socket.once('connect', () => resolve({ socket, closed }));
    socket.once('error', reject);
  });
}

/** A complete HTTP/1.1 request as a Buffer. */
export function httpRequest(method, path, { headers = {}, body } = {}) {
  const payload = body === undefined ? Buffer.alloc(0) : Buffer.from(body);
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'transfer-encoding')) {
    lines.push(`Content-Length: ${payload.length}`);
  }
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), payload]);
}
