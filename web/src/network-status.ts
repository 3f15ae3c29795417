/**
 * Whether the server can be reached, and the 重试 that re-runs what failed. A page that could not load for want of
 * network says so (use-load.ts); any answer from the server says it is reachable again (api.ts). The offline banner
 * (offline-shell.tsx) shows the first and offers the second; every page load (use-load.ts) listens.
 */
import { useEffect, useState } from 'preact/hooks';

let unreachable = false;
const watchers = new Set<() => void>();
const retries = new Set<() => Promise<unknown>>();

/** False when a page could not load because the server could not be reached at all; true on any answer. */
export function reportNetwork(reached: boolean): void {
  if (unreachable === !reached) return;
  unreachable = !reached;
  for (const w of watchers) w();
}

export function useNetworkDown(): boolean {
  const [down, setDown] = useState(unreachable);
  useEffect(() => {
    const w = () => setDown(unreachable);
    watchers.add(w);
    w();
    return () => watchers.delete(w);
  }, []);
  return down;
}

/** A load to run again on 重试; returns the unsubscribe. */
export function onNetworkRetry(retry: () => Promise<unknown>): () => void {
  retries.add(retry);
  return () => retries.delete(retry);
}

/** 重试: the page's loads run again (what the user typed stays); with none to run, the page reloads. */
export async function retryNetwork(): Promise<void> {
  if (retries.size === 0) {
    location.reload();
    return;
  }
  await Promise.allSettled([...retries].map((r) => r()));
}
