/**
 * The session gate of the app shell: asks the server who the page is (`GET /v1/session`) at
 * start, shows the login form while auth is on and nobody is logged in, and goes back to it on
 * any 401 (logout, or a token revoked or expired while the page is open).
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, onUnauthenticated, type Session } from './api.ts';

export type Gate =
  | { readonly state: 'checking' }
  | { readonly state: 'login' }
  /** `session` is null when the server could not say (its pages then show their own errors). */
  | { readonly state: 'in'; readonly session: Session | null };

export interface SessionGate {
  readonly gate: Gate;
  readonly loggedIn: (session: Session) => void;
  readonly logout: () => Promise<void>;
}

export function useSession(): SessionGate {
  const [gate, setGate] = useState<Gate>({ state: 'checking' });
  useEffect(() => {
    const stop = onUnauthenticated(() => setGate({ state: 'login' }));
    api.session().then(
      (session) => setGate({ state: 'in', session }),
      (err: unknown) =>
        setGate(err instanceof ApiError && err.status === 401 ? { state: 'login' } : { state: 'in', session: null }),
    );
    return stop;
  }, []);
  return {
    gate,
    loggedIn: (session) => setGate({ state: 'in', session }),
    logout: async () => {
      await api.logout();
      setGate({ state: 'login' });
    },
  };
}
