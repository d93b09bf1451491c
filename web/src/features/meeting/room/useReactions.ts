import { useEffect, useRef, useState } from 'react';
import type { MeetingClient } from '../../../meeting/MeetingClient';

export interface FloatingReaction {
  id: number;
  peerId: string;
  emoji: string;
}

/** How long an emoji floats over a tile (the CSS animation lasts as long). */
export const REACTION_SHOW_MS = 3000;
/** More at once over one tile would only hide the face under them. */
const MAX_PER_PEER = 5;

/** The reactions floating over the tiles right now (ours and others'), each gone after REACTION_SHOW_MS. */
export function useReactions(client: Pick<MeetingClient, 'onEvent'>): FloatingReaction[] {
  const [reactions, setReactions] = useState<FloatingReaction[]>([]);
  const nextId = useRef(1);
  useEffect(() => {
    const timers = new Set<ReturnType<typeof setTimeout>>();
    const off = client.onEvent((event) => {
      if (event.type !== 'reaction') return;
      const reaction = { id: nextId.current++, peerId: event.peerId, emoji: event.emoji };
      setReactions((list) => {
        const mine = list.filter((r) => r.peerId === reaction.peerId);
        const dropped = mine.length >= MAX_PER_PEER ? mine[0].id : null;
        return [...list.filter((r) => r.id !== dropped), reaction];
      });
      const timer = setTimeout(() => {
        timers.delete(timer);
        setReactions((list) => list.filter((r) => r.id !== reaction.id));
      }, REACTION_SHOW_MS);
      timers.add(timer);
    });
    return () => {
      off();
      for (const timer of timers) clearTimeout(timer);
    };
  }, [client]);
  return reactions;
}
