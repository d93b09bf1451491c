import { useSyncExternalStore } from 'react';
import type { MeetingClient, MeetingState } from '../../../meeting/MeetingClient';

/** The client's current state; re-renders on every change. */
export function useMeeting(client: MeetingClient): MeetingState {
  return useSyncExternalStore(client.subscribe, client.getState);
}
