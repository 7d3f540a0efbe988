/** Routes are paths under /console/; links are ordinary anchors the app intercepts (so they open in new tabs too). */
import { useEffect, useState } from 'preact/hooks';

export const BASE = '/console';

export interface Location {
  readonly path: string;
  readonly query: URLSearchParams;
}

export function currentLocation(): Location {
  const path = window.location.pathname.startsWith(BASE) ? window.location.pathname.slice(BASE.length) || '/' : '/';
  return { path, query: new URLSearchParams(window.location.search) };
}

const listeners = new Set<() => void>();

export function navigate(to: string): void {
  window.history.pushState(null, '', to);
  for (const l of listeners) l();
  window.scrollTo(0, 0);
}

export function useLocation(): Location {
  const [location, setLocation] = useState(currentLocation);
  useEffect(() => {
    const update = () => setLocation(currentLocation());
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return location;
}

/** Same-origin left clicks on /console/ links navigate in place. */
export function interceptLinks(): void {
  document.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = (e.target as Element | null)?.closest('a');
    if (!a || a.target || a.origin !== window.location.origin || !a.pathname.startsWith(`${BASE}/`)) return;
    e.preventDefault();
    navigate(a.pathname + a.search);
  });
}

export const links = {
  overview: () => `${BASE}/`,
  namespace: (ns: string) => `${BASE}/namespaces/${encodeURIComponent(ns)}`,
  object: (key: string) => `${BASE}/object?key=${encodeURIComponent(key)}`,
  hosts: () => `${BASE}/hosts`,
  diff: (key?: string) => `${BASE}/diff${key ? `?key=${encodeURIComponent(key)}` : ''}`,
};
