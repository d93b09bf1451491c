// The addresses typed into an invitation field: pasted lists split on commas, semicolons and
// spaces, each checked like a registration email, duplicates (in any letter case) dropped.
import { checkEmail } from '../auth/validation';

/** The server takes 1-50 addresses per request. */
export const MAX_INVITES = 50;

export interface AddedEmails {
  emails: string[];
  /** What was typed but is not an address (kept in the field for correcting). */
  invalid: string[];
  /** Some were left out because the list is full. */
  overLimit: boolean;
}

export const sameEmail = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Adds the addresses in `text` to `current` (also skipping any in `taken`, e.g. already invited). */
export function addEmails(current: readonly string[], text: string, taken: readonly string[] = []): AddedEmails {
  const emails = [...current];
  const invalid: string[] = [];
  let overLimit = false;
  for (const part of text.split(/[\s,;]+/)) {
    // "<ann@example.com>" as mail programs copy an address.
    const address = part.replace(/^<(.*)>$/, '$1');
    if (!address) continue;
    if (checkEmail(address)) {
      invalid.push(part);
      continue;
    }
    if ([...emails, ...taken].some((e) => sameEmail(e, address))) continue;
    if (emails.length >= MAX_INVITES) {
      overLimit = true;
      continue;
    }
    emails.push(address);
  }
  return { emails, invalid, overLimit };
}
