// Light or dark, following the system (prefers-color-scheme).

import { useEffect, useState } from 'react';
import { DARK, LIGHT, type Theme } from '../render/theme';

export function useTheme(): Theme {
  const query =
    typeof window !== 'undefined' ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  const [dark, setDark] = useState(query?.matches ?? false);
  useEffect(() => {
    if (!query) return;
    const on = (e: MediaQueryListEvent) => setDark(e.matches);
    query.addEventListener('change', on);
    return () => query.removeEventListener('change', on);
  }, [query]);
  return dark ? DARK : LIGHT;
}
