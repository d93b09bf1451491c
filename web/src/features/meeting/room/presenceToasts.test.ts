import { describe, expect, it } from 'vitest';
import { strings } from '../../../i18n/strings';
import { GROUP_WINDOW_MS, MAX_TOASTS, TOAST_LIFETIME_MS, addPresence, expirePresence, type PresenceToast } from './presenceToasts';

describe('presence toasts', () => {
  it('groups arrivals that come close together', () => {
    let list: PresenceToast[] = [];
    list = addPresence(list, 'joined', 'Ana', 0, 1);
    list = addPresence(list, 'joined', 'Bo', 500, 2);
    list = addPresence(list, 'joined', 'Cy', 1000, 3);
    list = addPresence(list, 'joined', 'Di', 1400, 4);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: 1, names: ['Ana', 'Bo', 'Cy', 'Di'], expiresAt: 1400 + TOAST_LIFETIME_MS });
    expect(strings.room.joined(list[0].names)).toBe('Ana and 3 others joined');
  });

  it('keeps joins and leaves, and arrivals far apart, in their own toasts', () => {
    let list: PresenceToast[] = [];
    list = addPresence(list, 'joined', 'Ana', 0, 1);
    list = addPresence(list, 'left', 'Bo', 100, 2);
    list = addPresence(list, 'joined', 'Cy', 100 + GROUP_WINDOW_MS, 3);
    expect(list.map((t) => [t.kind, t.names])).toEqual([
      ['joined', ['Ana']],
      ['left', ['Bo']],
      ['joined', ['Cy']],
    ]);
  });

  it('shows at most three, the newest', () => {
    let list: PresenceToast[] = [];
    // Joins and leaves interleaved, each just outside the grouping window of the one before.
    const times = [0, 100, GROUP_WINDOW_MS + 100, GROUP_WINDOW_MS + 200];
    times.forEach((at, i) => (list = addPresence(list, i % 2 ? 'left' : 'joined', `P${i}`, at, i)));
    expect(list).toHaveLength(MAX_TOASTS);
    expect(list.map((t) => t.names[0])).toEqual(['P1', 'P2', 'P3']);
  });

  it('expires each toast after its lifetime', () => {
    const list = addPresence(addPresence([], 'joined', 'Ana', 0, 1), 'left', 'Bo', 2000, 2);
    expect(expirePresence(list, TOAST_LIFETIME_MS - 1)).toBe(list);
    expect(expirePresence(list, TOAST_LIFETIME_MS).map((t) => t.names[0])).toEqual(['Bo']);
    expect(expirePresence(list, 2000 + TOAST_LIFETIME_MS)).toEqual([]);
  });

  it('words one, two and many names', () => {
    expect(strings.room.joined(['Ana'])).toBe('Ana joined');
    expect(strings.room.left(['Ana', 'Bo'])).toBe('Ana and Bo left');
    expect(strings.room.left(['Ana', 'Bo', 'Cy'])).toBe('Ana and 2 others left');
  });
});
