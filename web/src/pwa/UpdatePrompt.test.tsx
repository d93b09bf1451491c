import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { strings } from '../i18n/strings';
import { UpdatePrompt } from './UpdatePrompt';
import { UpdateStore, type RegisterOptions } from './updates';

function fakeRegister() {
  let options: RegisterOptions | null = null;
  const updateSW = vi.fn(async (_reload?: boolean) => undefined);
  const register = vi.fn((o: RegisterOptions) => {
    options = o;
    return updateSW;
  });
  return { register, updateSW, fire: () => act(() => options!.onNeedRefresh()), ready: () => act(() => options!.onOfflineReady()) };
}

describe('UpdatePrompt', () => {
  it('stays hidden until a new worker waits, then reloads into it on "Reload"', async () => {
    const store = new UpdateStore();
    const sw = fakeRegister();
    store.start(sw.register);
    store.start(sw.register); // registering twice (StrictMode, hot reload) registers once
    expect(sw.register).toHaveBeenCalledOnce();
    render(<UpdatePrompt store={store} />);
    expect(screen.queryByTestId('update-prompt')).toBeNull();

    sw.ready(); // first install: offline-ready is not an update
    expect(screen.queryByTestId('update-prompt')).toBeNull();

    sw.fire();
    expect(screen.getByTestId('update-prompt')).toHaveTextContent(strings.pwa.updateAvailable);
    await userEvent.click(screen.getByRole('button', { name: strings.pwa.reload }));
    expect(sw.updateSW).toHaveBeenCalledWith(true);
    expect(screen.getByRole('button', { name: strings.pwa.reload })).toBeDisabled();
  });

  it('can be put off until later', async () => {
    const store = new UpdateStore();
    const sw = fakeRegister();
    store.start(sw.register);
    render(<UpdatePrompt store={store} />);
    sw.fire();
    await userEvent.click(screen.getByRole('button', { name: strings.pwa.later }));
    expect(screen.queryByTestId('update-prompt')).toBeNull();
    expect(sw.updateSW).not.toHaveBeenCalled();
  });
});
