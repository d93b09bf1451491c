// Meeting codes look like "abc-defg-hij": ten lowercase letters in groups of 3, 4 and 3.
// People type them in any case, with spaces instead of dashes, or paste the whole invite link.

const GROUPS = [3, 4, 3] as const;
const LETTERS = /^[a-z]+$/;

/** Returns the canonical code ("abc-defg-hij") or null when the input is not a code or link. */
export function parseJoinCode(input: string): string | null {
  let text = input.trim();
  if (!text) return null;

  const link = /\/m\/([^/?#\s]+)\/?(?:[?#].*)?$/i.exec(text);
  if (link?.[1]) {
    try {
      text = decodeURIComponent(link[1]);
    } catch {
      return null;
    }
  } else if (text.includes('/') || text.includes(':')) {
    // A link to something other than a meeting.
    return null;
  }

  const parts = text
    .toLowerCase()
    .split(/[\s-]+/)
    .filter(Boolean);
  if (!parts.every((p) => LETTERS.test(p))) return null;

  let groups: string[];
  if (parts.length === 1 && parts[0]!.length === 10) {
    const s = parts[0]!;
    groups = [s.slice(0, 3), s.slice(3, 7), s.slice(7)];
  } else if (parts.length === 3 && parts.every((p, i) => p.length === GROUPS[i])) {
    groups = parts;
  } else {
    return null;
  }
  return groups.join('-');
}
