// The room on a phone held upright: one large tile above a strip the others are swiped through.
// The CSS side of it (styles.css, "Meeting room on a phone") keys on the same query, so the
// layout the code picks and the one the stylesheet draws cannot disagree.
import { useEffect, useState, type RefObject } from 'react';

/** A narrow screen held upright; a phone turned sideways gets the normal (desktop) layout. */
export const PHONE_PORTRAIT_QUERY = '(max-width: 600px) and (orientation: portrait)';

/** Whether a media query matches now, following changes (rotation, resizing). */
export function useMediaQuery(query: string): boolean {
  const read = () => typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia(query).matches;
  const [matches, setMatches] = useState(read);
  useEffect(() => {
    if (typeof window.matchMedia !== 'function') return;
    const list = window.matchMedia(query);
    const onChange = () => setMatches(list.matches);
    onChange();
    list.addEventListener('change', onChange);
    return () => list.removeEventListener('change', onChange);
  }, [query]);
  return matches;
}

export const usePhonePortrait = (): boolean => useMediaQuery(PHONE_PORTRAIT_QUERY);

// A sliver at the edge of the strip is not worth a video stream; a quarter of a tile is.
const SEEN_RATIO = 0.25;

/**
 * The keys (data-tile-key) of the tiles scrolled out of a horizontally scrolling strip, so their
 * video can be paused at the SFU as paged-off tiles are. Empty while `active` is false, before the
 * first observation, and where IntersectionObserver is missing: everything counts as seen then.
 */
export function useScrolledOffTiles(strip: RefObject<HTMLElement | null>, keys: readonly string[], active: boolean): ReadonlySet<string> {
  const [offscreen, setOffscreen] = useState<ReadonlySet<string>>(() => new Set());
  const keyList = keys.join('\n');
  useEffect(() => {
    const root = strip.current;
    if (!active || !root || typeof IntersectionObserver !== 'function') {
      setOffscreen((current) => (current.size === 0 ? current : new Set()));
      return;
    }
    const seen = new Map<string, boolean>();
    const observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          const key = (entry.target as HTMLElement).dataset.tileKey;
          if (key) seen.set(key, entry.isIntersecting && entry.intersectionRatio >= SEEN_RATIO);
        }
        const hidden = [...seen].filter(([, visible]) => !visible).map(([key]) => key);
        setOffscreen((current) => (current.size === hidden.length && hidden.every((key) => current.has(key)) ? current : new Set(hidden)));
      },
      { root, threshold: [0, SEEN_RATIO] },
    );
    for (const tile of root.querySelectorAll<HTMLElement>('[data-tile-key]')) observer.observe(tile);
    return () => observer.disconnect();
  }, [strip, keyList, active]);
  return offscreen;
}
