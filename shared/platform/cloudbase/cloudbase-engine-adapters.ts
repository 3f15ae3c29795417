import { CloudbaseAttemptLimiter } from '../../adapters/cloudbase/cloudbase-attempt-limiter';
import type { CloudbaseDb } from '../../adapters/cloudbase/cloudbase-db';
import { CloudbaseGroupStore } from '../../adapters/cloudbase/cloudbase-group-store';
import type { AdapterFactory } from '../../composition/adapter-factories';
import type { AttemptLimiter } from '../../ports/attempt-limiter';
import type { GroupStore } from '../../ports/group-store';

/** What cloudbase-runtime.ts opens once per instance and hands the adapters kept in the document database. */
export interface CloudbaseEngine {
  db: CloudbaseDb;
  limitsCollection: string;
  partsCollection: string;
  timerShards: number;
}

/** The group orders' parts, in their own collection: wired by the functions that reach them (most gift functions). */
export const cloudbaseGroupStore: AdapterFactory<GroupStore> = {
  build: (_, { engine }) => {
    const { db, partsCollection, timerShards } = engine as CloudbaseEngine;
    return new CloudbaseGroupStore(db, partsCollection, { timerShards });
  },
  settings: () => [],
};

/**
 * The claim-lookup limiter, counters in their own collection: wired by the entries of the functions that look claims
 * up (`npm run gen`), so the others do not carry it.
 */
export const cloudbaseLimiter: AdapterFactory<AttemptLimiter> = {
  build: (_, { engine }) => {
    const { db, limitsCollection } = engine as CloudbaseEngine;
    return new CloudbaseAttemptLimiter(db, limitsCollection);
  },
  settings: () => [],
};
