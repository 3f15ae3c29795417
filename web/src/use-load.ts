import { useCallback, useEffect, useState } from 'preact/hooks';
import { onNetworkRetry } from './network-status';

/** Loads data for a page, reloads on demand or on an interval (live status), keeps the last error. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[], refreshMs?: number) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const reload = useCallback(
    () =>
      load().then((d) => {
        setData(d);
        setError(null);
      }, setError),
    deps,
  );
  useEffect(() => {
    setData(null);
    void reload();
    if (!refreshMs) return;
    const t = setInterval(() => void reload(), refreshMs);
    return () => clearInterval(t);
  }, [reload]);
  useEffect(() => onNetworkRetry(reload), [reload]); // the offline banner's 重试
  return { data, error, reload, setData };
}
