import { api, type ApiClient } from './client';
import type { AuthResponse } from './types';

// Authentication endpoints. Successful sign-ins store the session in the client.

export async function register(
  input: { username: string; email: string; password: string },
  client: ApiClient = api,
): Promise<AuthResponse> {
  const res = await client.request<AuthResponse>('/auth/register', { method: 'POST', body: input, auth: false });
  client.setSession(res);
  return res;
}

export async function login(input: { email: string; password: string }, client: ApiClient = api): Promise<AuthResponse> {
  const res = await client.request<AuthResponse>('/auth/login', { method: 'POST', body: input, auth: false });
  client.setSession(res);
  return res;
}

export async function logout(client: ApiClient = api): Promise<void> {
  try {
    await client.request<void>('/auth/logout', { method: 'POST', auth: true });
  } finally {
    // Forget the token even if the server could not be told: the user asked to leave.
    client.clearSession();
  }
}

export function forgotPassword(email: string, client: ApiClient = api): Promise<void> {
  return client.request<void>('/auth/forgot-password', { method: 'POST', body: { email }, auth: false });
}

export function resetPassword(token: string, password: string, client: ApiClient = api): Promise<void> {
  return client.request<void>('/auth/reset-password', { method: 'POST', body: { token, password }, auth: false });
}
