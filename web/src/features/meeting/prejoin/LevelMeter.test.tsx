import { act, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { levelFromRms } from '../../../media/devices';
import { FakeAudioContext, FakeTrack, installFakeAudio, installFakeMedia, uninstallFakeMedia } from '../../../test/fakeMedia';
import { LevelBar, LevelMeter } from './LevelMeter';

beforeEach(() => {
  installFakeMedia();
  installFakeAudio();
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
  uninstallFakeMedia();
});

const meter = () => screen.getByRole('meter', { name: 'Microphone level' });

describe('LevelBar', () => {
  it('is a meter from 0 to 100, clamped', () => {
    const { rerender } = render(<LevelBar level={0.42} label="Microphone level" />);
    expect(meter()).toHaveAttribute('aria-valuemin', '0');
    expect(meter()).toHaveAttribute('aria-valuemax', '100');
    expect(meter()).toHaveAttribute('aria-valuenow', '42');
    expect((meter().firstElementChild as HTMLElement).style.width).toBe('42%');
    rerender(<LevelBar level={3} label="Microphone level" />);
    expect(meter()).toHaveAttribute('aria-valuenow', '100');
    rerender(<LevelBar level={-1} label="Microphone level" />);
    expect(meter()).toHaveAttribute('aria-valuenow', '0');
  });
});

describe('LevelMeter', () => {
  it('follows the loudness of the track and closes its AudioContext when unmounted', () => {
    const track = new FakeTrack('audio', 'mic-1') as unknown as MediaStreamTrack;
    const { unmount } = render(<LevelMeter track={track} label="Microphone level" />);
    const context = FakeAudioContext.instances[0]!;
    context.analyser.signal = () => 0.5;
    act(() => vi.advanceTimersByTime(50));
    expect(meter()).toHaveAttribute('aria-valuenow', String(Math.round(levelFromRms(0.5) * 100)));
    unmount();
    expect(context.close).toHaveBeenCalled();
  });

  it('stays empty without a track and moves to a new track', () => {
    const { rerender } = render(<LevelMeter track={null} label="Microphone level" />);
    expect(FakeAudioContext.instances).toHaveLength(0);
    expect(meter()).toHaveAttribute('aria-valuenow', '0');
    const first = new FakeTrack('audio', 'mic-1') as unknown as MediaStreamTrack;
    rerender(<LevelMeter track={first} label="Microphone level" />);
    const second = new FakeTrack('audio', 'mic-2') as unknown as MediaStreamTrack;
    rerender(<LevelMeter track={second} label="Microphone level" />);
    expect(FakeAudioContext.instances).toHaveLength(2);
    expect(FakeAudioContext.instances[0]!.close).toHaveBeenCalled();
    expect(FakeAudioContext.instances[1]!.close).not.toHaveBeenCalled();
    rerender(<LevelMeter track={null} label="Microphone level" />);
    expect(FakeAudioContext.instances[1]!.close).toHaveBeenCalled();
    expect(meter()).toHaveAttribute('aria-valuenow', '0');
  });
});
