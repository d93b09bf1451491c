import { strings } from '../i18n/strings';
import { connectivity } from './connectivity';
import { ApiError, errorFromResponse } from './errors';
import type { AuthResponse, User } from './types';

export const API_BASE = '/api/v1';
const REFRESH_PATH = '/auth/refresh';

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  /** Send the bearer token and refresh it on 401 (default true). */
  auth?: boolean;
  signal?: AbortSignal;
}

export type SessionListener = (user: User | null) => void;

export interface ApiClientOptions {
  baseUrl?: string;
  fetchImpl?: typeof fetch;
}

/**
 * The REST client. The access token lives only in this object's memory (never in storage, so
 * a script injected into the page cannot read a saved copy); the long-lived refresh token is an
 * HttpOnly cookie the browser sends to /auth/refresh by itself. When a call answers 401 the
 * client refreshes once and retries once; concurrent 401s share one refresh.
 */
export class ApiClient {
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;
  private accessToken: string | null = null;
  private user: User | null = null;
  private refreshing: Promise<boolean> | null = null;
  private readonly listeners = new Set<SessionListener>();

  constructor(options: ApiClientOptions = {}) {
    this.baseUrl = options.baseUrl ?? API_BASE;
    // Bound so that a window.fetch taken here is not called with another `this`.
    this.fetchImpl = options.fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
  }

  get currentUser(): User | null {
    return this.user;
  }

  get isSignedIn(): boolean {
    return this.accessToken !== null;
  }

  subscribe(listener: SessionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stores the session from a login, register or refresh answer. */
  setSession(auth: AuthResponse): void {
    this.accessToken = auth.accessToken;
    this.setUser(auth.user);
  }

  /** Replaces the signed-in user's data (after a profile change) without touching the token. */
  setUser(user: User | null): void {
    this.user = user;
    for (const listener of this.listeners) listener(user);
  }

  /**
   * The access token for the signaling `hello` (sent in a WebSocket message, never in a URL).
   * `renew` asks the server for a new one first, for when the last one was refused.
   */
  async signalingToken(renew = false): Promise<string | null> {
    if (renew || !this.accessToken) await this.refresh();
    return this.accessToken;
  }

  clearSession(): void {
    const had = this.accessToken !== null || this.user !== null;
    this.accessToken = null;
    if (had) this.setUser(null);
  }

  /**
   * Asks for a new access token with the refresh cookie. Resolves true when a session was
   * restored, false when there is none (the session is then cleared). Concurrent callers share
   * one request, because the server rotates the refresh token and a second use would fail.
   */
  refresh(): Promise<boolean> {
    if (!this.refreshing) {
      this.refreshing = this.doRefresh().finally(() => {
        this.refreshing = null;
      });
    }
    return this.refreshing;
  }

  private async doRefresh(): Promise<boolean> {
    let res: Response;
    try {
      res = await this.send(REFRESH_PATH, { method: 'POST', auth: false });
    } catch {
      // Unreachable server: keep whatever we had; the caller's own request reports the failure.
      return false;
    }
    if (!res.ok) {
      this.clearSession();
      return false;
    }
    try {
      this.setSession((await res.json()) as AuthResponse);
      return true;
    } catch {
      this.clearSession();
      return false;
    }
  }

  /** JSON request; resolves with the parsed body (undefined for 204). */
  async request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const res = await this.fetchWithRefresh(path, options);
    if (res.status === 204 || res.status === 202 || res.headers.get('Content-Length') === '0') {
      return undefined as T;
    }
    try {
      return (await res.json()) as T;
    } catch {
      throw new ApiError(res.status, 'bad_response', strings.errors.unexpected);
    }
  }

  /** Binary download (e.g. invite.ics) with the bearer token, which a plain link would not carry. */
  async download(path: string): Promise<{ blob: Blob; filename: string | null }> {
    const res = await this.fetchWithRefresh(path, { method: 'GET' });
    return { blob: await res.blob(), filename: filenameFrom(res.headers.get('Content-Disposition')) };
  }

  private async fetchWithRefresh(path: string, options: RequestOptions): Promise<Response> {
    const auth = options.auth ?? true;
    let res = await this.sendOrThrow(path, options);
    if (res.status === 401 && auth) {
      const restored = await this.refresh();
      if (restored) res = await this.sendOrThrow(path, options);
    }
    if (!res.ok) throw await errorFromResponse(res);
    return res;
  }

  private async sendOrThrow(path: string, options: RequestOptions): Promise<Response> {
    try {
      return await this.send(path, options);
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err;
      throw new ApiError(0, 'network_error', strings.errors.network);
    }
  }

  private send(path: string, options: RequestOptions): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const auth = options.auth ?? true;
    if (auth && this.accessToken) headers.Authorization = `Bearer ${this.accessToken}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    // Every answer, or its absence, tells the offline banner whether the server is there.
    return this.fetchImpl(this.baseUrl + path, {
      method: options.method ?? 'GET',
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    }).then(
      (res) => {
        connectivity.reportReachable();
        return res;
      },
      (err: unknown) => {
        if (!(err instanceof DOMException && err.name === 'AbortError')) connectivity.reportUnreachable();
        throw err;
      },
    );
  }
}

/** Reads filename="x.ics" (or RFC 6266 filename*=UTF-8''x.ics) from Content-Disposition. */
export function filenameFrom(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(header);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      // Malformed percent-encoding: fall through to the plain parameter.
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(header);
  return plain?.[1]?.trim() ?? null;
}

/** The one client the app uses. Tests build their own with a fake fetch. */
export const api = new ApiClient();
