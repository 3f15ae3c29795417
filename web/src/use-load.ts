import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { isNetworkError } from './api';
import { onNetworkRetry, reportNetwork } from './network-status';

/**
 * Loads data for a page, reloads on demand or on an interval (live status). A failed refresh keeps the last data on
 * screen: `error` is set only when there is nothing to show (the page offers 重试), `staleError` when a refresh of
 * shown data failed (a network blip must not blank a page). `loading` is true while a load runs.
 *
 * A page that cannot load at all for want of network also raises the offline banner (offline-shell.tsx), whose 重试
 * runs every load on the page again; a failed refresh or action is said next to what it concerns, not there.
 */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[], refreshMs?: number) {
  const [data, setShown] = useState<T | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  // Whether data is on screen, as of now (the load's callbacks run after the render that started it).
  const shown = useRef(false);
  const setData = useCallback((d: T | null) => {
    shown.current = d !== null;
    setShown(d);
  }, []);
  const reload = useCallback(() => {
    setLoading(true);
    return load()
      .then(
        (d) => {
          setData(d);
          setFailure(null);
        },
        (e: unknown) => {
          setFailure(e);
          if (!shown.current && isNetworkError(e)) reportNetwork(false);
        },
      )
      .finally(() => setLoading(false));
  }, deps);
  useEffect(() => {
    setData(null);
    void reload();
    if (!refreshMs) return;
    const t = setInterval(() => void reload(), refreshMs);
    return () => clearInterval(t);
  }, [reload]);
  useEffect(() => onNetworkRetry(reload), [reload]); // the offline banner's 重试
  return { data, error: data === null ? failure : null, staleError: data === null ? null : failure, loading, reload, setData };
}
