/**
 * Emoji reactions (docs/protocol.md, method `reaction`): the eight the server accepts, and the
 * client-side throttle that keeps one person from flooding everyone's screen.
 */

export const REACTION_EMOJIS = ['👍', '👏', '😂', '❤️', '🎉', '😮', '🤔', '🙌'] as const;
export type ReactionEmoji = (typeof REACTION_EMOJIS)[number];

export function isReactionEmoji(value: unknown): value is ReactionEmoji {
  return typeof value === 'string' && (REACTION_EMOJIS as readonly string[]).includes(value);
}

/** At most one reaction per person per interval, for what we send and for what we show. */
export const REACTION_INTERVAL_MS = 500;

export class ReactionThrottle {
  private readonly last = new Map<string, number>();

  constructor(private readonly intervalMs = REACTION_INTERVAL_MS) {}

  /** True (and remembered) when `key` may react at `now`; false while its last one is too recent. */
  allow(key: string, now: number): boolean {
    const previous = this.last.get(key);
    if (previous !== undefined && now - previous < this.intervalMs) return false;
    this.last.set(key, now);
    return true;
  }

  /** A person who left no longer needs an entry (the map stays as small as the room). */
  forget(key: string): void {
    this.last.delete(key);
  }
}
