/**
 * Join and leave toasts ("Ana joined", "Ana and 3 others joined"): the pure part. A toast lives
 * TOAST_LIFETIME_MS after its last change; arrivals (or departures) that come close together are
 * told in one toast; at most MAX_TOASTS show at once (the oldest gives way).
 */

export type PresenceKind = 'joined' | 'left';

export interface PresenceToast {
  id: number;
  kind: PresenceKind;
  names: string[];
  updatedAt: number;
  expiresAt: number;
}

export const TOAST_LIFETIME_MS = 4000;
/** A join this soon after the last one of a toast joins that toast. */
export const GROUP_WINDOW_MS = 1500;
export const MAX_TOASTS = 3;

export function addPresence(list: PresenceToast[], kind: PresenceKind, name: string, now: number, id: number): PresenceToast[] {
  const live = expirePresence(list, now);
  const group = [...live].reverse().find((t) => t.kind === kind && now - t.updatedAt < GROUP_WINDOW_MS);
  if (group) {
    const merged = { ...group, names: [...group.names, name], updatedAt: now, expiresAt: now + TOAST_LIFETIME_MS };
    return live.map((t) => (t.id === group.id ? merged : t));
  }
  const toast = { id, kind, names: [name], updatedAt: now, expiresAt: now + TOAST_LIFETIME_MS };
  return [...live, toast].slice(-MAX_TOASTS);
}

/** The toasts still showing at `now` (the same list when none expired, so React need not re-render). */
export function expirePresence(list: PresenceToast[], now: number): PresenceToast[] {
  return list.every((t) => t.expiresAt > now) ? list : list.filter((t) => t.expiresAt > now);
}
