/**
 * The meeting chat as an immutable list of messages (oldest first), updated from `chat.send`
 * responses, `chat.message`, `chat.edited` and `chat.deleted` (docs/protocol.md).
 */
import type { ChatMessage } from '../signal/protocol';

/** Appends a new message; a message already in the list (the sender's echo) is ignored. */
export function appendMessage(list: ChatMessage[], message: ChatMessage): ChatMessage[] | null {
  if (list.some((m) => m.id === message.id)) return null;
  return [...list, message];
}

/**
 * Puts an edited or deleted message in place of the one with its id. One we never had (older
 * than the history loaded at join) is left out: it would appear out of order at the end.
 */
export function replaceMessage(list: ChatMessage[], message: ChatMessage): ChatMessage[] | null {
  const index = list.findIndex((m) => m.id === message.id);
  if (index < 0) return null;
  const next = list.slice();
  next[index] = message.deleted ? { ...message, text: '' } : message;
  return next;
}

/** A chat message's shape as the server sends it; anything else is dropped, not shown. */
export function isChatMessage(value: unknown): value is ChatMessage {
  const m = value as Partial<ChatMessage> | null;
  return (
    typeof m === 'object' &&
    m !== null &&
    typeof m.id === 'number' &&
    typeof m.peerId === 'string' &&
    typeof m.senderName === 'string' &&
    typeof m.text === 'string' &&
    typeof m.createdAt === 'string'
  );
}
