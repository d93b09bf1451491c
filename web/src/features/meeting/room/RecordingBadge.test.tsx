import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MeetingState } from '../../../meeting/MeetingClient';
import { FakeTrack } from '../../../test/fakeMedia';
import { RecordingBadge, formatElapsed, recordingAudioTracks, visibleTiles } from './RecordingBadge';

afterEach(() => vi.useRealTimers());

describe('formatElapsed', () => {
  it.each([
    [0, '00:00'],
    [75.9, '01:15'],
    [3725, '1:02:05'],
    [-3, '00:00'],
  ])('%d s is %s', (seconds, text) => expect(formatElapsed(seconds)).toBe(text));
});

describe('RecordingBadge', () => {
  it('shows nothing while idle, then a red pill with a ticking time and a stop button', () => {
    vi.useFakeTimers();
    const onStop = vi.fn();
    const { rerender } = render(
      <RecordingBadge recording={{ status: 'idle', startedAt: null, error: null, savedFile: null }} onStop={onStop} />,
    );
    expect(screen.queryByTestId('recording-badge')).toBeNull();
    rerender(<RecordingBadge recording={{ status: 'recording', startedAt: Date.now(), error: null, savedFile: null }} onStop={onStop} />);
    expect(screen.getByTestId('recording-badge')).toHaveClass('bg-danger');
    expect(screen.getByRole('status')).toHaveTextContent('Recording');
    expect(screen.getByTestId('recording-elapsed')).toHaveTextContent('00:00');
    act(() => vi.advanceTimersByTime(65_000));
    expect(screen.getByTestId('recording-elapsed')).toHaveTextContent('01:05');
    fireEvent.click(screen.getByRole('button', { name: 'Stop recording' }));
    expect(onStop).toHaveBeenCalled();
    rerender(<RecordingBadge recording={{ status: 'saving', startedAt: Date.now(), error: null, savedFile: null }} onStop={onStop} />);
    expect(screen.getByRole('status')).toHaveTextContent('Saving the recording…');
    expect(screen.queryByRole('button')).toBeNull();
  });
});

describe('what gets recorded', () => {
  it('reads the tiles on screen, in order, from the room markup', () => {
    document.body.innerHTML = `
      <div data-testid="meeting-room">
        <div class="screen-stage"><figure data-testid="video-tile" data-peer-name="Ann" aria-label="Ann's screen"><video></video></figure></div>
        <figure data-testid="video-tile" class="video-tile speaking" data-peer-name="Me" aria-label="Me (you)"><video style="transform: scaleX(-1)"></video></figure>
        <figure data-testid="video-tile" data-peer-name="Ann" aria-label="Ann"><div class="tile-avatar"></div></figure>
      </div>`;
    const tiles = visibleTiles(document);
    expect(tiles.map(({ video, ...rest }) => ({ ...rest, video: video !== null }))).toEqual([
      { name: 'Ann', label: "Ann's screen", video: true, mirrored: false, screen: true, speaking: false },
      { name: 'Me', label: 'Me (you)', video: true, mirrored: true, screen: false, speaking: true },
      { name: 'Ann', label: 'Ann', video: false, mirrored: false, screen: false, speaking: false },
    ]);
    document.body.innerHTML = '';
  });

  it('mixes every remote voice and our own microphone', () => {
    const remoteAudio = new FakeTrack('audio', 'r1') as unknown as MediaStreamTrack;
    const remoteVideo = new FakeTrack('video', 'r2') as unknown as MediaStreamTrack;
    const mic = new FakeTrack('audio', 'mic') as unknown as MediaStreamTrack;
    const state = {
      remote: [
        { kind: 'audio', track: remoteAudio },
        { kind: 'video', track: remoteVideo },
      ],
    } as unknown as MeetingState;
    const host = { getState: () => state, subscribe: () => () => undefined, localProducer: () => ({ track: mic }) };
    expect(recordingAudioTracks(host)).toEqual([remoteAudio, mic]);
    expect(recordingAudioTracks({ ...host, localProducer: () => null })).toEqual([remoteAudio]);
  });
});
