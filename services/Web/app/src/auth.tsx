import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { clearTokens, get, hasRefreshToken, onSignedOut, post, refreshTokens, request, setTokens, type TokenPair } from './api/client';
import type { UserProfile } from './api/types';

interface Auth {
  user: UserProfile | null;
  ready: boolean;
  signIn(email: string, password: string): Promise<void>;
  register(email: string, password: string, displayName: string, joinCode: string): Promise<void>;
  signOut(): Promise<void>;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<UserProfile | null>(null);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      if (hasRefreshToken() && (await refreshTokens())) {
        try {
          const me = await get<UserProfile>('users', '/v1/users/me');
          if (!cancelled) setUser(me);
        } catch {
          clearTokens();
        }
      }
      if (!cancelled) setReady(true);
    })();
    const unsubscribe = onSignedOut(() => setUser(null));
    return () => {
      cancelled = true;
      unsubscribe();
    };
  }, []);

  const signIn = useCallback(async (email: string, password: string) => {
    const tokens = (await request<TokenPair>('users', '/v1/users/login', { method: 'POST', body: { email, password }, anonymous: true })).data;
    setTokens(tokens);
    setUser(await get<UserProfile>('users', '/v1/users/me'));
  }, []);

  const register = useCallback(
    async (email: string, password: string, displayName: string, joinCode: string) => {
      await request('users', '/v1/users/register', {
        method: 'POST',
        body: { email, password, displayName, institutionCode: joinCode },
        anonymous: true,
      });
      await signIn(email, password);
    },
    [signIn],
  );

  const signOut = useCallback(async () => {
    try {
      await post('users', '/v1/users/logout');
    } catch {
      // Signing out locally is what matters; the login ends on its own when it expires.
    }
    clearTokens();
    setUser(null);
  }, []);

  const value = useMemo(() => ({ user, ready, signIn, register, signOut }), [user, ready, signIn, register, signOut]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) {
    throw new Error('useAuth outside AuthProvider');
  }
  return auth;
}

export function hasRole(user: UserProfile | null, ...roles: string[]): boolean {
  return !!user && user.roles.some((role) => roles.includes(role) || role === 'platform-admin');
}
