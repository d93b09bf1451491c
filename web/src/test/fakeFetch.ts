import { vi } from 'vitest';

export interface RecordedCall {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
  credentials: RequestCredentials | undefined;
}

type Route = (call: RecordedCall) => Response | Promise<Response>;

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

export function empty(status: number): Response {
  return new Response(null, { status });
}

/**
 * A fetch stand-in that answers with `route` and records every call, so tests assert what the
 * client actually sent (headers, body, credentials) rather than how it is built.
 */
export function fakeFetch(route: Route) {
  const calls: RecordedCall[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const call: RecordedCall = {
      url: String(input),
      method: init?.method ?? 'GET',
      headers: { ...((init?.headers as Record<string, string> | undefined) ?? {}) },
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
      credentials: init?.credentials,
    };
    calls.push(call);
    return route(call);
  });
  return { fetch: fn as unknown as typeof fetch, calls };
}

export const authResponse = (token: string, username = 'alice') => ({
  user: { id: 1, username, email: `${username}@example.test`, createdAt: '2024-01-01T00:00:00Z' },
  accessToken: token,
  expiresIn: 900,
});
