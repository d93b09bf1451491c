import { render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { strings } from '../../i18n/strings';
import { fakeFetch, json } from '../../test/fakeFetch';
import { ToastProvider } from '../../ui/Toasts';
import Home from './Home';

function Where() {
  const location = useLocation();
  return <div data-testid="where">{location.pathname + location.search}</div>;
}

function renderAt(url: string) {
  render(
    <ToastProvider>
      <MemoryRouter initialEntries={[url]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
        <Routes>
          <Route path="/" element={<Home />} />
          <Route path="/m/:code" element={<Where />} />
        </Routes>
      </MemoryRouter>
    </ToastProvider>,
  );
}

afterEach(() => vi.unstubAllGlobals());

describe('app shortcuts on the home page', () => {
  it('/?new=1 starts an instant meeting once and goes there', async () => {
    const f = fakeFetch(() => json(201, { code: 'abc-defg-hij' }));
    vi.stubGlobal('fetch', f.fetch);
    renderAt('/?new=1');
    await waitFor(() => expect(screen.getByTestId('where')).toHaveTextContent('/m/abc-defg-hij'));
    expect(f.calls.filter((c) => c.method === 'POST' && c.url === '/api/v1/meetings')).toHaveLength(1);
  });

  it('/?join=1 puts the cursor in the meeting code field', () => {
    renderAt('/?join=1');
    expect(screen.getByLabelText(strings.home.joinLabel)).toHaveFocus();
  });
});
