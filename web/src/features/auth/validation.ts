import { strings } from '../../i18n/strings';

// Client-side checks mirror the server's rules so people see mistakes before a round trip;
// the server stays the authority and its field errors are shown the same way.

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const USERNAME = /^[A-Za-z0-9._-]{3,32}$/;
export const MIN_PASSWORD = 8;

export function checkEmail(email: string): string | undefined {
  if (!email.trim()) return strings.auth.required(strings.auth.email);
  if (!EMAIL.test(email.trim())) return strings.auth.invalidEmail;
  return undefined;
}

export function checkUsername(username: string): string | undefined {
  if (!username.trim()) return strings.auth.required(strings.auth.username);
  if (!USERNAME.test(username.trim())) return strings.auth.usernameInvalid;
  return undefined;
}

export function checkNewPassword(password: string): string | undefined {
  if (!password) return strings.auth.required(strings.auth.password);
  if (password.length < MIN_PASSWORD) return strings.auth.passwordShort;
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
