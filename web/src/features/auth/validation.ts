import { strings } from '../../i18n/strings';

// Client-side checks mirror the server's rules so people see mistakes before a round trip;
// the server stays the authority and its field errors are shown the same way.

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const MIN_USERNAME = 2;
export const MAX_USERNAME = 32;

/**
 * As the server's isForbiddenInName: controls (C0, DEL, C1), line and paragraph separators, and
 * the bidirectional controls that can make one name look like another (Unicode TR 9).
 */
function isForbiddenInName(cp: number): boolean {
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return true;
  if (cp === 0x2028 || cp === 0x2029) return true;
  if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) return true;
  return cp === 0x200e || cp === 0x200f || cp === 0x061c;
}
export const MIN_PASSWORD = 8;

export function checkEmail(email: string): string | undefined {
  if (!email.trim()) return strings.auth.required(strings.auth.email);
  if (!EMAIL.test(email.trim())) return strings.auth.invalidEmail;
  return undefined;
}

export function checkUsername(username: string): string | undefined {
  // The forms send the trimmed value; the server counts code points, not UTF-16 units.
  const trimmed = username.trim();
  if (!trimmed) return strings.auth.required(strings.auth.username);
  const chars = [...trimmed];
  if (chars.length < MIN_USERNAME || chars.length > MAX_USERNAME) return strings.auth.usernameInvalid;
  if (chars.some((c) => isForbiddenInName(c.codePointAt(0) ?? 0))) return strings.auth.usernameForbidden;
  return undefined;
}

export function checkNewPassword(password: string): string | undefined {
  if (!password) return strings.auth.required(strings.auth.password);
  // Counted in code points, as the server does: an emoji is one character, not two.
  if ([...password].length < MIN_PASSWORD) return strings.auth.passwordShort;
  return undefined;
}

export function checkRequired(value: string, label: string): string | undefined {
  return value ? undefined : strings.auth.required(label);
}

/** Drops undefined entries so that `Object.keys(errors).length` says whether the form is valid. */
export function compact(errors: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(errors)) if (v) out[k] = v;
  return out;
}
