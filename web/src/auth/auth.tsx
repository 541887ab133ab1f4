import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, SESSION_KEY, type ApiClient } from '../api/client';
import { useApi } from '../api/context';
import type { TokenPair, User } from '../api/types';

export type AuthStatus = 'loading' | 'signed_in' | 'signed_out' | 'unreachable';

export interface SignUpInput {
  username: string;
  email: string;
  password: string;
  first_name: string;
  last_name: string;
}

export interface AuthValue {
  status: AuthStatus;
  user: User | null;
  /** Why the person is looking at the sign-in page (their session ended), if they did not choose to. */
  notice: string | null;
  signIn(username: string, password: string): Promise<User>;
  signUp(input: SignUpInput): Promise<User>;
  signOut(): void;
  /** Try again to load the session after the server could not be reached. */
  retry(): void;
}

const AuthContext = createContext<AuthValue | null>(null);

interface State {
  status: AuthStatus;
  user: User | null;
  notice: string | null;
}

async function loadUser(api: ApiClient): Promise<State> {
  if (!api.hasSession) return { status: 'signed_out', user: null, notice: null };
  try {
    const user = await api.get<User>('/auth/me/');
    return { status: 'signed_in', user, notice: null };
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return { status: 'signed_out', user: null, notice: null };
    return { status: 'unreachable', user: null, notice: null };
  }
}

/** The session: restored from storage at start (so it survives a reload), ended when the API says so. */
export function AuthProvider({ children }: { children: ReactNode }) {
  const api = useApi();
  const [state, setState] = useState<State>({ status: 'loading', user: null, notice: null });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    void loadUser(api).then((next) => {
      if (live) setState((current) => (current.status === 'loading' || current.status === 'unreachable' ? next : current));
    });
    return () => {
      live = false;
    };
  }, [api, attempt]);

  useEffect(
    () =>
      api.onSignOut((reason) =>
        setState({ status: 'signed_out', user: null, notice: reason === 'expired' ? 'Your session has ended. Please sign in again.' : null }),
      ),
    [api],
  );

  // Another tab signed in or out: follow it.
  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key !== SESSION_KEY) return;
      if (!event.newValue) setState({ status: 'signed_out', user: null, notice: null });
      else void loadUser(api).then(setState);
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, [api]);

  const signIn = useCallback(
    async (username: string, password: string) => {
      const pair = await api.post<TokenPair>('/auth/token/', { json: { username, password }, auth: false });
      api.setSession({ access: pair.access, refresh: pair.refresh });
      setState({ status: 'signed_in', user: pair.user, notice: null });
      return pair.user;
    },
    [api],
  );

  const signUp = useCallback(
    async (input: SignUpInput) => {
      await api.post<User>('/auth/register/', { json: input, auth: false });
      return signIn(input.username, input.password);
    },
    [api, signIn],
  );

  const signOut = useCallback(() => {
    api.signOut('signed_out');
    setState({ status: 'signed_out', user: null, notice: null });
  }, [api]);

  const retry = useCallback(() => {
    setState({ status: 'loading', user: null, notice: null });
    setAttempt((n) => n + 1);
  }, []);

  const value = useMemo<AuthValue>(() => ({ ...state, signIn, signUp, signOut, retry }), [state, signIn, signUp, signOut, retry]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside <AuthProvider>');
  return value;
}

/** The signed-in user, on pages that are only reached signed in. */
export function useUser(): User {
  const { user } = useAuth();
  if (!user) throw new Error('useUser on a page reached signed out');
  return user;
}
