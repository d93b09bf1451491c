import { fireEvent, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api } from '../../api/client';
import { authResponse, fakeFetch, json } from '../../test/fakeFetch';
import Register from './Register';

function fill(label: RegExp, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

function renderRegister() {
  render(
    <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <Register />
    </MemoryRouter>,
  );
  fill(/username/i, 'alice');
  fill(/^email/i, 'alice@example.test');
  fill(/^password/i, 'correct horse battery');
}

describe('Register', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    api.clearSession();
  });

  it('shows a server conflict under the field it names', async () => {
    const { fetch, calls } = fakeFetch(() =>
      json(409, { error: { code: 'conflict', message: 'This email is already registered.', field: 'email' } }),
    );
    vi.stubGlobal('fetch', fetch);
    renderRegister();

    fireEvent.click(screen.getByRole('button', { name: /create account/i }));

    const message = await screen.findByText('This email is already registered.');
    const email = screen.getByLabelText(/^email/i);
    expect(email).toHaveAttribute('aria-invalid', 'true');
    expect(email.getAttribute('aria-describedby')).toContain(message.id);
    expect(screen.getByLabelText(/username/i)).not.toHaveAttribute('aria-invalid');
    // Not shown as a general alert above the form as well.
    expect(screen.getAllByRole('alert')).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      url: '/api/v1/auth/register',
      method: 'POST',
      body: { username: 'alice', email: 'alice@example.test', password: 'correct horse battery' },
    });
  });

  it('shows a validation error for the username inline', async () => {
    const { fetch } = fakeFetch(() =>
      json(400, { error: { code: 'validation_failed', message: 'That username is reserved.', field: 'username' } }),
    );
    vi.stubGlobal('fetch', fetch);
    renderRegister();
    fireEvent.click(screen.getByRole('button', { name: /create account/i }));
    await screen.findByText('That username is reserved.');
    expect(screen.getByLabelText(/username/i)).toHaveAttribute('aria-invalid', 'true');
  });

  it('checks fields before sending anything', () => {
    const { fetch, calls } = fakeFetch(() => json(201, authResponse('t')));
    vi.stubGlobal('fetch', fetch);
    render(
      <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
        <Register />
      </MemoryRouter>,
    );
    fill(/^email/i, 'not-an-email');
    fireEvent.click(screen.getByRole('button', { name: /create account/i }));
    expect(screen.getByText('Enter a valid email address.')).toBeInTheDocument();
    expect(screen.getByLabelText(/^password/i)).toHaveAttribute('aria-invalid', 'true');
    expect(calls).toHaveLength(0);
  });

  it('signs the user in on success', async () => {
    const { fetch } = fakeFetch(() => json(201, authResponse('new-token', 'alice')));
    vi.stubGlobal('fetch', fetch);
    renderRegister();
    fireEvent.click(screen.getByRole('button', { name: /create account/i }));
    await vi.waitFor(() => expect(api.currentUser?.username).toBe('alice'));
    expect(api.isSignedIn).toBe(true);
  });
});
