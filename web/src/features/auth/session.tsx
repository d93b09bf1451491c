import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { api, type ApiClient } from '../../api/client';
import type { User } from '../../api/types';
import { PageLoader } from '../../ui/PageLoader';

interface SessionState {
  /** False until the start-up refresh has answered. */
  ready: boolean;
  user: User | null;
}

const SessionContext = createContext<SessionState>({ ready: false, user: null });

/**
 * Restores the session on start (the refresh cookie survives reloads; the access token does not)
 * and mirrors the client's signed-in user into React.
 */
export function SessionProvider({ children, client = api }: { children: ReactNode; client?: ApiClient }) {
  const [state, setState] = useState<SessionState>({ ready: client.isSignedIn, user: client.currentUser });

  useEffect(() => {
    const unsubscribe = client.subscribe((user) => setState({ ready: true, user }));
    if (!client.isSignedIn) {
      void client.refresh().finally(() => setState({ ready: true, user: client.currentUser }));
    }
    return unsubscribe;
  }, [client]);

  return <SessionContext.Provider value={state}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  return useContext(SessionContext);
}

/** Where a sign-in page sends the user afterwards (the page that asked them to sign in). */
export interface FromState {
  from?: string;
}

export function RequireAuth({ children }: { children: ReactNode }) {
  const { ready, user } = useSession();
  const location = useLocation();
  if (!ready) return <PageLoader />;
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
