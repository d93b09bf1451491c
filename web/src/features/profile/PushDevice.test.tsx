import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../../api/client';
import { strings } from '../../i18n/strings';
import { authResponse, empty, fakeFetch, json } from '../../test/fakeFetch';
import { fakePushEnv, fakeSubscription, VAPID_KEY } from '../../test/fakePush';
import { ToastProvider } from '../../ui/Toasts';
import { PushDevice } from './PushDevice';

function setup(envOptions: Parameters<typeof fakePushEnv>[0] = {}) {
  const push = fakePushEnv(envOptions);
  const f = fakeFetch((call) => {
    if (call.url.endsWith('/push/key')) return json(200, { publicKey: VAPID_KEY });
    if (call.url.endsWith('/push/subscriptions')) return call.method === 'POST' ? json(201, { id: 's1' }) : empty(204);
    if (call.url.endsWith('/push/test')) return empty(202);
    return json(404, {});
  });
  const client = new ApiClient({ fetchImpl: f.fetch });
  client.setSession(authResponse('tok'));
  render(
    <ToastProvider>
      <PushDevice env={push.env} client={client} />
    </ToastProvider>,
  );
  return { ...push, calls: f.calls, user: userEvent.setup() };
}

const toggle = () => screen.getByRole('switch', { name: strings.notifications.device });
const testButton = () => screen.getByRole('button', { name: strings.notifications.test });

describe('PushDevice', () => {
  it('turns push on: permission, subscription POSTed, switch on, test notification sent', async () => {
    const { user, calls, notification } = setup();
    await waitFor(() => expect(toggle()).toBeEnabled());
    expect(toggle()).not.toBeChecked();
    expect(testButton()).toBeDisabled();
    await user.click(toggle());
    await waitFor(() => expect(toggle()).toBeChecked());
    expect(notification.requestPermission).toHaveBeenCalled();
    expect(calls.filter((c) => c.method === 'POST').map((c) => c.url)).toEqual(['/api/v1/push/subscriptions']);
    expect(await screen.findByText(strings.notifications.enabled)).toBeInTheDocument();
    await user.click(testButton());
    expect(await screen.findByText(strings.notifications.testSent)).toBeInTheDocument();
    expect(calls.at(-1)).toMatchObject({ method: 'POST', url: '/api/v1/push/test' });
  });

  it('turns push off with a DELETE', async () => {
    const { user, calls } = setup({ existing: fakeSubscription('https://push.example.test/x'), permission: 'granted' });
    await waitFor(() => expect(toggle()).toBeChecked());
    await user.click(toggle());
    await waitFor(() => expect(toggle()).not.toBeChecked());
    expect(calls).toEqual([expect.objectContaining({ method: 'DELETE', body: { endpoint: 'https://push.example.test/x' } })]);
  });

  it('explains how to re-enable when permission is denied at the prompt', async () => {
    const { user, calls } = setup({ permissionAnswer: 'denied' });
    await waitFor(() => expect(toggle()).toBeEnabled());
    await user.click(toggle());
    expect(await screen.findByTestId('push-denied')).toHaveTextContent(/site settings/);
    expect(calls).toHaveLength(0);
  });

  it('shows the blocked explanation straight away when already denied', () => {
    setup({ permission: 'denied' });
    expect(screen.getByTestId('push-denied')).toBeInTheDocument();
    expect(screen.queryByRole('switch')).toBeNull();
  });

  it('says when the browser cannot do push, and what iPhone users must do', () => {
    setup({ noWorker: true, noPushManager: true });
    expect(screen.getByText(strings.notifications.unsupported)).toBeInTheDocument();
    expect(screen.queryByRole('switch')).toBeNull();
  });

  it('tells iPhone users in Safari to add the app to the home screen', () => {
    setup({
      noWorker: true,
      noPushManager: true,
      userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Version/17.4 Mobile/15E148 Safari/604.1',
    });
    expect(screen.getByText(/Add to Home Screen/)).toBeInTheDocument();
  });

  it('shows an error and leaves the switch off when subscribing fails', async () => {
    const { user, pushManager } = setup();
    pushManager.subscribe.mockRejectedValueOnce(new DOMException('push service error', 'AbortError'));
    await waitFor(() => expect(toggle()).toBeEnabled());
    await user.click(toggle());
    expect(await screen.findByRole('alert')).toHaveTextContent(strings.notifications.subscribeFailed);
    expect(toggle()).not.toBeChecked();
  });
});
