/**
 * Which page to show: a hash route (`#/sent`), or a claim link's real path (`/g/<token>`, read as '/claim/<token>').
 * A hash wins, so a hash link followed from a claim page (`/g/<token>#/`) shows that page.
 */
import { useEffect, useState } from 'preact/hooks';
import { claimTokenInPath, redirectOldClaimLink } from './claim-link';

export function currentRoute(): string {
  const hash = location.hash.replace(/^#/, '');
  if (hash) return hash;
  const token = claimTokenInPath();
  return token ? `/claim/${encodeURIComponent(token)}` : '/';
}

export const useRoute = (): string => {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const on = () => {
      if (!redirectOldClaimLink()) setRoute(currentRoute());
    };
    addEventListener('hashchange', on);
    addEventListener('popstate', on);
    return () => {
      removeEventListener('hashchange', on);
      removeEventListener('popstate', on);
    };
  }, []);
  return route;
};

export const go = (path: string) => {
  location.hash = path;
};

/** Matches '/p/:id' style patterns; returns params or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/');
  const a = path.split('/');
  if (p.length !== a.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i]!.startsWith(':')) params[p[i]!.slice(1)] = decodeURIComponent(a[i]!);
    else if (p[i] !== a[i]) return null;
  }
  return params;
}
