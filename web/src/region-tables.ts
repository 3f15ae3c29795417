/**
 * The 省/市/区 tables (@vant/area-data, ~26 KB compressed) in a chunk of their own: the claim card shows without them,
 * and the page fetches them in the background as soon as the card is there, so the form rarely waits.
 */
import { useEffect, useState } from 'preact/hooks';
import type { RegionTables } from '../../shared/regions/region-tables';

export type { RegionTables };

let pending: Promise<RegionTables> | null = null;

/** Starts (once) and returns the tables' download; a failed one is forgotten, so the next call tries again. */
export function loadRegionTables(): Promise<RegionTables> {
  pending ??= import('../../shared/regions/mainland-regions-web').then(
    (m) => m.mainlandRegionTables(),
    (e: unknown) => {
      pending = null;
      throw e;
    },
  );
  return pending;
}

export type RegionTablesState = { tables: RegionTables | null; failed: boolean; retry: () => void };

export function useRegionTables(): RegionTablesState {
  const [tables, setTables] = useState<RegionTables | null>(null);
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setFailed(false);
    loadRegionTables().then(
      (t) => live && setTables(t),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [attempt]);
  return { tables, failed, retry: () => setAttempt((n) => n + 1) };
}
