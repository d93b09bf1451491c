// The server's VAPID public key as PushManager.subscribe wants it. Shared by the page (push.ts)
// and the service worker (swHandlers.ts), so it imports nothing of the app.

export class PushSetupError extends Error {
  constructor(readonly code: 'no-worker' | 'bad-key' | 'no-keys') {
    super(code);
    this.name = 'PushSetupError';
  }
}

/** base64url (no padding) → bytes, as PushManager.subscribe wants the VAPID key. The key must be
 * an uncompressed P-256 point: 65 bytes starting with 0x04. */
export function urlBase64ToUint8Array(value: string): Uint8Array<ArrayBuffer> {
  const base64 = value.trim().replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  let raw: string;
  try {
    raw = atob(padded);
  } catch {
    throw new PushSetupError('bad-key');
  }
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  if (bytes.length !== 65 || bytes[0] !== 0x04) throw new PushSetupError('bad-key');
  return bytes;
}
