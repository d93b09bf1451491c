import { act, fireEvent, render, renderHook, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MeetingEvent } from '../../../meeting/MeetingClient';
import { PresenceToasts } from './PresenceToasts';
import { REACTION_SHOW_MS, useReactions } from './useReactions';

/** Stands in for MeetingClient's event side: `emit` plays what the client would tell. */
function fakeEvents() {
  const listeners = new Set<(event: MeetingEvent) => void>();
  return {
    onEvent: (listener: (event: MeetingEvent) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit: (event: MeetingEvent) => act(() => listeners.forEach((l) => l(event))),
    get count() {
      return listeners.size;
    },
  };
}

const joined = (name: string): MeetingEvent => ({ type: 'peerJoined', peerId: name, displayName: name });
const left = (name: string): MeetingEvent => ({ type: 'peerLeft', peerId: name, displayName: name, reason: 'left' });
const toastTexts = () => screen.queryAllByTestId('presence-toast').map((t) => t.textContent);

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('PresenceToasts', () => {
  it('tells who joined and left, grouped, and hides after about four seconds', () => {
    const events = fakeEvents();
    render(<PresenceToasts client={events} />);
    events.emit(joined('Ana'));
    expect(toastTexts()).toEqual(['Ana joined']);
    events.emit(joined('Bo'));
    events.emit(joined('Cy'));
    events.emit(joined('Di'));
    expect(toastTexts()).toEqual(['Ana and 3 others joined']);
    act(() => vi.advanceTimersByTime(2000));
    events.emit(left('Ed'));
    expect(toastTexts()).toEqual(['Ana and 3 others joined', 'Ed left']);
    act(() => vi.advanceTimersByTime(2000));
    expect(toastTexts()).toEqual(['Ed left']);
    act(() => vi.advanceTimersByTime(2000));
    expect(toastTexts()).toEqual([]);
  });

  it('shows three at most, can be dismissed, ignores reactions', () => {
    const events = fakeEvents();
    render(<PresenceToasts client={events} />);
    events.emit(joined('A'));
    events.emit(left('B'));
    act(() => vi.advanceTimersByTime(1600));
    events.emit(joined('C'));
    events.emit(left('D'));
    events.emit({ type: 'reaction', peerId: 'A', emoji: '👍' });
    expect(toastTexts()).toEqual(['B left', 'C joined', 'D left']);
    fireEvent.click(screen.getAllByRole('button', { name: 'Dismiss' })[0]);
    expect(toastTexts()).toEqual(['C joined', 'D left']);
    expect(screen.getByTestId('presence-toasts')).toHaveAttribute('aria-live', 'polite');
  });

  it('stops listening when it goes away', () => {
    const events = fakeEvents();
    const { unmount } = render(<PresenceToasts client={events} />);
    expect(events.count).toBe(1);
    unmount();
    expect(events.count).toBe(0);
  });
});

describe('useReactions', () => {
  it('keeps each reaction for its show time', () => {
    const events = fakeEvents();
    const { result } = renderHook(() => useReactions(events));
    events.emit({ type: 'reaction', peerId: 'p1', emoji: '🎉' });
    act(() => vi.advanceTimersByTime(1000));
    events.emit({ type: 'reaction', peerId: 'p2', emoji: '👍' });
    expect(result.current.map((r) => [r.peerId, r.emoji])).toEqual([
      ['p1', '🎉'],
      ['p2', '👍'],
    ]);
    act(() => vi.advanceTimersByTime(REACTION_SHOW_MS - 1000));
    expect(result.current.map((r) => r.peerId)).toEqual(['p2']);
    act(() => vi.advanceTimersByTime(1000));
    expect(result.current).toEqual([]);
  });

  it('floats five at most over one person', () => {
    const events = fakeEvents();
    const { result } = renderHook(() => useReactions(events));
    for (let i = 0; i < 7; i++) events.emit({ type: 'reaction', peerId: 'p1', emoji: '👏' });
    expect(result.current).toHaveLength(5);
    expect(result.current[0].id).toBe(3);
  });
});
