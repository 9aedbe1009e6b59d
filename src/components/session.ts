// Provides the session store to the component tree.

import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { SessionState, SessionStore } from '../store/session';

export const StoreContext = createContext<SessionStore | null>(null);

export function useSession<T>(selector: (s: SessionState) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useSession outside StoreContext');
  return useStore(store, selector);
}

export function useSessionStore(): SessionStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useSessionStore outside StoreContext');
  return store;
}
