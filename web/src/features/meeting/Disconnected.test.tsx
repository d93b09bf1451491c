import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it, vi } from 'vitest';
import type { MeetingClient, MeetingState } from '../../meeting/MeetingClient';
import { INITIAL_STATE } from '../../meeting/roomState';
import { isDisconnected } from './Disconnected';
import { JoinedView } from './MeetingPage';

/** Just the state side of MeetingClient; `set` plays a change. */
function fakeClient(initial: Partial<MeetingState>) {
  let state: MeetingState = { ...INITIAL_STATE, ...initial };
  const listeners = new Set<() => void>();
  const client = {
    getState: () => state,
    subscribe: (listener: () => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    leave: async () => undefined,
  };
  return {
    client: client as unknown as MeetingClient,
    set: (change: Partial<MeetingState>) =>
      act(() => {
        state = { ...state, ...change };
        listeners.forEach((l) => l());
      }),
  };
}

describe('disconnected', () => {
  it('is a closed connection while still in the meeting, not a leave or an end', () => {
    expect(isDisconnected({ status: 'joined', connection: 'closed' })).toBe(true);
    expect(isDisconnected({ status: 'waiting', connection: 'closed' })).toBe(true);
    expect(isDisconnected({ status: 'joined', connection: 'reconnecting' })).toBe(false);
    expect(isDisconnected({ status: 'left', connection: 'closed' })).toBe(false);
    expect(isDisconnected({ status: 'ended', connection: 'closed' })).toBe(false);
  });

  it('replaces the room with "You were disconnected" and rejoins on the button', async () => {
    const { client, set } = fakeClient({ status: 'waiting', connection: 'reconnecting' });
    const onReconnect = vi.fn();
    render(
      <MemoryRouter>
        <JoinedView client={client} onRejoin={() => undefined} onReconnect={onReconnect} />
      </MemoryRouter>,
    );
    expect(screen.queryByTestId('disconnected')).toBeNull();
    set({ connection: 'closed' });
    const view = screen.getByTestId('disconnected');
    expect(view).toHaveTextContent('You were disconnected');
    const rejoin = screen.getByRole('button', { name: 'Rejoin' });
    await userEvent.click(rejoin);
    expect(onReconnect).toHaveBeenCalledTimes(1);
    expect(rejoin).toBeDisabled(); // one rejoin at a time
  });
});
