import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { logout } from '../../api/auth';
import { api, type ApiClient } from '../../api/client';
import type { User } from '../../api/types';
import { forgetPushDevice } from '../../pwa/forgetDevice';
import { PageLoader } from '../../ui/PageLoader';

interface SessionState {
  /** False until the start-up refresh has answered. */
  ready: boolean;
  user: User | null;
  /** True after the user signed out on purpose (not after an expired session), until the next sign-in. */
  signedOut: boolean;
}

interface SessionValue extends SessionState {
  /** Ends the session on the server and here; never fails (the local session is cleared regardless). */
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionValue>({ ready: false, user: null, signedOut: false, signOut: async () => undefined });

/**
 * Restores the session on start (the refresh cookie survives reloads; the access token does not)
 * and mirrors the client's signed-in user into React.
 */
export function SessionProvider({ children, client = api }: { children: ReactNode; client?: ApiClient }) {
  const [state, setState] = useState<SessionState>({ ready: client.isSignedIn, user: client.currentUser, signedOut: false });

  useEffect(() => {
    const unsubscribe = client.subscribe((user) => setState((s) => ({ ready: true, user, signedOut: user ? false : s.signedOut })));
    if (!client.isSignedIn) {
      void client.refresh().finally(() => setState((s) => ({ ...s, ready: true, user: client.currentUser })));
    }
    return unsubscribe;
  }, [client]);

  const signOut = useCallback(async () => {
    setState((s) => ({ ...s, signedOut: true }));
    await forgetPushDevice();
    try {
      await logout(client);
    } catch {
      // The local session is cleared regardless; the server session expires on its own.
    }
  }, [client]);

  const value = useMemo(() => ({ ...state, signOut }), [state, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  return useContext(SessionContext);
}

/** Where a sign-in page sends the user afterwards (the page that asked them to sign in). */
export interface FromState {
  from?: string;
}

export function RequireAuth({ children }: { children: ReactNode }) {
  const { ready, user, signedOut } = useSession();
  const location = useLocation();
  if (!ready) return <PageLoader />;
  // Someone who just signed out from an account page goes home, not back to the sign-in form.
  if (!user && signedOut) return <Navigate to="/" replace />;
  if (!user) {
    const from: FromState = { from: location.pathname + location.search };
    return <Navigate to="/login" replace state={from} />;
  }
  return <>{children}</>;
}

/** Sign-in pages make no sense when signed in: go where the user was headed. */
export function GuestOnly({ children }: { children: ReactNode }) {
  const { ready, user } = useSession();
  const location = useLocation();
  if (!ready) return <PageLoader />;
  if (user) {
    const from = (location.state as FromState | null)?.from;
    return <Navigate to={from && from.startsWith('/') ? from : '/'} replace />;
  }
  return <>{children}</>;
}
