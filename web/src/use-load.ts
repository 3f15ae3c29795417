import { useCallback, useEffect, useState } from 'preact/hooks';
import { onNetworkRetry } from './network-status';

/**
 * Loads data for a page, reloads on demand or on an interval (live status). A failed refresh keeps the last data on
 * screen: `error` is set only when there is nothing to show (the page offers 重试), `staleError` when a refresh of
 * shown data failed (a network blip must not blank a page). `loading` is true while a load runs.
 */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[], refreshMs?: number) {
  const [data, setData] = useState<T | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const reload = useCallback(() => {
    setLoading(true);
    return load()
      .then(
        (d) => {
          setData(d);
          setFailure(null);
        },
        (e: unknown) => setFailure(e),
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
