import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MeetingEvent } from '../../../meeting/MeetingClient';
import { MoreMenu } from './MoreMenu';
import { RECORDING_SAVED_MS, RecordingSavedToast, ServerRecordingIndicator, serverRecordingItem } from './ServerRecording';

afterEach(() => vi.useRealTimers());

describe('ServerRecordingIndicator', () => {
  it('shows REC with the time since the recording started, ticking, and nothing without one', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-11-25T18:05:15Z'));
    const { rerender } = render(<ServerRecordingIndicator recording={{ by: 'p2', startedAt: '2026-11-25T18:04:00Z' }} />);
    const badge = screen.getByTestId('server-recording');
    expect(badge).toHaveTextContent('REC');
    expect(screen.getByRole('status')).toHaveTextContent('This meeting is being recorded');
    expect(screen.getByTestId('server-recording-elapsed')).toHaveTextContent('01:15');
    act(() => vi.advanceTimersByTime(2000));
    expect(screen.getByTestId('server-recording-elapsed')).toHaveTextContent('01:17');
    rerender(<ServerRecordingIndicator recording={null} />);
    expect(screen.queryByTestId('server-recording')).toBeNull();
  });
});

describe('serverRecordingItem', () => {
  it('offers Record meeting (server) when idle and Stop recording while recording', async () => {
    const start = vi.fn();
    const stop = vi.fn();
    const { rerender } = render(<MoreMenu items={[serverRecordingItem(null, start, stop)]} />);
    await userEvent.click(screen.getByTestId('more-menu'));
    await userEvent.click(screen.getByRole('button', { name: 'Record meeting (server)' }));
    expect(start).toHaveBeenCalledTimes(1);
    rerender(<MoreMenu items={[serverRecordingItem({ by: 'me', startedAt: '2026-11-25T18:04:00Z' }, start, stop)]} />);
    await userEvent.click(screen.getByTestId('more-menu'));
    const item = screen.getByTestId('server-record-stop');
    expect(item).toHaveTextContent('Stop recording');
    expect(item).toHaveClass('text-danger');
    await userEvent.click(item);
    expect(stop).toHaveBeenCalledTimes(1);
    expect(start).toHaveBeenCalledTimes(1);
  });
});

describe('RecordingSavedToast', () => {
  function events() {
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

  it('says the recording was saved for a few seconds, only on recordingSaved, and can be dismissed', () => {
    vi.useFakeTimers();
    const client = events();
    const { unmount } = render(<RecordingSavedToast client={client} />);
    client.emit({ type: 'peerJoined', peerId: 'p2', displayName: 'Ana' });
    expect(screen.queryByTestId('recording-saved-toast')).toBeNull();

    client.emit({ type: 'recordingSaved', recordingId: 12 });
    expect(screen.getByTestId('recording-saved-toast')).toHaveTextContent(
      "Recording saved. It will be in the meeting's history when it's ready.",
    );
    act(() => vi.advanceTimersByTime(RECORDING_SAVED_MS - 1));
    expect(screen.getByTestId('recording-saved-toast')).toBeInTheDocument();
    act(() => vi.advanceTimersByTime(1));
    expect(screen.queryByTestId('recording-saved-toast')).toBeNull();

    client.emit({ type: 'recordingSaved', recordingId: 13 });
    act(() => screen.getByRole('button', { name: 'Dismiss' }).click());
    expect(screen.queryByTestId('recording-saved-toast')).toBeNull();
    unmount();
    expect(client.count).toBe(0);
  });
});
