import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StatsReportLike, StatsSource } from '../../../meeting/networkQuality';
import { ConnectionIndicator, NetworkQualityIndicator } from './NetworkQuality';

const pairReport = (rttS: number): StatsReportLike =>
  new Map([['CP', { id: 'CP', type: 'candidate-pair', selected: true, currentRoundTripTime: rttS }]]);

afterEach(() => vi.useRealTimers());

describe('NetworkQualityIndicator', () => {
  it('lights one bar per level and says the level and the numbers', () => {
    const { rerender } = render(<NetworkQualityIndicator quality={{ level: 'good', rttMs: 42, lossPct: 0.5, limitation: null }} />);
    const meter = screen.getByTestId('network-quality');
    expect(meter).toHaveAccessibleName('Your connection: good (round trip 42 ms, packet loss 0.5 %)');
    expect(meter).toHaveAttribute('data-level', 'good');
    expect(meter).toHaveAttribute('tabindex', '0');
    const lit = () =>
      Array.from(meter.children).filter((bar) => (bar as HTMLElement).style.background !== 'rgba(255, 255, 255, 0.3)').length;
    expect(lit()).toBe(3);
    rerender(<NetworkQualityIndicator quality={{ level: 'poor', rttMs: 800, lossPct: null, limitation: null }} />);
    expect(lit()).toBe(1);
    rerender(<NetworkQualityIndicator quality={{ level: 'unknown', rttMs: null, lossPct: null, limitation: null }} />);
    expect(lit()).toBe(0);
    expect(screen.getByRole('img', { name: 'Your connection: unknown' })).toBeInTheDocument();
  });

  it('shows the details in a tooltip on keyboard focus', async () => {
    render(<NetworkQualityIndicator quality={{ level: 'fair', rttMs: 200, lossPct: 1, limitation: 'bandwidth' }} />);
    await userEvent.tab();
    expect(await screen.findByRole('tooltip')).toHaveTextContent('Your video is sent at lower quality');
  });
});

describe('ConnectionIndicator', () => {
  it('polls the client every two seconds while shown, and stops when the room goes', async () => {
    vi.useFakeTimers();
    let rtt = 0.05;
    const transport: StatsSource = { getStats: vi.fn(async () => pairReport(rtt)) };
    const client = { mediaTransports: () => [transport] };
    const { unmount } = render(<ConnectionIndicator client={client} />);
    await act(() => vi.advanceTimersByTimeAsync(0));
    expect(screen.getByTestId('network-quality')).toHaveAttribute('data-level', 'good');
    rtt = 0.5;
    await act(() => vi.advanceTimersByTimeAsync(2000));
    expect(screen.getByTestId('network-quality')).toHaveAttribute('data-level', 'poor');
    expect(transport.getStats).toHaveBeenCalledTimes(2);
    unmount();
    expect(vi.getTimerCount()).toBe(0);
  });
});
