import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../api/client';
import { Connectivity, connectivity as shared } from '../api/connectivity';
import { strings } from '../i18n/strings';
import { json } from '../test/fakeFetch';
import { OfflineBanner, probeServer, RETRY_MS } from './OfflineBanner';

describe('OfflineBanner', () => {
  it('appears when the browser goes offline and goes away when it is back', () => {
    const c = new Connectivity(true);
    render(<OfflineBanner connectivity={c} probe={async () => true} />);
    expect(screen.queryByTestId('offline-banner')).toBeNull();
    act(() => void window.dispatchEvent(new Event('offline')));
    expect(screen.getByTestId('offline-banner')).toHaveTextContent(strings.pwa.offline);
    act(() => void window.dispatchEvent(new Event('online')));
    expect(screen.queryByTestId('offline-banner')).toBeNull();
  });

  it('says the server cannot be reached, checks again by itself and on "Try again"', async () => {
    vi.useFakeTimers();
    try {
      const c = new Connectivity(true);
      let up = false;
      const probe = vi.fn(async () => up);
      render(<OfflineBanner connectivity={c} probe={probe} />);
      act(() => c.reportUnreachable());
      expect(screen.getByTestId('offline-banner')).toHaveTextContent(strings.pwa.serverUnreachable);
      expect(probe).toHaveBeenCalledTimes(1);
      await act(async () => void (await vi.advanceTimersByTimeAsync(RETRY_MS)));
      expect(probe).toHaveBeenCalledTimes(2);
      expect(screen.getByTestId('offline-banner')).toBeInTheDocument();
      up = true;
      vi.useRealTimers();
      await userEvent.click(screen.getByRole('button', { name: strings.common.retry }));
      expect(screen.queryByTestId('offline-banner')).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it('is told by the REST client when a request gets no answer at all', async () => {
    let down = true;
    const client = new ApiClient({
      fetchImpl: async () => {
        if (down) throw new TypeError('Failed to fetch');
        return json(200, { items: [] });
      },
    });
    render(<OfflineBanner probe={async () => false} />);
    await act(async () => void (await client.request('/meetings', { auth: false }).catch(() => undefined)));
    expect(shared.getState().serverReachable).toBe(false);
    expect(screen.getByTestId('offline-banner')).toBeInTheDocument();
    down = false;
    await act(async () => void (await client.request('/meetings', { auth: false })));
    expect(screen.queryByTestId('offline-banner')).toBeNull();
  });

  it('probes /healthz without the HTTP cache', async () => {
    const fetchImpl = vi.fn(async () => new Response(null, { status: 200 }));
    await expect(probeServer(fetchImpl)).resolves.toBe(true);
    expect(fetchImpl).toHaveBeenCalledWith('/healthz', { cache: 'no-store' });
    await expect(probeServer(async () => Promise.reject(new TypeError('offline')))).resolves.toBe(false);
  });
});
