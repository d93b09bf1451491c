import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../api/client';
import type { NotificationSettings } from '../../api/push';
import { strings } from '../../i18n/strings';
import { authResponse, fakeFetch, json } from '../../test/fakeFetch';
import { ToastProvider } from '../../ui/Toasts';
import { NotificationPrefs } from './NotificationPrefs';

const initial: NotificationSettings = { reminders: true, reminderMinutes: 10, waitingRoom: true, meetingStarted: true, chat: true };

function setup(load: () => Response = () => json(200, initial)) {
  const f = fakeFetch((call) => {
    if (call.method === 'GET') return load();
    // The server answers PATCH with the settings it stored.
    return json(200, { ...initial, ...(call.body as object) });
  });
  const client = new ApiClient({ fetchImpl: f.fetch });
  client.setSession(authResponse('tok'));
  render(
    <ToastProvider>
      <NotificationPrefs client={client} />
    </ToastProvider>,
  );
  return { calls: f.calls, user: userEvent.setup() };
}

describe('NotificationPrefs', () => {
  it('loads the settings, and saves changes with PATCH', async () => {
    const { calls, user } = setup();
    const chat = await screen.findByRole('switch', { name: strings.notifications.chat });
    expect(chat).toBeChecked();
    expect(screen.getByLabelText(strings.notifications.reminderMinutes)).toHaveValue(10);
    expect(calls[0]).toMatchObject({ method: 'GET', url: '/api/v1/users/me/notifications' });

    await user.click(chat);
    await user.click(screen.getByRole('switch', { name: strings.notifications.waitingRoom }));
    const minutes = screen.getByLabelText(strings.notifications.reminderMinutes);
    await user.clear(minutes);
    await user.type(minutes, '30');
    await user.click(screen.getByRole('button', { name: strings.notifications.save }));

    expect(await screen.findByText(strings.notifications.saved)).toBeInTheDocument();
    expect(calls[1]).toMatchObject({
      method: 'PATCH',
      url: '/api/v1/users/me/notifications',
      body: { reminders: true, reminderMinutes: 30, waitingRoom: false, meetingStarted: true, chat: false },
    });
    expect(screen.getByRole('switch', { name: strings.notifications.chat })).not.toBeChecked();
    expect(screen.getByLabelText(strings.notifications.reminderMinutes)).toHaveValue(30);
  });

  it('refuses a reminder time out of range without calling the server', async () => {
    const { calls, user } = setup();
    const minutes = await screen.findByLabelText(strings.notifications.reminderMinutes);
    await user.clear(minutes);
    await user.type(minutes, '0');
    await user.click(screen.getByRole('button', { name: strings.notifications.save }));
    expect(screen.getByText(strings.notifications.reminderMinutesInvalid)).toBeInTheDocument();
    expect(calls).toHaveLength(1);
  });

  it('disables the minutes when reminders are off', async () => {
    const { user } = setup();
    await user.click(await screen.findByRole('switch', { name: strings.notifications.reminders }));
    expect(screen.getByLabelText(strings.notifications.reminderMinutes)).toBeDisabled();
  });

  it('shows a load error with a retry', async () => {
    let fail = true;
    const { user } = setup(() => (fail ? json(500, { error: { code: 'internal', message: 'Server error' } }) : json(200, initial)));
    expect(await screen.findByRole('alert')).toBeInTheDocument();
    fail = false;
    await user.click(screen.getByRole('button', { name: strings.common.retry }));
    await waitFor(() => expect(screen.getByRole('switch', { name: strings.notifications.chat })).toBeChecked());
  });
});
